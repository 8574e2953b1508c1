/**
 * Issue 14, resident and grower flows a newcomer trusts at first try, at phone size (360×740):
 * wrong information first (sold out, cutoff, closed chains, English).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDaysToDate, DEFAULT_TIMEZONE, dateIn } from "../../shared/dates.js";
import {
  call,
  client,
  deviceKey,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
  waitForRedisTime,
} from "../helpers/app.js";
import { browserWorld, checkPhoneFriendly, launch, phone, screenshot } from "./browser.js";

const TZ = process.env.JIELONG_TEST_TIMEZONE ?? DEFAULT_TIMEZONE;

/** A phone at 360×740 whose waits fail well before the test's own timeout. */
async function small(browser: Browser, opts: Parameters<typeof phone>[1]) {
  const p = await phone(browser, opts);
  await p.page.setViewportSize({ width: 360, height: 740 });
  p.page.setDefaultTimeout(10_000);
  return p;
}

/** Chinese characters on the page outside the given data (names the grower and residents typed). */
async function chineseLeft(page: Page, data: string[]): Promise<string[]> {
  let text = await page.locator("main").innerText();
  for (const d of [...data].sort((a, b) => b.length - a.length)) text = text.split(d).join(" ");
  return text.match(/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+/g) ?? [];
}

