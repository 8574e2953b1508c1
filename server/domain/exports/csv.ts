/** The CSV download: UTF-8 with a BOM for Excel, RFC 4180 quoting, text guarded from formulas. */
import type { ExportBook, ExportLang } from "./book.js";
import { type Cell, CSV_COLUMNS, cellText, header, layout, text, WORDS } from "./columns.js";

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

function csvCell(cell: Cell, lang: ExportLang): string {
  const shown = cellText(cell, lang);
  return cell.kind === "text" || cell.kind === "code" ? guardFormula(shown) : shown;
}

/**
 * Header, one record per entry line (drop point by drop point), then (a chain's export) one
 * record per drop point and item the waitlist still wants, then one totals record.
 */
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
    ...book.sheets.flatMap((s) =>
      (s.waitlist ?? []).map((w) =>
        layout(CSV_COLUMNS, {
          dropPoint: text(s.dropPoint.name),
          chainTitle: text(w.chainTitle),
          growerName: text(w.growerName),
          item: text(w.name),
          unit: text(w.unit),
          unmet: { kind: "number", value: w.qty },
        }).map((c) => csvCell(c, lang)),
      ),
    ),
    total.map((c) => csvCell(c, lang)),
  ];
  return csvText(records);
}
