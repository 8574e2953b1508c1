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

/**
 * What is wrong with a reading, one line per fault (checked plainly and asserted once: thousands
 * of readings with thousands of items each would cost more in assertions than in reading).
 */
function listingFaults(listing: ParsedListing): string[] {
  const faults: string[] = [];
  const fault = (ok: boolean, what: string, about: unknown) => {
    if (!ok) faults.push(`${what}: ${JSON.stringify(about)}`);
  };
  for (const item of listing.items) {
    fault(item.name.trim().length > 0 && /\p{L}/u.test(item.name), "no name", item);
    fault(Number.isInteger(item.priceFen) && item.priceFen >= 1, "price not whole fen", item);
    fault(item.priceFen <= LIMITS.priceMaxFen, "price too high", item);
    fault(item.unit.trim().length > 0, "no unit", item);
    if (item.stock !== undefined) fault(isPositiveFinite(item.stock), "stock", item);
    if (item.perPersonLimit !== undefined) {
      fault(isPositiveFinite(item.perPersonLimit), "limit", item);
      fault(item.perPersonLimit <= LIMITS.qtyMax, "limit too high", item);
    }
  }
  for (const note of listing.notes) fault(note.trim().length > 0, "empty note", note);
  for (const question of listing.review) {
    fault(question.raw.trim().length > 0 && question.reason.length > 0, "empty question", question);
  }
  return faults;
}

function checkListing(listing: ParsedListing): void {
  expect(listingFaults(listing)).toEqual([]);
}

function chainFaults(parsed: ParsedChain, items: ChainItemRef[]): string[] {
  const faults: string[] = [];
  const fault = (ok: boolean, what: string, about: unknown) => {
    if (!ok) faults.push(`${what}: ${JSON.stringify(about)}`);
  };
  for (const entry of parsed.entries) {
    fault(entry.name.trim().length > 0, "no name", entry);
    fault(entry.building.trim().length > 0, "no building", entry);
    fault(entry.lines.length > 0, "no lines", entry);
    for (const line of entry.lines) {
      fault(isPositiveFinite(line.qty) && line.qty <= LIMITS.qtyMax, "quantity", line);
      fault(toMilli(line.qty) !== null, "quantity not in thousandths", line);
      fault(items[line.itemIndex]?.name === line.item, "item not the one indexed", line);
      fault(line.item.trim().length > 0, "no item name", line);
    }
  }
  for (const line of parsed.review) {
    fault(line.reason !== UNEXPECTED, "reader error", line);
    fault(line.raw.length > 0, "no raw text", line);
  }
  return faults;
}