describe("wrong information, fixed first", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made), { env: { CUTOFF_SWEEP_MS: "200" } });

  /** Another resident takes `qty` of item `itemId` over a socket. */
  async function neighbourTakes(chainId: string, itemId: string, qty: number) {
    const s = await client(t, { deviceKey: deviceKey() });
    ok(
      await call(s, "entry:join", {
        requestId: requestId(),
        chainId,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "李叔",
        building: "5-101",
        lines: [{ itemId, qty }],
      }),
    );
    s.disconnect();
  }

  it("when stock runs short, then it names the item and what is left, and one tap changes the order to that", async () => {
    const chain = await postChain(t, w, {
      items: [
        { name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, stock: 3 },
        { name: "黄瓜", unit: "斤", priceFen: 200, stock: 50 },
      ],
    });
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    for (let i = 0; i < 5; i++) await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await a.page.getByLabel("称呼").fill("张阿姨");
    await a.page.getByLabel("楼栋门牌").fill("3-201");
    // Meanwhile a neighbour buys 2 of the 3 斤.
    await neighbourTakes(chain.id, "i1", 2);
    await a.page.getByText("剩 1斤").waitFor();
    // The row says so at once, and the amount chosen stays as she chose it.
    await a.page.getByText("你选了2.5斤，现在最多能要1斤").waitFor();
    expect(await a.page.getByLabel("西红柿要几斤").inputValue()).toBe("2.5");
    // Several drop points and none remembered: the resident chooses.
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    const alert = a.page.locator(".sold-out-notice");
    await alert.waitFor();
    expect(await alert.locator("p").first().textContent()).toBe("西红柿只剩 1斤了");
    // It says that nothing was placed, and what to do.
    expect(await alert.locator("p").nth(1).textContent()).toBe(
      "这一单还没有接上。改好后，再点「接龙」。",
    );
    // Not every item's stock: only the one that ran short.
    expect(await alert.textContent()).not.toContain("黄瓜");
    await screenshot(a.page, "resident-sold-out-360");
    await alert.getByRole("button", { name: "西红柿改成1斤" }).click();
    await a.page.locator(".sold-out-notice").waitFor({ state: "detached" });
    await expect.poll(() => a.page.getByLabel("西红柿要几斤").inputValue()).toBe("1");
    // Several drop points and none remembered: the resident chooses.
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    await a.page.getByRole("heading", { name: "接龙成功！" }).waitFor();
    expect(await a.page.getByTestId("joined-no").textContent()).toBe("2");
    await a.context.close();
  });

  it("when a chain closed with nobody in it, then it does not invite anyone to be first", async () => {
    const chain = await postChain(t, w, { cutoffAt: new Date(Date.now() + 1200).toISOString() });
    await waitForRedisTime(t, chain.cutoffAt + 300);
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("这次接龙没有人参加").waitFor();
    expect(await a.page.getByText("来做第一个吧").count()).toBe(0);
    await a.context.close();
  });

  it("in English, no Chinese is left in the page's own words, a refusal included", async () => {
    const chain = await postChain(t, w, {
      title: "河西村新鲜蔬菜",
      note: "早上现摘",
      items: [{ name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, stock: 1 }],
    });
    const a = await small(browser, { baseUrl: t.baseUrl, lang: "en" });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("No orders yet").waitFor();
    await a.page.getByRole("button", { name: "More 西红柿" }).click();
    await a.page.getByRole("button", { name: "More 西红柿" }).click();
    await a.page.getByLabel("Name").fill("Auntie Zhang");
    await a.page.getByLabel("Building / room").fill("3-201");
    await neighbourTakes(chain.id, "i1", 0.5);
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page
      .getByRole("button", { name: /^Order/ })
      .first()
      .click();
    await a.page.locator(".sold-out-notice").waitFor();
    expect(await a.page.locator(".sold-out-notice p").first().textContent()).toBe(
      "Only 0.5 斤 of 西红柿 left",
    );
    expect(await a.page.locator(".sold-out-notice p").nth(1).textContent()).toBe(
      "This order was not placed. Change it, then tap “Order” again.",
    );
    const data = [
      "河西村新鲜蔬菜",
      "早上现摘",
      "西红柿",
      "斤",
      "李大姐",
      "河西村",
      "李叔",
      ...w.dropPoints.map((d) => d.name),
    ];
    expect(await chineseLeft(a.page, data)).toEqual([]);
    // The one-tap fix, the success state and finding an order: English too.
    await a.page.getByRole("button", { name: "Change 西红柿 to 0.5 斤" }).click();
    await a.page.getByRole("button", { name: "Order", exact: true }).click();
    await a.page.getByRole("heading", { name: "You're in!" }).waitFor();
    await a.page.getByText("Find my order").click();
    await a.page.getByLabel("Last 4 digits of your phone").waitFor();
    expect(await chineseLeft(a.page, [...data, "Auntie Zhang"])).toEqual([]);
    await a.context.close();
  });

  it("in English at 320 px: an item bought away, its row's waitlist button, and what is left to order — no Chinese in the page's own words", async () => {
    const chain = await postChain(t, w, {
      title: "河西村新鲜蔬菜",
      note: "早上现摘",
      items: [
        { name: "草莓", unit: "盒", priceFen: 1990, stock: 2 },
        { name: "黄瓜", unit: "斤", priceFen: 200, stock: 50 },
      ],
    });
    const a = await small(browser, { baseUrl: t.baseUrl, lang: "en" });
    await a.page.setViewportSize({ width: 320, height: 700 });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("No orders yet").waitFor();
    await a.page.getByRole("button", { name: "More 草莓" }).click();
    await a.page.getByRole("button", { name: "More 草莓" }).click();
    await a.page.getByRole("button", { name: "More 黄瓜" }).click();
    await a.page.getByLabel("Name").fill("Auntie Zhang");
    await a.page.getByLabel("Building / room").fill("3-201");
    await a.page.locator("input[name=dropPoint]").first().check();
    await neighbourTakes(chain.id, "i1", 1);
    const row = a.page.locator("li.item").filter({ hasText: "草莓" });
    await row.getByText("You chose 2 盒; 1 盒 at most now").waitFor();
    await row.getByRole("button", { name: "Join the waitlist for 草莓" }).click();
    const card = a.page.getByTestId("waitlist");
    await card.getByRole("heading", { name: "Waitlist for 草莓" }).waitFor();
    await card.getByRole("button", { name: "Join the waitlist" }).click();
    await card.getByText("You are number 1 in line").waitFor();
    await a.page
      .getByText("草莓: you are on the waitlist. 黄瓜 1 斤 is not ordered yet: tap “Order” again.")
      .waitFor();
    const data = [
      "河西村新鲜蔬菜",
      "早上现摘",
      "草莓",
      "黄瓜",
      "盒",
      "斤",
      "李大姐",
      "河西村",
      "李叔",
      ...w.dropPoints.map((d) => d.name),
    ];
    expect(await chineseLeft(a.page, data)).toEqual([]);
    await checkPhoneFriendly(a.page, 320);
    await screenshot(a.page, "resident-waitlist-from-row-en-320");
    await a.context.close();
  });

  it("when a grower sets the cutoff after the first pickup window, then the form refuses it in plain words", async () => {
    const g = await small(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    await g.page.goto(`${t.baseUrl}/g`);
    const group = g.page.getByRole("group", { name: "第 1 样菜", exact: true });
    await group.getByLabel("菜名").fill("青菜");
    await group.getByLabel(/^单价/).fill("3");
    const date = addDaysToDate(dateIn(TZ), 3);
    await g.page.getByLabel("送货日期").fill(date);
    await g.page.getByLabel("截单日期").fill(date);
    await g.page.getByLabel("截单时间").fill("08:00");
    await g.page.getByRole("button", { name: "发布接龙" }).click();
    const alert = g.page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^截单要早于第一次取货（.* 07:30），请改早一点$/);
    await checkPhoneFriendly(g.page, 360);
    await g.context.close();
  });
});

