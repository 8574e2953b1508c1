/** parseChainText, pattern by pattern (variations beyond the fixtures). */
import { describe, expect, it } from "vitest";
import {
  type ChainItemRef,
  type ParsedChain,
  parseChainText,
  reasonOf,
} from "../../shared/wechat/chain-parser.js";

const ITEMS: ChainItemRef[] = [
  { id: "i1", name: "西红柿", unit: "斤" },
  { id: "i2", name: "黄瓜", unit: "斤" },
  { id: "i3", name: "白菜", unit: "斤" },
  { id: "i4", name: "小白菜", unit: "把" },
  { id: "i5", name: "草莓", unit: "kg" },
  { id: "i6", name: "土豆", unit: "3斤" },
  { id: "i7", name: "鸡蛋", unit: "板" },
  { id: "i8", name: "玉米", unit: "根" },
  { id: "i9", name: "粽子", unit: "提" },
  { id: "i10", name: "牛肉", unit: "500g" },
];

/** Entries as [name, building, "item:qty …"], review as [raw, reason]. */
function read(text: string, items: ChainItemRef[] = ITEMS) {
  const parsed: ParsedChain = parseChainText(text, items);
  return {
    entries: parsed.entries.map((entry) => [
      entry.name,
      entry.building,
      entry.lines.map((line) => `${line.item}:${line.qty}`).join(" "),
    ]),
    review: parsed.review.map((line) => [line.raw, line.reason]),
  };
}

/** The lines of a one-entry text, "item:qty …". */
function linesOf(text: string, items: ChainItemRef[] = ITEMS): string {
  const { entries, review } = read(text, items);
  expect(review, text).toEqual([]);
  expect(entries, text).toHaveLength(1);
  return String(entries[0]?.[2]);
}

function reviewed(text: string, items: ChainItemRef[] = ITEMS): string {
  const { entries, review } = read(text, items);
  expect(entries, text).toEqual([]);
  expect(review, text).toHaveLength(1);
  // The English reason is made from the code and its item/unit, which screens word themselves.
  const [line] = parseChainText(text, items).review;
  expect(line && reasonOf(line), text).toBe(line?.reason);
  return String(review[0]?.[1]);
}

