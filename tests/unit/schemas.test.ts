import { describe, expect, it } from "vitest";
import {
  ChainCreateBody,
  EntryJoin,
  EntryUpdate,
  ItemAliasBody,
  ItemInput,
} from "../../shared/schemas.js";

const join = {
  requestId: "req-12345678",
  chainId: "abcd1234-efgh5678",
  dropPointId: "dp12345a",
  name: "张阿姨",
  building: "3-201",
  lines: [{ itemId: "i1", qty: 1.5 }],
};

describe("shared schemas", () => {
  it("normalises full-width digits in buildings", () => {
    expect(EntryJoin.parse({ ...join, building: "３-２０１" }).building).toBe("3-201");
  });

  it("refuses markup, control characters, unknown fields and duplicate items", () => {
    expect(EntryJoin.safeParse({ ...join, name: "<img src=x onerror=alert(1)>" }).success).toBe(
      false,
    );
    expect(EntryJoin.safeParse({ ...join, name: "张\u0007阿姨" }).success).toBe(false);
    expect(EntryJoin.safeParse({ ...join, admin: true }).success).toBe(false);
    expect(
      EntryJoin.safeParse({
        ...join,
        lines: [
          { itemId: "i1", qty: 1 },
          { itemId: "i1", qty: 2 },
        ],
      }).success,
    ).toBe(false);
  });

  it("drops bidi controls and zero-width characters from names, buildings and notes", () => {
    const hidden =
      "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff";
    const parsed = EntryJoin.parse({
      ...join,
      name: `张${hidden}阿姨`,
      building: `\u202e3-201${hidden}`,
    });
    expect(parsed.name).toBe("张阿姨");
    expect(parsed.building).toBe("3-201");
    const chain = ChainCreateBody.parse({
      title: `\u200b菜\u202e`,
      note: `早上\u2067现摘\n自带袋子\ufeff`,
      dropPointIds: ["dp12345a"],
      items: [{ name: "西\u200d红柿", unit: "斤\u200b", priceFen: 300 }],
    });
    expect([chain.title, chain.note, chain.items[0]?.name, chain.items[0]?.unit]).toEqual([
      "菜",
      "早上现摘\n自带袋子",
      "西红柿",
      "斤",
    ]);
    // Nothing visible left: empty, so refused.
    expect(EntryJoin.safeParse({ ...join, name: "\u200b\u202e" }).success).toBe(false);
    // Blanks that show as nothing or as a space: "白\u00ad菜" is 白菜; a Hangul filler alone is empty.
    expect(EntryJoin.parse({ ...join, name: "白\u00ad菜\u034f\u2062" }).name).toBe("白菜");
    for (const blank of ["\u3164", "\uffa0", "\u115f\u1160", "\u180e", "\u17b4"])
      expect(EntryJoin.safeParse({ ...join, name: blank }).success).toBe(false);
    expect(ItemAliasBody.safeParse({ alias: "\u3164", item: "白菜" }).success).toBe(false);
    // Variation selectors stay (emoji and some names need them).
    expect(EntryJoin.parse({ ...join, name: "王\u2764\ufe0f" }).name).toBe("王\u2764\ufe0f");
    // Line and paragraph separators break lines like a newline: refused in names.
    expect(EntryJoin.safeParse({ ...join, name: "张\u2028阿姨" }).success).toBe(false);
  });

  it("refuses quantities that are zero, negative, huge or too precise", () => {
    for (const qty of [0, -1, 10_000, 0.0001, Number.NaN]) {
      expect(EntryJoin.safeParse({ ...join, lines: [{ itemId: "i1", qty }] }).success).toBe(false);
    }
  });

  it("an update must change something", () => {
    const base = { requestId: "req-12345678", chainId: join.chainId, no: 1 };
    expect(EntryUpdate.safeParse(base).success).toBe(false);
    expect(EntryUpdate.safeParse({ ...base, phone: null }).success).toBe(true);
  });

  it("items default to step 1, and stock and limit must be multiples of the step", () => {
    expect(ItemInput.parse({ name: "葱", unit: "把", priceFen: 100 }).step).toBe(1);
    expect(
      ItemInput.safeParse({ name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, stock: 10.5 })
        .success,
    ).toBe(true);
    expect(
      ItemInput.safeParse({ name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, limit: 1.2 })
        .success,
    ).toBe(false);
    expect(ItemInput.safeParse({ name: "西红柿", unit: "斤", priceFen: 3.5 }).success).toBe(false);
  });

  it("a chain needs items and drop points, and free-text notes may hold newlines", () => {
    const chain = {
      title: "蔬菜",
      dropPointIds: ["dp12345a"],
      items: [{ name: "葱", unit: "把", priceFen: 100 }],
    };
    expect(ChainCreateBody.parse({ ...chain, note: "早上现摘\n明早送到" }).note).toBe(
      "早上现摘\n明早送到",
    );
    expect(ChainCreateBody.safeParse({ ...chain, items: [] }).success).toBe(false);
    expect(ChainCreateBody.safeParse({ ...chain, dropPointIds: [] }).success).toBe(false);
  });
});
