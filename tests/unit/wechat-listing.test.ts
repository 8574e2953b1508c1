/** parseListing, pattern by pattern (variations beyond the fixtures). */
import { describe, expect, it } from "vitest";
import { type ListingItem, parseListing } from "../../shared/wechat/listing-parser.js";

/** The one item a one-line post reads to. */
function only(text: string): ListingItem {
  const { items } = parseListing(text);
  expect(items, text).toHaveLength(1);
  const [item] = items;
  if (!item) throw new Error(`no item in ${text}`);
  return item;
}

function priceOf(text: string): [number, string] {
  const item = only(text);
  return [item.priceFen, item.unit];
}

describe("parseListing: prices in every common form", () => {
  it.each([
    ["西红柿 3元/斤", 300, "斤"],
    ["黄瓜 2.5元一斤", 250, "斤"],
    ["西葫芦 两块一斤", 200, "斤"],
    ["菠菜 三块钱一斤", 300, "斤"],
    ["玉米 一块五一根", 150, "根"],
    ["葱 5毛一根", 50, "根"],
    ["香菜 8角/两", 80, "两"],
    ["豆腐 1元5角/块", 150, "块"],
    ["苹果 两毛五一个", 25, "个"],
    ["辣椒 ¥3.00/斤", 300, "斤"],
    ["青椒 ￥３．５/斤", 350, "斤"],
    ["白菜 每斤3元", 300, "斤"],
    ["萝卜 一斤4块", 400, "斤"],
    ["洋葱 一斤两块五", 250, "斤"],
    ["土豆 1.8一斤", 180, "斤"],
    ["大蒜 1.8/斤", 180, "斤"],
    ["生姜 8块钱一斤", 800, "斤"],
    ["西瓜 1元2角/斤", 120, "斤"],
    ["哈密瓜 十五元一个", 1500, "个"],
    ["榴莲 一百二十元/个", 12000, "个"],
    ["芒果 3元每斤", 300, "斤"],
    ["黄瓜 1块5/斤", 150, "斤"],
    ["韭菜 3 元 / 斤", 300, "斤"],
  ])("%s", (text, fen, unit) => {
    expect(priceOf(text)).toEqual([fen, unit]);
  });

  it.each([
    // 块 then 毛: one sum (1.5 元), not one 块 for 5 毛.
    ["玉米 一块五毛一根", 150, "根"],
    ["玉米 1块5毛一根", 150, "根"],
    ["玉米 一块五毛钱/根", 150, "根"],
    ["西红柿 两块八毛一斤", 280, "斤"],
    ["豆腐 一块2元", 200, "块"],
    // A bare number after "one unit" is its price; a word after it is not.
    ["西红柿 一斤3.5", 350, "斤"],
    ["西红柿 一斤 3.5", 350, "斤"],
    ["西红柿 每斤3.5", 350, "斤"],
    ["黄瓜 1块5/斤", 150, "斤"],
    // 一 before a counter word that is not in the list: "one 筒", not 1 角.
    ["豆芽 5元一筒", 500, "筒"],
    ["豆芽 每筒5元", 500, "筒"],
    ["豆芽 5元每筒", 500, "筒"],
    ["西红柿 两块一", 210, "份"],
    ["西红柿 一块一毛一斤", 110, "斤"],
    ["西红柿 5元一捆", 500, "捆"],
  ])("%s (spoken sums and other counter words)", (text, fen, unit) => {
    expect(priceOf(text)).toEqual([fen, unit]);
  });

  it("does not read a count after a unit as a price (一斤3个)", () => {
    expect(only("苹果 一斤3个 5元")).toMatchObject({ priceFen: 500, unit: "份" });
  });

  it.each([
    ["3元/斤 西红柿", 300, "斤"],
    ["¥3/斤 西红柿", 300, "斤"],
    ["两块一斤 西红柿", 200, "斤"],
    ["每斤3元 西红柿", 300, "斤"],
    ["3元一斤的西红柿", 300, "斤"],
    ["3元/斤：西红柿", 300, "斤"],
    ["1. 3元/斤 西红柿", 300, "斤"],
    ["6元/500g 排骨", 600, "500g"],
  ])("reads the name after a price that starts the line: %s", (text, fen, unit) => {
    expect(only(text)).toMatchObject({ priceFen: fen, unit });
    expect(only(text).name).toMatch(/^(西红柿|排骨)$/u);
  });

  it("pairs each price with the name after it on a line that starts with a price", () => {
    for (const text of ["3元/斤 西红柿 2元/斤 黄瓜", "3元/斤的西红柿，2元/斤的黄瓜"]) {
      expect(
        parseListing(text).items.map((item) => [item.name, item.priceFen]),
        text,
      ).toEqual([
        ["西红柿", 300],
        ["黄瓜", 200],
      ]);
    }
  });

  it.each(["10元一份，先到先得", "20元以上送货上门", "5元起送", "30元包邮"])(
    "does not take a word after a price as a name when it is a condition: %s",
    (text) => {
      expect(parseListing(text).items).toEqual([]);
    },
  );

  it.each([
    ["黄瓜 原价3元 现价2元/斤", 200, "斤", "原价3元"],
    ["西红柿 市场价5元 团购价3元/斤", 300, "斤", "市场价5元"],
    ["西红柿 原价5元/斤 现在只要3元/斤", 300, "斤", "原价5元/斤"],
    ["西红柿 3元/斤（原价5元）", 300, "斤", "原价5元"],
    ["西红柿 3元/斤 超市卖5元", 300, "斤", "超市卖5元"],
  ])("keeps a price it costs elsewhere as a description: %s", (text, fen, unit, aside) => {
    const item = only(text);
    expect(item).toMatchObject({ priceFen: fen, unit });
    expect(item.name).toMatch(/^(黄瓜|西红柿)$/u);
    expect(item.description).toContain(aside);
  });

  it.each([
    "西红柿 团购价：3元/斤",
    "西红柿 价格：3元/斤",
    "西红柿 单价3元/斤",
    "西红柿 售价3元/斤",
    "西红柿 特价3元/斤",
    "西红柿 只要3元/斤",
  ])("leaves a price label out of the name: %s", (text) => {
    expect(only(text)).toMatchObject({ name: "西红柿", priceFen: 300, unit: "斤" });
  });

  it("gives a price without a unit the generic unit 份", () => {
    expect(priceOf("香菜 8角")).toEqual([80, "份"]);
  });

  it("refuses prices that are not whole fen or are zero", () => {
    expect(parseListing("西红柿 3.005元/斤").items).toEqual([]);
    expect(parseListing("西红柿 0元/斤").items).toEqual([]);
    expect(parseListing("西红柿 99999999999元/斤").items).toEqual([]);
  });
});