describe("joining with confidence", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  it("a fixed bottom bar keeps the running total and a large 接龙 button; after joining, a clear success state with the WeChat line to copy", async () => {
    const chain = await postChain(t, w);
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    const bar = a.page.locator(".paybar");
    await bar.getByText("合计 ¥0").waitFor();
    await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await bar.getByText("合计 ¥5.50").waitFor();
    // The bar sits at the bottom of the screen, whatever the scroll, with a big button.
    const send = bar.getByRole("button", { name: "接龙", exact: true });
    const box = await send.boundingBox();
    expect(box && box.y + box.height).toBeGreaterThan(740 - 40);
    expect(box?.height).toBeGreaterThanOrEqual(56);
    await a.page.getByRole("radio", { name: /7号楼北门/ }).check();
    await a.page.getByLabel("称呼").fill("张阿姨");
    await a.page.getByLabel("楼栋门牌").fill("3-201");
    await send.click();

    const card = a.page.locator(".joined");
    await card.getByRole("heading", { name: "接龙成功！" }).waitFor();
    // At the top of the screen, not at the bottom of the page.
    const top = await card.boundingBox();
    expect(top?.y).toBeLessThan(200);
    expect(await a.page.getByTestId("joined-no").textContent()).toBe("1");
    const code = await a.page.getByTestId("joined-code").textContent();
    expect(code).toMatch(/^\d{4}$/);
    expect(await card.textContent()).toContain("7号楼北门");
    expect(await card.locator(".joined-lines li").allTextContents()).toEqual([
      "西红柿 1斤¥3.50",
      "黄瓜 1斤¥2",
      "合计¥5.50",
    ]);
    // The order form is out of the way (its amounts are not silently zeroed in front of them).
    expect(await a.page.locator("form").isHidden()).toBe(true);
    expect(await a.page.locator(".paybar").isVisible()).toBe(false);

    await card.getByRole("button", { name: "复制我的接龙发到群" }).click();
    await card.getByText("已复制").waitFor();
    const copied = await a.page.evaluate(() => navigator.clipboard.readText());
    expect(copied.split("\n")[0]).toBe("1. 张阿姨 3-201 西红柿1斤 黄瓜1斤");

    for (const width of [320, 360, 414]) {
      await a.page.setViewportSize({ width, height: 740 });
      await checkPhoneFriendly(a.page, width);
      await screenshot(a.page, `resident-success-${width}`);
    }
    // Elder mode at the narrowest phone: the number and code still fit, nothing cut off.
    await a.page.setViewportSize({ width: 320, height: 740 });
    await a.page.getByRole("button", { name: "大字模式" }).click();
    await checkPhoneFriendly(a.page, 320);
    for (const id of ["joined-no", "joined-code"]) {
      const fits = await a.page.getByTestId(id).evaluate((el) => el.scrollWidth <= el.clientWidth);
      expect(fits).toBe(true);
    }
    await screenshot(a.page, "resident-success-elder-320");
    await a.page.getByRole("button", { name: "标准字号" }).click();
    await a.page.setViewportSize({ width: 360, height: 740 });

    // Another order starts from empty amounts, on purpose.
    await card.getByRole("button", { name: "再接一单" }).click();
    await a.page.locator(".paybar").getByText("合计 ¥0").waitFor();
    expect(await a.page.locator(".joined").count()).toBe(0);
    await a.context.close();
  });
});

