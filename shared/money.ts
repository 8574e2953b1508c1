/**
 * Money is integer fen everywhere; these are the one way it is written out. Integer arithmetic
 * only: no float ever stands between a price and its text.
 */

function parts(fen: number): { sign: string; whole: number; cents: number } {
  const abs = Math.abs(Math.round(fen));
  return { sign: fen < 0 ? "-" : "", whole: Math.floor(abs / 100), cents: abs % 100 };
}

/**
 * The one formatter for people: ¥4, ¥3.50, -¥1.20 — whole yuan without decimals, otherwise two.
 * Screens, print sheets and the WeChat text all use it.
 */
export function yuan(fen: number): string {
  const { sign, whole, cents } = parts(fen);
  return `${sign}¥${whole}${cents ? `.${String(cents).padStart(2, "0")}` : ""}`;
}

/** For spreadsheet cells: "3.50", "4.00" — a column of money always has two decimals. */
export function yuanDecimal(fen: number): string {
  const { sign, whole, cents } = parts(fen);
  return `${sign}${whole}.${String(cents).padStart(2, "0")}`;
}

/** Fen as a yuan string for an input field: 350 → "3.5", 300 → "3", 305 → "3.05". */
export function fenToYuanInput(fen: number): string {
  const { sign, whole, cents } = parts(fen);
  if (cents === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(cents).padStart(2, "0").replace(/0$/, "")}`;
}