describe("parseListing: units and bundles", () => {
  it.each([
    ["土豆 10元3斤", "3斤", 1000],
    ["土豆 10元/3斤", "3斤", 1000],
    ["排骨 6元/500g", "500g", 600],
    ["土豆 10元两斤", "2斤", 1000],
    ["土豆 3斤10元", "3斤", 1000],
    ["玉米 5元3根", "3根", 500],
    ["鸡蛋 30个45元", "30个", 4500],
    ["小葱 3元1斤", "斤", 300],
    ["牛肉 40元半斤", "半斤", 4000],
    ["西红柿 10元三斤半", "3.5斤", 1000],
    ["西红柿 10元3斤半", "3.5斤", 1000],
    ["西红柿 10块钱3斤", "3斤", 1000],
    ["西红柿 五块钱三斤", "3斤", 500],
    ["大米 50元5斤装", "5斤", 5000],
    ["鸡蛋 45元30枚", "30枚", 4500],
    ["蘋果 15元/30個", "30个", 1500],
  ])("%s → unit %s", (text, unit, fen) => {
    expect(priceOf(text)).toEqual([fen, unit]);
  });

  it.each([
    ["草莓 25元/kg", "kg"],
    ["草莓 25元/KG", "kg"],
    ["猪肉 28元/公斤", "公斤"],
    ["花椒 2元/克", "克"],
    ["香菜 1元/两", "两"],
    ["小白菜 2元一把", "把"],
    ["鸡蛋 1.5元/个", "个"],
    ["玉米 2元/根", "根"],
    ["娃娃菜 3元/颗", "颗"],
    ["蓝莓 20元/盒", "盒"],
    ["鸡蛋 15元/板", "板"],
    ["套餐 25元/份", "份"],
    ["土鸡 80元/只", "只"],
    ["大蒜 2元/头", "头"],
    ["苹果 80元/箱", "箱"],
    ["大米 50元/袋", "袋"],
    ["蜂蜜 68元/瓶", "瓶"],
    ["粽子 30元/提", "提"],
    ["豆芽 3元/筒", "筒"],
    ["西瓜 5元一头", "头"],
    ["西瓜 每箱80元", "箱"],
    ["香菜 8角一两", "两"],
    ["草莓 25块一公斤", "公斤"],
    ["草莓 25元/千克", "千克"],
    ["草莓 25元/㎏", "kg"],
    ["西红柿 3元/市斤", "市斤"],
  ])("%s → %s", (text, unit) => {
    expect(only(text).unit).toBe(unit);
  });
});

