/**
 * Quantities are exact: the store keeps them as integer thousandths of a unit ("milli"),
 * so 0.5 斤 is 500 and 1.5 kg is 1500. Money is integer fen.
 */
export const MILLI = 1000;

/** Units → thousandths, or null when the number is not a whole number of thousandths. */
export function toMilli(units: number): number | null {
  if (!Number.isFinite(units)) return null;
  const milli = Math.round(units * MILLI);
  // Exact: the thousandths, divided back, are the very number that was sent (0.1 → 100 → 0.1).
  return milli / MILLI === units ? milli : null;
}

export function fromMilli(milli: number): number {
  return milli / MILLI;
}

/**
 * The one rounding rule for money: a line costs price × quantity, rounded half up to the fen.
 * The Lua scripts use the same formula (lib.lua `line_amount`).
 */
export function lineAmountFen(priceFen: number, qtyMilli: number): number {
  return Math.floor((priceFen * qtyMilli + MILLI / 2) / MILLI);
}

/** 1.5 → "1.5", 2 → "2": quantities as people write them. */
export function formatQty(milli: number): string {
  return String(fromMilli(milli));
}

/** Units sold by weight: their lines can carry an actual weight. */
export const WEIGHT_UNITS = ["斤", "两", "公斤", "千克", "kg", "克", "g"] as const;

export function isWeightUnit(unit: string): boolean {
  return (WEIGHT_UNITS as readonly string[]).includes(unit.trim().toLowerCase());
}
