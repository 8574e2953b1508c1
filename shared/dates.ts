import { TZDate } from "@date-fns/tz";
import { addDays, format } from "date-fns";

export { isValidTimeZone } from "./timezone.js";

export const DEFAULT_TIMEZONE = "Asia/Shanghai";

/** A real calendar date written yyyy-MM-dd (2026-02-30 is not). */
export function isIsoDate(s: string | null | undefined): s is string {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const at = new Date(`${s}T12:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === s;
}
/** Cutoff default: 20:00 on the evening before delivery, in the community's timezone. */
export const DEFAULT_CUTOFF_HOUR = 20;

/** The calendar date (yyyy-MM-dd) at `at` in `tz`. */
export function dateIn(tz: string, at: number = Date.now()): string {
  return format(new TZDate(at, tz), "yyyy-MM-dd");
}

export function addDaysToDate(date: string, days: number): string {
  const [y, m, d] = splitDate(date);
  return format(addDays(new Date(Date.UTC(y, m - 1, d, 12)), days), "yyyy-MM-dd");
}

export function tomorrowIn(tz: string, at: number = Date.now()): string {
  return addDaysToDate(dateIn(tz, at), 1);
}

/** Epoch ms of `date` at hh:mm in `tz`. */
export function zonedTime(date: string, hour: number, minute: number, tz: string): number {
  const [y, m, d] = splitDate(date);
  return new TZDate(y, m - 1, d, hour, minute, 0, 0, tz).getTime();
}

export function defaultCutoff(deliveryDate: string, tz: string): number {
  return zonedTime(addDaysToDate(deliveryDate, -1), DEFAULT_CUTOFF_HOUR, 0, tz);
}

/** Epoch ms of the end of `date` (the next midnight) in `tz`. */
export function endOfDate(date: string, tz: string): number {
  return zonedTime(addDaysToDate(date, 1), 0, 0, tz);
}

/** ISO 8601 with the zone's offset, e.g. 2026-11-28T20:00:00+08:00. */
export function isoInZone(at: number, tz: string): string {
  return format(new TZDate(at, tz), "yyyy-MM-dd'T'HH:mm:ssXXX");
}

function splitDate(date: string): [number, number, number] {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) throw new RangeError(`not a date: ${date}`);
  return [y, m, d];
}

/**
 * The first pickup of a delivery: epoch ms of the earliest window start (HH:MM) on `date` in `tz`.
 * A cutoff must come before it, or residents could still order while others collect. null
 * without windows.
 */
export function firstPickupAt(
  date: string,
  windows: readonly { start: string }[],
  tz: string,
): number | null {
  let first: number | null = null;
  for (const w of windows) {
    const [h, m] = w.start.split(":").map(Number);
    const at = zonedTime(date, h ?? 0, m ?? 0, tz);
    if (first === null || at < first) first = at;
  }
  return first;
}