describe("parseListing: stock and limits", () => {
  it.each([
    ["新土豆 1.8元/斤 限量100斤", 100],
    ["甜玉米 2元/根 共60根", 60],
    ["西红柿 3元/斤 只有20斤", 20],
    ["西红柿 3元/斤 仅剩10斤", 10],
    ["新土豆 ¥1.8/斤（限量100斤）", 100],
    ["鸡蛋 ¥1.5/个 库存200个", 200],
    ["草莓 25元/kg 限量100斤", 50],
  ])("%s → stock %d", (text, stock) => {
    expect(only(text).stock).toBe(stock);
  });

  it.each([
    ["西红柿 3元/斤 限量：100斤", 100],
    ["西红柿 3元/斤 限量一百斤", 100],
    ["西红柿 3元/斤【限量100斤】", 100],
    ["西红柿 3元/斤，共六十斤", 60],
    ["西红柿 3元/斤 只有二十斤了", 20],
    ["西红柿 3元/斤 仅剩10斤！", 10],
    ["西红柿 3元/斤 仅剩5公斤", 10],
    ["西红柿 仅剩10斤 3元/斤", 10],
    ["西红柿（仅剩10斤）3元/斤", 10],
    ["土豆 10元3斤 限量30斤", 10],
    ["蘋果 5元/斤 僅剩10斤", 10],
    ["土鸡 80元一只 只有5只", 5],
  ])("%s → stock %d (variations)", (text, stock) => {
    expect(only(text).stock).toBe(stock);
  });

  it("does not take an approximate amount (共约3斤) or another unit as stock", () => {
    expect(only("A套餐 25元/份(青菜+番茄+黄瓜 共约3斤)").stock).toBeUndefined();
    expect(only("蓝莓 20元/盒 共30斤").stock).toBeUndefined();
  });

  it.each([
    ["蓝莓 20元/盒 每人限2盒", 2],
    ["西红柿 3元/斤 每户限10斤", 10],
    ["西红柿 3元/斤 每人每样限购5斤", 5],
    ["西红柿 3元/斤 限购5斤", 5],
    ["蓝莓 20元/盒 每人最多3盒", 3],
    ["蓝莓 20元/盒 每人限2", 2],
    ["草莓 25元/kg 每人限2斤", 1],
  ])("%s → limit %d", (text, limit) => {
    expect(only(text).perPersonLimit).toBe(limit);
  });

  it.each([
    ["蓝莓 20元/盒 每人只能买2盒", 2],
    ["蓝莓 20元/盒 每人限定2盒", 2],
    ["蓝莓 20元/盒 每人最多可买2盒", 2],
    ["蓝莓 20元/盒 每人最多买两盒", 2],
    ["蓝莓 20元/盒（每人限2盒）", 2],
    ["蓝莓 20元/盒，每人限：2盒", 2],
    ["蓝莓 20元/盒 一人限2盒", 2],
    ["蓝莓 20元/盒 每户限购2盒", 2],
    ["西红柿 3元/斤 每户限十斤", 10],
    ["西红柿 3元/斤 每人每种限购5斤", 5],
    ["西红柿 3元/斤 限购2公斤", 4],
    ["蘋果 5元/斤 每人限購2斤", 2],
  ])("%s → limit %d (variations)", (text, limit) => {
    expect(only(text).perPersonLimit).toBe(limit);
  });

  it("applies every phrase of a limit line to the item it names (限量100斤，每人限5斤)", () => {
    const { items } = parseListing("西红柿 3元/斤\n黄瓜 2元/斤\n西红柿限量100斤，每人限5斤");
    expect(items.map((item) => [item.stock, item.perPersonLimit])).toEqual([
      [100, 5],
      [undefined, undefined],
    ]);
  });

  it.each([
    "西红柿每人限3斤",
    "西红柿 每人限购3斤",
    "西红柿：每人限购3斤",
    "每人限购西红柿3斤",
    "注：西红柿每人限3斤",
    "🍅西红柿每户限三斤",
  ])("reads a limit line naming one item: %s", (line) => {
    const { items } = parseListing(`西红柿 3元/斤\n黄瓜 2元/斤\n${line}`);
    expect(items.map((item) => item.perPersonLimit)).toEqual([3, undefined]);
  });

  it("applies a limit line that names no item to every item it fits", () => {
    const { items, notes } = parseListing(
      "豆角 4元/斤\n青椒 3.5元/斤\n蓝莓 20元/盒\n每人每样限购5斤",
    );
    expect(items.map((item) => item.perPersonLimit)).toEqual([5, 5, undefined]);
    expect(notes).toEqual(["每人每样限购5斤"]);
  });

  it("applies a limit line that names items to those items only", () => {
    const text = "西红柿 3元/斤\n黄瓜 2元/斤\n茄子 3元/斤\n西红柿每人限购3斤\n黄瓜 每人限2斤";
    const { items } = parseListing(text);
    expect(items.map((item) => item.perPersonLimit)).toEqual([3, 2, undefined]);
  });

  it("reads a limit line listing items with their amounts, before the items too", () => {
    const { items } = parseListing("限购：西红柿3斤 黄瓜2斤\n西红柿 3元/斤\n黄瓜 2元/斤");
    expect(items.map((item) => item.perPersonLimit)).toEqual([3, 2]);
  });

  it("lets an item's own limit win over a limit for everything", () => {
    const { items } = parseListing("蓝莓 20元/盒 每人限2盒\n草莓 30元/盒\n每人每样限5盒");
    expect(items.map((item) => item.perPersonLimit)).toEqual([2, 5]);
  });

  it("keeps a limit line for one item apart from a limit line for every item after it", () => {
    const { items } = parseListing("西红柿 3元/斤\n黄瓜 2元/斤\n西红柿每人限购3斤\n每户限10斤");
    expect(items.map((item) => item.perPersonLimit)).toEqual([3, 10]);
  });

  it("reads 限购2盒/人 and 每样限2盒 on an item line", () => {
    expect(only("蓝莓 20元/盒 限购2盒/人")).toEqual({
      name: "蓝莓",
      priceFen: 2000,
      unit: "盒",
      perPersonLimit: 2,
    });
    const { items } = parseListing("蓝莓 20元/盒 每样限2盒\n草莓 30元/盒");
    expect(items.map((item) => item.perPersonLimit)).toEqual([2, 2]);
  });

  it("reads a stock phrase between the name and the price", () => {
    expect(only("西红柿 还有20斤 3元/斤")).toEqual({
      name: "西红柿",
      priceFen: 300,
      unit: "斤",
      stock: 20,
    });
  });

  it("reads a stock line that names an item", () => {
    const { items } = parseListing("西红柿 3元/斤\n黄瓜 2元/斤\n黄瓜共50斤");
    expect(items.map((item) => item.stock)).toEqual([undefined, 50]);
  });
});

