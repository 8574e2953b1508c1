/**
 * The WeChat bridge in a real browser: a grower pastes a price post and publishes it; a
 * coordinator imports a group's 接龙 (fixing and leaving out what can't be read) and copies a
 * chain back out as text.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { ChainSnapshot, StaffEntry } from "../../shared/views.js";
import { bearer, invite, postChain, type TestApp, type World } from "../helpers/app.js";
import { browserWorld, checkPhoneFriendly, phone, screenshot } from "./browser.js";

interface ListingCase {
  id: string;
  text: string;
}
interface ChainCase {
  id: string;
  items: { name: string; unit: string }[];
  text: string;
  expect: { review?: string[] };
}
const fixture = <T>(file: string): T[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/wechat/${file}`, import.meta.url), "utf8"));
const byId = <T extends { id: string }>(list: T[], id: string): T => {
  const found = list.find((c) => c.id === id);
  if (!found) throw new Error(`no fixture ${id}`);
  return found;
};
const listings = fixture<ListingCase>("listings.json");
const chains = fixture<ChainCase>("chains.json");

/** Paste for real: the text goes on the clipboard, then Ctrl+V into the focused field. */
async function paste(page: Page, label: string, text: string) {
  const field = page.getByLabel(label);
  await field.fill("");
  await field.focus();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("ControlOrMeta+V");
  expect(await field.inputValue()).toBe(text);
}