describe("parseChainText: quantities", () => {
  it.each([
    ["西红柿2斤", "西红柿:2"],
    ["西红柿两斤", "西红柿:2"],
    ["西红柿二斤", "西红柿:2"],
    ["西红柿十斤", "西红柿:10"],
    ["西红柿半斤", "西红柿:0.5"],
    ["西红柿一斤半", "西红柿:1.5"],
    ["西红柿两斤半", "西红柿:2.5"],
    ["西红柿一斤二两", "西红柿:1.2"],
    ["西红柿1斤2两", "西红柿:1.2"],
    ["西红柿三两", "西红柿:0.3"],
    ["西红柿0.5", "西红柿:0.5"],
    ["西红柿1.5斤", "西红柿:1.5"],
    ["西红柿 2 斤", "西红柿:2"],
    ["西红柿x2", "西红柿:2"],
    ["西红柿X2", "西红柿:2"],
    ["西红柿×2", "西红柿:2"],
    ["西红柿*2", "西红柿:2"],
    ["西红柿 x 2", "西红柿:2"],
    ["西红柿+1", "西红柿:1"],
    ["西红柿2", "西红柿:2"],
    ["西红柿：2斤", "西红柿:2"],
    ["西红柿要2斤", "西红柿:2"],
    ["两斤西红柿", "西红柿:2"],
    ["2斤西红柿 1斤黄瓜", "西红柿:2 黄瓜:1"],
    ["2斤西红柿1斤黄瓜", "西红柿:2 黄瓜:1"],
    ["西红柿、黄瓜各2斤", "西红柿:2 黄瓜:2"],
    ["西红柿2斤、黄瓜1斤", "西红柿:2 黄瓜:1"],
    ["西红柿2斤,黄瓜1斤", "西红柿:2 黄瓜:1"],
    ["玉米6根", "玉米:6"],
    ["玉米六根", "玉米:6"],
    ["玉米一根半", "玉米:1.5"],
    ["粽子2提", "粽子:2"],
  ])("%s", (order, lines) => {
    expect(linesOf(`1. 张阿姨 3-201 ${order}`)).toBe(lines);
  });

  it.each([
    // Spoken: a digit alone after 斤 counts 两.
    ["西红柿一斤五", "西红柿:1.5"],
    ["西红柿两斤二", "西红柿:2.2"],
    ["西红柿一斤五。", "西红柿:1.5"],
    ["西红柿一斤五 黄瓜一斤", "西红柿:1.5 黄瓜:1"],
    ["西红柿两斤一起送", "西红柿:2"],
    ["西红柿2斤多谢", "西红柿:2"],
    // Emoji, brackets and punctuation between an item and its quantity.
    ["西红柿🍅2斤", "西红柿:2"],
    ["西红柿 🍅 2斤", "西红柿:2"],
    ["西红柿（2斤）", "西红柿:2"],
    ["西红柿【2斤】", "西红柿:2"],
    ["西红柿=2斤", "西红柿:2"],
    ["西红柿，2斤", "西红柿:2"],
    // A bare quantity glued to the next item's name.
    ["西红柿2黄瓜1", "西红柿:2 黄瓜:1"],
    ["西红柿+1黄瓜+1", "西红柿:1 黄瓜:1"],
    ["西红柿x2黄瓜x1", "西红柿:2 黄瓜:1"],
    // Remarks after the order.
    ["西红柿2斤，谢谢", "西红柿:2"],
    ["西红柿2斤～辛苦了", "西红柿:2"],
    ["西红柿2斤🙏", "西红柿:2"],
    ["西红柿两斤；黄瓜一斤。谢谢！", "西红柿:2 黄瓜:1"],
    ["西红柿 2，黄瓜 1。", "西红柿:2 黄瓜:1"],
    ["西红柿2斤/黄瓜1斤", "西红柿:2 黄瓜:1"],
    ["西红柿、黄瓜、白菜各1斤", "西红柿:1 黄瓜:1 白菜:1"],
    ["西红柿和黄瓜各1斤", "西红柿:1 黄瓜:1"],
  ])("%s (variations)", (order, lines) => {
    expect(linesOf(`1. 张阿姨 3-201 ${order}`)).toBe(lines);
  });

  it.each([
    ["西红柿一斤五黄瓜一斤", "unclear quantity"],
    ["西红柿2斤 五", "unclear quantity"],
    ["西红柿一斤两", "unclear quantity"],
    ["西红柿2斤多", "unclear quantity"],
    // 十多斤 is "ten-odd": the amount is unclear, not its unit.
    ["西红柿十多斤", "unclear quantity"],
    ["西红柿2大个", "unclear unit"],
  ])("sends a quantity it cannot be sure of to review: %s", (order, reason) => {
    expect(reviewed(`1. 张阿姨 3-201 ${order}`)).toBe(reason);
  });

  it("reads full-width digits and punctuation", () => {
    expect(linesOf("１．王 ３－２０１ 西红柿２斤 黄瓜０．５")).toBe("西红柿:2 黄瓜:0.5");
  });
});

