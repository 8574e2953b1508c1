/**
 * Quantities and prices as people write them in WeChat groups, read from folded text (see
 * text-view): 2斤, 两斤, 半斤, 一斤半, 一斤二两, 0.5, x2, +1 · 3元, 2.5元, 两块, 一块五, 5毛, 1元5角, ¥3.00.
 * Quantities come back in thousandths ("milli", shared/quantity.ts) and prices in fen: integers only.
 */
import { LIMITS } from "../limits.js";
import { MILLI } from "../quantity.js";
import { isCnNumeral, type NumberRead, readNumber } from "./numerals.js";
import { readUnit } from "./units.js";

export const QTY_MAX_MILLI = LIMITS.qtyMax * MILLI;

export interface QuantityRead {
  /** Thousandths of `unit` (or of the item's own unit when `unit` is null). */
  milli: number;
  /** The unit word as written (folded), or null for a bare number. */
  unit: string | null;
  start: number;
  end: number;
}

const COUNT_MARK = /[x×*✖][ \t]*|\+[ \t]*/y;
const SPACES = /[ \t]*/y;

function skipSpaces(text: string, at: number): number {
  SPACES.lastIndex = at;
  SPACES.exec(text);
  return SPACES.lastIndex;
}

/** A count mark before the number: x2, ×2, *2, +1. */
function skipCountMark(text: string, at: number): number {
  COUNT_MARK.lastIndex = at;
  return COUNT_MARK.exec(text) ? COUNT_MARK.lastIndex : at;
}

/** The number of a quantity: ASCII, Chinese or 半 (a half). */
function readAmountMilli(text: string, at: number): { milli: number; end: number } | null {
  if (text[at] === "半") return { milli: MILLI / 2, end: at + 1 };
  const number = readNumber(text, at, 3);
  return number ? { milli: number.scaled, end: number.end } : null;
}

/**
 * After a unit: 一斤半 (+ half a unit), 一斤二两 (+ 两, a tenth of a 斤), and as people say it,
 * 一斤五 or 两斤二 (a spoken digit alone after 斤 counts 两: 1.5 斤, 2.2 斤).
 */
function readTail(text: string, at: number, unit: string, milli: number) {
  if (text[at] === "半") return { milli: milli + MILLI / 2, end: at + 1 };
  if (unit === "斤" || unit === "市斤") {
    const liang = readNumber(text, at, 3);
    if (liang && text[liang.end] === "两" && liang.scaled % 10 === 0) {
      return { milli: milli + liang.scaled / 10, end: liang.end + 1 };
    }
    if (isSpokenLiang(text, at, liang))
      return { milli: milli + (liang?.scaled ?? 0) / 10, end: at + 1 };
  }
  return { milli, end: at };
}

/** 一斤五: one spoken digit (not 两, which is the unit; not 十) with nothing glued after it. */
function isSpokenLiang(text: string, at: number, liang: NumberRead | null): boolean {
  if (liang?.kind !== "cn" || liang.end !== at + 1 || liang.scaled >= 10 * MILLI) return false;
  return !/[两俩]/u.test(text[at] ?? "") && !/[\p{L}\p{N}]/u.test(text[at + 1] ?? "");
}

/**
 * A quantity starting at `at`: a count mark (x2, +1), a number, then maybe a unit word
 * (`extraUnits`: the folded units of the items, so "2提" reads when an item is sold by 提).
 * Null when there is none, or when it is zero or beyond the largest quantity of a line.
 */
export function readQuantity(
  text: string,
  at: number,
  extraUnits: readonly string[] = [],
): QuantityRead | null {
  const numberAt = skipSpaces(text, skipCountMark(text, at));
  const amount = readAmountMilli(text, numberAt);
  if (!amount) return null;
  const unitAt = skipSpaces(text, amount.end);
  const unit = readUnit(text, unitAt, extraUnits);
  let milli = amount.milli;
  let end = amount.end;
  if (unit) {
    const tail = readTail(text, unit.end, unit.unit, milli);
    milli = tail.milli;
    end = tail.end;
  } else if (text[numberAt] === "半") {
    return null; // 半 alone is a word (半价), not a quantity
  }
  if (milli <= 0 || milli > QTY_MAX_MILLI) return null;
  return { milli, unit: unit?.unit ?? null, start: at, end };
}