describe("find my order again", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  it("when the device key is lost, then the phone ending + pickup code, or the personal link, bring the order back to change it", async () => {
    const chain = await postChain(t, w);
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await a.page.getByLabel("称呼").fill("张阿姨");
    await a.page.getByLabel("楼栋门牌").fill("3-201");
    await a.page.getByLabel(/手机号/).fill("13800001234");
    // Several drop points and none remembered: the resident chooses.
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    const code = (await a.page.getByTestId("joined-code").textContent()) ?? "";
    const link = (await a.page.getByTestId("my-link").textContent()) ?? "";
    expect(link).toMatch(new RegExp(`^${t.baseUrl}/c/${chain.id}#k=1\\.[\\w-]{24}$`));
    await a.page.getByRole("button", { name: "复制我的接龙发到群" }).click();
    await a.page.getByText("已复制").waitFor();
    // The group gets the line only: the personal link can cancel the order, so it is copied on
    // its own, for the resident.
    expect(await a.page.evaluate(() => navigator.clipboard.readText())).toBe(
      "1. 张阿姨 3-201 黄瓜1斤",
    );
    await a.page.getByRole("button", { name: "复制我的订单链接（留给自己）" }).click();
    await a.page.getByText("不要发到群里").first().waitFor();
    expect(await a.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await a.context.close();

    // WeChat's browser lost the device key: a fresh phone finds it with 1234 + the pickup code.
    const b = await small(browser, { baseUrl: t.baseUrl });
    await b.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await b.page.getByText("找回我的订单").click();
    await b.page.getByLabel("手机尾号（后4位）").fill("1234");
    await b.page.getByLabel("取货码").fill("0000");
    await b.page.getByRole("button", { name: "找回", exact: true }).click();
    await b.page.getByText("没有找到").waitFor();
    await b.page.getByLabel("取货码").fill(code);
    await b.page.getByRole("button", { name: "找回", exact: true }).click();
    await b.page.getByText("找到了：第 1 号").waitFor();
    const mine = b.page.locator("section", {
      has: b.page.getByRole("heading", { name: "我的接龙" }),
    });
    await mine.getByText(`取货码 ${code}`).waitFor();
    for (const width of [320, 360, 414]) {
      await b.page.setViewportSize({ width, height: 740 });
      await checkPhoneFriendly(b.page, width);
      await screenshot(b.page, `resident-find-order-${width}`);
    }
    await b.page.setViewportSize({ width: 360, height: 740 });
    // It can manage it: cancel, asked once.
    await mine.getByRole("button", { name: "取消这单" }).click();
    await mine.getByRole("button", { name: "是的，取消这单" }).click();
    await mine.getByText("已取消").waitFor();
    await b.context.close();

    // The personal link opens it on a third phone, and leaves the address bar clean.
    const c = await small(browser, { baseUrl: t.baseUrl });
    await c.page.goto(link);
    const cMine = c.page.locator("section", {
      has: c.page.getByRole("heading", { name: "我的接龙" }),
    });
    await cMine.getByText("已取消").waitFor();
    expect(c.page.url()).toBe(`${t.baseUrl}/c/${chain.id}`);
    await c.context.close();
  });
});

