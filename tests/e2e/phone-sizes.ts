/** Phones of the sizes every screen is checked at: 320, 360 and 414 px wide. */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { screenshot } from "./browser.js";

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

/**
 * A screenshot at `width`: the 360 px one goes where screenshot() puts it (docs/screenshots with
 * UPDATE_SCREENSHOTS=1); 320 and 414 always to a temporary folder, to look at, not to commit.
 */
export async function shotAt(page: Page, name: string, width: number): Promise<void> {
  if (width === 360) return screenshot(page, name);
  const dir = path.join(tmpdir(), "jielong-screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
}
