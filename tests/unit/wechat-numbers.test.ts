/** Numerals, quantities, money and units: the integer arithmetic under both parsers. */
import { describe, expect, it } from "vitest";
import { readMoney, readQuantity } from "../../shared/wechat/numbers.js";
import { parseChineseInt, readDecimal } from "../../shared/wechat/numerals.js";
import { foldText, viewText } from "../../shared/wechat/text-view.js";
import { convertMilli, sameUnit } from "../../shared/wechat/units.js";

describe("Chinese numerals", () => {
  it.each([
    ["一", 1],
    ["两", 2],
    ["俩", 2],
    ["十", 10],
    ["十五", 15],
    ["二十", 20],
    ["二十五", 25],
    ["一百", 100],
    ["一百零五", 105],
    ["一百五", 150],
    ["一百五十", 150],
    ["两千五", 2500],
    ["三千零二十", 3020],
  ])("%s = %d", (text, value) => {
    expect(parseChineseInt(text)).toBe(value);
  });

  it.each(["", "零", "五一", "二二", "十十", "百", "一百零", "十百", "三x"])(
    "%s is not a number",
    (text) => {
      expect(parseChineseInt(text)).toBeNull();
    },
  );
});

describe("decimals", () => {
  it("scales exactly or refuses", () => {
    expect(readDecimal("3.5", 0, 2)?.scaled).toBe(350);
    expect(readDecimal("3.00", 0, 2)?.scaled).toBe(300);
    expect(readDecimal("0.125", 0, 3)?.scaled).toBe(125);
    expect(readDecimal("0.1250", 0, 3)?.scaled).toBe(125);
    expect(readDecimal("0.1255", 0, 3)).toBeNull();
    expect(readDecimal("1234567890123", 0, 2)).toBeNull();
  });
});

describe("quantities (thousandths)", () => {
  const milli = (text: string, units: string[] = []) => {
    const read = readQuantity(foldText(text), 0, units);
    return read ? [read.milli, read.unit] : null;
  };

  it.each([
    ["2斤", 2000, "斤"],
    ["两斤", 2000, "斤"],
    ["半斤", 500, "斤"],
    ["一斤半", 1500, "斤"],
    ["一斤二两", 1200, "斤"],
    ["二两", 2000, "两"],
    ["0.5", 500, null],
    ["x2", 2000, null],
    ["×3", 3000, null],
    ["*4", 4000, null],
    ["+1", 1000, null],
    ["２斤", 2000, "斤"],
    ["2KG", 2000, "kg"],
    ["3 个", 3000, "个"],
  ])("%s", (text, value, unit) => {
    expect(milli(text)).toEqual([value, unit]);
  });

  it.each([
    // A spoken digit alone after 斤 counts 两.
    ["一斤五", 1500, 3],
    ["两斤二", 2200, 3],
    ["一斤五。", 1500, 3],
    // Not when a word goes on (一起), a number goes on, or the digit is 两 or 十.
    ["两斤一起", 2000, 2],
    ["一斤五十", 1000, 2],
    ["一斤两", 1000, 2],
    ["两斤十", 2000, 2],
    ["1斤2", 1000, 2],
  ])("%s after 斤", (text, value, end) => {
    const read = readQuantity(foldText(text), 0);
    expect([read?.milli, read?.end]).toEqual([value, end]);
  });

  it("reads the items' own unit words", () => {
    expect(milli("2筒", ["筒"])).toEqual([2000, "筒"]);
    expect(milli("2筒")).toEqual([2000, null]);
  });

  it.each(["0", "0斤", "半", "10000", "0.0001", "斤", "", "x", "99999999999999999999"])(
    "%s is not a quantity",
    (text) => {
      expect(milli(text)).toBeNull();
    },
  );
});

describe("money (fen)", () => {
  const fen = (text: string) => readMoney(foldText(text), 0)?.fen ?? null;

  it.each([
    ["3元", 300],
    ["2.5元", 250],
    ["两块", 200],
    ["三块钱", 300],
    ["5毛", 50],
    ["8角", 80],
    ["1元5角", 150],
    ["两毛五", 25],
    ["¥3.00", 300],
    ["￥３．５", 350],
    ["一百二十元", 12000],
  ])("%s = %d fen", (text, value) => {
    expect(fen(text)).toBe(value);
  });

  it.each(["0元", "3.001元", "3", "¥", "20000元"])("%s is not a price", (text) => {
    expect(fen(text)).toBeNull();
  });
});

describe("units", () => {
  it("converts weights exactly, in both directions", () => {
    expect(convertMilli(1000, "斤", "kg")).toBe(500);
    expect(convertMilli(2000, "kg", "斤")).toBe(4000);
    expect(convertMilli(500_000, "克", "斤")).toBe(1000);
    expect(convertMilli(1000, "两", "斤")).toBe(100);
    expect(convertMilli(1000, "公斤", "千克")).toBe(1000);
    expect(convertMilli(6000, "斤", "3斤")).toBe(2000);
    expect(convertMilli(1000, "斤", "500g")).toBe(1000);
    expect(convertMilli(1000, "半斤", "斤")).toBe(500);
  });

  it("refuses what does not convert exactly or at all", () => {
    expect(convertMilli(2000, "斤", "3斤")).toBeNull();
    expect(convertMilli(1, "克", "kg")).toBeNull();
    expect(convertMilli(1000, "克", "kg")).toBe(1);
    expect(convertMilli(1, "克", "吨")).toBeNull();
    expect(convertMilli(1000, "个", "斤")).toBeNull();
    expect(convertMilli(1000, "个", "板")).toBeNull();
  });

  it("knows the same unit under other spellings", () => {
    expect(sameUnit("kg", "公斤")).toBe(true);
    expect(sameUnit("KG", "千克")).toBe(true);
    expect(sameUnit("斤", "市斤")).toBe(true);
    expect(sameUnit("個", "个")).toBe(true);
    expect(sameUnit("斤", "kg")).toBe(false);
  });
});

describe("text view", () => {
  it("folds width, circled numbers, dashes and traditional characters, keeping the way back", () => {
    // ① gets a space after its point: "⑥3-206" is entry 6 at building 3, not 6.3.
    const view = viewText("①張阿姨 ３－２０１ 兩斤");
    expect(view.wide).toBe("1. 張阿姨 3-201 兩斤");
    expect(view.folded).toBe("1. 张阿姨 3-201 两斤");
    expect(view.original.slice(view.origin[3], view.origin[6])).toBe("張阿姨");
  });
});
