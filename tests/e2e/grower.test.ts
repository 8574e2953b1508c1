import type { Browser, Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addDaysToDate, dateIn, zonedTime } from "../../shared/dates.js";
import type { ChainSnapshot } from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  invite,
  ok,
  postChain,
  requestId,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { browserWorld, phone, screenshot } from "./browser.js";

/** Buttons, links and text fields in the page's main area that are smaller than a fingertip. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const tap = 44;
    const small: string[] = [];
    const targets = document.querySelectorAll<HTMLElement>(
      "main button, main a, main input:not([type=checkbox]):not([type=radio]), main textarea, main label.choice",
    );
    for (const el of targets) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown
      if (box.height < tap - 0.5)
        small.push(`${el.tagName} "${el.textContent?.trim()}" ${box.height}`);
    }
    return small;
  });
}

/** Every form field in main has a label. */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>("main input, main textarea, main select")]
      .filter((el) => el.labels === null || el.labels.length === 0)
      .map((el) => el.id || el.outerHTML),
  );
}

async function fillItem(
  page: Page,
  n: number,
  item: {
    name: string;
    unit?: string;
    price: string;
    stock?: string;
    limit?: string;
    half?: boolean;
  },
): Promise<Locator> {
  const group = page.getByRole("group", { name: `第 ${n} 样菜`, exact: true });
  await group.getByLabel("菜名").fill(item.name);
  if (item.unit) await group.getByRole("button", { name: item.unit, exact: true }).click();
  await group.getByLabel(/^单价/).fill(item.price);
  if (item.stock) await group.getByLabel("库存（选填）").fill(item.stock);
  if (item.half) await group.getByRole("button", { name: /^0\.5/ }).click();
  if (item.limit) await group.getByLabel("每人限购（选填）").fill(item.limit);
  return group;
}

/** A phone whose waits fail well before the test's own timeout, naming what was awaited. */
async function growerPhone(...args: Parameters<typeof phone>) {
  const p = await phone(...args);
  p.page.setDefaultTimeout(10_000);
  return p;
}

