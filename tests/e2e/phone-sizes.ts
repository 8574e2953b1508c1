/** Phones of the sizes every screen is checked at: 320, 360 and 414 px wide. */
import type { Browser } from "playwright-core";

/** A phone `width` px wide (zh-CN, touch), optionally signed in. */
export async function phoneAt(
  browser: Browser,
  width: number,
  opts: { baseUrl: string; sessionToken?: string },
) {
  const context = await browser.newContext({
    viewport: { width, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
  if (opts.sessionToken)
    await context.addCookies([{ name: "jl_session", value: opts.sessionToken, url: opts.baseUrl }]);
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return { context, page };
}

export const WIDTHS = [320, 360, 414] as const;
/** docs/screenshots/NAME.png at 360 px; NAME-320 and NAME-414 beside it. */
export const shotName = (name: string, width: number) =>
  width === 360 ? name : `${name}-${width}`;
