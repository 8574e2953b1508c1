/**
 * What every download is made of: one row per entry line (one item of one resident's entry), so
 * Excel can filter, sort, sum and pivot the columns. The entry's own fields (number, pickup code,
 * name, building, phone, marks) repeat on each of its lines. Totals come from the server's
 * aggregates, not from summing the rows, so a check of the rows against the totals row is a real
 * check. A book is a day's pickup lists (a sheet per drop point) or a chain's orders. Pure.
 */
import { isoInZone } from "../../../shared/dates.js";
import { checkOffOf } from "../../../shared/pickup.js";
import type {
  ChainView,
  CheckOffSummary,
  CommunityView,
  DropPointView,
  HarvestList,
  LoadList,
  PickupList,
  StaffEntry,
} from "../../../shared/views.js";

export const EXPORT_LANGS = ["zh", "en"] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

/** One line of one entry, as a row of the CSV or of a sheet. */
export interface ExportRow {
  dropPoint: string;
  chainTitle: string;
  growerName: string;
  no: number;
  pickupCode: string;
  name: string;
  building: string;
  /** "" when the entry has no phone. */
  phone: string;
  item: string;
  unit: string;
  /** Ordered, in the item's unit. */
  qty: number;
  /** Weighed, or null. */
  actualQty: number | null;
  priceFen: number;
  /** Due: follows the actual weight when there is one. */
  amountFen: number;
  collected: boolean;
  paid: boolean;
  noShow: boolean;
  late: boolean;
  /** For a late entry: who made the late change and when, "王主任 2026-11-29 08:12". */
  lateBy: string;
  /** Only on a waitlist row (a chain's export): units still wanted on the waitlist. */
  unmet: number | null;
}

export interface SheetItemTotal {
  chainTitle: string;
  growerName: string;
  name: string;
  unit: string;
  /** Ordered quantity. */
  qty: number;
  amountFen: number;
  /** Still wanted on the waitlist for delivery here (a chain's export), or null. */
  unmet: number | null;
}

/** One drop point: a worksheet of the XLSX, a run of rows of the CSV. */
export interface ExportSheet {
  dropPoint: DropPointView;
  rows: ExportRow[];
  items: SheetItemTotal[];
  /** A chain's export: what the waitlist still wants delivered here, per item (unmet demand). */
  waitlist?: { chainTitle: string; growerName: string; name: string; unit: string; qty: number }[];
  entries: number;
  amountFen: number;
  checkOff: CheckOffSummary;
}

export interface ExportBook {
  lang: ExportLang;
  /** Printed at the top of every page of a sheet, before the drop point. */
  heading: string;
  /** The download's name without extension, in the user's words (may be Chinese). */
  fileName: string;
  /** The same for clients that only read an ASCII file name. */
  asciiName: string;
  sheets: ExportSheet[];
  entries: number;
  amountFen: number;
}

export interface RowContext {
  dropPoint: string;
  chainTitle: string;
  growerName: string;
  timezone: string;
  item(itemId: string): { name: string; unit: string };
}

/** "2026-11-29 08:12" in the community's time zone. */
function localTime(at: number, timezone: string): string {
  return isoInZone(at, timezone).slice(0, 16).replace("T", " ");
}

export function entryRows(e: StaffEntry, cx: RowContext): ExportRow[] {
  const lateMark = e.late ? (e.changedBy ?? e.addedBy) : null;
  return e.lines.map((l) => {
    const item = cx.item(l.itemId);
    return {
      dropPoint: cx.dropPoint,
      chainTitle: cx.chainTitle,
      growerName: cx.growerName,
      no: e.no,
      pickupCode: e.pickupCode,
      name: e.name,
      building: e.building,
      phone: e.phone ?? "",
      item: item.name,
      unit: item.unit,
      qty: l.qty,
      actualQty: l.actualQty,
      priceFen: l.priceFen,
      amountFen: l.amountFen,
      collected: e.checks.collected !== null,
      paid: e.checks.paid !== null,
      noShow: e.checks.noShow !== null,
      late: e.late,
      lateBy: lateMark ? `${lateMark.name} ${localTime(lateMark.at, cx.timezone)}` : "",
      unmet: null,
    };
  });
}