describe("parseListing: numbering", () => {
  it.each([
    "1. 西红柿 3元/斤",
    "1.西红柿 3元/斤",
    "1、西红柿 3元/斤",
    "①西红柿 3元/斤",
    "(1) 西红柿 3元/斤",
    "（1）西红柿 3元/斤",
    "1) 西红柿 3元/斤",
    "1️⃣西红柿 3元/斤",
    "⑴ 西红柿 3元/斤",
    "1。西红柿 3元/斤",
    "1，西红柿 3元/斤",
    "1：西红柿 3元/斤",
    "1．西红柿 3元/斤",
    "❶ 西红柿 3元/斤",
    "✨ 1. 西红柿 3元/斤",
  ])("%s", (text) => {
    expect(only(text)).toMatchObject({ name: "西红柿", priceFen: 300, unit: "斤" });
  });

  it("reads numbered items on one line", () => {
    const { items } = parseListing("① 西红柿 3元/斤 ② 黄瓜 2元/斤 (3)茄子 4元/斤");
    expect(items.map((item) => item.name)).toEqual(["西红柿", "黄瓜", "茄子"]);
  });
});

describe("parseListing: layout", () => {
  it("leaves emoji out of names", () => {
    const { items } = parseListing(
      "🍉 西瓜 1.2元/斤\n🌽甜玉米 2元/根\n🥬 小白菜 2元/把 🥒 黄瓜 3元/斤 🔥",
    );
    expect(items.map((item) => item.name)).toEqual(["西瓜", "甜玉米", "小白菜", "黄瓜"]);
    expect(items.every((item) => item.description === undefined)).toBe(true);
  });

  it("keeps bracketed words as the description, not in the name", () => {
    const { items } = parseListing(
      "圣女果 8元/盒(约1斤)\n新鲜草莓（奶油草莓）25元/盒\n【特价】西红柿 3元/斤\n鸭蛋 2元/个 [咸鸭蛋]",
    );
    expect(items.map((item) => [item.name, item.description])).toEqual([
      ["圣女果", "约1斤"],
      ["新鲜草莓", "奶油草莓"],
      ["西红柿", "特价"],
      ["鸭蛋", "咸鸭蛋"],
    ]);
  });

  it.each(["【西红柿】3元/斤", "「西红柿」3元/斤", "1. 【西红柿】 3元/斤", "🍅【西红柿】3元/斤"])(
    "reads a name that is all in brackets: %s",
    (text) => {
      expect(only(text)).toEqual({ name: "西红柿", priceFen: 300, unit: "斤" });
    },
  );

  it("reads bracketed names of several items on one line, but not a tag as a name", () => {
    const { items } = parseListing("【西红柿】3元/斤 【黄瓜】2元/斤");
    expect(items.map((item) => [item.name, item.priceFen, item.description])).toEqual([
      ["西红柿", 300, undefined],
      ["黄瓜", 200, undefined],
    ]);
    expect(parseListing("【特价】3元/斤").items).toEqual([]);
  });

  it.each([
    "※西红柿 3元/斤",
    "★西红柿 3元/斤",
    "◆西红柿：3元/斤",
    "西红柿 → 3元/斤",
    "西红柿>>3元/斤",
    "西红柿 -- 3元/斤",
    "西红柿 | 3元/斤",
    "西红柿 ➡️ 3元/斤",
    "西红柿🍅🍅 3元/斤",
    "西红柿～3元/斤",
    "西红柿……3元/斤",
    "西红柿 = 3元/斤",
  ])("leaves marks at the edges out of the name: %s", (text) => {
    expect(only(text)).toMatchObject({ name: "西红柿", priceFen: 300, unit: "斤" });
  });

  it.each([
    ["西红柿 3斤 10元", "3斤"],
    ["西红柿 5斤装 20元", "5斤装"],
    ["西红柿 2斤/份 5元", "2斤/份"],
  ])("keeps an amount between the name and the price out of the name: %s", (text, aside) => {
    expect(only(text)).toMatchObject({ name: "西红柿", unit: "份", description: aside });
  });

  it("keeps a second price for more (a tier) with the item, not as an item", () => {
    expect(parseListing("西红柿3元一斤，5斤以上2.5元").items).toEqual([
      { name: "西红柿", priceFen: 300, unit: "斤", description: "5斤以上2.5元" },
    ]);
    expect(parseListing("西红柿 3元/斤 5斤10元").items).toEqual([
      { name: "西红柿", priceFen: 300, unit: "斤", description: "5斤10元" },
    ]);
  });

  it("leaves list bullets and dot leaders out of names", () => {
    const { items } = parseListing("· 西红柿 3元/斤\n• 黄瓜 2元/斤\n- 茄子 3元/斤\n* 豆角……4元/斤");
    expect(items.map((item) => [item.name, item.description])).toEqual([
      ["西红柿", undefined],
      ["黄瓜", undefined],
      ["茄子", undefined],
      ["豆角", undefined],
    ]);
  });

  it("keeps words after the price as the description", () => {
    expect(only("西瓜 1.2元/斤 整个卖")).toMatchObject({ name: "西瓜", description: "整个卖" });
  });

  it("reads several items on one line, with any separator", () => {
    for (const text of [
      "白菜1.5元/斤、萝卜1元/斤、芹菜2元/斤",
      "白菜 1.5元/斤 萝卜 1元/斤 芹菜 2元/斤",
      "白菜1.5元/斤，萝卜1元/斤；芹菜2元/斤",
      "明日供应：白菜1.5元/斤 | 萝卜1元/斤 | 芹菜2元/斤",
      "白菜每斤1.5元 萝卜每斤1元 芹菜每斤2元",
      "白菜一块五一斤，萝卜一块一斤，芹菜两块一斤",
      "🥬白菜1.5元/斤🥕萝卜1元/斤🌿芹菜2元/斤",
      "①白菜1.5元/斤②萝卜1元/斤③芹菜2元/斤",
      "1.白菜1.5元/斤 2.萝卜1元/斤 3.芹菜2元/斤",
      "白菜1.5/斤 萝卜1/斤 芹菜2/斤",
      "白菜 ¥1.5/斤；萝卜 ¥1/斤；芹菜 ¥2/斤。",
      "白菜1块5一斤 萝卜1块一斤 芹菜2块一斤",
    ]) {
      const { items } = parseListing(text);
      expect(
        items.map((item) => [item.name, item.priceFen]),
        text,
      ).toEqual([
        ["白菜", 150],
        ["萝卜", 100],
        ["芹菜", 200],
      ]);
    }
  });

  it("keeps a stock after one item on a line with the item before the next name", () => {
    const { items } = parseListing("西红柿 3元/斤 限量100斤 黄瓜 2元/斤 仅剩10斤");
    expect(items.map((item) => [item.name, item.stock])).toEqual([
      ["西红柿", 100],
      ["黄瓜", 10],
    ]);
  });

  it("reads the name after a colon and a Latin name with its spaces", () => {
    expect(only("1. 西红柿：3元一斤").name).toBe("西红柿");
    expect(only("Green Apple 5元/斤").name).toBe("Green Apple");
    expect(only("A套餐 25元/份").name).toBe("A套餐");
  });

  it("keeps traditional characters in names but reads their numbers", () => {
    expect(only("蘿蔔 兩塊一斤")).toMatchObject({ name: "蘿蔔", priceFen: 200, unit: "斤" });
  });

  it("keeps header, cutoff and delivery lines as notes, not items", () => {
    const text = [
      "【惠民直通车】明天(周六)的菜,今晚8点截单👇",
      "西红柿 3元/斤",
      "截单时间：今晚九点",
      "明早7点半到各小区点位，自带袋子",
      "满50元免配送费",
      "配送费5元",
      "运费：5元/单",
      "明天上午10点到，12点前取",
      "跑腿费1元/户",
      "不满20元加收2元配送费",
      "全场3元一斤",
      "统一价3元/斤",
    ].join("\n");
    const { items, notes } = parseListing(text);
    expect(items.map((item) => item.name)).toEqual(["西红柿"]);
    expect(notes).toEqual([
      "【惠民直通车】明天(周六)的菜,今晚8点截单👇",
      "截单时间：今晚九点",
      "明早7点半到各小区点位，自带袋子",
      "满50元免配送费",
      "配送费5元",
      "运费：5元/单",
      "明天上午10点到，12点前取",
      "跑腿费1元/户",
      "不满20元加收2元配送费",
      "全场3元一斤",
      "统一价3元/斤",
    ]);
  });

  it("reads Windows line ends and blank lines", () => {
    const { items, notes } = parseListing("西红柿 3元/斤\r\n\r\n黄瓜 2元/斤\r\n");
    expect(items.map((item) => item.name)).toEqual(["西红柿", "黄瓜"]);
    expect(notes).toEqual([]);
  });

  it("returns nothing for empty or non-text input", () => {
    expect(parseListing("")).toEqual({ items: [], notes: [], review: [] });
    expect(parseListing(undefined as unknown as string)).toEqual({
      items: [],
      notes: [],
      review: [],
    });
  });
});