describe("the WeChat bridge in a real browser", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  const chainOf = async (id: string) =>
    ((await t.http.get(`/api/chains/${id}`).expect(200)).body as ChainSnapshot).chain;
  const staffEntries = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}/entries`).set(bearer(w.coordinatorToken)).expect(200))
      .body as StaffEntry[];
  const withClipboard = async (...args: Parameters<typeof phone>) => {
    const p = await phone(...args);
    p.page.setDefaultTimeout(10_000);
    await p.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: t.baseUrl,
    });
    return p;
  };

  it("when a grower pastes a price post, then the items are previewed, fill the form in one tap, and post as usual", async () => {
    const grower = await invite(t, w.communityId, w.coordinatorToken, "grower", "老李");
    const g = await withClipboard(browser, { baseUrl: t.baseUrl, sessionToken: grower.token });
    await g.page.goto(`${t.baseUrl}/g`);
    await g.page.getByRole("heading", { name: "发布今天的菜" }).waitFor();
    const preview = g.page.getByRole("list", { name: "读出的菜" });

    // A post with bundles and descriptions in brackets: previewed as it is pasted.
    await paste(g.page, "价格单（粘贴到这里）", byId(listings, "L4-emoji-bundles").text);
    await g.page.getByRole("status").filter({ hasText: "读出了 4 样菜" }).waitFor();
    expect(await preview.getByRole("listitem").allTextContents()).toEqual([
      "西瓜 ¥1.20/斤（整个卖）",
      "土豆 ¥10/3斤",
      "圣女果 ¥8/盒（约1斤）",
      "鸡蛋 ¥15/板（30枚）",
    ]);
    await g.page.getByRole("button", { name: "填入下面的表格（4 样菜）" }).click();
    await g.page.getByText("已填入 4 样菜").waitFor();
    const potato = g.page.getByRole("group", { name: "第 2 样菜", exact: true });
    expect(await potato.getByLabel("菜名").inputValue()).toBe("土豆");
    expect(await potato.getByLabel("单位", { exact: true }).inputValue()).toBe("3斤");
    expect(await potato.getByLabel(/^单价/).inputValue()).toBe("10");
    // Descriptions go to the note, one line per item.
    expect(await g.page.getByLabel(/^备注/).inputValue()).toBe(
      "西瓜：整个卖\n圣女果：约1斤\n鸡蛋：30枚",
    );

    // Another post pasted over it: stock, a limit on a line of its own, notes shown apart.
    const post = byId(listings, "L2-fullwidth-yuan-sign-stock-limit").text;
    await paste(g.page, "价格单（粘贴到这里）", post);
    await g.page.getByRole("status").filter({ hasText: "读出了 4 样菜" }).waitFor();
    expect(await preview.getByRole("listitem").allTextContents()).toEqual([
      "豆角 ¥4/斤每人限 5斤",
      "青椒 ¥3.50/斤每人限 5斤",
      "大葱 ¥2/斤每人限 5斤",
      "新土豆 ¥1.80/斤限量 100斤每人限 5斤",
    ]);
    expect(
      await g.page.getByRole("list", { name: "这些行不是菜，不会填入：" }).textContent(),
    ).toContain("崔家庄村 老李家 今日鲜菜");
    await g.page.setViewportSize({ width: 360, height: 800 });
    await checkPhoneFriendly(g.page, 360);
    await g.page.getByLabel("价格单（粘贴到这里）").scrollIntoViewIfNeeded();
    await screenshot(g.page, "wechat-paste-preview");
    await g.page.getByRole("button", { name: "填入下面的表格（4 样菜）" }).click();
    await g.page.getByText("已填入 4 样菜").waitFor();
    expect(await g.page.getByRole("group", { name: /^第 \d 样菜$/ }).count()).toBe(4);
    // The first paste's descriptions are replaced, not piled up.
    expect(await g.page.getByLabel(/^备注/).inputValue()).toBe("");
    const potatoes = g.page.getByRole("group", { name: "第 4 样菜", exact: true });
    expect(await potatoes.getByLabel("菜名").inputValue()).toBe("新土豆");
    expect(await potatoes.getByLabel(/^单价/).inputValue()).toBe("1.8");
    expect(await potatoes.getByLabel("库存（选填）").inputValue()).toBe("100");
    expect(await potatoes.getByLabel("每人限购（选填）").inputValue()).toBe("5");

    // The grower fixes one price, then posts as usual.
    const onions = g.page.getByRole("group", { name: "第 3 样菜", exact: true });
    await onions.getByLabel(/^单价/).fill("2.2");
    await g.page.getByRole("button", { name: "发布接龙", exact: true }).click();
    await g.page.getByText("发布成功！").waitFor();
    const chainId = new URL(g.page.url()).searchParams.get("chain") ?? "";
    const chain = await chainOf(chainId);
    expect(chain.items.map((i) => [i.name, i.unit, i.priceFen, i.stock, i.limit])).toEqual([
      ["豆角", "斤", 400, null, 5],
      ["青椒", "斤", 350, null, 5],
      ["大葱", "斤", 220, null, 5],
      ["新土豆", "斤", 180, 100, 5],
    ]);

    // The residents' chain page shows the parsed items with their prices.
    const r = await phone(browser, { baseUrl: t.baseUrl });
    await r.page.goto(`${t.baseUrl}/c/${chainId}`);
    await r.page.getByRole("heading", { name: chain.title }).waitFor();
    expect(await r.page.locator(".items li").allTextContents()).toEqual([
      expect.stringMatching(/^豆角 ¥4\/斤.*每人限 5斤/),
      expect.stringMatching(/^青椒 ¥3\.50\/斤.*每人限 5斤/),
      expect.stringMatching(/^大葱 ¥2\.20\/斤.*每人限 5斤/),
      expect.stringMatching(/^新土豆 ¥1\.80\/斤.*剩 100斤 · 每人限 5斤/),
    ]);
    await r.context.close();
    await g.context.close();
  });

  it("when a coordinator imports a group's 接龙, then the entries they saw are created, review lines are fixed or left out, and a second import creates nothing", async () => {
    const c1 = byId(chains, "C1-basic");
    const c6 = byId(chains, "C6-review-unknown");
    const prices: Record<string, number> = { 西红柿: 300, 黄瓜: 250, 茄子: 300, 小白菜: 200 };
    const chain = await postChain(t, w, {
      title: "惠民直通车明天的菜",
      items: c1.items.map((i) =>
        // Eggs: at most 6 each, so 刘's 10 is refused.
        i.name === "土鸡蛋"
          ? { ...i, priceFen: 150, limit: 6 }
          : { ...i, priceFen: prices[i.name] ?? 100, step: i.unit === "斤" ? 0.5 : 1 },
      ),
    });
    const neighbour = c6.expect.review?.[0] ?? "";
    const text = `${c1.text}\n5. ${neighbour}\n6. 赵姐 8-102 西红柿`;
    const [east, north, south] = w.dropPoints;

    const c = await withClipboard(browser, {
      baseUrl: t.baseUrl,
      sessionToken: w.coordinatorToken,
    });
    await c.page.goto(`${t.baseUrl}/admin`);
    // From the chain in the day tab to its import.
    await c.page
      .locator(`[data-chain="${chain.id}"]`)
      .getByRole("link", { name: "导入群接龙", exact: true })
      .click();
    await c.page.getByRole("heading", { name: "导入微信群里的接龙" }).waitFor();
    expect(c.page.url()).toBe(`${t.baseUrl}/admin#import/${chain.id}`);
    expect(await c.page.getByLabel("接龙", { exact: true }).inputValue()).toBe(chain.id);
    await c.page.getByLabel(/^默认自提点/).selectOption({ label: north?.name ?? "" });
    await paste(c.page, "群里的接龙（粘贴到这里）", text);

    // What will be created, and what needs a person.
    const read = c.page.getByRole("list", { name: "将导入的订单（4）" });
    await read.waitFor();
    expect(await read.getByRole("listitem").allTextContents()).toEqual([
      expect.stringMatching(/^1\. 张阿姨 3-201¥8\.50西红柿 2斤，黄瓜 1斤/),
      expect.stringMatching(/^2\. 老王 5号楼302¥9茄子 3斤/),
      expect.stringMatching(/^3\. 李姐 7-3-502¥4小白菜 2把/),
      // Flagged before confirming: the server will refuse it.
      expect.stringMatching(
        /^⚠? ?土鸡蛋每人限购 6个，这里要了 10个：导入时会被拒绝4\. 刘 12栋1单元101¥18土鸡蛋 10个，西红柿 1斤/,
      ),
    ]);
    const review = c.page.getByRole("list", { name: "需要您看一下的行（2）" });
    const neighbourRow = review.getByRole("listitem").filter({ hasText: neighbour });
    const zhaoRow = review.getByRole("listitem").filter({ hasText: "赵姐 8-102 西红柿" });
    expect(await neighbourRow.locator(".import-raw").textContent()).toBe(`原文： 5. ${neighbour}`);
    await neighbourRow.getByText("原因：没写要买什么").waitFor();
    await zhaoRow.getByText("原因：西红柿没写数量").waitFor();
    await c.page.getByRole("status").filter({ hasText: "还有 2 行没处理" }).waitFor();
    const confirm = c.page.getByRole("button", { name: /^确认导入/ });
    expect(await confirm.isDisabled()).toBe(true);
    await c.page.setViewportSize({ width: 360, height: 800 });
    await checkPhoneFriendly(c.page, 360);
    await screenshot(c.page, "wechat-import-preview");

    // Fix 赵姐's line: nothing guessed, so it is filled in from the text.
    await zhaoRow.getByRole("button", { name: "用这一行" }).click();
    expect(await zhaoRow.getByRole("alert").textContent()).toBe("请先选择要买的菜");
    await zhaoRow.getByLabel("西红柿（斤）").fill("1.3");
    await zhaoRow.getByRole("button", { name: "用这一行" }).click();
    expect(await zhaoRow.getByRole("alert").textContent()).toBe("西红柿要按 0.5斤 加减");
    await zhaoRow.getByLabel("西红柿（斤）").fill("1.5");
    await zhaoRow.getByLabel("居民称呼").fill("赵姐");
    await zhaoRow.getByLabel("楼栋门牌").fill("8-102");
    await zhaoRow.getByLabel("在哪里取货").selectOption({ label: south?.name ?? "" });
    await zhaoRow.getByRole("button", { name: "用这一行" }).click();
    await zhaoRow.getByText("已改好").waitFor();
    expect(await zhaoRow.locator(".import-line").textContent()).toContain(
      `6. 赵姐 8-102¥4.50西红柿 1.5斤在 ${south?.name} 取货`,
    );
    // Leave the neighbour's question out.
    await neighbourRow.getByRole("button", { name: `不导入 ${neighbour}` }).click();
    await neighbourRow.getByText("不导入", { exact: true }).waitFor();
    // And change a line that was read: 老王 wants 2斤 after all.
    await read.getByRole("button", { name: "修改 老王 5号楼302" }).click();
    await read.getByLabel("茄子（斤）").fill("2");
    await read.getByRole("button", { name: "保存", exact: true }).click();
    await read.getByRole("listitem").filter({ hasText: "老王" }).getByText("已修改").waitFor();
    expect(await c.page.getByRole("status").filter({ hasText: "行没处理" }).count()).toBe(0);
    await checkPhoneFriendly(c.page, 360);
    await screenshot(c.page, "wechat-import-fixed");

    await confirm.click();
    const done = c.page.getByRole("status").filter({ hasText: "导入完成" });
    await done.waitFor();
    expect(await done.textContent()).toBe(
      "导入完成：新建 4 单；0 单以前导入过，没有重复；1 单未能导入。",
    );
    const refused = c.page.locator(".import-res.refused");
    expect(await refused.textContent()).toContain("刘 12栋1单元101 土鸡蛋10个 西红柿1斤");
    expect(await refused.textContent()).toContain("土鸡蛋每人最多 6个，已经订了 0个");
    await screenshot(c.page, "wechat-import-result");

    // 刘 takes the 6 eggs he may have; imported again, only his line is new.
    await read.getByRole("button", { name: "修改 刘 12栋1单元101" }).click();
    await read.getByLabel("土鸡蛋（个）").fill("6");
    await read.getByRole("button", { name: "保存", exact: true }).click();
    await confirm.click();
    await done.waitFor();
    expect(await done.textContent()).toBe(
      "导入完成：新建 1 单；4 单以前导入过，没有重复；0 单未能导入。",
    );

    // What the server made: marked imported, at the drop points chosen, 老王 as changed.
    const made = await staffEntries(chain.id);
    expect(
      made.map((e) => [e.no, e.name, e.building, e.dropPointId, e.lines.map((l) => l.qty)]),
    ).toEqual([
      [1, "张阿姨", "3-201", north?.id, [2, 1]],
      [2, "老王", "5号楼302", north?.id, [2]],
      [3, "李姐", "7-3-502", north?.id, [2]],
      [4, "赵姐", "8-102", south?.id, [1.5]],
      [5, "刘", "12栋1单元101", north?.id, [6, 1]],
    ]);
    expect(made.every((e) => e.imported && e.addedBy?.name === "王主任")).toBe(true);
    expect(made.some((e) => e.dropPointId === east?.id)).toBe(false);

    // The residents' chain page shows them.
    const r = await phone(browser, { baseUrl: t.baseUrl });
    await r.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await r.page.locator('.chain li[data-no="5"]').waitFor();
    expect(await r.page.locator(".chain li").allTextContents()).toEqual([
      "1. 张阿姨 3-201 西红柿2斤 黄瓜1斤",
      "2. 老王 5号楼302 茄子2斤",
      "3. 李姐 7-3-502 小白菜2把",
      "4. 赵姐 8-102 西红柿1.5斤",
      "5. 刘 12栋1单元101 土鸡蛋6个 西红柿1斤",
    ]);
    await r.context.close();

    // The same text again, on a fresh page: nothing new.
    await c.page.goto(`${t.baseUrl}/admin#import/${chain.id}`);
    await c.page.reload();
    await c.page.getByLabel(/^默认自提点/).selectOption({ label: north?.name ?? "" });
    await paste(c.page, "群里的接龙（粘贴到这里）", text);
    await c.page.getByRole("list", { name: "将导入的订单（4）" }).waitFor();
    await c.page.getByRole("button", { name: `不导入 ${neighbour}` }).click();
    await c.page.getByRole("button", { name: "不导入 赵姐 8-102 西红柿" }).click();
    await c.page.getByRole("button", { name: "确认导入 4 单" }).click();
    const again = c.page.getByRole("status").filter({ hasText: "导入完成" });
    await again.waitFor();
    expect(await again.textContent()).toBe(
      "导入完成：新建 0 单；4 单以前导入过，没有重复；0 单未能导入。",
    );
    // 老王 and 刘 were imported with fixes: they come back as first imported, nothing made or changed.
    for (const who of ["老王", "刘"])
      expect(
        await c.page.locator(".import-res.already").filter({ hasText: who }).textContent(),
      ).toContain("以前导入过");
    expect(await c.page.locator(".import-res.created").count()).toBe(0);
    expect((await staffEntries(chain.id)).map((e) => [e.name, e.lines[0]?.qty])).toEqual([
      ["张阿姨", 2],
      ["老王", 2],
      ["李姐", 2],
      ["赵姐", 1.5],
      ["刘", 6],
    ]);
    await c.context.close();
  });

  it("when the coordinator taps 'copy as WeChat text' on a chain, then the chain's text is on the clipboard", async () => {
    const chain = await postChain(t, w, { title: "河西村周末的菜" });
    await t.http
      .post(`/api/chains/${chain.id}/import`)
      .set(bearer(w.coordinatorToken))
      .send({
        dropPointId: w.dropPoints[0]?.id,
        entries: [
          {
            raw: "张阿姨 3-201 西红柿2斤 黄瓜1斤",
            name: "张阿姨",
            building: "3-201",
            lines: [
              { itemId: "i1", qty: 2 },
              { itemId: "i2", qty: 1 },
            ],
          },
        ],
      })
      .expect(200);
    const expected = (await t.http.get(`/api/chains/${chain.id}/text`).expect(200)).text;
    expect(expected).toContain("1. 张阿姨 3-201 西红柿2斤 黄瓜1斤");

    const c = await withClipboard(browser, {
      baseUrl: t.baseUrl,
      sessionToken: w.coordinatorToken,
    });
    await c.page.goto(`${t.baseUrl}/admin`);
    await c.page.evaluate(() => navigator.clipboard.writeText("nothing yet"));
    const row = c.page.locator(`[data-chain="${chain.id}"]`);
    const copy = row.getByRole("button", { name: "复制接龙文字", exact: true });
    // The chain it copies is named to screen readers too.
    expect(await copy.getAttribute("aria-describedby")).toBe(`chain-title-${chain.id}`);
    await copy.click();
    await row.getByRole("status").filter({ hasText: "接龙文字已复制" }).waitFor();
    expect(await c.page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

    // In English too.
    await c.page.getByRole("button", { name: "English" }).click();
    await row.getByRole("button", { name: "Copy as WeChat text", exact: true }).click();
    await row
      .getByRole("status")
      .filter({ hasText: "Copied: paste it in the WeChat group" })
      .waitFor();

    // The import screen in English, at 360 px: the copied text reads back as what is there.
    await row.getByRole("link", { name: "Import from WeChat", exact: true }).click();
    await c.page.getByRole("heading", { name: "Import a 接龙 from a WeChat group" }).waitFor();
    await c.page.setViewportSize({ width: 360, height: 800 });
    await paste(c.page, "The group's 接龙 (paste here)", `${expected}\n2. 王叔 6-101 黄瓜`);
    await c.page.getByRole("list", { name: "Orders to create (1)" }).waitFor();
    await c.page.getByText("Why: no amount for 黄瓜").waitFor();
    // No default pickup point chosen and none named in the line: 张阿姨's row asks too.
    await c.page.getByText("no pickup point", { exact: true }).waitFor();
    await c.page.getByRole("status").filter({ hasText: "Still to check: 2." }).waitFor();
    await checkPhoneFriendly(c.page, 360);
    await screenshot(c.page, "wechat-import-english");
    await c.context.close();
  });
});