describe("growers in a real browser", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  const chainOf = async (id: string) =>
    ((await t.http.get(`/api/chains/${id}`).expect(200)).body as ChainSnapshot).chain;

  it("when a grower accepts an invite and posts a listing with three items, then the chain page shows it", async () => {
    const inv = await t.http
      .post(`/api/communities/${w.communityId}/invites`)
      .set(bearer(w.coordinatorToken))
      .send({ role: "grower" })
      .expect(201);
    const g = await growerPhone(browser, { baseUrl: t.baseUrl });
    await g.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: t.baseUrl,
    });

    // Not signed in yet: the page says plainly how to get in.
    await g.page.goto(`${t.baseUrl}/g`);
    await g.page.getByText("请打开团长发给您的邀请链接").waitFor();

    // The invite link, in the browser.
    await g.page.goto(`${t.baseUrl}/join?token=${inv.body.token}`);
    await g.page.getByLabel("您的名字").fill("王大哥");
    await g.page.getByLabel("手机号").fill("13500006666");
    await g.page.getByLabel("村子 / 合作社（种植户填写）").fill("山后村");
    await g.page.getByRole("button", { name: "确定" }).click();
    await g.page.getByRole("link", { name: "去发布今天的菜" }).click();
    await g.page.waitForURL(`${t.baseUrl}/g`);
    await g.page.getByRole("heading", { name: "发布今天的菜" }).waitFor();
    await g.page.getByText("王大哥，您好 · 山后村").waitFor();
    // A first listing: nothing to repeat; title, dates and every drop point come filled in.
    expect(await g.page.getByRole("button", { name: /照上次/ }).count()).toBe(0);
    expect(await g.page.getByLabel("标题（居民看到的名字）").inputValue()).toBe("山后村新鲜蔬菜");
    expect(await g.page.getByLabel("送货日期").inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await g.page.getByLabel("截单时间").inputValue()).toMatch(/^\d{2}:\d{2}$/);
    for (const dp of w.dropPoints) expect(await g.page.getByLabel(dp.name).isChecked()).toBe(true);

    await fillItem(g.page, 1, {
      name: "西红柿",
      price: "3.5",
      stock: "100",
      half: true,
      limit: "5",
    });
    await g.page.getByRole("button", { name: "＋ 再加一样菜" }).click();
    await fillItem(g.page, 2, { name: "小青菜", unit: "把", price: "2" });
    await g.page.getByRole("button", { name: "＋ 再加一样菜" }).click();
    await fillItem(g.page, 3, { name: "土鸡蛋", unit: "盒", price: "25", stock: "20", limit: "2" });
    // This time not to the south gate.
    await g.page.getByLabel("南门岗亭").uncheck();

    // 360 px wide: nothing sticks out sideways; every field is labelled; taps are big enough.
    await g.page.setViewportSize({ width: 360, height: 800 });
    expect(await g.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    expect(await unlabelled(g.page)).toEqual([]);
    expect(await smallTargets(g.page)).toEqual([]);
    await g.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(g.page, "grower-post");

    await g.page.getByRole("button", { name: "发布接龙", exact: true }).click();
    await g.page.getByText("发布成功！").waitFor();
    const chainId = new URL(g.page.url()).searchParams.get("chain") ?? "";
    expect(chainId).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);

    // What the server got: exact fen, the step, stock and limits, two drop points.
    const chain = await chainOf(chainId);
    expect(chain.grower).toMatchObject({ name: "王大哥", village: "山后村" });
    expect(chain.title).toBe("山后村新鲜蔬菜");
    expect(
      chain.items.map(({ name, unit, priceFen, step, stock, limit }) => ({
        name,
        unit,
        priceFen,
        step,
        stock,
        limit,
      })),
    ).toEqual([
      { name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, stock: 100, limit: 5 },
      { name: "小青菜", unit: "把", priceFen: 200, step: 1, stock: null, limit: null },
      { name: "土鸡蛋", unit: "盒", priceFen: 2500, step: 1, stock: 20, limit: 2 },
    ]);
    expect(chain.dropPoints.map((d) => d.name)).toEqual(["3号楼东门", "7号楼北门"]);
    expect(chain.cutoffAt).toBeGreaterThan(Date.now());
    expect(chain.status).toBe("open");

    // Share: the link, its QR code, and the chain as text, all copied for real.
    const link = `${t.baseUrl}/c/${chainId}`;
    expect(await g.page.getByLabel("接龙链接", { exact: true }).inputValue()).toBe(link);
    await g.page.getByRole("img", { name: /二维码/ }).waitFor();
    await g.page.getByRole("button", { name: "复制链接" }).click();
    await g.page.getByText("链接已复制").waitFor();
    expect(await g.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await g.page.getByRole("button", { name: "复制接龙文字" }).click();
    await g.page.getByText("接龙文字已复制").waitFor();
    const text = await g.page.evaluate(() => navigator.clipboard.readText());
    expect(text).toContain("山后村新鲜蔬菜");
    expect(text).toContain("西红柿 ¥3.50/斤");
    expect(text).toContain("土鸡蛋 ¥25/盒");
    expect(text).toContain(link);
    await screenshot(g.page, "grower-share");

    // The residents' chain page shows the three items.
    const r = await growerPhone(browser, { baseUrl: t.baseUrl });
    await r.page.goto(link);
    await r.page.getByRole("heading", { name: "山后村新鲜蔬菜" }).waitFor();
    const items = r.page.locator(".items li");
    expect(await items.count()).toBe(3);
    expect(await items.allTextContents()).toEqual([
      expect.stringMatching(/^西红柿 ¥3\.50\/斤.*剩 100斤 · 每人限 5斤/),
      expect.stringMatching(/^小青菜 ¥2\/把/),
      expect.stringMatching(/^土鸡蛋 ¥25\/盒.*剩 20盒 · 每人限 2盒/),
    ]);
    expect(await r.page.getByText("王大哥 · 山后村").count()).toBe(1);

    // The grower stays signed in on this phone.
    await g.page.goto(`${t.baseUrl}/g?view=mine`);
    await g.page.getByRole("button", { name: /山后村新鲜蔬菜/ }).waitFor();
    await g.context.close();
    await r.context.close();
  });

  it("when a grower taps 'repeat last listing', then last time's items, prices and drop points are filled in, ready to adjust", async () => {
    const grower = await invite(t, w.communityId, w.coordinatorToken, "grower", "刘婶");
    const [east, north] = w.dropPoints;
    const first = await postChain(
      t,
      w,
      {
        title: "刘婶的土鸡蛋和青菜",
        note: "自家散养",
        dropPointIds: [north?.id ?? "", east?.id ?? ""],
        items: [
          { name: "土鸡蛋", unit: "盒", priceFen: 2800, stock: 30, limit: 3 },
          { name: "菠菜", unit: "斤", priceFen: 450, step: 0.5 },
        ],
      },
      grower.token,
    );
    const g = await growerPhone(browser, { baseUrl: t.baseUrl, sessionToken: grower.token });
    await g.page.goto(`${t.baseUrl}/g`);
    // Drop points default to last time's even before repeating.
    await g.page.getByText("和上次一样").waitFor();
    expect(await g.page.getByLabel("南门岗亭").isChecked()).toBe(false);
    expect(await g.page.getByLabel("3号楼东门").isChecked()).toBe(true);

    // A wrong price is refused in plain words, and nothing is posted.
    await fillItem(g.page, 1, { name: "白菜", price: "三块" });
    await g.page.getByRole("button", { name: "发布接龙", exact: true }).click();
    expect(await g.page.getByRole("alert").textContent()).toBe("第 1 样菜：单价请填数字，如 3.5");

    await g.page.getByRole("button", { name: /照上次的再发一次/ }).click();
    await g.page.getByText("已照上次填好").waitFor();
    const egg = g.page.getByRole("group", { name: "第 1 样菜", exact: true });
    const spinach = g.page.getByRole("group", { name: "第 2 样菜", exact: true });
    expect(await g.page.getByRole("group", { name: "第 3 样菜", exact: true }).count()).toBe(0);
    expect(await egg.getByLabel("菜名").inputValue()).toBe("土鸡蛋");
    expect(await egg.getByLabel("单位", { exact: true }).inputValue()).toBe("盒");
    expect(await egg.getByLabel(/^单价/).inputValue()).toBe("28");
    expect(await egg.getByLabel("库存（选填）").inputValue()).toBe("30");
    expect(await egg.getByLabel("每人限购（选填）").inputValue()).toBe("3");
    expect(await spinach.getByLabel(/^单价/).inputValue()).toBe("4.5");
    expect(
      await spinach.getByRole("button", { name: /^0\.5斤/ }).getAttribute("aria-pressed"),
    ).toBe("true");
    expect(await g.page.getByLabel("标题（居民看到的名字）").inputValue()).toBe(
      "刘婶的土鸡蛋和青菜",
    );
    // Ready to adjust: the first price has the focus.
    expect(
      await g.page.evaluate(
        () => document.activeElement?.closest("fieldset")?.querySelector("legend")?.textContent,
      ),
    ).toBe("第 1 样菜");

    // Adjust a price (0.29 → 29 fen, no float drift) and the stock, then one tap posts it.
    await egg.getByLabel(/^单价/).fill("29.9");
    await egg.getByLabel("库存（选填）").fill("40");
    await spinach.getByLabel(/^单价/).fill("0.29");
    await g.page.getByRole("button", { name: "发布接龙", exact: true }).click();
    await g.page.getByText("发布成功！").waitFor();
    const secondId = new URL(g.page.url()).searchParams.get("chain") ?? "";
    expect(secondId).not.toBe(first.id);
    const second = await chainOf(secondId);
    expect(second.title).toBe("刘婶的土鸡蛋和青菜");
    expect(second.note).toBe("自家散养");
    expect(second.dropPoints.map((d) => d.name)).toEqual(["3号楼东门", "7号楼北门"]);
    expect(second.items.map((i) => [i.name, i.unit, i.priceFen, i.step, i.stock, i.limit])).toEqual(
      [
        ["土鸡蛋", "盒", 2990, 1, 40, 3],
        ["菠菜", "斤", 29, 0.5, null, null],
      ],
    );

    // My listings: both, today's and tomorrow's first.
    await g.page.getByRole("link", { name: /我的接龙/ }).click();
    await g.page.getByRole("heading", { name: "我的接龙" }).waitFor();
    expect(await g.page.locator(".g-chain").count()).toBe(2);
    await screenshot(g.page, "grower-my-listings");
    await g.context.close();
  });

  it("when a resident joins, then the grower's harvest and load totals change without a reload; the grower changes price and stock, and closes early", async () => {
    const chain = await postChain(t, w);
    const g = await growerPhone(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    // From /g, the listing under way is one tap away, above the posting form.
    await g.page.goto(`${t.baseUrl}/g`);
    const current = g.page.getByRole("region", {
      name: "正在进行的接龙：点开看订单、采摘单、装车单",
    });
    await current.getByRole("button", { name: new RegExp(chain.title) }).click();
    await g.page.waitForURL(`${t.baseUrl}/g?chain=${chain.id}`);
    const tomato = g.page.locator('.g-table tr[data-item="i1"]');
    await tomato.waitFor();
    // A later visit is for the lists: the harvest list comes before the share box.
    const order = await g.page
      .locator("#g-harvest-title, #g-share-title")
      .evaluateAll((hs) => hs.map((h) => h.id));
    expect(order).toEqual(["g-harvest-title", "g-share-title"]);
    expect(await tomato.textContent()).toBe("西红柿0斤¥0");
    await g.page.getByText("0 单 · 合计 ¥0").waitFor();
    // Watching the chain's room (the badge shows once it is).
    await g.page.locator(".g-live").getByText("实时更新").waitFor();
    // Marks this very document: a reload would lose it.
    await g.page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });

    const resident = await client(t);
    const [east] = w.dropPoints;
    ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: east?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [
          { itemId: "i1", qty: 2.5 },
          { itemId: "i3", qty: 1 },
        ],
      }),
    );
    await g.page.getByText("1 单 · 合计 ¥33.75").waitFor();
    expect(await tomato.textContent()).toBe("西红柿2.5斤¥8.75");
    const eastRow = g.page.locator(`.g-load li[data-drop-point="${east?.id}"]`);
    expect(await eastRow.textContent()).toContain("1 袋 · ¥33.75");
    expect(await eastRow.textContent()).toContain("西红柿 2.5斤，土鸡蛋 1盒");
    await g.page.getByText("1. 张阿姨 3-201 西红柿2.5斤 土鸡蛋1盒").waitFor();
    // And again: a second resident, at another drop point.
    const [, north] = w.dropPoints;
    ok(
      await call(await client(t), "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: north?.id ?? "",
        name: "李叔",
        building: "12-502",
        lines: [{ itemId: "i2", qty: 3 }],
      }),
    );
    await g.page.getByText("2 单 · 合计 ¥39.75").waitFor();
    expect(
      await g.page.locator(`.g-load li[data-drop-point="${north?.id}"]`).textContent(),
    ).toContain("1 袋 · ¥6黄瓜 3斤");
    expect(await g.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // The text for the WeChat group carries the chain so far, numbered as WeChat 接龙 is.
    await g.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.baseUrl });
    await g.page.getByRole("button", { name: "复制接龙文字" }).click();
    const text = await g.page.evaluate(() => navigator.clipboard.readText());
    expect(text).toMatch(/^#接龙 河西村新鲜蔬菜\n/);
    expect(text).toContain(`${t.baseUrl}/c/${chain.id}`);
    expect(text.split("\n").slice(-2)).toEqual([
      "1. 张阿姨 3-201 西红柿2.5斤 土鸡蛋1盒",
      "2. 李叔 12-502 黄瓜3斤",
    ]);
    expect(await smallTargets(g.page)).toEqual([]);
    await screenshot(g.page, "grower-chain-totals");

    // Change a price and a stock.
    await g.page.getByLabel("黄瓜 单价（元）").fill("2.3");
    await g.page.getByLabel("土鸡蛋 库存（空着 = 不限）").fill("30");
    await g.page.getByRole("button", { name: "保存修改" }).click();
    await g.page.getByText("已保存").waitFor();
    let now = await chainOf(chain.id);
    expect(now.items.map((i) => [i.priceFen, i.stock])).toEqual([
      [350, 100],
      [230, null],
      [2500, 30],
    ]);
    // Stock below what is sold is refused in plain words.
    await g.page.getByLabel("土鸡蛋 库存（空着 = 不限）").fill("0");
    await g.page.getByRole("button", { name: "保存修改" }).click();
    expect(await g.page.getByRole("alert").textContent()).toContain("库存不能少于已卖出的数量");

    // Close early, with a confirm step.
    await g.page.getByRole("button", { name: "提前截单" }).click();
    await g.page.getByText("确定现在截单吗？").waitFor();
    expect((await chainOf(chain.id)).status).toBe("open");
    await g.page.getByRole("button", { name: "确定截单" }).click();
    await g.page.getByText("已截单。").waitFor();
    now = await chainOf(chain.id);
    expect([now.status, now.closedReason]).toEqual(["closed", "grower"]);
    await g.page.getByText("已提前截单").waitFor();
    await g.context.close();
  });

  it("when 20:00 the evening before delivery has passed, a later cutoff is filled in and said", async () => {
    // The phone's clock at the next 21:10 in the community's time zone.
    const { timezone } = (
      await t.http.get(`/api/communities/${w.communityId}`).set(bearer(w.coordinatorToken))
    ).body as { timezone: string };
    let today = dateIn(timezone);
    let at = zonedTime(today, 21, 10, timezone);
    if (at < Date.now()) {
      today = addDaysToDate(today, 1);
      at = zonedTime(today, 21, 10, timezone);
    }
    const tomorrow = addDaysToDate(today, 1);
    const g = await growerPhone(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    await g.page.clock.setFixedTime(at);
    await g.page.goto(`${t.baseUrl}/g`);
    await g.page.getByText("前一天晚上 8 点已经过了，截单时间改成了").waitFor();
    expect(await g.page.getByLabel("截单时间").inputValue()).toBe("22:30");
    expect(await g.page.getByLabel("截单日期").inputValue()).toBe(today);
    expect(await g.page.getByLabel("送货日期").inputValue()).toBe(tomorrow);
    await g.context.close();
  });

  it("works in English too, and says plainly when not signed in", async () => {
    const chain = await postChain(t, w);
    const out = await growerPhone(browser, { baseUrl: t.baseUrl, lang: "en" });
    await out.page.goto(`${t.baseUrl}/g`);
    await out.page.getByText("Please open the invite link your organiser sent you").waitFor();
    await out.context.close();

    const g = await growerPhone(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    await g.page.goto(`${t.baseUrl}/g`);
    await g.page.getByRole("heading", { name: "发布今天的菜" }).waitFor();
    await g.page.getByRole("button", { name: "English" }).click();
    await g.page.getByRole("heading", { name: "Post today's produce" }).waitFor();
    expect(await g.page.evaluate(() => document.documentElement.lang)).toBe("en");
    await g.page.getByRole("button", { name: "Repeat my last listing" }).click();
    const first = g.page.getByRole("group", { name: "Item 1", exact: true });
    expect(await first.getByLabel("Name").inputValue()).toBe("西红柿");
    expect(await first.getByLabel("Price (¥ per 斤)").inputValue()).toBe("3.5");
    await screenshot(g.page, "grower-post-english");
    // Elder mode at 360 px: bigger, and still nothing sticks out sideways.
    await g.page.setViewportSize({ width: 360, height: 800 });
    await g.page.getByRole("button", { name: "Large text" }).click();
    expect(await g.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    expect(await smallTargets(g.page)).toEqual([]);
    await g.page.getByRole("button", { name: "Normal text" }).click();

    // The choice is remembered on the device.
    await g.page.goto(`${t.baseUrl}/g?chain=${chain.id}`);
    await g.page.getByRole("heading", { name: "Harvest list (total of each item)" }).waitFor();
    await g.page.getByRole("button", { name: "Copy link" }).waitFor();
    await g.page.getByText("0 orders · total ¥0").waitFor();
    await g.context.close();
  });
});
