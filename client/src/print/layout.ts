/**
 * Paper geometry of the print views, in millimetres. The CSS takes these numbers through custom
 * properties (see `paperVars`), and the print tests compute their page counts from them, so the
 * sheets and the tests cannot drift apart. Plain numbers only: the tests import this file in Node.
 */

export const A4 = { width: 210, height: 297 } as const;

/** Pickup sheet: A4 portrait; the page number sits in the bottom margin. */
export const SHEET = {
  marginTop: 9,
  marginBottom: 11,
  marginSide: 10,
  /** The header repeated on every page: title block + column heads (the table's thead). */
  headMm: 16,
  colHeadMm: 6,
  /** Each resident's row is at least this tall (room to tick by hand); more lines make it taller. */
  rowMm: 10,
  /** Footer after the last row, kept whole: gap + title + one line per item + the grand total. */
  footGapMm: 4,
  footTitleMm: 8,
  footRowMm: 6,
  footTotalMm: 9,
} as const;

/** Height of the page area that rows can fill, below the repeated header. */
export const sheetRowsArea = (): number =>
  A4.height - SHEET.marginTop - SHEET.marginBottom - SHEET.headMm - SHEET.colHeadMm;

/** How many one- or two-line resident rows fit on one page of a pickup sheet. */
export const rowsPerPage = (): number => Math.floor(sheetRowsArea() / SHEET.rowMm);

/** Height of the footer (per-item totals and grand total) for a list with `items` item lines. */
export const footHeight = (items: number): number =>
  SHEET.footGapMm + SHEET.footTitleMm + items * SHEET.footRowMm + SHEET.footTotalMm;

/**
 * Pages one drop point's sheet takes when every row is a minimum-height row: full pages of rows,
 * and one more page when the footer does not fit below the last rows.
 */
export function sheetPages(rows: number, items: number): number {
  const perPage = rowsPerPage();
  const pages = Math.max(1, Math.ceil(rows / perPage));
  const lastRows = rows - (pages - 1) * perPage;
  const free = sheetRowsArea() - lastRows * SHEET.rowMm;
  return free >= footHeight(items) ? pages : pages + 1;
}

/** Thermal labels: one 60×40 mm label per page. */
export const THERMAL = { width: 60, height: 40 } as const;

/** A4 sticker sheets: 3 columns × 8 rows of 70×37 mm, no gaps, 0.5 mm top and bottom. */
export const STICKERS = {
  columns: 3,
  rows: 8,
  width: 70,
  height: 37,
  marginTop: 0.5,
} as const;

export const stickersPerSheet = (): number => STICKERS.columns * STICKERS.rows;

/** CSS custom properties carrying the numbers above into print.css. */
export function paperVars(): Record<string, string> {
  const mm = (n: number) => `${n}mm`;
  return {
    "--sheet-head": mm(SHEET.headMm),
    "--sheet-colhead": mm(SHEET.colHeadMm),
    "--sheet-row": mm(SHEET.rowMm),
    "--foot-gap": mm(SHEET.footGapMm),
    "--foot-title": mm(SHEET.footTitleMm),
    "--foot-row": mm(SHEET.footRowMm),
    "--foot-total": mm(SHEET.footTotalMm),
    "--thermal-w": mm(THERMAL.width),
    "--thermal-h": mm(THERMAL.height),
    "--sticker-w": mm(STICKERS.width),
    "--sticker-h": mm(STICKERS.height),
  };
}
