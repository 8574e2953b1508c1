import { describe, expect, it } from "vitest";
import {
  flagsOf,
  importRows,
  likelyItems,
  parseQty,
  reasonText,
  rowState,
  unknownWords,
} from "../../client/src/admin/import-lib.js";
import type { ItemView } from "../../shared/views.js";
import { parseChainText, REASON_CODES, type ReviewCode } from "../../shared/wechat/index.js";

const item = (id: string, name: string, unit: string): ItemView => ({
  id,
  name,
  unit,
  priceFen: 300,
  step: 1,
  stock: null,
  limit: null,
  sold: 0,
  remaining: null,
  soldOut: false,
  weighed: unit === "斤",
});
const ITEMS = [item("i1", "西红柿", "斤"), item("i2", "黄瓜", "斤")];

describe("importing a 接龙 on the coordinator page", () => {
  it("keeps entries and review lines in the order of the text, each line with a stable key", () => {
    const text = [
      "#接龙",
      "1. 钱 2-302 西红柿2斤",
      "2. 钱的邻居 2-303 有豆腐吗",
      "3. 许 4-101 黄瓜3斤",
      "4. 钱 2-302 西红柿2斤",
      "5. 赵姐 8-102 西红柿",
    ].join("\n");
    const rows = importRows(parseChainText(text, ITEMS), ITEMS);
    expect(rows.map((r) => [r.no, r.name, r.problem === null])).toEqual([
      [1, "钱", true],
      // Review rows come prefilled with what was read.
      [2, "钱的邻居", false],
      [3, "许", true],
      [4, "钱", true],
      [5, "赵姐", false],
    ]);
    expect(rows[0]?.lines).toEqual([{ itemId: "i1", qty: 2 }]);
    // The same line twice: two keys, the same ones when the text around them changes.
    expect(rows[0]?.key).not.toBe(rows[3]?.key);
    const again = importRows(parseChainText(`${text}\n6. 新 9-901 黄瓜1斤`, ITEMS), ITEMS);
    expect(again.slice(0, 5).map((r) => r.key)).toEqual(rows.map((r) => r.key));
  });

  it("makes entries from what a person decided: review lines wait until fixed or left out", () => {
    const [read, review] = importRows(
      parseChainText("#接龙\n1. 钱 2-302 西红柿2斤\n2. 赵姐 8-102 西红柿", ITEMS),
      ITEMS,
    );
    if (!read || !review) throw new Error("two rows expected");
    expect(rowState(read, undefined)).toEqual({
      kind: "entry",
      changed: false,
      entry: { raw: read.raw, name: "钱", building: "2-302", lines: [{ itemId: "i1", qty: 2 }] },
    });
    expect(rowState(review, undefined)).toEqual({ kind: "pending" });
    expect(rowState(review, { kind: "drop" })).toEqual({ kind: "dropped" });
    const fix = {
      name: "赵姐",
      building: "8-102",
      lines: [{ itemId: "i1", qty: 1.5 }],
      dropPointId: "dpsouth1",
    };
    expect(rowState(review, { kind: "fix", fix })).toEqual({
      kind: "entry",
      changed: true,
      entry: {
        raw: "赵姐 8-102 西红柿",
        name: "赵姐",
        building: "8-102",
        lines: fix.lines,
        dropPointId: "dpsouth1",
      },
    });
    // No drop point of its own: the default one is used, so none is sent.
    expect(rowState(read, { kind: "fix", fix: { ...fix, dropPointId: "" } })).not.toHaveProperty(
      "entry.dropPointId",
    );
  });

  it("reads hand-typed quantities and says the parser's reasons in plain words", () => {
    expect(["2", "0.5", "１．５", " 3 ", ".5"].map(parseQty)).toEqual([2, 0.5, 1.5, 3, 0.5]);
    expect(["", "0", "两", "1.2345", "-1", "12345"].map(parseQty)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(reasonText({ code: "no_building" })).toBe("没写楼栋门牌");
    expect(reasonText({ code: "no_quantity", item: "西红柿" })).toBe("西红柿没写数量");
    expect(reasonText({ code: "which_item", item: "白菜" })).toBe("不知道是哪一种白菜");
    expect(reasonText({ code: "unit_mismatch", unit: "箱", item: "西红柿" })).toBe(
      "箱和西红柿的单位对不上",
    );
    expect(reasonText({ code: "changed" })).toBe("写了取消或改动，请按原话处理");
    expect(reasonText({ code: "unexpected" })).toBe("这一行读不懂");
    // What the parser gives is what the screen words.
    const [line] = importRows(parseChainText("1. 王 3-201 西红柿", ITEMS), ITEMS);
    expect(line?.problem && reasonText(line.problem)).toBe("西红柿没写数量");
  });

  it("words every chain review code in Chinese, each its own meaning", () => {
    const chainCodes = REASON_CODES.filter((c) =>
      [
        "no_building",
        "no_name",
        "name_too_long",
        "unknown_item",
        "no_item",
        "unclear_quantity",
        "unclear_unit",
        "too_many_items",
        "no_quantity",
        "item_twice",
        "which_item",
        "unit_mismatch",
        "changed",
        "unknown_drop_point",
        "which_drop_point",
        "no_drop_point",
        "unexpected",
      ].includes(c),
    ) as ReviewCode[];
    const words = chainCodes.map((code) =>
      reasonText({ code, item: "西红柿", unit: "箱", text: "西门" }),
    );
    expect(new Set(words).size).toBe(chainCodes.length);
    for (const w of words) expect(w).toMatch(/\p{Script=Han}/u);
    expect(reasonText({ code: "unknown_drop_point", text: "西门" })).toBe("没有叫“西门”的自提点");
    expect(reasonText({ code: "no_drop_point" })).toBe("没写在哪个自提点取");
  });

  it("asks for a drop point when a line names none and no default was chosen, and uses the one a line names", () => {
    const points = [
      { id: "d1", name: "南门岗亭" },
      { id: "d2", name: "7号楼北门" },
    ];
    const text = "1. 钱 2-302 西红柿2斤\n2. 许 4-101 黄瓜3斤 南门岗亭自提";
    const [qian, xu] = importRows(parseChainText(text, ITEMS, { dropPoints: points }), ITEMS);
    if (!qian || !xu) throw new Error("two rows");
    expect(rowState(qian, undefined, "")).toEqual({ kind: "needs_point" });
    expect(rowState(qian, undefined, "d2")).toMatchObject({ kind: "entry", changed: false });
    expect(rowState(qian, { kind: "point", dropPointId: "d1" }, "")).toMatchObject({
      kind: "entry",
      entry: { dropPointId: "d1" },
    });
    expect(rowState(xu, undefined, "")).toMatchObject({
      kind: "entry",
      entry: { dropPointId: "d1" },
    });
  });

  it("flags lines over a limit or past the stock, in the text's order, and offers the unknown word", () => {
    const eggs = { ...item("i3", "土鸡蛋", "盒"), limit: 2, stock: 5, remaining: 3 };
    const items = [...ITEMS, eggs];
    const flags = flagsOf(
      [
        { key: "a", lines: [{ itemId: "i3", qty: 3 }] },
        { key: "b", lines: [{ itemId: "i3", qty: 2 }] },
        { key: "c", lines: [{ itemId: "i3", qty: 2 }] },
        { key: "d", lines: null },
      ],
      items,
    );
    expect(flags.get("a")?.[0]).toContain("土鸡蛋每人限购 2盒");
    expect(flags.has("b")).toBe(false);
    expect(flags.get("c")?.[0]).toContain("土鸡蛋只剩 1盒");
    expect(flags.has("d")).toBe(false);
    // Off the item's step: the import would refuse it, so the review says so first.
    const byJin = { ...item("i4", "西红柿", "斤"), step: 1 };
    const off = flagsOf([{ key: "e", lines: [{ itemId: "i4", qty: 1.5 }] }], [byJin]);
    expect(off.get("e")?.[0]).toContain("西红柿要按 1斤 一份来订");
    expect(flagsOf([{ key: "f", lines: [{ itemId: "i4", qty: 2 }] }], [byJin]).has("f")).toBe(
      false,
    );

    const [row] = importRows(parseChainText("1. 老王 5-302 柿子2斤", items), items);
    if (!row) throw new Error("one row");
    expect(row.problem?.code).toBe("unknown_item");
    expect(unknownWords(row, items)).toEqual(["柿子"]);
    expect(likelyItems("柿子", items).map((i) => i.name)).toEqual(["西红柿"]);
    expect(likelyItems("豆腐", items)).toHaveLength(3);
  });
});
