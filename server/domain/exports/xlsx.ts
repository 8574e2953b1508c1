/** The XLSX download: one worksheet per drop point, money as numbers in yuan (format 0.00). */
import ExcelJS from "exceljs";
import type { ExportBook, ExportLang, ExportSheet } from "./book.js";
import { type Cell, cellText, header, layout, SHEET_COLUMNS, text, WORDS } from "./columns.js";

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
          unmet: { kind: "number", value: t.unmet },
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