function checkChain(parsed: ParsedChain, items: ChainItemRef[]): void {
  expect(chainFaults(parsed, items)).toEqual([]);
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

// ---- generated 接龙 whose every line's right reading is known ---------------------------------

const ITEMS_2: ChainItemRef[] = [
  { id: "t", name: "西红柿", unit: "斤" },
  { id: "h", name: "黄瓜", unit: "斤" },
  { id: "x", name: "小白菜", unit: "把" },
  { id: "d", name: "土鸡蛋", unit: "个" },
  { id: "c", name: "草莓", unit: "kg" },
];
const DROP_POINTS = [
  { id: "nm", name: "南门岗亭", aliases: ["南门"] },
  { id: "bm7", name: "7号楼北门", aliases: ["七号楼北门"] },
  { id: "dm", name: "东门菜鸟驿站", aliases: ["东门", "驿站"] },
];
/** Amounts as typed, with what they are in the item's own unit: after the item, and before it. */
const AMOUNTS: Record<string, [string, number][]> = {
  斤: [
    ["2斤", 2],
    ["两斤", 2],
    ["一斤半", 1.5],
    ["半斤", 0.5],
    ["1.5斤", 1.5],
    ["x2", 2],
    ["3", 3],
    ["十斤", 10],
    ["1公斤", 2],
    ["500克", 1],
  ],
  把: [
    ["2把", 2],
    ["两把", 2],
    ["+1", 1],
    ["一把", 1],
  ],
  个: [
    ["10个", 10],
    ["二十个", 20],
    ["x6", 6],
  ],
  kg: [
    ["1kg", 1],
    ["2斤", 1],
    ["500g", 0.5],
    ["一公斤半", 1.5],
  ],
};
const BEFORE: Record<string, [string, number][]> = {
  斤: [
    ["要2斤", 2],
    ["来两斤", 2],
    ["订一斤半", 1.5],
  ],
  把: [
    ["来两把", 2],
    ["要一把", 1],
  ],
  个: [
    ["要10个", 10],
    ["来6个", 6],
  ],
  kg: [
    ["要1公斤", 1],
    ["来2斤", 1],
  ],
};
const NAMES = ["王姐", "李阿姨", "老张", "🌸花花", "Amy", "赵大爷", "小雨"];
const BUILDINGS = [
  "3-201",
  "12-1-1101",
  "5号楼302",
  "7栋2单元501",
  "9#1102",
  "二号楼东单元502",
  "东区8号楼",
  "A区3栋201",
];
/** [words, the drop point they name: an id, "?" for none of them, "" for none]. */
const PLACES: [string, string][] = [
  ["", ""],
  ["", ""],
  ["南门自提", "nm"],
  ["7号楼北门取", "bm7"],
  ["放东门", "dm"],
  ["驿站取", "dm"],
  ["自提点：南门", "nm"],
  ["七号楼北门自提", "bm7"],
  ["在南门拿", "nm"],
  ["送到东门", "dm"],
  ["西门自提", "?"],
  ["3号楼东门取", "?"],
];
const CHATTER_2 = ["收到", "谢谢老板🙏", "[图片]", "明天几点到？", "好的👌"];

interface Truth {
  name: string;
  building: string;
  lines: { itemId: string | undefined; qty: number }[];
  dropPoint: string;
  /** Why it must go to review, or null when it must be read as this. */
  flaw: string | null;
}

const orderArb = fc
  .record({
    name: fc.constantFrom(...NAMES),
    building: fc.constantFrom(...BUILDINGS),
    picks: fc.uniqueArray(fc.integer({ min: 0, max: ITEMS_2.length - 1 }), {
      minLength: 1,
      maxLength: 3,
    }),
    amounts: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
    before: fc.boolean(),
    separator: fc.constantFrom(" ", "，", "、", " ", "+", "；"),
    place: fc.constantFrom(...PLACES),
    layout: fc.integer({ min: 0, max: 3 }),
    flaw: fc.constantFrom(
      null,
      null,
      null,
      null,
      "unknown_item",
      "no_building",
      "changed",
      "unclear_quantity",
    ),
  })
  .map((o): [string, Truth] => {
    const parts = o.picks.map((pick, k) => {
      const item = ITEMS_2[pick] as ChainItemRef;
      // An amount before its item only where it is the only item (要2斤西红柿).
      const forms = (o.before && o.picks.length === 1 ? BEFORE : AMOUNTS)[item.unit] ?? [];
      const [written, qty] = forms[(o.amounts[k] ?? 0) % forms.length] ?? ["1", 1];
      // 两三斤: an amount nobody can read exactly.
      const typed = o.flaw === "unclear_quantity" && k === 0 ? "两三斤" : written;
      const text =
        o.before && o.picks.length === 1 ? `${typed}${item.name}` : `${item.name}${typed}`;
      return { text, line: { itemId: item.id, qty } };
    });
    let order = parts.map((part) => part.text).join(o.separator);
    if (o.flaw === "unknown_item") order += " 豆腐1块";
    if (o.flaw === "changed") order += " 不要了";
    const [place, dropPoint] = o.place;
    const building = o.flaw === "no_building" ? "" : o.building;
    const layouts = [
      [o.name, building, order, place],
      [building, o.name, order, place],
      [o.name, building, place, order],
      [place, o.name, building, order],
    ];
    const line = (layouts[o.layout] ?? []).filter(Boolean).join(" ");
    const flaw = o.flaw ?? (dropPoint === "?" ? "unknown_drop_point" : null);
    const lines = parts.map((part) => part.line);
    return [line, { name: o.name, building: o.building, lines, dropPoint, flaw }];
  });

describe("parseChainText on generated 接龙 with drop points", () => {
  it("reads every order line as exactly one entry or one line for review, and right", () => {
    fc.assert(
      fc.property(
        fc.array(orderArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...CHATTER_2)), { maxLength: 3 }),
        (orders, chatter) => {
          const lines = orders.map(([line], k) => `${k + 1}. ${line}`);
          for (const [at, said] of chatter) lines.splice(1 + (at % lines.length), 0, said);
          const parsed = parseChainText(["#接龙 明天的菜", ...lines].join("\n"), ITEMS_2, {
            dropPoints: DROP_POINTS,
          });
          // One result per numbered line, nothing from the chatter.
          const numbers = [...parsed.entries, ...parsed.review].map((read) => read.no);
          expect(numbers.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(orders.map((_, k) => k + 1));
          for (const entry of parsed.entries) {
            const [, truth] = orders[(entry.no ?? 0) - 1] ?? [];
            expect(truth?.flaw, entry.raw).toBeNull();
            expect({
              name: entry.name,
              building: entry.building,
              lines: entry.lines.map((line) => ({ itemId: line.itemId, qty: line.qty })),
              dropPoint: entry.dropPointId ?? "",
            }).toEqual({
              name: truth?.name,
              building: truth?.building,
              lines: truth?.lines,
              dropPoint: truth?.dropPoint,
            });
            // Nothing in it that its line does not say.
            for (const line of entry.lines) expect(entry.raw).toContain(line.item);
          }
          for (const line of parsed.review) {
            const [, truth] = orders[(line.no ?? 0) - 1] ?? [];
            expect(line.reason).not.toBe(UNEXPECTED);
            if (truth?.flaw) expect(line.code, line.raw).toBe(truth.flaw);
            else expect.fail(`read correctly, yet sent to review as ${line.code}: ${line.raw}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

// Last in the file: by then the chain reader has run often enough to be compiled, as it is in use.
describe("parseChainText on long input", () => {
  it("handles huge numbers and long input without throwing", () => {
    const items = [{ name: "西红柿", unit: "斤" }];
    checkChain(parseChainText(`1. 王 3-201 西红柿${"9".repeat(400)}斤`, items), items);
    const long = Array.from({ length: 3000 }, (_, k) => `${k + 1}. 王 3-201 西红柿2斤`).join("\n");
    expect(parseChainText(long, items).entries).toHaveLength(3000);
    checkChain(parseChainText(`1. 王 3-201\n${"西红柿\n".repeat(5000)}`, items), items);
    checkChain(parseChainText("1".repeat(50_000), items), items);
  });
});
