/**
 * Pure helpers of the grower page: exact yuan → fen, quantities typed by hand, dates and times in
 * the community's timezone, and the order of "my chains".
 *
 * The time helpers use Intl on purpose, not shared/dates.ts: that module sits in the resident
 * bundle, and using its date-fns functions from here would pull date-fns into that bundle too.
 */
import type { ChainView } from "../../../shared/views.js";

/** Full-width digits and Chinese decimal points, as phones type them, become ASCII. */
const normalise = (s: string) =>
  s
    .normalize("NFKC")
    .replace(/[。．]/g, ".")
    .replace(/\s+/g, "")
    .replace(/^[¥￥]/, "")
    .replace(/元$/, "");

/**
 * A price typed in yuan ("3.5", "３.５元", ".5") as integer fen, exactly: the decimal string is
 * split, never multiplied as a float. null when it is not a price with at most 2 decimals.
 */
export function yuanToFen(input: string): number | null {
  const m = /^(\d{0,7})(?:\.(\d{0,2}))?$/.exec(normalise(input));
  if (!m || (!m[1] && !m[2])) return null;
  const whole = Number(m[1] || "0");
  const cents = Number((m[2] ?? "").padEnd(2, "0"));
  return whole * 100 + cents;
}

export { fenToYuanInput } from "../../../shared/money.js";

/** A quantity typed by hand ("100", "2.5", "１０"), or null when it is not a plain number. */
export function parseQty(input: string): number | null {
  const s = normalise(input);
  if (!/^(\d{1,7}(\.\d{0,3})?|\.\d{1,3})$/.test(s)) return null;
  return Number(s);
}

// ---- dates and times in a timezone ---------------------------------------------------------
// Intl only, on purpose: the browser test fakes the phone's clock (21:10 in Shanghai), and
// @date-fns/tz's TZDate then formats in UTC. Unit tests check these agree with shared/dates.ts.

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(at: number, tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return {
    y: p.year ?? 1970,
    mo: p.month ?? 1,
    d: p.day ?? 1,
    h: (p.hour ?? 0) % 24,
    mi: p.minute ?? 0,
    s: p.second ?? 0,
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The calendar date (yyyy-MM-dd) at `at` in `tz`. */
export function dateIn(tz: string, at: number = Date.now()): string {
  const p = partsIn(at, tz);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/** The time of day (HH:MM) at `at` in `tz`. */
export function timeOfDayIn(tz: string, at: number): string {
  const p = partsIn(at, tz);
  return `${pad(p.h)}:${pad(p.mi)}`;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const at = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days, 12));
  return at.toISOString().slice(0, 10);
}

/** How far `tz` is ahead of UTC at `at`, in ms. */
function offsetAt(at: number, tz: string): number {
  const p = partsIn(at, tz);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(at / 1000) * 1000;
}

/** Epoch ms of `date` at `time` (HH:MM) in `tz`. */
export function zonedTime(date: string, time: string, tz: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  // Two passes settle the offset on either side of a DST change.
  const first = wall - offsetAt(wall, tz);
  return wall - offsetAt(first, tz);
}

/** The end of `date` (the next midnight) in `tz`: a cutoff may not be later. */
export const endOfDate = (date: string, tz: string) => zonedTime(addDays(date, 1), "00:00", tz);

/** The first pickup of a delivery: the earliest window start of the chosen drop points. */
export function firstPickupOf(
  deliveryDate: string,
  windows: readonly { start: string }[],
  tz: string,
): number | null {
  const starts = windows.map((w) => zonedTime(deliveryDate, w.start, tz));
  return starts.length ? Math.min(...starts) : null;
}

export const DEFAULT_CUTOFF_TIME = "20:00";
const HALF_HOUR = 30 * 60_000;
/** A cutoff sooner than this leaves residents no time to order: propose a later one. */
const MIN_LEAD = 30 * 60_000;

export interface CutoffProposal {
  /** Epoch ms. */
  at: number;
  /** The usual 20:00 the evening before had passed (or was about to): this is a later time. */
  moved: boolean;
}

/**
 * The cutoff to fill in for a delivery date: 20:00 the evening before, as the server would default
 * it. If that has passed (or is less than half an hour away), about an hour from now, on the half
 * hour, and never after the end of the delivery date nor at or after `firstPickup` (the delivery's
 * first pickup window, when known). null when no cutoff is possible any more.
 */
export function proposeCutoff(
  deliveryDate: string,
  tz: string,
  now: number,
  firstPickup: number | null = null,
): CutoffProposal | null {
  const usual = zonedTime(addDays(deliveryDate, -1), DEFAULT_CUTOFF_TIME, tz);
  if (usual - now >= MIN_LEAD) return { at: usual, moved: false };
  const end = Math.min(endOfDate(deliveryDate, tz), firstPickup ?? Number.POSITIVE_INFINITY);
  const at = Math.min(Math.ceil((now + 2 * HALF_HOUR) / HALF_HOUR) * HALF_HOUR, end - HALF_HOUR);
  return at - now >= MIN_LEAD / 3 ? { at, moved: true } : null;
}

// ---- my chains -------------------------------------------------------------------------------

/** The latest chain: latest delivery date, then the one posted last. */
export function latestChain(chains: ChainView[]): ChainView | null {
  let best: ChainView | null = null;
  for (const c of chains) {
    if (
      !best ||
      c.deliveryDate > best.deliveryDate ||
      (c.deliveryDate === best.deliveryDate && c.createdAt > best.createdAt)
    ) {
      best = c;
    }
  }
  return best;
}

/** Today's and tomorrow's chains first (soonest first), then the rest, newest first. */
export function sortMyChains(chains: ChainView[], today: string): ChainView[] {
  const tomorrow = addDays(today, 1);
  const soon = (c: ChainView) => c.deliveryDate === today || c.deliveryDate === tomorrow;
  return chains.slice().sort((a, b) => {
    const sa = soon(a);
    const sb = soon(b);
    if (sa !== sb) return sa ? -1 : 1;
    if (a.deliveryDate !== b.deliveryDate) {
      return sa
        ? a.deliveryDate < b.deliveryDate
          ? -1
          : 1
        : a.deliveryDate > b.deliveryDate
          ? -1
          : 1;
    }
    return b.createdAt - a.createdAt;
  });
}

/** Whether the grower may still change prices and stock (the server's rule, PATCH §5.17). */
export { growerCanEdit as editable } from "../../../shared/chain-status.js";