describe("parseListing: words before a name (round 2)", () => {
  it.each([
    ["今天黄瓜 2元/斤", "黄瓜"],
    ["今日西红柿 3元/斤", "西红柿"],
    ["明天菠菜 4元/斤", "菠菜"],
    ["明天的豆角 5元/斤", "豆角"],
    ["明天有菠菜 4元/斤", "菠菜"],
    ["今天 西红柿 3元/斤", "西红柿"],
    ["11月29日 西红柿 3元/斤", "西红柿"],
    ["5月20日黄瓜2元/斤", "黄瓜"],
    ["12月1号茄子3元/斤", "茄子"],
    ["2024年11月29日西红柿 3元/斤", "西红柿"],
    ["十一月二十九日 黄瓜 2元/斤", "黄瓜"],
    ["11.29 西红柿 3元/斤", "西红柿"],
    ["11/30 黄瓜 2元/斤", "黄瓜"],
    ["周六的豆角 4元/斤", "豆角"],
    ["星期天的黄瓜 2元/斤", "黄瓜"],
    ["週六的番茄 3元/斤", "番茄"],
    ["還有南瓜 1.5元/斤", "南瓜"],
    ["还有红薯 2元/斤", "红薯"],
    ["另外还有南瓜 1.5元/斤", "南瓜"],
    ["1. 今天现摘黄瓜 3元/斤", "现摘黄瓜"],
  ])("leaves time and 'also' words out of the name: %s", (text, name) => {
    const item = only(text);
    expect(item.name).toBe(name);
    // Dropped, not kept as the description.
    expect(item.description).toBeUndefined();
  });

  it("keeps a bracket after a time word as the description (今天（周六）茄子)", () => {
    expect(only("今天（周六）茄子 3元/斤")).toMatchObject({ name: "茄子", description: "周六" });
  });

  it.each([
    ["刚摘的豆角 5元/斤", "豆角", "刚摘的"],
    ["自家种的丝瓜 3元/根", "丝瓜", "自家种的"],
    ["今天早上刚摘的黄瓜 2元/斤", "黄瓜", "早上刚摘的"],
    ["新到的芒果 8元/斤", "芒果", "新到的"],
    ["明天到货的荔枝 15元/斤", "荔枝", "到货的"],
    ["今日特价西红柿 2元/斤", "西红柿", "特价"],
  ])("keeps a describing lead-in as the description: %s", (text, name, description) => {
    expect(only(text)).toMatchObject({ name, description });
  });

  it.each([
    "土鸡蛋 1.5元/个",
    "农家土鸡蛋 1.5元/个",
    "新鲜菠菜 4元/斤",
    "现摘玉米 2元/根",
    "有机菠菜 6元/斤",
    "六月黄 50元/只",
    "五月桃 8元/斤",
    "明虾 50元/斤",
    "周黑鸭 30元/盒",
    "8424西瓜 3元/斤",
  ])("keeps words that are part of a product's name: %s", (text) => {
    expect(only(text).name).toBe(text.split(" ")[0]);
  });

  it("reads an emoji after a lead-in as where the name starts, and joins a name across one", () => {
    expect(only("明天🍅西红柿 3元/斤")).toEqual({ name: "西红柿", priceFen: 300, unit: "斤" });
    expect(only("11月29日🍅西红柿 3元/斤").name).toBe("西红柿");
    expect(only("自家种的🥒黄瓜 2元/斤")).toMatchObject({ name: "黄瓜", description: "自家种的" });
    expect(only("新鲜🥬菠菜 4元/斤").name).toBe("新鲜菠菜");
  });

  it("keeps 散卖 and 零卖 in a name but not a 卖 that says 'sells at'", () => {
    expect(only("西红柿散卖 3元/斤").name).toBe("西红柿散卖");
    expect(only("西红柿卖3元一斤").name).toBe("西红柿");
  });

  it("leaves lead-ins out of every name on a line, and 有机 in", () => {
    const { items } = parseListing("今天黄瓜2元/斤 今天茄子3元/斤；今天有机菠菜6元/斤");
    expect(items.map((item) => item.name)).toEqual(["黄瓜", "茄子", "有机菠菜"]);
  });

  it.each([
    ["西红柿今天3元一斤", "西红柿"],
    ["黄瓜今日特价2元/斤", "黄瓜"],
    ["西瓜一口价10元/个", "西瓜"],
    ["苹果批发价4元/斤", "苹果"],
    ["葡萄会员价8元/斤", "葡萄"],
    ["西红柿卖3元一斤", "西红柿"],
    ["黄瓜才2块一斤", "黄瓜"],
  ])("leaves words between the name and its price out of the name: %s", (text, name) => {
    expect(only(text).name).toBe(name);
  });

  it("starts the first name after a sentence (西瓜到了！)", () => {
    expect(only("第2批西瓜到了！8424西瓜 3元/斤").name).toBe("8424西瓜");
    expect(only("大家好。西红柿 3元/斤").name).toBe("西红柿");
    expect(only("西红柿！ 3元/斤").name).toBe("西红柿");
  });
});

