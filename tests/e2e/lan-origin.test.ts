/**
 * A phone on the LAN opens the service over plain HTTP under a name that is not localhost: no
 * secure context, so no crypto.randomUUID. Writes still work (request ids come from
 * getRandomValues, shared/ids.ts). Chromium is told that jielong.test is this machine
 * (--host-resolver-rules), which makes the page's origin http://jielong.test:<port>.
 */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffEntry } from "../../shared/views.js";
import {
  bearer,
  makeWorld,
  postChain,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { CHROMIUM } from "./browser.js";

describe("a phone on the LAN, over plain HTTP", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP jielong.test 127.0.0.1"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("when the page has no crypto.randomUUID, then a coordinator's order for a resident still goes through", async () => {
    const chain = await postChain(t, w, { title: "局域网里的菜" });
    const origin = t.baseUrl
      .replace("127.0.0.1", "jielong.test")
      .replace("localhost", "jielong.test");
    expect(origin).toContain("jielong.test");
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
    });
    await context.addCookies([{ name: "jl_session", value: w.coordinatorToken, url: origin }]);
    const page = await context.newPage();
    page.on("pageerror", (err) => {
      throw err;
    });
    page.setDefaultTimeout(15_000);
    await page.goto(`${origin}/admin#add`);
    expect(
      await page.evaluate(() => ({
        secure: window.isSecureContext,
        uuid: typeof (crypto as { randomUUID?: unknown }).randomUUID,
      })),
    ).toEqual({ secure: false, uuid: "undefined" });
    await page.getByLabel("接龙", { exact: true }).selectOption(chain.id);
    const [east] = w.dropPoints;
    await page.getByRole("radio", { name: new RegExp(east?.name ?? "") }).check();
    await page.getByRole("button", { name: "增加 黄瓜" }).click();
    await page.getByLabel("居民称呼").fill("刘奶奶");
    await page.getByLabel("楼栋门牌").fill("5-102");
    await page.getByRole("button", { name: /代为接龙/ }).click();
    await page.getByText(/已代加：第 1 号，取货码 \d{4}/).waitFor();
    const made = (
      await t.http
        .get(`/api/chains/${chain.id}/entries`)
        .set(bearer(w.coordinatorToken))
        .expect(200)
    ).body as StaffEntry[];
    expect(made.map((e) => e.name)).toEqual(["刘奶奶"]);
    await context.close();
  });
});