describe("parseChainText: units", () => {
  it.each([
    ["西红柿2", "西红柿:2"],
    ["小白菜2份", "小白菜:2"],
    ["土豆1份", "土豆:1"],
    ["鸡蛋1份", "鸡蛋:1"],
    ["草莓1斤", "草莓:0.5"],
    ["草莓3斤", "草莓:1.5"],
    ["草莓500克", "草莓:0.5"],
    ["草莓500g", "草莓:0.5"],
    ["草莓1公斤", "草莓:1"],
    ["草莓2KG", "草莓:2"],
    ["草莓2千克", "草莓:2"],
    ["西红柿1kg", "西红柿:2"],
    ["西红柿250克", "西红柿:0.5"],
    ["土豆6斤", "土豆:2"],
    ["土豆3斤", "土豆:1"],
    ["牛肉1斤", "牛肉:1"],
    ["牛肉1公斤", "牛肉:2"],
    ["牛肉半斤", "牛肉:0.5"],
    ["牛肉250g", "牛肉:0.5"],
    ["草莓一斤半", "草莓:0.75"],
    ["草莓3两", "草莓:0.15"],
    ["草莓兩公斤", "草莓:2"],
    ["草莓1㎏", "草莓:1"],
    ["西红柿一公斤半", "西红柿:3"],
    ["西红柿750g", "西红柿:1.5"],
    ["土豆 x2", "土豆:2"],
  ])("%s", (order, lines) => {
    expect(linesOf(`1. 王 3-201 ${order}`)).toBe(lines);
  });

  it("sends units that do not convert exactly to review", () => {
    expect(reviewed("1. 王 3-201 土豆2斤")).toBe("斤 does not fit 土豆");
    expect(reviewed("1. 王 3-201 西红柿2个")).toBe("个 does not fit 西红柿");
    expect(reviewed("1. 王 3-201 鸡蛋10个")).toBe("个 does not fit 鸡蛋");
    expect(reviewed("1. 王 3-201 草莓0.5克")).toBe("克 does not fit 草莓");
  });

  it("tells apart one name sold in two units by the unit written", () => {
    const items = [
      { name: "西瓜", unit: "斤" },
      { name: "西瓜", unit: "个" },
    ];
    expect(read("1. 王 3-201 西瓜1个\n2. 李 3-202 西瓜5斤", items).entries).toEqual([
      ["王", "3-201", "西瓜:1"],
      ["李", "3-202", "西瓜:5"],
    ]);
    const parsed = parseChainText("1. 王 3-201 西瓜1个", items);
    expect(parsed.entries[0]?.lines[0]?.itemIndex).toBe(1);
    expect(reviewed("1. 王 3-201 西瓜2", items)).toBe("which 西瓜?");
  });
});

describe("parseChainText: numbers", () => {
  it("keeps duplicate and missing numbers and skips empty numbered lines", () => {
    const text =
      "#接龙\n1. 马 1-101 黄瓜1斤\n2. 罗 1-102 黄瓜2斤\n2. 梁 1-103 黄瓜1斤\n5. 宋 1-104 黄瓜1斤\n6.\n7. ";
    const parsed = parseChainText(text, ITEMS);
    expect(parsed.entries.map((entry) => [entry.no, entry.name])).toEqual([
      [1, "马"],
      [2, "罗"],
      [2, "梁"],
      [5, "宋"],
    ]);
    expect(parsed.review).toEqual([]);
  });

  it.each([
    ["1、王 3-201 西红柿2斤"],
    ["1.王 3-201 西红柿2斤"],
    ["1) 王 3-201 西红柿2斤"],
    ["(1) 王 3-201 西红柿2斤"],
    ["（1）王 3-201 西红柿2斤"],
    ["① 王 3-201 西红柿2斤"],
    ["１．王 3-201 西红柿2斤"],
    ["1。王 3-201 西红柿2斤"],
    ["1：王 3-201 西红柿2斤"],
    ["[1] 王 3-201 西红柿2斤"],
    ["【1】王 3-201 西红柿2斤"],
    ["1️⃣ 王 3-201 西红柿2斤"],
  ])("numbering %s", (text) => {
    expect(parseChainText(text, ITEMS).entries).toMatchObject([
      { no: 1, name: "王", building: "3-201" },
    ]);
  });

  it("keeps the raw text without its number", () => {
    const parsed = parseChainText("12. 张阿姨 3-201 西红柿2斤", ITEMS);
    expect(parsed.entries[0]?.raw).toBe("张阿姨 3-201 西红柿2斤");
  });

  it("gives item ids and indexes when the items have them", () => {
    const parsed = parseChainText("1. 王 3-201 黄瓜1斤", ITEMS);
    expect(parsed.entries[0]?.lines).toEqual([
      { item: "黄瓜", itemIndex: 1, itemId: "i2", qty: 1 },
    ]);
  });
});