describe("changing and cancelling", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  it("修改 scrolls to the form, shows what changes, can be called off, and says when it is saved; 取消 asks once in plain words", async () => {
    const chain = await postChain(t, w);
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await a.page.getByLabel("称呼").fill("张阿姨");
    await a.page.getByLabel("楼栋门牌").fill("3-201");
    // Several drop points and none remembered: the resident chooses.
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    await a.page.getByRole("button", { name: "再接一单" }).click();
    const mine = a.page.locator("section", {
      has: a.page.getByRole("heading", { name: "我的接龙" }),
    });

    // Calling a change off leaves the entry as it was.
    await mine.getByRole("button", { name: "修改" }).click();
    const heading = a.page.getByRole("heading", { name: "正在修改第 1 号" });
    await heading.waitFor();
    const top = await heading.boundingBox();
    expect(top && top.y >= 0 && top.y < 200).toBe(true);
    await a.page.getByText("还没有改动").waitFor();
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await a.page.getByText("黄瓜：新加 1斤").waitFor();
    await a.page.getByRole("button", { name: "不改了" }).click();
    await a.page.getByRole("heading", { name: "我要买" }).waitFor();

    // A real change: 西红柿 1斤 → 0.5斤, 黄瓜 added, shown before saving, confirmed after.
    await mine.getByRole("button", { name: "修改" }).click();
    await heading.waitFor();
    await a.page.getByRole("button", { name: "减少 西红柿" }).click();
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    expect(await a.page.locator(".edit-changes li").allTextContents()).toEqual([
      "西红柿：1斤 → 0.5斤",
      "黄瓜：新加 1斤",
    ]);
    await screenshot(a.page, "resident-editing-360");
    await a.page.locator(".paybar").getByRole("button", { name: "保存修改" }).click();
    await mine.getByText("第 1 号已经改好了").waitFor();
    expect(await mine.locator('[data-mine="1"] > div').first().textContent()).toContain(
      "西红柿0.5斤 黄瓜1斤",
    );
    // Same drop point: the pickup code stays, and nothing says otherwise.
    expect(await mine.locator(".code-changed").count()).toBe(0);

    // Another drop point: a new pickup code, said plainly with the old and the new.
    const codeBefore = /取货码 (\d+)/u.exec(
      (await mine.locator('[data-mine="1"] > div').first().textContent()) ?? "",
    )?.[1];
    await mine.getByRole("button", { name: "修改" }).click();
    await heading.waitFor();
    await a.page.locator("input[name=dropPoint]").nth(1).check();
    await a.page.locator(".paybar").getByRole("button", { name: "保存修改" }).click();
    const changed = mine.locator(".code-changed");
    await changed.waitFor();
    const codeAfter = /取货码 (\d+)/u.exec(
      (await mine.locator('[data-mine="1"] > div').first().textContent()) ?? "",
    )?.[1];
    expect(codeAfter).not.toBe(codeBefore);
    expect(await changed.textContent()).toContain(`${codeBefore} → ${codeAfter}`);

    // Cancelling asks once, in plain words, and 不取消 keeps it.
    await mine.getByRole("button", { name: "取消这单" }).click();
    const ask = mine.getByRole("group", { name: "确定要取消第 1 号吗？" });
    expect(await ask.textContent()).toContain("取消后，第 1 号（西红柿0.5斤 黄瓜1斤）就不要了");
    await screenshot(a.page, "resident-cancel-ask-360");
    await ask.getByRole("button", { name: "不取消" }).click();
    expect(await mine.getByText("已取消").count()).toBe(0);
    await mine.getByRole("button", { name: "取消这单" }).click();
    await mine.getByRole("button", { name: "是的，取消这单" }).click();
    await mine.getByText("已取消").waitFor();
    // Said plainly, and the earlier "changed" is gone (it read as if the change still stood).
    await mine.getByText("第 1 号已经取消了").waitFor();
    expect(await mine.getByText("第 1 号已经改好了").count()).toBe(0);
    await a.context.close();
  });
});

describe("weighed items", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  it("a weight can be typed (1.5斤, 1斤半) as well as stepped by ½斤; an amount off the step or over the limit is refused in words", async () => {
    const chain = await postChain(t, w);
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    const field = a.page.getByLabel("西红柿要几斤");
    const bar = a.page.locator(".paybar");
    await field.fill("1.5斤");
    await bar.getByText("合计 ¥5.25").waitFor();
    // The ½斤 steps go on from what was typed.
    await a.page.getByRole("button", { name: "增加 西红柿" }).click();
    await expect.poll(() => field.inputValue()).toBe("2");
    await bar.getByText("合计 ¥7").waitFor();
    await field.fill("1斤半");
    await bar.getByText("合计 ¥5.25").waitFor();
    // Not on the ½斤 step: said, and the order keeps 1.5斤.
    await field.fill("1.3");
    await a.page.getByText("要按 0.5斤 一份").waitFor();
    await bar.getByText("合计 ¥5.25").waitFor();
    await field.fill("6");
    await a.page.getByText("最多 5斤").waitFor();
    await screenshot(a.page, "resident-typed-weight-360");
    await field.fill("2.5");
    await a.page.getByText("最多 5斤").waitFor({ state: "detached" });
    await a.page.getByLabel("称呼").fill("王奶奶");
    await a.page.getByLabel("楼栋门牌").fill("2-502");
    // Several drop points and none remembered: the resident chooses.
    await a.page.locator("input[name=dropPoint]").first().check();
    await a.page.getByRole("button", { name: "接龙", exact: true }).click();
    await a.page.getByRole("heading", { name: "接龙成功！" }).waitFor();
    expect(await a.page.locator(".joined-lines li").first().textContent()).toBe(
      "西红柿 2.5斤¥8.75",
    );
    await checkPhoneFriendly(a.page, 360);
    await a.context.close();
  });
});