describe("parseListing: more prices (round 2)", () => {
  it.each([
    ["香菜 一两一块", 100, "两"],
    ["小葱 1两一块", 100, "两"],
    ["牛肉 四十五一斤", 4500, "斤"],
    ["猪肉 十五一斤", 1500, "斤"],
    ["黄瓜 2 块 一 斤", 200, "斤"],
    ["八角 10元/两", 1000, "两"],
    ["八角10元/两", 1000, "两"],
    ["三角粽 10元/个", 1000, "个"],
    ["香菜 八角", 80, "份"],
    ["葡萄 500g/10元", 1000, "500g"],
    ["西红柿 3斤 / 10元", 1000, "3斤"],
    ["西红柿 一斤/4元", 400, "斤"],
  ])("%s", (text, fen, unit) => {
    expect(priceOf(text)).toEqual([fen, unit]);
  });

  it("does not read a spoken number that is a quantity as a price (二十一斤)", () => {
    expect(parseListing("西红柿 二十一斤").items).toEqual([]);
  });

  it("reads 八角 as a name between other items", () => {
    const { items } = parseListing("花椒 8元/两 八角 10元/两 桂皮 6元/两");
    expect(items.map((item) => [item.name, item.priceFen])).toEqual([
      ["花椒", 800],
      ["八角", 1000],
      ["桂皮", 600],
    ]);
  });

  it("gives every name before a shared price (都是, 均为) an item", () => {
    const { items } = parseListing(
      "西红柿、黄瓜、茄子都是3元/斤\n豆角，青椒均为4元一斤 每人限5斤\n西红柿和黄瓜都是3元一斤，茄子2元/斤",
    );
    expect(items.map((item) => [item.name, item.priceFen, item.perPersonLimit])).toEqual([
      ["西红柿", 300, undefined],
      ["黄瓜", 300, undefined],
      ["茄子", 300, undefined],
      ["豆角", 400, 5],
      ["青椒", 400, 5],
      ["西红柿", 300, undefined],
      ["黄瓜", 300, undefined],
      ["茄子", 200, undefined],
    ]);
    expect(items.every((item) => item.description === undefined)).toBe(true);
  });

  it.each([
    "今天的菜都是3元一斤",
    "以下蔬菜一律2元/斤",
    "所有水果均价5元/斤",
    "所有蔬菜、水果都是3元",
    "各位邻居，今天的菜3元一斤起",
  ])("does not take a price for all the produce as an item: %s", (text) => {
    expect(parseListing(text).items).toEqual([]);
  });

  it.each([
    "满30元免配送费，不满加收3元",
    "送货上门加2元",
    "快递10元一单",
    "送货上楼5元/次",
    "代收2元/单",
    "邮费5元",
    "3元/斤 谢谢",
    "3元/斤 先到先得",
  ])("does not take a fee or a closing as an item: %s", (text) => {
    expect(parseListing(text).items).toEqual([]);
  });
});