describe("parseChainText: a 接龙 typed without list marks", () => {
  it.each([
    "#接龙\n1 王 3-201 西红柿2斤\n2 李 3-202 黄瓜1斤",
    "#接龙\n1，王 3-201 西红柿2斤\n2，李 3-202 黄瓜1斤",
    "#接龙\n王 3-201 西红柿2斤\n李 3-202 黄瓜1斤",
    "#接龙 明天送到3号楼\n王 3-201 西红柿2斤\n李 3-202 黄瓜1斤",
    "#接龙\n例：张三 1-101 西红柿2斤\n王 3-201 西红柿2斤\n李 3-202 黄瓜1斤",
  ])("%s", (text) => {
    expect(read(text)).toEqual({
      entries: [
        ["王", "3-201", "西红柿:2"],
        ["李", "3-202", "黄瓜:1"],
      ],
      review: [],
    });
  });

  it("keeps the bare numbers and never reads 3 号楼 as a number", () => {
    const parsed = parseChainText("接龙\n1 王 3-201 西红柿2斤\n2 李 3-202 黄瓜1斤", ITEMS);
    expect(parsed.entries.map((entry) => [entry.no, entry.name])).toEqual([
      [1, "王"],
      [2, "李"],
    ]);
    // "3 号楼 李" is no entry 3 named 号楼: an order of its own without a building, for review
    // (words before its items: not more of 王's order).
    expect(read("接龙\n1 王 3-201 西红柿2斤\n3 号楼 李 黄瓜1斤")).toEqual({
      entries: [["王", "3-201", "西红柿:2"]],
      review: [["3 号楼 李 黄瓜1斤", "no building"]],
    });
  });

  it("never reads an example line as an order", () => {
    const text = "#接龙\n例 张三 1-101 西红柿2斤\n1. 王 3-201 西红柿2斤";
    expect(read(text)).toEqual({ entries: [["王", "3-201", "西红柿:2"]], review: [] });
  });
});

describe("parseChainText: layout", () => {
  it("reads a flattened paste, all on one line", () => {
    const text =
      "#接龙 明天的菜 1. 王 3-201 西红柿2斤 2. 李 4-101 黄瓜1斤 3. 赵 5-101 鸡蛋1板 白菜0.5";
    expect(read(text).entries).toEqual([
      ["王", "3-201", "西红柿:2"],
      ["李", "4-101", "黄瓜:1"],
      ["赵", "5-101", "鸡蛋:1 白菜:0.5"],
    ]);
  });

  it.each([
    "#接龙 1、王 3-201 西红柿2斤 2、李 4-101 黄瓜1斤",
    "#接龙 ①王 3-201 西红柿2斤 ②李 4-101 黄瓜1斤",
    "#接龙 明天的菜 今晚8点截单 1. 王 3-201 西红柿2斤 2. 李 4-101 黄瓜1斤",
    "#接龙 5.20菜单 1. 王 3-201 西红柿2斤 2. 李 4-101 黄瓜1斤",
    "#接龙 1. 王 3-201 西红柿2斤，2. 李 4-101 黄瓜1斤",
    "#接龙 1. 王 3-201 西红柿2 2. 李 4-101 黄瓜1",
  ])("reads a flattened paste: %s", (text) => {
    expect(read(text).entries).toEqual([
      ["王", "3-201", "西红柿:2"],
      ["李", "4-101", "黄瓜:1"],
    ]);
  });

  it("reads a flattened paste that starts at a later number", () => {
    const text = "#接龙 9. 王 3-201 西红柿2斤 10. 李 4-101 黄瓜1斤 11. 赵 5-101 白菜1斤";
    expect(parseChainText(text, ITEMS).entries.map((entry) => [entry.no, entry.name])).toEqual([
      [9, "王"],
      [10, "李"],
      [11, "赵"],
    ]);
  });

  it("does not split an order at a 、 glued to a quantity (西红柿2、黄瓜1)", () => {
    expect(read("#接龙\n1. 王 3-201 西红柿2、黄瓜1").entries).toEqual([
      ["王", "3-201", "西红柿:2 黄瓜:1"],
    ]);
  });

  it("reads a flattened paste without spaces before the numbers", () => {
    const text = "#接龙1.王 3-201 西红柿2斤2.李 4-101 黄瓜1斤";
    expect(read(text).entries).toEqual([
      ["王", "3-201", "西红柿:2"],
      ["李", "4-101", "黄瓜:1"],
    ]);
  });

  it("reads wrapped lines: a name on one line, the rest on the next", () => {
    const text =
      "1. 张阿姨\n3-201 西红柿2斤\n2. 老王 5号楼302\n茄子 黄瓜3斤\n3.\n李姐 7-3-502 小白菜2把";
    expect(read(text, [...ITEMS, { name: "茄子", unit: "斤" }])).toEqual({
      entries: [
        ["张阿姨", "3-201", "西红柿:2"],
        ["李姐", "7-3-502", "小白菜:2"],
      ],
      review: [["老王 5号楼302 茄子 黄瓜3斤", "no quantity for 茄子"]],
    });
  });

  it("adds a following line of items to the entry before it", () => {
    expect(read("1. 王 3-201 西红柿2斤\n黄瓜1斤").entries).toEqual([
      ["王", "3-201", "西红柿:2 黄瓜:1"],
    ]);
  });

  it("leaves out chatter after the entries and reads an unnumbered entry of its own", () => {
    expect(read("1. 王 3-201 西红柿2斤\n谢谢大家🙏\n李 4-101 黄瓜1斤").entries).toEqual([
      ["王", "3-201", "西红柿:2"],
      ["李", "4-101", "黄瓜:1"],
    ]);
  });

  it("ignores the header, even when it looks like an order", () => {
    const text = "#接龙\n蓝莓 20元/盒 每人限2盒\n例：张三 1-101 西红柿2斤\n\n1. 王 3-201 黄瓜1斤";
    expect(read(text)).toEqual({ entries: [["王", "3-201", "黄瓜:1"]], review: [] });
  });

  it("reads lines without numbers when nothing is numbered", () => {
    expect(read("张阿姨 3-201 西红柿2斤\n老王 5号楼302 黄瓜3斤").entries).toEqual([
      ["张阿姨", "3-201", "西红柿:2"],
      ["老王", "5号楼302", "黄瓜:3"],
    ]);
  });
});

