/**
 * Downloads for spreadsheets: a day's pickup lists (every drop point) and a chain's orders, as
 * CSV and as XLSX. The JSON of the same data is the existing API (pickup lists, chain entries).
 *
 * One row per entry line (one item of one resident's entry): every row has one item, one unit,
 * its ordered and actual quantity and its amount due, so Excel can filter, sort, sum and pivot
 * the columns. The entry's own fields (number, pickup code, name, building, phone, marks) repeat
 * on each of its lines. Totals come from the server's aggregates, not from summing the rows, so
 * a check of the rows against the totals row is a real check.
 *
 * Money is in yuan with two decimals (CSV: the exact text "3.50" made from integer fen; XLSX: a
 * number with the format 0.00), because that is what volunteers read and type. Quantities are
 * numbers in the item's unit.
 *
 * Builders (`dayBook`, `chainBook`, `toCsv`, `toXlsx`, …) are pure; `exportDay` and
 * `exportChain` are the use cases behind the routes, with the access checks of the JSON routes
 * they read from.
 */
import ExcelJS from "exceljs";
import { isoInZone } from "../../shared/dates.js";
import type { SessionInfo } from "../../shared/events.js";
import { checkOffOf } from "../../shared/pickup.js";
import type {
  ChainView,
  CheckOffSummary,
  CommunityView,
  DropPointView,
  HarvestList,
  LoadList,
  PickupList,
  StaffEntry,
} from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { getChainView, harvestList, listStaffEntries, loadList } from "./chains.js";
import { getCommunity } from "./communities.js";
import { buildPickupList, dayOverview } from "./pickup-list.js";

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_LANGS = ["zh", "en"] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

// ---- the rows ---------------------------------------------------------------------------------

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
}

export interface SheetItemTotal {
  chainTitle: string;
  growerName: string;
  name: string;
  unit: string;
  /** Ordered quantity. */
  qty: number;
  amountFen: number;
}