/** Does a quantity with a unit word start somewhere in text[from, to)? ("两斤", "3个") */
export function mentionsQuantity(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch !== undefined && ch >= "0" && ch <= "9") return true;
    if (isCnNumeral(ch) || ch === "半") {
      const read = readQuantity(text, i);
      if (read?.unit && read.end <= to) return true;
    }
  }
  return false;
}

// ---- money ----------------------------------------------------------------------------------

export interface MoneyRead {
  fen: number;
  start: number;
  end: number;
  /** Ended in 元 or 块 (so a bare digit after it may be 角: 一块五). */
  yuanWord: boolean;
}

/** 快 is how 块 is often mistyped (kuai): after a number it can only mean money. */
const YUAN = /[ \t]*(?:元|块|圆|快)(?:钱)?/y;
const JIAO = /[ \t]*(?:角|毛)(?:钱)?/y;
const YEN = /¥[ \t]*/y;

function match(re: RegExp, text: string, at: number): number | null {
  re.lastIndex = at;
  return re.exec(text) ? re.lastIndex : null;
}

/** "5角", "5毛": tenths of a yuan after the yuan part (1元5角, 两毛五 is handled by bareJiao). */
function readJiao(text: string, at: number): { fen: number; end: number } | null {
  const number = readNumber(text, at, 1);
  if (!number || number.scaled % 10 !== 0 || number.scaled > 90) return null;
  const end = match(JIAO, text, number.end);
  return end === null ? null : { fen: number.scaled, end };
}

/** ¥3.00, ¥３．５元 */
function readYen(text: string, at: number): MoneyRead | null {
  const numberAt = match(YEN, text, at);
  if (numberAt === null) return null;
  const number = readNumber(text, numberAt, 2);
  if (number?.kind !== "ar") return null;
  const end = match(YUAN, text, number.end) ?? number.end;
  return { fen: number.scaled, start: at, end, yuanWord: false };
}

/** 3元, 2.5元, 两块, 三块钱, 1元5角, 5毛, 8角 */
function readSpoken(text: string, at: number): MoneyRead | null {
  const yuan = readNumber(text, at, 2);
  if (!yuan) return null;
  const yuanEnd = match(YUAN, text, yuan.end);
  if (yuanEnd !== null) {
    const jiao = readJiao(text, yuanEnd);
    if (jiao) return { fen: yuan.scaled + jiao.fen, start: at, end: jiao.end, yuanWord: false };
    return { fen: yuan.scaled, start: at, end: yuanEnd, yuanWord: true };
  }
  const jiao = readJiao(text, at);
  if (jiao) {
    const fen = bareDigit(text, jiao.end);
    return fen
      ? { fen: jiao.fen + fen.value, start: at, end: fen.end, yuanWord: false }
      : { fen: jiao.fen, start: at, end: jiao.end, yuanWord: false };
  }
  return null;
}

/**
 * One digit right after 块/毛 that counts the next smaller coin (一块五, 两毛五), unless a unit
 * follows it (10元3斤 is a bundle, 5毛一根 is per 根).
 */
function bareDigit(text: string, at: number): { value: number; end: number } | null {
  const number = readNumber(text, at, 0);
  if (!number || number.scaled > 9 || number.end !== at + 1) return null;
  const next = text[number.end];
  // "五一根": the 一 starts "一根", not a second digit.
  if ((/[\d.]/.test(next ?? "") || isCnNumeral(next)) && next !== "一") return null;
  // "5元一筒": 一 before a word is "one 筒", not 1 角 (but 一块一毛 is 1.1 元).
  if (text[at] === "一" && /\p{L}/u.test(next ?? "") && !/[角毛]/u.test(next ?? "")) return null;
  if (readUnit(text, skipSpaces(text, number.end))) return null;
  return { value: number.scaled, end: number.end };
}

/** A sum of money at `at`, or null. Zero and sums beyond the largest price are refused. */
export function readMoney(text: string, at: number): MoneyRead | null {
  const read = readYen(text, at) ?? readSpoken(text, at);
  if (!read || read.fen <= 0 || read.fen > LIMITS.priceMaxFen) return null;
  return read;
}

/** 一块五 → the 五 after 块 is 5 角 (only when no unit follows it: 10元3斤 is a bundle). */
export function readBareJiao(text: string, at: number): { fen: number; end: number } | null {
  const digit = bareDigit(text, at);
  if (!digit) return null;
  const fen = digit.value * 10;
  const end = match(/(?:角|毛)/y, text, digit.end) ?? digit.end;
  return { fen, end };
}

export { skipSpaces };