describe("parseChainText: names and buildings", () => {
  it.each([
    "3-201",
    "7-3-502",
    "10-1-301",
    "3-1102",
    "5号楼302",
    "12栋1单元101",
    "13#502",
    "东区8号楼",
    "2号楼",
    "9号楼501",
    "5号楼 302",
    "3幢201",
    "A3-201",
    "B座1203",
    "3-201室",
    "二期5号楼302",
    "3号楼2单元201",
  ])("building %s", (building) => {
    expect(read(`1. 王阿姨 ${building} 西红柿2斤`).entries).toEqual([
      ["王阿姨", building, "西红柿:2"],
    ]);
  });

  it.each([
    "5号楼3单元302",
    "5栋302",
    "5#302",
    "12幢101",
    "东区8号楼302",
    "西区3-201",
    "15-2-1201",
    "8号院",
    "5号楼302室",
    "12栋1单元1101",
  ])("building %s, glued and first", (building) => {
    expect(read(`1. 王阿姨${building}西红柿2斤`).entries).toEqual([
      ["王阿姨", building, "西红柿:2"],
    ]);
    expect(read(`1. ${building} 王阿姨 西红柿2斤`).entries).toEqual([
      ["王阿姨", building, "西红柿:2"],
    ]);
  });

  it.each([
    "1. 张阿姨，3-201，西红柿2斤",
    "1. 张阿姨/3-201/西红柿2斤",
    "1. 张阿姨-3-201-西红柿2斤",
    "1. 张阿姨 3—201 西红柿2斤",
    "1. 3-201张阿姨 西红柿2斤",
  ])("reads the parts with any separator: %s", (text) => {
    expect(read(text).entries).toEqual([["张阿姨", "3-201", "西红柿:2"]]);
  });

  it("normalises full-width buildings to ASCII", () => {
    expect(read("1. 王 ３－２０１ 西红柿2斤").entries[0]?.[1]).toBe("3-201");
  });

  it.each([
    ["🌸花花", "🌸花花"],
    ["Amy", "Amy"],
    ["Amy Chen", "Amy Chen"],
    ["张阿姨😊", "张阿姨😊"],
    ["馬大姐", "馬大姐"],
  ])("name %s", (name, expected) => {
    expect(read(`1. ${name} 6-502 西红柿2斤`).entries[0]?.[0]).toBe(expected);
  });

  it("reads the building first or the items before the building", () => {
    expect(read("1. 3-201 王 西红柿2斤").entries).toEqual([["王", "3-201", "西红柿:2"]]);
    expect(read("1. 王 西红柿2斤 3-201").entries).toEqual([["王", "3-201", "西红柿:2"]]);
  });

  it("reads traditional characters", () => {
    expect(read("#接龍\n1. 陳 3-201 西紅柿兩斤 黃瓜一斤半").entries).toEqual([
      ["陳", "3-201", "西红柿:2 黄瓜:1.5"],
    ]);
  });

  it("lets the longest item name win", () => {
    expect(linesOf("1. 王 3-201 小白菜2把 白菜3斤")).toBe("小白菜:2 白菜:3");
    expect(linesOf("1. 王 3-201 白菜3斤 小白菜2")).toBe("白菜:3 小白菜:2");
  });

  it("matches Latin item names whatever their case", () => {
    const items = [{ name: "Apple", unit: "斤" }];
    expect(linesOf("1. Amy 3-201 apple2斤", items)).toBe("Apple:2");
    expect(linesOf("1. Amy 3-201 APPLE x3", items)).toBe("Apple:3");
  });
});

