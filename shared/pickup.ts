/**
 * The rules of a pickup list, one copy for the server that builds it and the pages that keep it
 * live: who is one resident, the order residents and their entries are listed in, and the
 * check-off summary. Pure; it runs in the browser too.
 */
import type { CheckOffSummary } from "./views.js";

const collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });
/** Buildings and ids in the order people read them (3-2 before 3-10). */
export const compareText = (a: string, b: string) => collator.compare(a, b);

/** One resident is one (building, name) at a drop point, across every chain delivering there. */
export const residentKey = (e: { building: string; name: string }) =>
  `${e.building}\u0000${e.name}`;

/** Is `a` a later copy of the same entry than `b`? Versions order changes exactly; times may tie. */
export const isNewer = (a: { version: number }, b: { version: number }) => a.version > b.version;

interface ListedEntry {
  chainId: string;
  no: number;
  name: string;
  building: string;
  phone: string | null;
  amountFen: number;
}

export interface Grouped<E> {
  name: string;
  building: string;
  /** The first phone given among the resident's entries (in list order). */
  phone: string | null;
  entries: E[];
  amountFen: number;
}

/** Residents sorted by building, then their first number; each one's entries by number. */
export function groupResidents<E extends ListedEntry>(entries: readonly E[]): Grouped<E>[] {
  const groups = new Map<string, Grouped<E>>();
  const sorted = [...entries].sort((a, b) => a.no - b.no || compareText(a.chainId, b.chainId));
  for (const e of sorted) {
    const key = residentKey(e);
    const r = groups.get(key) ?? {
      name: e.name,
      building: e.building,
      phone: null,
      entries: [],
      amountFen: 0,
    };
    r.entries.push(e);
    r.amountFen += e.amountFen;
    r.phone ??= e.phone;
    groups.set(key, r);
  }
  const firstNo = (r: Grouped<E>) => Math.min(...r.entries.map((e) => e.no));
  return [...groups.values()].sort(
    (a, b) => compareText(a.building, b.building) || firstNo(a) - firstNo(b),
  );
}

interface CheckedEntry {
  status: "active" | "cancelled";
  amountFen: number;
  checks: { collected: unknown; paid: unknown; noShow: unknown };
}

/** Bags collected / waiting / no-show and money paid / unpaid, over the active entries. */
export function checkOffOf(entries: readonly CheckedEntry[]): CheckOffSummary {
  const sum: CheckOffSummary = { collected: 0, waiting: 0, noShow: 0, paidFen: 0, unpaidFen: 0 };
  for (const e of entries) {
    if (e.status !== "active") continue;
    if (e.checks.collected) sum.collected++;
    else if (e.checks.noShow) sum.noShow++;
    else sum.waiting++;
    if (e.checks.paid) sum.paidFen += e.amountFen;
    else sum.unpaidFen += e.amountFen;
  }
  return sum;
}
