/**
 * The check-off and packing pages' pure logic: grouping and merging live entries, the check-off
 * summary, finding a resident, reading a scanned code and a typed weight. No DOM, no network.
 */
import { LIMITS } from "../../../shared/limits.js";
import {
  checkOffOf,
  compareText,
  groupResidents as groupShared,
  isNewer,
  residentKey,
} from "../../../shared/pickup.js";
import { isWeightUnit, lineAmountFen, toMilli } from "../../../shared/quantity.js";
import type { StaffEntry } from "../../../shared/views.js";
import { timeIn } from "../format.js";

/** Dates in the community's time zone (date-fns, loaded only with this page). */
export {
  addDaysToDate as addDays,
  dateIn as dateInZone,
  isIsoDate,
} from "../../../shared/dates.js";
export { newRequestId } from "../../../shared/ids.js";
/** 08:12, in the community's zone. */
export { compareText, isNewer, isWeightUnit, lineAmountFen, residentKey, timeIn as clock };

// ---- entries --------------------------------------------------------------------------------

type Entry = StaffEntry;

export const entryKey = (e: { chainId: string; no: number }) => `${e.chainId}/${e.no}`;

export interface Resident<E extends Entry> {
  key: string;
  name: string;
  building: string;
  phone: string | null;
  entries: E[];
  amountFen: number;
}

/** Residents sorted by building, then their first number; their entries by number. */
export function groupResidents<E extends Entry>(entries: E[]): Resident<E>[] {
  return groupShared(entries).map((r) => ({ ...r, key: residentKey(r) }));
}

/**
 * Apply one change (a live event or an ack) to the list. An older copy never replaces a newer
 * one: events and acks of the same change may arrive in either order.
 */
export function mergeEntry<E extends Entry>(
  entries: E[],
  incoming: E,
  change: "upsert" | "remove",
): E[] {
  const key = entryKey(incoming);
  const at = entries.findIndex((e) => entryKey(e) === key);
  const current = at >= 0 ? entries[at] : undefined;
  if (current && isNewer(current, incoming)) return entries;
  const keep = change === "upsert" && incoming.status === "active";
  if (!current) return keep ? [...entries, incoming] : entries;
  const next = [...entries];
  if (keep) next[at] = incoming;
  else next.splice(at, 1);
  return next;
}

/** Bags collected / waiting / no-show and money paid / unpaid: the server's rule, recomputed. */
export const summarize = checkOffOf;

export const isWaiting = (e: Entry) => !e.checks.collected && !e.checks.noShow;

// ---- finding a resident ----------------------------------------------------------------------

/** Full-width to ASCII (３-２０１ → 3-201), lower case, single spaces. */
export function normalize(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

const digitsOf = (s: string) => s.replace(/\D/g, "");

/**
 * What a label's QR code (or a scanner) gave: the pickup code itself, or a link carrying it
 * (…?code=5054). Anything else is searched as typed.
 */
export function readScan(raw: string): string {
  const text = raw.normalize("NFKC").trim();
  try {
    const url = new URL(text);
    const code = url.searchParams.get("code") ?? url.searchParams.get("pickupCode");
    if (code) return code.trim();
  } catch {
    // Not a link.
  }
  return text;
}

export type MatchReason = "name" | "building" | "code" | "phone" | "no";

export interface Match {
  reasons: Set<MatchReason>;
  /** An entry's pickup code is exactly what was typed or scanned. */
  exactCode: boolean;
}

/** Does a resident match the query? Name, building, pickup code, phone's last digits, or #number. */
export function matchResident(r: Resident<Entry>, query: string): Match | null {
  const q = normalize(query);
  const reasons = new Set<MatchReason>();
  if (!q) return { reasons, exactCode: false };
  const digits = digitsOf(q);
  const onlyDigits = /^[\d\s-]+$/.test(q) && digits.length > 0;
  let exactCode = false;

  if (normalize(r.name).includes(q)) reasons.add("name");
  const building = normalize(r.building);
  if (building.includes(q) || (onlyDigits && digits.length >= 2 && digitsOf(building) === digits))
    reasons.add("building");
  // A pickup code is typed or scanned as bare digits; "3-201" is a building, never a code.
  const codeLike = /^\d+$/.test(q);
  if (onlyDigits) {
    for (const e of r.entries) {
      if (!codeLike) break;
      if (e.pickupCode === digits) exactCode = true;
      if (digits.length >= 2 && e.pickupCode.startsWith(digits)) reasons.add("code");
    }
    const phones = r.entries.map((e) => e.phone).filter((p): p is string => !!p);
    if (digits.length >= 3 && phones.some((p) => digitsOf(p).endsWith(digits)))
      reasons.add("phone");
  }
  const no = /^#\s*(\d+)$/.exec(q)?.[1];
  if (no && r.entries.some((e) => e.no === Number(no))) reasons.add("no");
  return reasons.size > 0 ? { reasons, exactCode } : null;
}

/** The residents matching a query, exact pickup codes first, otherwise in list order. */
export function findResidents<E extends Entry>(
  residents: Resident<E>[],
  query: string,
): { resident: Resident<E>; match: Match }[] {
  const found: { resident: Resident<E>; match: Match }[] = [];
  for (const resident of residents) {
    const match = matchResident(resident, query);
    if (match) found.push({ resident, match });
  }
  return found.sort((a, b) => Number(b.match.exactCode) - Number(a.match.exactCode));
}

// ---- weights -----------------------------------------------------------------------------------

export type WeightInput =
  | { ok: true; value: number | null }
  | { ok: false; problem: "format" | "zero" | "tooBig" };

/**
 * A typed weight: "1.85", "1,85", "１．８５" → 1.85; empty clears it (null). At most 3 decimals,
 * more than 0, at most the largest quantity.
 */
export function parseWeight(text: string): WeightInput {
  const s = text
    .normalize("NFKC")
    .trim()
    .replace(/[,，。]/g, ".");
  if (s === "") return { ok: true, value: null };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) return { ok: false, problem: "format" };
  const value = Number(s);
  if (!Number.isFinite(value) || toMilli(value) === null) return { ok: false, problem: "format" };
  if (value <= 0) return { ok: false, problem: "zero" };
  if (value > LIMITS.qtyMax) return { ok: false, problem: "tooBig" };
  return { ok: true, value };
}

/** The amount a line will cost at this weight: the one rounding rule (half up to the fen). */
export function amountAt(priceFen: number, weight: number): number {
  return lineAmountFen(priceFen, toMilli(weight) ?? Math.round(weight * 1000));
}
