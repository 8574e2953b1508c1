import { describe, expect, it } from "vitest";
import { fenToYuanInput, yuan, yuanDecimal } from "../../shared/money.js";
import { fromMilli, lineAmountFen, toMilli } from "../../shared/quantity.js";

describe("quantities and money", () => {
  it("converts units to exact thousandths, refusing what is not exact", () => {
    expect(toMilli(0.5)).toBe(500);
    expect(toMilli(1.5)).toBe(1500);
    expect(toMilli(0.1)).toBe(100);
    expect(toMilli(2.675)).toBe(2675);
    expect(toMilli(0.0005)).toBeNull();
    expect(toMilli(Number.NaN)).toBeNull();
    expect(toMilli(Number.POSITIVE_INFINITY)).toBeNull();
    expect(fromMilli(toMilli(12.345) ?? 0)).toBe(12.345);
  });

  it("rounds a line half up to the fen", () => {
    expect(lineAmountFen(350, 1500)).toBe(525);
    expect(lineAmountFen(3, 500)).toBe(2); // 1.5 fen → 2
    expect(lineAmountFen(3, 100)).toBe(0); // 0.3 fen → 0
    expect(lineAmountFen(5, 100)).toBe(1); // 0.5 fen → 1
    expect(lineAmountFen(1_000_000, 9_999_000)).toBe(9_999_000_000);
  });

  it("formats yuan", () => {
    // One way on every screen: whole yuan bare, otherwise two decimals, from integer fen.
    expect([350, 5, 400, 0, -1999, 2500, 29, 1_000_000].map(yuan)).toEqual([
      "¥3.50",
      "¥0.05",
      "¥4",
      "¥0",
      "-¥19.99",
      "¥25",
      "¥0.29",
      "¥10000",
    ]);
    // Spreadsheet cells always have two decimals; input fields drop trailing zeros.
    expect([350, 400, 5, -1999].map(yuanDecimal)).toEqual(["3.50", "4.00", "0.05", "-19.99"]);
    expect([350, 300, 305].map(fenToYuanInput)).toEqual(["3.5", "3", "3.05"]);
  });
});

describe("a weight as a resident types it", () => {
  it("reads 1.5, 1.5斤, 半斤, 1斤半 and 1½ exactly; refuses another unit or a guess", async () => {
    const { readTypedQty, onStep } = await import("../../shared/quantity.js");
    expect(readTypedQty("1.5", "斤")).toBe(1.5);
    expect(readTypedQty(" 1.5 斤", "斤")).toBe(1.5);
    expect(readTypedQty("１．５斤", "斤")).toBe(1.5);
    expect(readTypedQty("半斤", "斤")).toBe(0.5);
    expect(readTypedQty("1斤半", "斤")).toBe(1.5);
    expect(readTypedQty("1½", "斤")).toBe(1.5);
    expect(readTypedQty("", "斤")).toBe(0);
    expect(readTypedQty("2", "kg")).toBe(2);
    expect(readTypedQty("2KG", "kg")).toBe(2);
    expect(readTypedQty("3两", "斤")).toBeNull();
    expect(readTypedQty("1.2345", "斤")).toBeNull();
    expect(readTypedQty("abc", "斤")).toBeNull();
    expect(readTypedQty("-1", "斤")).toBeNull();
    expect(onStep(1.5, 0.5)).toBe(true);
    expect(onStep(1.3, 0.5)).toBe(false);
    expect(onStep(0.3, 0.1)).toBe(true);
  });
});