describe("parseChainText: phone numbers are never quantities", () => {
  it.each([
    "1. 王 13812345678 3-201 西红柿2斤",
    "1. 王 3-201 西红柿2斤 13812345678",
    "1. 王 3-201 西红柿2斤 138 1234 5678",
    "1. 王 3-201 西红柿2斤 138-1234-5678",
    "1. 王 3-201 西红柿2斤 +86 138 1234 5678",
    "1. 王 3-201 西红柿2斤 电话：010-12345678",
    "1. 王 3-201 西红柿2斤 尾号5678",
    "1. 王 电话13812345678 3-201 西红柿2斤",
    "1. 王 手机：13812345678 3-201 西红柿2斤",
    "1. 王 尾号5678 3-201 西红柿2斤",
    "1. 王 tel:13812345678 3-201 西红柿2斤",
    "1. 王 (13812345678) 3-201 西红柿2斤",
    "1. 王 联系方式13812345678 3-201 西红柿2斤",
    "1. 王 3-201 13812345678 西红柿2斤",
    "1. 王 3-201 西红柿2斤13812345678",
  ])("%s", (text) => {
    expect(read(text).entries).toEqual([["王", "3-201", "西红柿:2"]]);
  });

  it("sends an item followed only by a phone number to review", () => {
    expect(reviewed("1. 王 3-201 西红柿 13812345678")).toBe("no quantity for 西红柿");
  });
});

describe("parseChainText: money, times and notes in an entry are not quantities", () => {
  it.each([
    "1. 王 3-201 西红柿2斤 共6元",
    "1. 王 3-201 西红柿2斤 ¥6",
    "1. 王 3-201 西红柿2斤 明早8点自提",
    "1. 王 3-201 西红柿2斤 8:30取",
    "1. 王 3-201 西红柿2斤（已付）",
    "1. 王 3-201 西红柿 2斤 备注：要熟一点的",
  ])("%s", (text) => {
    expect(read(text).entries).toEqual([["王", "3-201", "西红柿:2"]]);
  });

  it("does not read a sum of money as a quantity", () => {
    expect(reviewed("1. 王 3-201 西红柿6元")).toBe("no quantity for 西红柿");
  });

  it("reads 块 as a unit where an item is sold by it", () => {
    expect(linesOf("1. 王 3-201 豆腐2块", [{ name: "豆腐", unit: "块" }])).toBe("豆腐:2");
  });

  it("reads more layouts of one entry", () => {
    expect(read("1.张阿姨3-201西红柿2斤").entries).toEqual([["张阿姨", "3-201", "西红柿:2"]]);
    expect(read("1. 张阿姨（3-201）西红柿2斤").entries).toEqual([["张阿姨", "3-201", "西红柿:2"]]);
    expect(linesOf("1. 王 3-201 西红柿✖️2")).toBe("西红柿:2");
    expect(linesOf("1. 王 3-201 西红柿2斤半")).toBe("西红柿:2.5");
    expect(linesOf("1. 王 3-201 西红柿2斤+黄瓜1斤")).toBe("西红柿:2 黄瓜:1");
    expect(linesOf("1. 王 3-201 1斤西红柿2斤黄瓜")).toBe("西红柿:1 黄瓜:2");
  });
});

