import { afterEach, describe, expect, it } from "vitest";
import { explainError, setLang } from "../../client/src/i18n.js";
import type { ErrorBody } from "../../shared/errors.js";

const items = [
  { id: "i1", name: "西红柿", unit: "斤" },
  { id: "i3", name: "土鸡蛋", unit: "盒" },
];

describe("refusals worded from their details, in the reader's language", () => {
  afterEach(() => setLang("zh"));

  it("says what is left, the limit and the step, never the server's English", () => {
    const soldOut: ErrorBody = {
      code: "sold_out",
      message: "sold out: 西红柿 has 1.5 斤 left",
      details: {
        short: [{ itemId: "i1", name: "西红柿", wanted: 3, remaining: 1.5 }],
        left: [
          { itemId: "i1", name: "西红柿", unit: "斤", remaining: 1.5 },
          { itemId: "i2", name: "黄瓜", unit: "斤", remaining: null },
        ],
      },
    };
    // Only the item that ran short for this order, and what is left of it.
    expect(explainError(soldOut, items)).toBe("西红柿只剩 1.5斤了");
    const limit: ErrorBody = {
      code: "limit_exceeded",
      message: "土鸡蛋 is limited to 2 盒 per person; already ordered 1 盒",
      details: { itemId: "i3", limit: 2, already: 1 },
    };
    expect(explainError(limit, items)).toBe("土鸡蛋每人最多 2盒，已经订了 1盒");
    const step: ErrorBody = {
      code: "bad_quantity",
      message: "西红柿 is sold in steps of 0.5 斤",
      details: { itemId: "i1", step: 0.5 },
    };
    expect(explainError(step, items)).toBe("西红柿要按 0.5斤 一份来订");
    setLang("en");
    expect(explainError(limit, items)).toBe(
      "土鸡蛋: at most 2 盒 per person; 1 盒 ordered already",
    );
    expect(explainError(soldOut, items)).toBe("Only 1.5 斤 of 西红柿 left");
  });

  it("falls back to the code's words when details are missing or name an unknown item", () => {
    expect(explainError({ code: "chain_closed", message: "closed" })).toBe(
      "已经截单，不能再接龙或修改了",
    );
    const unknown: ErrorBody = {
      code: "limit_exceeded",
      message: "x",
      details: { itemId: "i9", limit: 1, already: 1 },
    };
    expect(explainError(unknown, items)).toBe("超过每人限购数量");
  });
});