/** Ordinary file names: no path separators, no characters Windows refuses, no controls. */
function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\p{Cc}]/gu, "_");
}

/**
 * A day: one sheet per pickup list, in the order given (the community's drop points), each in
 * the pickup list's order (building, then chain number).
 */
export function dayBook(
  community: CommunityView,
  date: string,
  lists: PickupList[],
  lang: ExportLang,
): ExportBook {
  const sheets = lists.map((list): ExportSheet => {
    const labels = new Map<string, { name: string; unit: string }>();
    for (const i of list.items) labels.set(`${i.chainId}\u0000${i.itemId}`, i);
    const chains = new Map<string, { chainTitle: string; growerName: string }>();
    const rows = list.residents.flatMap((r) =>
      r.entries.flatMap((e) => {
        chains.set(e.chainId, { chainTitle: e.chainTitle, growerName: e.growerName });
        return entryRows(e, {
          dropPoint: list.dropPoint.name,
          chainTitle: e.chainTitle,
          growerName: e.growerName,
          timezone: community.timezone,
          item: (itemId) => labels.get(`${e.chainId}\u0000${itemId}`) ?? { name: itemId, unit: "" },
        });
      }),
    );
    return {
      dropPoint: list.dropPoint,
      rows,
      items: list.items.map((i) => ({
        chainTitle: chains.get(i.chainId)?.chainTitle ?? "",
        growerName: chains.get(i.chainId)?.growerName ?? "",
        name: i.name,
        unit: i.unit,
        qty: i.qty,
        amountFen: i.amountFen,
        unmet: null,
      })),
      entries: list.totals.entries,
      amountFen: list.totals.amountFen,
      checkOff: list.checkOff,
    };
  });
  const name = safeFileName(community.name);
  return {
    lang,
    heading: `${community.name} · ${date}`,
    fileName: lang === "zh" ? `${name}-${date}-取货单` : `${name}-${date}-pickup-lists`,
    asciiName: `pickup-lists-${date}`,
    sheets,
    entries: sheets.reduce((s, x) => s + x.entries, 0),
    amountFen: sheets.reduce((s, x) => s + x.amountFen, 0),
  };
}

/**
 * A chain: one sheet per drop point it serves (empty ones included), active entries only, each
 * drop point's entries by chain number (the grower's 接龙 order). Totals from the load and harvest
 * lists.
 */
export function chainBook(
  chain: ChainView,
  entries: StaffEntry[],
  load: LoadList,
  harvest: HarvestList,
  lang: ExportLang,
): ExportBook {
  const items = new Map(chain.items.map((i) => [i.id, { name: i.name, unit: i.unit }]));
  const active = entries.filter((e) => e.status === "active").sort((a, b) => a.no - b.no);
  const label = { chainTitle: chain.title, growerName: chain.grower.name };
  const sheets = load.dropPoints.map(({ dropPoint, bags, amountFen, items: totals, unmet }) => {
    const here = active.filter((e) => e.dropPointId === dropPoint.id);
    const wanted = new Map(unmet.map((u) => [u.itemId, u.qty]));
    return {
      dropPoint,
      rows: here.flatMap((e) =>
        entryRows(e, {
          dropPoint: dropPoint.name,
          ...label,
          timezone: chain.timezone,
          item: (itemId) => items.get(itemId) ?? { name: itemId, unit: "" },
        }),
      ),
      items: totals
        .filter((t) => t.qty !== 0 || wanted.has(t.itemId))
        .map((t) => ({
          ...label,
          name: t.name,
          unit: t.unit,
          qty: t.qty,
          amountFen: t.amountFen,
          unmet: wanted.get(t.itemId) ?? null,
        })),
      waitlist: unmet.map((u) => ({ ...label, name: u.name, unit: u.unit, qty: u.qty })),
      entries: bags,
      amountFen,
      checkOff: checkOffOf(here),
    };
  });
  const name = safeFileName(chain.title);
  const date = chain.deliveryDate;
  return {
    lang,
    heading: `${chain.title} · ${chain.grower.name} · ${date}`,
    fileName: lang === "zh" ? `${name}-${date}-订单` : `${name}-${date}-orders`,
    asciiName: `orders-${date}-${chain.id}`,
    sheets,
    entries: harvest.totals.entries,
    amountFen: harvest.totals.amountFen,
  };
}