/** One drop point: a worksheet of the XLSX, a run of rows of the CSV. */
export interface ExportSheet {
  dropPoint: DropPointView;
  rows: ExportRow[];
  items: SheetItemTotal[];
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
  const sheets = load.dropPoints.map(({ dropPoint, bags, amountFen, items: totals }) => {
    const here = active.filter((e) => e.dropPointId === dropPoint.id);
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
        .filter((t) => t.qty !== 0)
        .map((t) => ({ ...label, name: t.name, unit: t.unit, qty: t.qty, amountFen: t.amountFen })),
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

// ---- columns and words ----------------------------------------------------------------------

type Cell =
  | { kind: "text"; value: string }
  /** Digits that must stay text (pickup code "0054", phone). */
  | { kind: "code"; value: string }
  | { kind: "number"; value: number | null }
  | { kind: "money"; fen: number | null }
  | { kind: "flag"; value: boolean };

const text = (value: string): Cell => ({ kind: "text", value });

const COLUMNS = [
  ["dropPoint", "自提点", "Drop point", (r) => text(r.dropPoint)],
  ["chainTitle", "接龙", "Chain", (r) => text(r.chainTitle)],
  ["growerName", "农户", "Grower", (r) => text(r.growerName)],
  ["no", "接龙号", "No.", (r) => ({ kind: "number", value: r.no })],
  ["pickupCode", "取货码", "Pickup code", (r) => ({ kind: "code", value: r.pickupCode })],
  ["name", "姓名", "Name", (r) => text(r.name)],
  ["building", "楼栋门牌", "Building / room", (r) => text(r.building)],
  ["phone", "电话", "Phone", (r) => ({ kind: "code", value: r.phone })],
  ["item", "商品", "Item", (r) => text(r.item)],
  ["qty", "订购数量", "Ordered qty", (r) => ({ kind: "number", value: r.qty })],
  ["actualQty", "实际数量", "Actual qty", (r) => ({ kind: "number", value: r.actualQty })],
  ["unit", "单位", "Unit", (r) => text(r.unit)],
  ["price", "单价（元）", "Price (¥)", (r) => ({ kind: "money", fen: r.priceFen })],
  ["amount", "应付（元）", "Amount due (¥)", (r) => ({ kind: "money", fen: r.amountFen })],
  ["collected", "已取货", "Collected", (r) => ({ kind: "flag", value: r.collected })],
  ["paid", "已付款", "Paid", (r) => ({ kind: "flag", value: r.paid })],
  ["noShow", "未来取", "No-show", (r) => ({ kind: "flag", value: r.noShow })],
  ["late", "截单后改", "Late", (r) => ({ kind: "flag", value: r.late })],
  ["lateBy", "改单人", "Late change by", (r) => text(r.lateBy)],
] as const satisfies readonly (readonly [string, string, string, (r: ExportRow) => Cell])[];

type ColumnKey = (typeof COLUMNS)[number][0];
type Column = (typeof COLUMNS)[number];

/** The CSV has every column; a sheet is one drop point, so it leaves the drop point out. */
const CSV_COLUMNS: readonly Column[] = COLUMNS;
const SHEET_COLUMNS: readonly Column[] = COLUMNS.filter((c) => c[0] !== "dropPoint");

const WORDS = {
  zh: {
    yes: "是",
    no: "否",
    total: (entries: number) => `总计（${entries} 单）`,
    byItem: "按商品合计",
    paid: "已付款",
    unpaid: "未付款",
    noSheets: "没有自提点",
  },
  en: {
    yes: "yes",
    no: "no",
    total: (entries: number) => `Total (${entries} ${entries === 1 ? "entry" : "entries"})`,
    byItem: "Totals by item",
    paid: "Paid",
    unpaid: "Unpaid",
    noSheets: "No drop points",
  },
} as const;

const header = (columns: readonly Column[], lang: ExportLang) =>
  columns.map((c) => (lang === "zh" ? c[1] : c[2]));

/** A row of cells laid out on `columns`: the named cells, empty text elsewhere. */
function layout(columns: readonly Column[], cells: Partial<Record<ColumnKey, Cell>>): Cell[] {
  return columns.map((c) => cells[c[0]] ?? text(""));
}

// ---- CSV ------------------------------------------------------------------------------------

/**
 * Formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a
 * formula, so such text gets a leading apostrophe ("'=cmd"). Only text from people is guarded;
 * the numbers the server writes are never touched.
 */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** UTF-8 BOM (so Excel reads UTF-8), CRLF after every record. */
export function csvText(records: readonly (readonly string[])[]): string {
  return `\uFEFF${records.map((r) => `${r.map(csvField).join(",")}\r\n`).join("")}`;
}

/** 350 → "3.50": exact, from integer fen. */
export function yuanText(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** What a cell shows, as text. */
function cellText(cell: Cell, lang: ExportLang): string {
  switch (cell.kind) {
    case "text":
    case "code":
      return cell.value;
    case "number":
      return cell.value === null ? "" : String(cell.value);
    case "money":
      return cell.fen === null ? "" : yuanText(cell.fen);
    case "flag":
      return cell.value ? WORDS[lang].yes : WORDS[lang].no;
  }
}

function csvCell(cell: Cell, lang: ExportLang): string {
  const shown = cellText(cell, lang);
  return cell.kind === "text" || cell.kind === "code" ? guardFormula(shown) : shown;
}

/** Header, one record per entry line (drop point by drop point), then one totals record. */
export function toCsv(book: ExportBook): string {
  const { lang } = book;
  const total = layout(CSV_COLUMNS, {
    dropPoint: text(WORDS[lang].total(book.entries)),
    amount: { kind: "money", fen: book.amountFen },
  });
  const records = [
    header(CSV_COLUMNS, lang),
    ...book.sheets.flatMap((s) =>
      s.rows.map((r) => CSV_COLUMNS.map((c) => csvCell(c[3](r), lang))),
    ),
    total.map((c) => csvCell(c, lang)),
  ];
  return csvText(records);
}

// ---- XLSX -----------------------------------------------------------------------------------

const SHEET_NAME_MAX = 31;
/** Characters Excel refuses in a sheet name, and the full-width forms that stand in for them. */
const SHEET_NAME_SWAP: Record<string, string> = {
  "[": "［",
  "]": "］",
  ":": "：",
  "*": "＊",
  "?": "？",
  "/": "／",
  "\\": "＼",
};

/** The longest prefix of whole characters (no split surrogate pair) within `max` UTF-16 units. */
function clip(value: string, max: number): string {
  let out = "";
  for (const ch of value) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

const trimQuotes = (s: string) => s.replace(/^'+|'+$/g, "").trim();

/**
 * Sheet names Excel accepts, one per drop point name: at most 31 characters, none of []:*?/\,
 * not starting or ending with an apostrophe, not "History", unique regardless of case.
 */
export function sheetNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((raw) => {
    let base = trimQuotes([...raw].map((ch) => SHEET_NAME_SWAP[ch] ?? ch).join(""));
    if (!base) base = "Sheet";
    if (base.toLowerCase() === "history") base = `${base} 1`;
    let name = trimQuotes(clip(base, SHEET_NAME_MAX));
    for (let n = 2; used.has(name.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      name = `${trimQuotes(clip(base, SHEET_NAME_MAX - suffix.length))}${suffix}`;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

const MONEY_FORMAT = "0.00";

/** Columns wide enough for their text: CJK and other wide characters count double. */
function displayWidth(value: string): number {
  let w = 0;
  for (const ch of value) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
  return w;
}

function putCell(cell: ExcelJS.Cell, value: Cell, lang: ExportLang): void {
  switch (value.kind) {
    case "text":
      // A typed string cell is never run as a formula: no apostrophe needed here.
      cell.value = value.value || null;
      return;
    case "code":
      cell.value = value.value || null;
      cell.numFmt = "@";
      return;
    case "number":
      cell.value = value.value;
      return;
    case "money":
      cell.value = value.fen === null ? null : value.fen / 100;
      cell.numFmt = MONEY_FORMAT;
      return;
    case "flag":
      cell.value = value.value ? WORDS[lang].yes : WORDS[lang].no;
      return;
  }
}

/** Header/footer text: & starts a code there, so it is doubled. */
const pageText = (s: string) => s.replaceAll("&", "&&");

function addSheet(wb: ExcelJS.Workbook, name: string, sheet: ExportSheet, book: ExportBook) {
  const { lang } = book;
  const words = WORDS[lang];
  const columns = SHEET_COLUMNS;
  const ws = wb.addWorksheet(name, {
    views: [{ state: "frozen", ySplit: 1 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: "1:1",
    },
    headerFooter: {
      oddHeader: `&L${pageText(`${book.heading} · ${sheet.dropPoint.name}`)}&R${sheet.dropPoint.window.start}–${sheet.dropPoint.window.end}`,
      oddFooter: "&C&P / &N",
    },
  });
  const widths = header(columns, lang).map(displayWidth);
  const write = (cells: Cell[]) => {
    const row = ws.addRow([]);
    cells.forEach((value, i) => {
      putCell(row.getCell(i + 1), value, lang);
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cellText(value, lang)));
    });
    return row;
  };

  /** Styles the cells of a row, not the row (a row style runs across the whole sheet). */
  const bold = (row: ExcelJS.Row, fill = false) => {
    for (let i = 1; i <= columns.length; i++) {
      const cell = row.getCell(i);
      cell.font = { bold: true };
      if (fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
    }
  };

  bold(ws.addRow(header(columns, lang)), true);
  for (const r of sheet.rows) write(columns.map((c) => c[3](r)));
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: 1 + sheet.rows.length, column: columns.length },
  };

  ws.addRow([]);
  if (sheet.items.length) {
    bold(write(layout(columns, { chainTitle: text(words.byItem) })));
    for (const t of sheet.items) {
      write(
        layout(columns, {
          chainTitle: text(t.chainTitle),
          growerName: text(t.growerName),
          item: text(t.name),
          qty: { kind: "number", value: t.qty },
          unit: text(t.unit),
          amount: { kind: "money", fen: t.amountFen },
        }),
      );
    }
  }
  bold(
    write(
      layout(columns, {
        chainTitle: text(words.total(sheet.entries)),
        amount: { kind: "money", fen: sheet.amountFen },
      }),
    ),
  );
  write(
    layout(columns, {
      chainTitle: text(words.paid),
      amount: { kind: "money", fen: sheet.checkOff.paidFen },
    }),
  );
  write(
    layout(columns, {
      chainTitle: text(words.unpaid),
      amount: { kind: "money", fen: sheet.checkOff.unpaidFen },
    }),
  );

  columns.forEach((_, i) => {
    ws.getColumn(i + 1).width = Math.min(40, Math.max(6, (widths[i] ?? 0) + 2));
  });
}

/** One worksheet per drop point, named after it. */
export async function toXlsx(book: ExportBook): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Jielong";
  const names = sheetNames(book.sheets.map((s) => s.dropPoint.name));
  book.sheets.forEach((sheet, i) => {
    addSheet(wb, names[i] ?? `Sheet${i + 1}`, sheet, book);
  });
  // A workbook without a sheet does not open in Excel.
  if (!book.sheets.length) wb.addWorksheet(WORDS[book.lang].noSheets);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- files and use cases --------------------------------------------------------------------

export interface ExportFile {
  contentType: string;
  /** The Content-Disposition header: attachment, ASCII name and RFC 5987 UTF-8 name. */
  disposition: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** `attachment; filename="ascii.csv"; filename*=UTF-8''%E5%8F%96…` (RFC 6266, RFC 5987). */
export function contentDisposition(fileName: string, asciiName: string): string {
  const ascii = asciiName.replace(/[^A-Za-z0-9._-]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function renderBook(book: ExportBook, format: ExportFormat): Promise<ExportFile> {
  const body = format === "csv" ? Buffer.from(toCsv(book), "utf8") : await toXlsx(book);
  return {
    contentType: CONTENT_TYPES[format],
    disposition: contentDisposition(`${book.fileName}.${format}`, `${book.asciiName}.${format}`),
    body,
  };
}

/**
 * A day's pickup lists, every drop point of the community that is active or has entries that
 * day. Coordinators of the community only (the pickup list's rule).
 */
export async function exportDay(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
  format: ExportFormat,
  lang: ExportLang,
): Promise<ExportFile> {
  const overview = await dayOverview(ctx, session, communityId, date);
  const community = await getCommunity(ctx, session, communityId);
  const points = overview.dropPoints.filter((p) => p.dropPoint.active || p.entries > 0);
  const lists = await Promise.all(
    points.map((p) => buildPickupList(ctx, session, communityId, date, p.dropPoint.id)),
  );
  return renderBook(dayBook(community, date, lists, lang), format);
}

/** A chain's orders: the chain's grower or a coordinator of its community (as for /entries). */
export async function exportChain(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
  format: ExportFormat,
  lang: ExportLang,
): Promise<ExportFile> {
  const entries = await listStaffEntries(ctx, session, chainId);
  const [chain, load, harvest] = await Promise.all([
    getChainView(ctx, chainId),
    loadList(ctx, session, chainId),
    harvestList(ctx, session, chainId),
  ]);
  return renderBook(chainBook(chain, entries, load, harvest, lang), format);
}
