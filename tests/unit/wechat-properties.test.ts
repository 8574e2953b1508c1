/**
 * Both parsers on arbitrary text: they never throw, never return NaN, negative or zero prices or
 * quantities, and never an item or entry without a name. Arbitrary strings alone rarely look like
 * a price post, so the texts are also built from the pieces real posts are made of.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../shared/limits.js";
import { toMilli } from "../../shared/quantity.js";
import {
  type ChainItemRef,
  type ParsedChain,
  parseChainText,
  UNEXPECTED,
} from "../../shared/wechat/chain-parser.js";
import { type ParsedListing, parseListing } from "../../shared/wechat/listing-parser.js";

const PIECES = [
  "西红柿",
  "黄瓜",
  "白菜",
  "小白菜",
  "蓝莓",
  "Apple",
  "🍅",
  "🌸",
  "👨‍👩‍👧",
  "1️⃣",
  "①",
  "(2)",
  "3.",
  "4、",
  "元",
  "块",
  "毛",
  "角",
  "钱",
  "¥",
  "￥",
  "/",
  "一",
  "两",
  "兩",
  "半",
  "十",
  "百",
  "千",
  "零",
  "斤",
  "公斤",
  "kg",
  "克",
  "g",
  "个",
  "把",
  "盒",
  "份",
  "提",
  "3斤",
  "500g",
  "每",
  "每人",
  "每样",
  "限",
  "限购",
  "限量",
  "共",
  "约",
  "仅剩",
  "x",
  "×",
  "*",
  "+",
  "0",
  "1",
  "2",
  "5",
  "0.5",
  ".",
  "..",
  "-",
  "#",
  "号楼",
  "栋",
  "单元",
  "东区",
  "3-201",
  "7-3-502",
  "13#502",
  "13812345678",
  "尾号",
  "99999999999999999999",
  "1e309",
  "NaN",
  "-1",
  "-3元",
  "0元",
  "（",
  "）",
  "(",
  ")",
  "【",
  "】",
  "：",
  ":",
  "、",
  "，",
  " ",
  "  ",
  "\n",
  "\r\n",
  "\t",
  "\u3000",
  "\u200b",
  "\ufeff",
  "\u0000",
  "#接龙",
  "接龍",
  "张阿姨",
  "老王",
];

const pieceText = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 40 })
  .map((parts) => parts.join(""));
const anyText = fc.oneof(
  pieceText,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
);

const itemsArb: fc.Arbitrary<ChainItemRef[]> = fc.array(
  fc.record({
    id: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
    name: fc.oneof(
      fc.constantFrom("西红柿", "黄瓜", "白菜", "小白菜", "蓝莓", "Apple", "", " "),
      fc.string({ maxLength: 5 }),
    ),
    unit: fc.oneof(
      fc.constantFrom("斤", "kg", "个", "3斤", "500g", "份", "提", ""),
      fc.string({ maxLength: 3 }),
    ),
  }),
  { maxLength: 6 },
);

function isPositiveFinite(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

function checkListing(listing: ParsedListing): void {
  for (const item of listing.items) {
    expect(item.name.trim().length, JSON.stringify(item)).toBeGreaterThan(0);
    expect(/\p{L}/u.test(item.name)).toBe(true);
    expect(Number.isInteger(item.priceFen) && item.priceFen >= 1).toBe(true);
    expect(item.priceFen).toBeLessThanOrEqual(LIMITS.priceMaxFen);
    expect(item.unit.trim().length).toBeGreaterThan(0);
    if (item.stock !== undefined) expect(isPositiveFinite(item.stock)).toBe(true);
    if (item.perPersonLimit !== undefined) {
      expect(isPositiveFinite(item.perPersonLimit)).toBe(true);
      expect(item.perPersonLimit).toBeLessThanOrEqual(LIMITS.qtyMax);
    }
  }
  for (const note of listing.notes) expect(note.trim().length).toBeGreaterThan(0);
}

function checkChain(parsed: ParsedChain, items: ChainItemRef[]): void {
  for (const entry of parsed.entries) {
    expect(entry.name.trim().length, JSON.stringify(entry)).toBeGreaterThan(0);
    expect(entry.building.trim().length).toBeGreaterThan(0);
    expect(entry.lines.length).toBeGreaterThan(0);
    for (const line of entry.lines) {
      expect(isPositiveFinite(line.qty), JSON.stringify(line)).toBe(true);
      expect(line.qty).toBeLessThanOrEqual(LIMITS.qtyMax);
      expect(toMilli(line.qty)).not.toBeNull();
      expect(items[line.itemIndex]?.name).toBe(line.item);
      expect(line.item.trim().length).toBeGreaterThan(0);
    }
  }
  for (const line of parsed.review) {
    expect(line.reason).not.toBe(UNEXPECTED);
    expect(line.raw.length).toBeGreaterThan(0);
  }
}

describe("parseListing on arbitrary text", () => {
  it("never throws and returns only named items with positive, finite numbers", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        checkListing(parseListing(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("handles huge numbers and long input without throwing", () => {
    checkListing(parseListing(`西红柿 ${"9".repeat(400)}元/斤 限量${"9".repeat(400)}斤`));
    checkListing(parseListing("西红柿 3元/斤 ".repeat(5000)));
    checkListing(parseListing("🍅".repeat(20_000)));
    expect(parseListing("西红柿 1e309元/斤").items.every((item) => item.priceFen < 1e6)).toBe(true);
  });
});

describe("parseChainText on arbitrary text", () => {
  it("never throws and returns only named entries with positive, exact quantities", () => {
    fc.assert(
      fc.property(anyText, itemsArb, (text, items) => {
        checkChain(parseChainText(text, items), items);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads numbered pieces of orders without a reader error", () => {
    const items = [
      { name: "西红柿", unit: "斤" },
      { name: "小白菜", unit: "把" },
      { name: "蓝莓", unit: "kg" },
    ];
    const entryText = fc
      .array(fc.constantFrom(...PIECES), { maxLength: 12 })
      .map((parts) => parts.join(" "));
    fc.assert(
      fc.property(fc.array(entryText, { maxLength: 8 }), (lines) => {
        const text = lines.map((line, k) => `${k + 1}. ${line}`).join("\n");
        checkChain(parseChainText(text, items), items);
      }),
      { numRuns: 1000 },
    );
  });

  it("handles huge numbers and long input without throwing", () => {
    const items = [{ name: "西红柿", unit: "斤" }];
    checkChain(parseChainText(`1. 王 3-201 西红柿${"9".repeat(400)}斤`, items), items);
    const long = Array.from({ length: 3000 }, (_, k) => `${k + 1}. 王 3-201 西红柿2斤`).join("\n");
    expect(parseChainText(long, items).entries).toHaveLength(3000);
    checkChain(parseChainText(`1. 王 3-201\n${"西红柿\n".repeat(5000)}`, items), items);
    checkChain(parseChainText("1".repeat(50_000), items), items);
  });

  it("survives items that are not what the types say", () => {
    const odd = [
      null,
      { name: 3, unit: "斤" },
      { name: "西红柿", unit: "斤" },
    ] as unknown as ChainItemRef[];
    expect(parseChainText("1. 王 3-201 西红柿2斤", odd).entries[0]?.lines[0]?.itemIndex).toBe(2);
    expect(parseChainText("1. 王 3-201 西红柿2斤", null as unknown as ChainItemRef[])).toEqual({
      entries: [],
      review: [],
    });
  });
});
