import { describe, expect, it } from "vitest";
import { importRows, parseQty, reasonText, rowState } from "../../client/src/admin/import-lib.js";
import type { ItemView } from "../../shared/views.js";
import { parseChainText } from "../../shared/wechat/index.js";

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
      [2, "", false],
      [3, "许", true],
      [4, "钱", true],
      [5, "", false],
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
});