describe("offline", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  it("when the first load cannot reach the server, then a plain offline page with 重试, and the chain once it can", async () => {
    const chain = await postChain(t, w);
    const a = await small(browser, { baseUrl: t.baseUrl });
    // The page itself loads, but nothing gets through to the live connection.
    await a.context.route("**/socket.io/**", (route) => route.abort("internetdisconnected"));
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByRole("heading", { name: "没有网络，打不开接龙" }).waitFor();
    expect(await a.page.getByText("正在加载").count()).toBe(0);
    for (const width of [320, 360, 414]) {
      await a.page.setViewportSize({ width, height: 740 });
      await checkPhoneFriendly(a.page, width);
      await screenshot(a.page, `resident-offline-first-load-${width}`);
    }
    // 重试 while still cut off: the page stays on the offline page (and doesn't break).
    await a.page.getByRole("button", { name: "重试" }).click();
    await a.page.getByRole("heading", { name: "没有网络，打不开接龙" }).waitFor();
    await a.context.unroute("**/socket.io/**");
    // The page also tries again by itself, so the chain may come before 重试 is tapped (the
    // button is then gone: the tap is not needed). Either way, the chain comes.
    await a.page
      .getByRole("button", { name: "重试" })
      .click({ timeout: 3000 })
      .catch(() => {});
    await a.page.getByText("还没有人接龙").waitFor();
    await a.context.close();
  });

  it("when a link is opened again with no network at all, then the page still comes (kept by its service worker) and says it is offline", async () => {
    const chain = await postChain(t, w);
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("还没有人接龙").waitFor();
    // The service worker has taken the page in, with the files it loads.
    await a.page.waitForFunction(async () => {
      if (!navigator.serviceWorker.controller) return false;
      const shell = await caches.match("/__shell");
      const script = document.querySelector<HTMLScriptElement>("script[type=module]")?.src;
      return Boolean(shell && script && (await caches.match(script)));
    });
    await a.context.setOffline(true);
    await a.page.reload();
    await a.page.getByRole("heading", { name: "没有网络，打不开接龙" }).waitFor();
    expect(await a.page.getByText("正在加载").count()).toBe(0);
    await a.context.setOffline(false);
    await a.page.getByRole("button", { name: "重试" }).click();
    await a.page.getByText("还没有人接龙").waitFor({ timeout: 20_000 });
    await a.context.close();
  });

  it("when the connection comes back, then the offline banner and network errors clear by themselves", async () => {
    const chain = await postChain(t, w);
    const a = await small(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("还没有人接龙").waitFor();
    await a.context.setOffline(true);
    await a.page.getByText("网络已断开").waitFor();
    await a.context.setOffline(false);
    await a.page.getByText("网络已断开").waitFor({ state: "detached", timeout: 20_000 });
    await a.context.close();
  });
});

describe("the site root", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a resident opening / sees the open chains of the community, or a plain explanation; never the invite-link advice", async () => {
    const empty = await startTestApp();
    try {
      const a = await small(browser, { baseUrl: empty.baseUrl });
      await a.page.goto(`${empty.baseUrl}/`);
      await a.page.getByText("这里还没有开通小区接龙").waitFor();
      expect(await a.page.getByText("邀请链接").count()).toBe(0);
      await a.context.close();
    } finally {
      await empty.close();
    }

    const t = await startTestApp();
    try {
      const w = await makeWorld(t);
      const a = await small(browser, { baseUrl: t.baseUrl });
      await a.page.goto(`${t.baseUrl}/`);
      await a.page.getByRole("heading", { name: "文兴社区" }).waitFor();
      await a.page.getByText("现在没有正在接龙的菜").waitFor();
      const chain = await postChain(t, w, { title: "山后村土鸡蛋" });
      // A chain that closed is not offered.
      const closed = await postChain(t, w, { title: "已经截单的菜" });
      await t.http
        .post(`/api/chains/${closed.id}/close`)
        .set({ Authorization: `Bearer ${w.growerToken}` })
        .expect(200);
      await a.page.reload();
      const link = a.page.getByRole("link", { name: /山后村土鸡蛋/ });
      await link.waitFor();
      expect(await a.page.getByText("已经截单的菜").count()).toBe(0);
      expect(await link.textContent()).toContain("西红柿、黄瓜、土鸡蛋");
      expect(await a.page.getByText("邀请链接").count()).toBe(0);
      for (const width of [320, 360, 414]) {
        await a.page.setViewportSize({ width, height: 740 });
        await checkPhoneFriendly(a.page, width);
        await screenshot(a.page, `resident-home-${width}`);
      }
      await link.click();
      await a.page.waitForURL(`${t.baseUrl}/c/${chain.id}`);
      await a.page.getByRole("heading", { name: "山后村土鸡蛋" }).waitFor();
      await a.context.close();
    } finally {
      await t.close();
    }
  });
});

