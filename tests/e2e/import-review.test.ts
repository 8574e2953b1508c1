/**
 * The import review in a real browser at phone size: rows prefilled with what was read, reasons
 * in Chinese, a word the chain doesn't sell taught with one tap (and remembered), lines over a
 * limit or past the stock flagged before confirming, drop-point words choosing the drop point,
 * and a row that names none asking with a drop-point picker.
 */
import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { StaffEntry } from "../../shared/views.js";
import { bearer, postChain, type TestApp, type World } from "../helpers/app.js";
import { browserWorld, checkPhoneFriendly } from "./browser.js";
import { phoneAt, shotAt, WIDTHS } from "./phone-sizes.js";

const TEXT = [
  "#接龙 河西村的菜",
  "1. 张阿姨 3-201 西红柿2斤 7号楼北门取",
  "2. 老王 5-302 白菜1把",
  "3. 李姐 7-3-502 土鸡蛋3盒",
  "4. 刘 12-101 小白菜3把 南门岗亭自提",
  "5. 赵 8-102 西红柿1斤 西门自提",
  "6. 孙 9-103 西红柿1斤",
].join("\n");

describe("the import review", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  const chainFor = (title: string) =>
    postChain(t, w, {
      title,
      items: [
        { name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, stock: 100, limit: 5 },
        { name: "小白菜", unit: "把", priceFen: 200, stock: 3 },
        { name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 20, limit: 2 },
      ],
    });

  it("when a coordinator pastes a 接龙, then every row says what it needs, in Chinese, and one tap settles it", async () => {
    const chain = await chainFor("河西村的菜");
    const [east, north, south] = w.dropPoints;
    const c = await phoneAt(browser, 360, { baseUrl: t.baseUrl, sessionToken: w.coordinatorToken });
    const page = c.page;
    page.setDefaultTimeout(10_000);
    await page.goto(`${t.baseUrl}/admin#import/${chain.id}`);
    await page.getByRole("heading", { name: "导入微信群里的接龙" }).waitFor();
    // Several drop points: none is taken for granted.
    expect(
      await page
        .getByLabel(/^默认自提点/)
        .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text),
    ).toBe("请选择（每一行单独选）");
    await page.getByLabel("群里的接龙（粘贴到这里）").fill(TEXT);

    const read = page.getByRole("list", { name: /^将导入的订单/ });
    const review = page.getByRole("list", { name: /^需要您看一下的行/ });
    const row = (who: string) => page.locator(".import-row").filter({ hasText: who });
    await read.waitFor();

    // Drop-point words chose the drop point.
    await row("张阿姨").getByText(`在 ${north?.name} 取货`).waitFor();
    await row("刘").getByText(`在 ${south?.name} 取货`).waitFor();
    // Reasons in Chinese, one meaning each.
    await row("老王").getByText("原因：有这个接龙里没有的菜").waitFor();
    await row("赵").getByText("原因：没有叫“西门”的自提点").waitFor();
    // 赵's row is prefilled with what was read, and asks only for its drop point.
    expect(await row("赵").locator(".import-head").textContent()).toContain("赵 8-102");
    await row("赵").getByText("西红柿 1斤").waitFor();
    // 孙 names no drop point: the row asks.
    await row("孙").getByText("没写自提点").waitFor();
    // Over the limit: flagged now, not after confirming.
    await row("李姐").getByText("土鸡蛋每人限购 2盒，这里要了 3盒：导入时会被拒绝").waitFor();
    await page.getByRole("status").filter({ hasText: "还有 4 行没处理" }).waitFor();
    expect(await page.getByRole("button", { name: /^确认导入/ }).isDisabled()).toBe(true);
    expect(await review.count()).toBe(1);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).not.toMatch(/unknown|drop point|quantity/);
    await checkPhoneFriendly(page, 360);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 740 });
      await checkPhoneFriendly(page, width);
      await shotAt(page, "import-review", width);
    }
    await page.setViewportSize({ width: 360, height: 740 });

    // One tap: 白菜 is 小白菜. 老王's line is now an order, and 刘's 3 are more than the 2 left.
    await row("老王").getByRole("button", { name: "“白菜”就是 小白菜" }).click();
    await page.getByText("已记住：“白菜”就是 小白菜").waitFor();
    await row("老王").getByText("小白菜 1把").waitFor();
    await row("刘").getByText("小白菜只剩 2把，排到这一单时不够了").waitFor();
    // 老王 names no drop point either: his row asks too.
    await page.getByRole("button", { name: `老王 5-302 在 ${north?.name} 取货` }).click();
    // One tap each on a drop point.
    await page
      .getByRole("button", { name: `赵 8-102 西红柿1斤 西门自提 在 ${east?.name} 取货` })
      .click();
    await page.getByRole("button", { name: `孙 9-103 在 ${south?.name} 取货` }).click();
    await row("赵").getByText(`在 ${east?.name} 取货`).waitFor();
    // Leave out the two that would be refused.
    await page.getByRole("button", { name: "不导入 李姐 7-3-502" }).click();
    await page.getByRole("button", { name: "不导入 刘 12-101" }).click();
    expect(await page.getByRole("status").filter({ hasText: "行没处理" }).count()).toBe(0);
    expect(await page.getByRole("status").filter({ hasText: "会被拒绝" }).count()).toBe(0);
    await page.getByRole("button", { name: "确认导入 4 单" }).click();
    await page.getByRole("status").filter({ hasText: "导入完成：新建 4 单" }).waitFor();

    const made = (
      await t.http
        .get(`/api/chains/${chain.id}/entries`)
        .set(bearer(w.coordinatorToken))
        .expect(200)
    ).body as StaffEntry[];
    expect(made.map((e) => [e.name, e.dropPointId, e.lines.map((l) => [l.itemId, l.qty])])).toEqual(
      [
        ["张阿姨", north?.id, [["i1", 2]]],
        ["老王", north?.id, [["i2", 1]]],
        ["赵", east?.id, [["i1", 1]]],
        ["孙", south?.id, [["i1", 1]]],
      ],
    );
    await c.context.close();
  });

  it("when a word was taught once, then the next import reads it, and it can be forgotten", async () => {
    const chain = await chainFor("河西村周末的菜");
    const [east] = w.dropPoints;
    const aliases = await t.http
      .get(`/api/communities/${w.communityId}/item-aliases`)
      .set(bearer(w.coordinatorToken))
      .expect(200);
    expect(aliases.body).toEqual([{ alias: "白菜", item: "小白菜" }]);
    const c = await phoneAt(browser, 360, { baseUrl: t.baseUrl, sessionToken: w.coordinatorToken });
    await c.page.goto(`${t.baseUrl}/admin#import/${chain.id}`);
    await c.page.getByLabel(/^默认自提点/).selectOption({ label: east?.name ?? "" });
    await c.page.getByLabel("群里的接龙（粘贴到这里）").fill("1. 老王 5-302 白菜1把");
    await c.page.getByRole("list", { name: "将导入的订单（1）" }).waitFor();
    await c.page
      .locator(".import-row")
      .filter({ hasText: "老王" })
      .getByText("小白菜 1把")
      .waitFor();
    await c.page.getByText("记住的叫法").click();
    await c.page.getByRole("button", { name: "忘掉“白菜”" }).click();
    await c.page.getByText("还没有读出订单。").waitFor();
    await c.page.getByText("原因：有这个接龙里没有的菜").waitFor();
    await c.context.close();
  });
});
