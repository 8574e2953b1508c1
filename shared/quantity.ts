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

/**
 * A quantity as a resident types it for an item sold in `unit`: "1.5", "1.5斤", "半斤" (0.5),
 * "1斤半" (1.5), "２" — exact thousandths, else null. Only the item's own unit may follow the
 * number: "3两" on an item sold by 斤 is not read as 3斤. An empty text is 0.
 */
export function readTypedQty(text: string, unit: string): number | null {
  let s = text.replace(/½/g, "半").normalize("NFKC").replace(/\s+/g, "").toLowerCase();
  const u = unit.trim().normalize("NFKC").toLowerCase();
  if (s === "") return 0;
  let half = 0;
  const takeHalf = () => {
    if (half === 0 && s.endsWith("半")) {
      half = 0.5;
      s = s.slice(0, -1);
    }
  };
  takeHalf(); // 1斤半, 1½
  if (u && s.endsWith(u)) s = s.slice(0, -u.length);
  takeHalf(); // 半斤
  if (s === "") return half || null;
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(s) || (half && s.includes("."))) return null;
  const milli = toMilli(Number(s));
  return milli === null ? null : fromMilli(milli + half * MILLI);
}

/** Whether `qty` is a whole number of `step`s (both exact thousandths). */
export function onStep(qty: number, step: number): boolean {
  const q = toMilli(qty);
  const st = toMilli(step);
  return q !== null && st !== null && st > 0 && q % st === 0;
}
