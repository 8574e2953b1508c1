/**
 * Debian's Chromium driven by playwright-core, with phone-sized contexts. `.ci/run` installs
 * /usr/bin/chromium; CHROMIUM_PATH points elsewhere.
 */
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { makeWorld, startTestApp, type TestApp, type World } from "../helpers/app.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/**
 * Screenshots for the README go to docs/screenshots only with UPDATE_SCREENSHOTS=1; otherwise to a
 * temporary folder, so a plain test run doesn't rewrite committed images.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(import.meta.dirname, "../../docs/screenshots")
  : path.join(tmpdir(), "jielong-screenshots");

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A phone: 390×844, touch, zh-CN, its own storage (so its own device key). */
export async function phone(
  browser: Browser,
  opts: { baseUrl: string; sessionToken?: string; lang?: "zh" | "en" } = { baseUrl: "" },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
  if (opts.sessionToken) {
    await context.addCookies([{ name: "jl_session", value: opts.sessionToken, url: opts.baseUrl }]);
  }
  if (opts.lang === "en") {
    await context.addInitScript(() => {
      if (!localStorage.getItem("jl:prefs"))
        localStorage.setItem("jl:prefs", JSON.stringify({ lang: "en" }));
    });
  }
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return { context, page };
}

/**
 * A describe block's app (its own Redis key prefix), world and browser: made before its tests,
 * handed to `set`, and closed after them.
 */
export function browserWorld(
  set: (made: { t: TestApp; w: World; browser: Browser }) => void,
  opts?: Parameters<typeof startTestApp>[0],
): void {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    t = await startTestApp(opts);
    const w = await makeWorld(t);
    browser = await launch();
    set({ t, w, browser });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
}

/** Save a screenshot for the README (docs/screenshots/NAME.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** At `width` px: every control at least 44 px tall, every field labelled, no sideways scrolling. */
export async function checkPhoneFriendly(page: Page, width: number) {
  const report = await page.evaluate(() => {
    const small: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(
      "main button, main input, main select, main textarea, main a",
    )) {
      // A radio button's target is its whole label.
      const choice =
        el instanceof HTMLInputElement && (el.type === "radio" || el.type === "checkbox");
      const box = ((choice && el.closest("label")) || el).getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // Not shown.
      if (box.height < 43.5) small.push(`${el.tagName} "${el.textContent?.trim()}" ${box.height}`);
    }
    const unlabelled = [
      ...document.querySelectorAll<HTMLInputElement>("main input, main select, main textarea"),
    ]
      .filter((el) => el.type !== "hidden" && !el.labels?.length && !el.getAttribute("aria-label"))
      .map((el) => el.id || el.name);
    return { small, unlabelled, scrollWidth: document.documentElement.scrollWidth };
  });
  expect(report.small).toEqual([]);
  expect(report.unlabelled).toEqual([]);
  expect(report.scrollWidth).toBeLessThanOrEqual(width);
}