describe("growers", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  it("限10袋 in a pasted post is asked, never guessed; stock and limit sit side by side with examples", async () => {
    const g = await small(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    await g.page.goto(`${t.baseUrl}/g`);
    await g.page
      .getByLabel("价格单（粘贴到这里）")
      .fill("大米 50元/袋 限10袋\n土鸡蛋 25元/盒 每人限2盒");
    const ask = g.page.getByRole("group", { name: /限10袋.*是总共只有这么多，还是每人限买这么多/ });
    await ask.waitFor();
    const fill = g.page.getByRole("button", { name: /填入下面的表格/ });
    expect(await fill.isDisabled()).toBe(true);
    await g.page.getByText("还有 1 个问题").waitFor();
    await screenshot(g.page, "grower-ask-stock-or-limit-360");
    await ask.getByRole("button", { name: "总共只有 10袋（库存）" }).click();
    await fill.click();
    const rice = g.page.getByRole("group", { name: "第 1 样菜", exact: true });
    await expect.poll(() => rice.getByLabel("菜名").inputValue()).toBe("大米");
    expect(await rice.getByLabel("库存（选填）").inputValue()).toBe("10");
    expect(await rice.getByLabel("每人限购（选填）").inputValue()).toBe("");
    const eggs = g.page.getByRole("group", { name: "第 2 样菜", exact: true });
    expect(await eggs.getByLabel("每人限购（选填）").inputValue()).toBe("2");
    // Side by side, each with its example.
    const stock = await rice.getByLabel("库存（选填）").boundingBox();
    const limit = await rice.getByLabel("每人限购（选填）").boundingBox();
    expect(stock && limit && Math.abs(stock.y - limit.y) < 2 && stock.x < limit.x).toBe(true);
    expect(await rice.getByText("总共有多少袋，卖完就停").count()).toBe(1);
    expect(await rice.getByText("每人最多买几袋").count()).toBe(1);
    await checkPhoneFriendly(g.page, 360);
    await g.context.close();
  });

  it("yesterday's listing comes back in one tap, and a preview shows what residents will see before posting", async () => {
    await postChain(t, w, { title: "昨天的菜" });
    const g = await small(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    await g.page.goto(`${t.baseUrl}/g`);
    await g.page.getByRole("button", { name: /照上次的再发一次/ }).click();
    await g.page.getByText("已照上次填好").waitFor();
    await g.page.getByRole("button", { name: "先看看居民看到的样子" }).click();
    const preview = g.page.locator(".g-preview");
    await preview.getByRole("heading", { name: "居民看到的样子（还没发布）" }).waitFor();
    expect(await preview.getByRole("heading", { level: 1 }).textContent()).toBe("昨天的菜");
    expect(await preview.locator(".item strong").allTextContents()).toEqual([
      "西红柿",
      "黄瓜",
      "土鸡蛋",
    ]);
    expect(await preview.textContent()).toContain("每人限 2盒");
    await screenshot(g.page, "grower-preview-360");
    await g.page.getByRole("button", { name: "发布接龙" }).click();
    await g.page.getByText("发布成功").waitFor();
    const mine = await t.http
      .get(`/api/communities/${w.communityId}/chains`)
      .set({ Authorization: `Bearer ${w.growerToken}` })
      .expect(200);
    expect(mine.body.filter((c: { title: string }) => c.title === "昨天的菜")).toHaveLength(2);
    await g.context.close();
  });
});
