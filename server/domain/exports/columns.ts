/**
 * The columns of every download and the words of their headers, in Chinese and English, and
 * what each kind of cell shows as text. Money is in yuan with two decimals: the exact text "3.50"
 * made from integer fen (XLSX keeps a number with the format 0.00), because that is what
 * volunteers read and type. Quantities are numbers in the item's unit.
 */
import { yuanDecimal } from "../../../shared/money.js";
import type { ExportLang, ExportRow } from "./book.js";

export type Cell =
  | { kind: "text"; value: string }
  /** Digits that must stay text (pickup code "0054", phone). */
  | { kind: "code"; value: string }
  | { kind: "number"; value: number | null }
  | { kind: "money"; fen: number | null }
  | { kind: "flag"; value: boolean };

export const text = (value: string): Cell => ({ kind: "text", value });

export const COLUMNS = [
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
  // Last, so the columns before it keep their places: only waitlist rows and item totals fill it.
  ["unmet", "候补未满足", "Waitlist unmet", (r) => ({ kind: "number", value: r.unmet })],
] as const satisfies readonly (readonly [string, string, string, (r: ExportRow) => Cell])[];

export type ColumnKey = (typeof COLUMNS)[number][0];
export type Column = (typeof COLUMNS)[number];

/** The CSV has every column; a sheet is one drop point, so it leaves the drop point out. */
export const CSV_COLUMNS: readonly Column[] = COLUMNS;
export const SHEET_COLUMNS: readonly Column[] = COLUMNS.filter((c) => c[0] !== "dropPoint");

export const WORDS = {
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

export const header = (columns: readonly Column[], lang: ExportLang) =>
  columns.map((c) => (lang === "zh" ? c[1] : c[2]));

/** A row of cells laid out on `columns`: the named cells, empty text elsewhere. */
export function layout(
  columns: readonly Column[],
  cells: Partial<Record<ColumnKey, Cell>>,
): Cell[] {
  return columns.map((c) => cells[c[0]] ?? text(""));
}

/** What a cell shows, as text. */
export function cellText(cell: Cell, lang: ExportLang): string {
  switch (cell.kind) {
    case "text":
    case "code":
      return cell.value;
    case "number":
      return cell.value === null ? "" : String(cell.value);
    case "money":
      return cell.fen === null ? "" : yuanDecimal(cell.fen);
    case "flag":
      return cell.value ? WORDS[lang].yes : WORDS[lang].no;
  }
}