describe("parseChainText: single-item chains", () => {
  const ONE = [{ name: "蓝莓", unit: "盒" }];

  it.each([
    ["1. 老周 8-201 1盒", "蓝莓:1"],
    ["1. 老周 8-201 +1", "蓝莓:1"],
    ["1. 老周 8-201 x2", "蓝莓:2"],
    ["1. 老周 8-201 2", "蓝莓:2"],
    ["1. 老周 8-201 两盒", "蓝莓:2"],
    ["1. 老周 8-201 2份", "蓝莓:2"],
    ["1. 8-201 老周 2盒", "蓝莓:2"],
    ["1. 老周 8-201 ×2", "蓝莓:2"],
    ["1. 老周 8-201 *2", "蓝莓:2"],
    ["1. 老周 8-201 ＋1", "蓝莓:1"],
    ["1. 老周 8-201 一份", "蓝莓:1"],
    ["1. 老周 8-201 要一盒", "蓝莓:1"],
    ["1. 老周 8-201 来两盒", "蓝莓:2"],
    ["1. 老周 8-201 +1 谢谢", "蓝莓:1"],
    ["1. 老周 8-201 +1🙏", "蓝莓:1"],
    ["1. 老周 8-201 2盒～", "蓝莓:2"],
    ["1. 老周 8-201 1盒（已付）", "蓝莓:1"],
    ["1. 老周 8-201 13812345678 +1", "蓝莓:1"],
    ["1. 老周 8-201 蓝莓2盒", "蓝莓:2"],
  ])("%s", (text, lines) => {
    expect(linesOf(text, ONE)).toBe(lines);
  });

  it("does not order the only item from a line without a quantity", () => {
    expect(reviewed("1. 老周 8-201 谢谢", ONE)).toBe("no item");
  });
});

describe("parseChainText: never guess", () => {
  it.each([
    ["1. 钱的邻居 2-303 有豆腐吗", "no item"],
    ["1. 王 3-201 豆腐1块", "unknown item"],
    // An amount of something the chain does not sell: the item is what is unknown.
    ["1. 王 3-201 西红柿2斤 豆腐1块", "unknown item"],
    ["1. 王 3-201 西红柿", "no quantity for 西红柿"],
    ["1. 王 3-201 西红柿2大个", "unclear unit"],
    ["1. 王 3-201 西红柿2-3斤", "unclear quantity"],
    ["1. 王 3-201 西红柿2斤 西红柿1斤", "西红柿 named twice"],
    ["1. 王 西红柿2斤", "no building"],
    ["1. 3-201 西红柿2斤", "no name"],
    ["1. 王 3-201 西红柿0斤", "unclear quantity"],
    ["1. 王 3-201 西红柿99999999999斤", "unclear quantity"],
    ["1. 王 3-201 西红柿0.0001斤", "unclear quantity"],
    [
      "1. 一个名字长得超过了二十四个字的人一个名字长得超过了二十四个字的人 3-201 西红柿2斤",
      "name too long",
    ],
  ])("%s → %s", (text, reason) => {
    expect(reviewed(text)).toBe(reason);
  });

  it("keeps the raw text (without its number) of every line it sends to review", () => {
    const text = "#接龙\n1. 钱 2-302 西红柿2斤\n2. 钱的邻居 2-303 有豆腐吗\n3. 许 4-101 黄瓜3斤";
    expect(parseChainText(text, ITEMS).review).toEqual([
      {
        no: 2,
        raw: "钱的邻居 2-303 有豆腐吗",
        code: "no_item",
        reason: "no item",
        // What was understood, for a person's row to come prefilled.
        name: "钱的邻居",
        building: "2-303",
      },
    ]);
  });

  it("reads nothing from a text without entries or without items", () => {
    expect(parseChainText("", ITEMS)).toEqual({ entries: [], review: [] });
    expect(parseChainText("#接龙\n明天的菜", ITEMS)).toEqual({ entries: [], review: [] });
    expect(read("1. 王 3-201 西红柿2斤", []).review).toEqual([
      ["王 3-201 西红柿2斤", "unknown item"],
    ]);
  });
});
