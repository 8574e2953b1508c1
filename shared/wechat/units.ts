/**
 * Unit words (斤, kg, 把, 盒…) and exact conversion between them. Weights convert (1 斤 = 0.5 kg
 * = 500 g = 10 两); bundles like "3斤" or "500g" convert to and from their weight; counting words
 * only match themselves. All arithmetic is on integers (BigInt), so a conversion is exact or refused.
 */

import { LIMITS } from "../limits.js";
import { MILLI } from "../quantity.js";
import { readNumber } from "./numerals.js";
import { foldText } from "./text-view.js";

/** Grams in one of each weight unit (folded spelling). */
const WEIGHT_GRAMS: Readonly<Record<string, number>> = {
  斤: 500,
  市斤: 500,
  公斤: 1000,
  千克: 1000,
  kg: 1000,
  克: 1,
  g: 1,
  两: 50,
  /** 一钱 is a tenth of a 两 (herbs, dried goods). After 元 or 块 it is money: readMoney takes it. */
  钱: 5,
};

/** Counting words a price or a quantity may be "per"; "any other short counter word" is read after "/". */
export const COUNTER_WORDS: readonly string[] = [
  "把",
  "个",
  "根",
  "颗",
  "棵",
  "盒",
  "板",
  "份",
  "只",
  "头",
  "箱",
  "袋",
  "包",
  "捆",
  "扎",
  "束",
  "串",
  "条",
  "瓶",
  "罐",
  "桶",
  "提",
  "筐",
  "篮",
  "兜",
  "网",
  "枚",
  "粒",
  "片",
  "朵",
  "对",
  "双",
  "套",
  "件",
  "盘",
  "碗",
  "杯",
  "块",
  "株",
  "支",
  "节",
  "斗",
  "升",
  "听",
  "打",
  "排",
  "段",
  "盆",
];

/** "份" is the generic counting word: it means "one of the item's own unit". */
export const GENERIC_UNIT = "份";

const KNOWN_UNITS: readonly string[] = [...Object.keys(WEIGHT_GRAMS), ...COUNTER_WORDS].sort(
  (a, b) => b.length - a.length,
);

/** Units by their first character, longest first. */
type UnitTable = Map<string, string[]>;

function unitTable(units: readonly string[]): UnitTable {
  const table: UnitTable = new Map();
  for (const unit of [...units].sort((a, b) => b.length - a.length)) {
    if (unit.length === 0) continue;
    const first = unit[0] ?? "";
    const list = table.get(first) ?? [];
    if (!list.includes(unit)) list.push(unit);
    table.set(first, list);
  }
  return table;
}

const KNOWN_TABLE = unitTable(KNOWN_UNITS);
/** The known units with a text's item units: by array (one per text), then by content. */
const BY_ARRAY = new WeakMap<readonly string[], UnitTable>();
const BY_CONTENT = new Map<string, UnitTable>();

function tableFor(extra: readonly string[]): UnitTable {
  if (extra.length === 0) return KNOWN_TABLE;
  let table = BY_ARRAY.get(extra);
  if (!table) {
    const key = extra.join("\u0000");
    table = BY_CONTENT.get(key) ?? unitTable([...extra, ...KNOWN_UNITS]);
    if (BY_CONTENT.size > 100) BY_CONTENT.clear();
    BY_CONTENT.set(key, table);
    BY_ARRAY.set(extra, table);
  }
  return table;
}

export interface UnitRead {
  /** As written, folded (KG → kg, 個 → 个). */
  unit: string;
  end: number;
}

/** A unit word at `at` (longest first; `extra` are the folded units of the items being read). */
export function readUnit(text: string, at: number, extra: readonly string[] = []): UnitRead | null {
  const candidates = tableFor(extra).get(text[at] ?? "");
  if (!candidates) return null;
  for (const unit of candidates) {
    if (!text.startsWith(unit, at)) continue;
    // "g" in "good" is not grams.
    if (/[a-z]$/.test(unit) && /[a-z]/.test(text[at + unit.length] ?? "")) continue;
    return { unit, end: at + unit.length };
  }
  return null;
}

export function isWeightUnit(unit: string): boolean {
  return WEIGHT_GRAMS[foldText(unit).trim()] !== undefined;
}

interface Measure {
  /** "g" for weights, otherwise the counting word itself. */
  base: string;
  /** Thousandths of `base` in one unit (斤: 500 000, 3斤: 1 500 000, 个: 1000). */
  size: bigint;
}

const MEASURES = new Map<string, Measure>();

/** What one `unit` is: a weight, a bundle ("3斤", "500g", "半斤") or a counting word. */
function measureOf(unit: string): Measure {
  let measure = MEASURES.get(unit);
  if (!measure) {
    measure = readMeasure(unit);
    if (MEASURES.size > 1000) MEASURES.clear();
    MEASURES.set(unit, measure);
  }
  return measure;
}

function readMeasure(unit: string): Measure {
  const folded = foldText(unit).trim();
  const grams = WEIGHT_GRAMS[folded];
  if (grams !== undefined) return { base: "g", size: BigInt(grams * MILLI) };
  const bundle = readBundle(folded);
  if (bundle) {
    const inner = measureOf(bundle.unit);
    return { base: inner.base, size: (inner.size * BigInt(bundle.milli)) / BigInt(MILLI) };
  }
  return { base: folded, size: BigInt(MILLI) };
}

/** "3斤" → 3 of 斤; "半斤" → 0.5 of 斤; anything else → null. */
function readBundle(unit: string): { milli: number; unit: string } | null {
  let milli: number | null = null;
  let at = 0;
  if (unit.startsWith("半")) {
    milli = MILLI / 2;
    at = 1;
  } else {
    const number = readNumber(unit, 0, 3);
    if (!number) return null;
    milli = number.scaled;
    at = number.end;
  }
  const rest = unit.slice(at).trim();
  if (milli <= 0 || rest.length === 0 || readUnit(rest, 0)?.end !== rest.length) return null;
  return { milli, unit: rest };
}

export function sameUnit(a: string, b: string): boolean {
  const ma = measureOf(a);
  const mb = measureOf(b);
  return ma.base === mb.base && ma.size === mb.size;
}

/**
 * `milli` thousandths of `from` in thousandths of `to`, or null when the units don't convert or
 * the result is not a whole number of thousandths (2 斤 of a "3斤" bundle) or is out of range.
 */
export function convertMilli(milli: number, from: string, to: string): number | null {
  const source = measureOf(from);
  const target = measureOf(to);
  if (source.base !== target.base || target.size === 0n) return null;
  const scaled = BigInt(milli) * source.size;
  if (scaled % target.size !== 0n) return null;
  const result = scaled / target.size;
  if (result <= 0n || result > BigInt(LIMITS.stockMax * MILLI)) return null;
  return Number(result);
}
