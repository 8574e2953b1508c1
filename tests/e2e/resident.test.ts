import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { StaffEntry } from "../../shared/views.js";
import { bearer, postChain, type TestApp, type World } from "../helpers/app.js";
import { browserWorld, checkPhoneFriendly, phone, screenshot } from "./browser.js";

const XSS = "<img src=x onerror=alert(1)>";

describe("residents in a real browser", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  const staffEntries = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}/entries`).set(bearer(w.coordinatorToken)).expect(200))
      .body as StaffEntry[];

  it("when resident A joins, then resident B sees it live; when A cancels, B sees it struck through", async () => {
    const chain = await postChain(t, w, { note: `早上现摘 ${XSS}` });
    const a = await phone(browser, { baseUrl: t.baseUrl });
    const b = await phone(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await b.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await b.page.getByText("还没有人接龙").waitFor();

    // Safe text: the grower's note shows the markup as text, and no image element exists.
    await expect(a.page.locator(".note").textContent()).resolves.toContain(XSS);
    expect(await a.page.locator(".note img").count()).toBe(0);
    await screenshot(a.page, "resident-chain");

    await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await a.page.getByLabel("称呼").fill("张阿姨");
    await a.page.getByLabel("楼栋门牌").fill("3-201");
    await a.page.locator(".paybar").getByText("合计 ¥5.50").waitFor();
    // Several drop points and none remembered: none is chosen for her, and 接龙 asks.
    expect(await a.page.locator("input[name=dropPoint]:checked").count()).toBe(0);
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    await a.page.getByText("请选在哪个自提点取货").waitFor();
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    await a.page.getByRole("heading", { name: "接龙成功！" }).waitFor();
    expect(await a.page.getByTestId("joined-no").textContent()).toBe("1");
    expect(await a.page.getByTestId("joined-code").textContent()).toMatch(/^\d{4}$/);
    await screenshot(a.page, "resident-joined");

    const line = b.page.locator('.chain li[data-no="1"]');
    await line.waitFor();
    expect(await line.textContent()).toBe(
      "1. 张阿姨 3-201 西红柿1黄瓜1".replace("西红柿1", "西红柿1斤 ").replace("黄瓜1", "黄瓜1斤"),
    );

    await a.page.getByRole("button", { name: "取消这单" }).click();
    await a.page.getByRole("button", { name: "是的，取消这单" }).click();
    await b.page.locator('.chain li[data-no="1"] del').waitFor();
    await screenshot(b.page, "resident-cancelled-seen-by-another");
    expect((await staffEntries(chain.id)).map((e) => e.status)).toEqual(["cancelled"]);
    await a.context.close();
    await b.context.close();
  });

  it("when a join is made while the network is cut, then it is sent exactly once when it returns", async () => {
    const chain = await postChain(t, w);
    const a = await phone(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("还没有人接龙").waitFor();

    await a.context.setOffline(true);
    await a.page.getByText("网络已断开").waitFor();
    await a.page.getByRole("button", { name: "增加 土鸡蛋" }).click();
    await a.page.getByLabel("称呼").fill("离线王奶奶");
    await a.page.getByLabel("楼栋门牌").fill("8-402");
    // Several drop points and none remembered: the resident chooses.
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    await a.page.getByText("网络断了，已保存").waitFor();
    await a.page.getByText("等待提交").waitFor();
    await screenshot(a.page, "resident-offline-pending");
    expect(await staffEntries(chain.id)).toEqual([]);

    await a.context.setOffline(false);
    await a.page.locator('.chain li[data-no="1"]').waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => (await staffEntries(chain.id)).map((e) => e.name), { timeout: 10_000 })
      .toEqual(["离线王奶奶"]);
    expect(await a.page.getByText("等待提交").count()).toBe(0);
    // The success state appears once it lands.
    await a.page.getByRole("heading", { name: "接龙成功！" }).waitFor();
    // Reloading must not send it again.
    await a.page.reload();
    await a.page.locator('.chain li[data-no="1"]').waitFor();
    expect((await staffEntries(chain.id)).length).toBe(1);
    await a.context.close();
  });

  it("when a name holds markup, then the form says so in plain words and nothing is sent", async () => {
    const chain = await postChain(t, w);
    const a = await phone(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await a.page.getByLabel("称呼").fill(XSS);
    await a.page.getByLabel("楼栋门牌").fill("3-201");
    // Several drop points and none remembered: the resident chooses.
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    const alert = a.page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("称呼");
    expect(await staffEntries(chain.id)).toEqual([]);
    await a.context.close();
  });

  it("works in English too, and elder mode makes text larger", async () => {
    const chain = await postChain(t, w);
    const a = await phone(browser, { baseUrl: t.baseUrl, lang: "en" });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("No orders yet").waitFor();
    const before = await a.page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    await a.page.getByRole("button", { name: "Large text" }).click();
    const after = await a.page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    expect(Number.parseFloat(after)).toBeGreaterThan(Number.parseFloat(before));
    await screenshot(a.page, "resident-english-elder");
    // Large text on the narrowest phone: the steppers take their own line rather than push the
    // page sideways (a newcomer saw the "+" buttons cut in half at 320 px).
    for (const width of [320, 360, 414]) {
      await a.page.setViewportSize({ width, height: 740 });
      await checkPhoneFriendly(a.page, width);
    }
    // Both choices are remembered on the device.
    await a.page.reload();
    await a.page.getByRole("button", { name: "Normal text" }).waitFor();
    await a.context.close();
  });

  it("fits a 360 px phone: no sideways scrolling, every control at least 44 px, every field labelled", async () => {
    const chain = await postChain(t, w);
    const a = await phone(browser, { baseUrl: t.baseUrl });
    await a.page.setViewportSize({ width: 360, height: 740 });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("还没有人接龙").waitFor();
    const layout = await a.page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      small: [...document.querySelectorAll("button, input, select, summary, a")]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height < 44).length,
      unlabelled: [
        ...document.querySelectorAll("input:not([type=radio]), select, textarea"),
      ].filter((el) => !document.querySelector(`label[for="${el.id}"]`)).length,
    }));
    expect(layout).toEqual({ overflow: 0, small: 0, unlabelled: 0 });
    await a.context.close();
  });
});