describe("parseListing: stock and limits (round 2)", () => {
  it.each([
    ["草莓 30元/盒 每人限量2盒", 2],
    ["樱桃 50元/斤 限每人2斤", 2],
    ["蓝莓 20元/盒 一人一盒", 1],
    ["荔枝 15元/斤 每户最多买3斤", 3],
  ])("%s → limit %d", (text, limit) => {
    const item = only(text);
    expect(item.perPersonLimit).toBe(limit);
    expect(item.stock).toBeUndefined();
  });

  it("does not keep a particle left by a stock phrase as the description (只剩8斤了)", () => {
    expect(only("冬笋 15元/斤 只剩8斤了")).toEqual({
      name: "冬笋",
      priceFen: 1500,
      unit: "斤",
      stock: 8,
    });
  });

  it("reads a limit line that names an item by the end of its name (鸡蛋 for 土鸡蛋)", () => {
    const { items } = parseListing(
      "西红柿 3元/斤\n土鸡蛋 1.5元/个\n红富士苹果 6元/斤\n限购：每人西红柿最多5斤，鸡蛋最多20个\n苹果限量100斤",
    );
    expect(items.map((item) => [item.name, item.stock, item.perPersonLimit])).toEqual([
      ["西红柿", undefined, 5],
      ["土鸡蛋", undefined, 20],
      ["红富士苹果", 100, undefined],
    ]);
  });

  it("lets the full name win over the end of another name (白菜 where 小白菜 is sold too)", () => {
    const { items } = parseListing("白菜 1元/斤\n小白菜 2元/把\n白菜限量100斤");
    expect(items.map((item) => item.stock)).toEqual([100, undefined]);
  });

  it("does not name an item by an end that two items share (白菜 of 小白菜 and 大白菜)", () => {
    const { items } = parseListing("小白菜 2元/斤\n大白菜 1元/斤\n白菜每人限5斤");
    expect(items.map((item) => item.perPersonLimit)).toEqual([5, 5]);
  });

  it("reads a stock line listing items with their amounts", () => {
    for (const line of ["库存：西红柿50斤 黄瓜30斤", "限量：西红柿50斤，黄瓜30斤"]) {
      const { items } = parseListing(`西红柿 3元/斤\n黄瓜 2元/斤\n${line}`);
      expect(
        items.map((item) => [item.stock, item.perPersonLimit]),
        line,
      ).toEqual([
        [50, undefined],
        [30, undefined],
      ]);
    }
  });
});

describe("parseListing: a name on one line, its price on the next", () => {
  it("reads the price line with the name line before it", () => {
    const { items, notes } = parseListing(
      "今天的菜：\n1.西红柿\n3元/斤 限量50斤\n\n2.🥒黄瓜\n¥2/斤\n黄瓜（顶花带刺）\n两块一斤",
    );
    expect(items).toEqual([
      { name: "西红柿", priceFen: 300, unit: "斤", stock: 50 },
      { name: "黄瓜", priceFen: 200, unit: "斤" },
      { name: "黄瓜", priceFen: 200, unit: "斤", description: "顶花带刺" },
    ]);
    expect(notes).toEqual(["今天的菜："]);
  });

  it.each([
    "今天的菜：\n3元/斤",
    "各位好\n3元/斤 限量50斤",
    "今晚8点截单\n3元/斤",
    "3号楼东门自提\n3元/斤",
    "明天下午送到\n3元/斤",
  ])("does not take a header or a note for a name: %j", (text) => {
    expect(parseListing(text).items).toEqual([]);
  });
});
