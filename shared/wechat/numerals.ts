/**
 * Numbers as people type them: ASCII decimals (full-width digits are already folded to ASCII by
 * text-view) and spoken Chinese numerals (两, 十五, 一百五). Values come back as integers scaled
 * by a power of ten (fen, thousandths), so nothing is ever rounded.
 */

const CN_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  俩: 2,
  三: 3,
  仨: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_MULTIPLIERS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

export const CN_NUMERAL_CHARS = "零〇一二两俩三仨四五六七八九十百千";

/** Past this a typed number is not a price, quantity or stock (and stays a safe integer scaled). */
const MAX_INTEGER_DIGITS = 9;

const MAX_CN_CHARS = 8;

export function isCnNumeral(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && CN_NUMERAL_CHARS.includes(ch);
}

/**
 * "十五" → 15, "二十" → 20, "一百零五" → 105, "一百五" → 150 (spoken: a digit after 百 counts
 * tens); "五一" or "二二" → null (not a number).
 */
export function parseChineseInt(text: string): number | null {
  let total = 0;
  let digit: number | null = null;
  let lastMultiplier = 0;
  let zero = false;
  for (const ch of text) {
    const d = CN_DIGITS[ch];
    if (d !== undefined) {
      if (digit !== null) return null;
      if (d === 0) {
        if (lastMultiplier === 0 || zero) return null;
        zero = true;
      } else {
        digit = d;
      }
      continue;
    }
    const multiplier = CN_MULTIPLIERS[ch];
    if (multiplier === undefined) return null;
    if (lastMultiplier !== 0 && multiplier >= lastMultiplier) return null;
    if (digit === null) {
      // 十五: a leading 十 means one ten; 百 and 千 need their digit.
      if (multiplier !== 10 || lastMultiplier !== 0 || zero) return null;
      digit = 1;
    }
    total += digit * multiplier;
    digit = null;
    lastMultiplier = multiplier;
    zero = false;
  }
  if (digit !== null) {
    total += lastMultiplier >= 100 && !zero ? digit * (lastMultiplier / 10) : digit;
  } else if (zero || lastMultiplier === 0) {
    return null;
  }
  return total;
}

export interface NumberRead {
  /** The value × 10^scale, an exact integer. */
  scaled: number;
  end: number;
  /** "ar": ASCII digits; "cn": Chinese numerals. */
  kind: "ar" | "cn";
}

function digitAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 48 && code <= 57 ? code - 48 : -1;
}

/** "3.50" at `at`, scaled (scale 2: fen): null when more decimals than the scale allows. */
export function readDecimal(text: string, at: number, scale: number): NumberRead | null {
  let end = at;
  let whole = 0;
  let digits = 0;
  for (let d = digitAt(text, end); d >= 0; d = digitAt(text, ++end)) {
    if (digits > 0 || d > 0) digits++; // leading zeros don't count
    if (digits > MAX_INTEGER_DIGITS) return null;
    whole = whole * 10 + d;
  }
  if (end === at) return null;
  let fraction = 0;
  if (text[end] === "." && digitAt(text, end + 1) >= 0) {
    let kept = 0;
    for (let d = digitAt(text, ++end); d >= 0; d = digitAt(text, ++end)) {
      if (kept < scale) {
        fraction = fraction * 10 + d;
        kept++;
      } else if (d > 0) {
        return null; // more decimals than the scale allows
      }
    }
    fraction *= 10 ** (scale - kept);
  }
  const scaled = whole * 10 ** scale + fraction;
  return Number.isSafeInteger(scaled) ? { scaled, end, kind: "ar" } : null;
}

/**
 * The longest Chinese numeral at `at` that reads as a number ("二两" → 二, leaving 两 as the
 * unit; "五一根" → 五), scaled.
 */
export function readChineseNumber(text: string, at: number, scale: number): NumberRead | null {
  // No spoken number needs more than a few characters (一千二百三十四); longer runs are not numbers.
  let runEnd = at;
  while (runEnd < text.length && runEnd - at < MAX_CN_CHARS && isCnNumeral(text[runEnd])) runEnd++;
  for (let end = runEnd; end > at; end--) {
    const value = parseChineseInt(text.slice(at, end));
    if (value !== null) return { scaled: value * 10 ** scale, end, kind: "cn" };
  }
  return null;
}

/** Is text[at] inside a number (the 5 of 35 or of 3.5, not of "...5")? */
export function continuesNumber(text: string, at: number): boolean {
  const before = text[at - 1] ?? "";
  if (before >= "0" && before <= "9") return true;
  const twoBefore = text[at - 2] ?? "";
  return before === "." && twoBefore >= "0" && twoBefore <= "9";
}

/** A number at `at`, ASCII or Chinese, that does not start in the middle of another number. */
export function readNumber(text: string, at: number, scale: number): NumberRead | null {
  const before = text[at - 1];
  const ch = text[at];
  if (ch !== undefined && ch >= "0" && ch <= "9") {
    if (continuesNumber(text, at)) return null;
    return readDecimal(text, at, scale);
  }
  if (isCnNumeral(ch)) {
    if (isCnNumeral(before) && !isLiangUnit(text, at - 1)) return null;
    return readChineseNumber(text, at, scale);
  }
  return null;
}

/**
 * Is the 两 at `at` the unit (一两, 1两, 二两: a count stands before it)? Then a number may start
 * right after it (香菜 一两一块), as after any other unit.
 */
function isLiangUnit(text: string, at: number): boolean {
  if (text[at] !== "两") return false;
  const before = text[at - 1];
  return (before !== undefined && before >= "0" && before <= "9") || isCnNumeral(before);
}
