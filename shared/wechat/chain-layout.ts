/**
 * The shape of a copied 接龙: where numbered entries start (also in a flattened paste, all on one
 * line), where a building is, and which digits are phone numbers. Works on folded text
 * (text-view), so full-width digits and ① are already plain.
 */

export interface Marker {
  no: number;
  /** Where the number starts. */
  start: number;
  /** Where the entry's text starts (after the number, its mark and spaces). */
  end: number;
}

/** "12. ", "12、", "12)", "(12)" at the start of a line. */
const LINE_START = /[ \t]*(?:(\d{1,4})[ \t]*[.、)](?!\d)|\((\d{1,4})\))[ \t]*/y;
/** "12. " later in a line: only a dot, and only where a number may start. */
const IN_LINE = /(\d{1,4})\.(?!\d)[ \t]*/g;
/** Entries are numbered upwards; a flattened paste may skip or repeat a few. */
const MAX_SKIP = 5;

/** The entry numbers in text[start, end) (one line), given the last number seen before it. */
export function findMarkers(text: string, start: number, end: number, lastNo: number): Marker[] {
  const markers: Marker[] = [];
  let last = lastNo;
  LINE_START.lastIndex = start;
  const first = LINE_START.exec(text);
  let from = start;
  if (first && LINE_START.lastIndex <= end) {
    const no = Number(first[1] ?? first[2]);
    markers.push({ no, start, end: LINE_START.lastIndex });
    last = no;
    from = LINE_START.lastIndex;
  }
  // Search this line only: a search that ran on to the end of the text would be quadratic.
  const line = text.slice(0, end);
  IN_LINE.lastIndex = from;
  for (let m = IN_LINE.exec(line); m; m = IN_LINE.exec(line)) {
    const no = Number(m[1]);
    if (isInLineMarker(text, m.index, no, last)) {
      markers.push({ no, start: m.index, end: m.index + m[0].length });
      last = no;
    }
  }
  return markers;
}

function isInLineMarker(text: string, at: number, no: number, last: number): boolean {
  const before = text[at - 1] ?? "";
  if (/[\s]/u.test(before)) return no >= last && no <= last + MAX_SKIP;
  // Glued to the text before it (圣女果2盒2.冯姐): only the very next number.
  if (/[\d.a-z#¥-]/u.test(before)) return false;
  return no === last + 1;
}

// ---- phones -----------------------------------------------------------------------------------

/** Mobile numbers (138 1234 5678, +86-138…), landlines, and "尾号5678": never quantities. */
const PHONES = [
  /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/gu,
  /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/gu,
  /(?:手机|电话|联系|tel|phone|尾号)\s*[:]?\s*\d[\d\s-]{2,}\d/gu,
];

/**
 * Sums of money (6元, ¥6.5) and times (8点, 8:30, 明早8点半): numbers in an entry that are not
 * quantities. A sum right after an item (西红柿6元) leaves that item without a quantity, so the
 * entry still goes to review. 块 is not masked: 豆腐2块 may be a quantity.
 */
const NOT_QUANTITIES = [
  /¥\s*\d+(?:\.\d+)?(?:\s*元)?/gu,
  /(?<![\d.])\d+(?:\.\d+)?\s*元(?:钱)?/gu,
  /(?<![\d.])\d{1,2}:\d{2}(?!\d)/gu,
  /(?<![\d.])\d{1,2}\s*点(?:半|\d{1,2}分?)?/gu,
];

/** `text` with phone numbers blanked to spaces (same length). */
export function maskPhones(text: string): string {
  return blankAll(text, PHONES);
}

/** `text` with phone numbers, sums of money and times blanked to spaces (same length). */
export function maskNonQuantities(text: string): string {
  return blankAll(text, [...PHONES, ...NOT_QUANTITIES]);
}

function blankAll(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const pattern of patterns) {
    out = out.replace(pattern, (found) => " ".repeat(found.length));
  }
  return out;
}

// ---- buildings --------------------------------------------------------------------------------

/** 东区, A区, 二期 before a building number. */
const AREA = String.raw`(?:[东西南北中前后新老][区院]|[a-z]区|\d{1,2}期|[一二三四五六七八九十]期)`;
/** 3-201, 7-3-502, 10-1-301 (the last part is a room: two digits or more). */
const DASHED = String.raw`\d{1,4}(?:-\d{1,4}){0,2}-\d{2,4}(?:室|号)?`;
/** 5号楼302, 12栋1单元101, 13#502, 2号楼, 8号楼3单元, 5号楼 302 (a room of 3–4 digits). */
const TOWER = String.raw`\d{1,4}(?:号楼|号院|栋|幢|座|#|号|楼)(?:[-\s]?\d{1,2}(?:单元|门))?(?:(?:-?\d{1,4}|\s\d{3,4})(?:室|号|户)?)?`;
/** B座1203, A栋302 */
const LETTER_TOWER = String.raw`[a-z](?:座|栋|幢|号楼)-?\d{1,4}(?:室)?`;
const NOT_AFTER = String.raw`(?![\d.-]|\s*(?:点|时|:\d|斤|公斤|kg|克|g|元|块|个))`;
const BUILDING = new RegExp(
  String.raw`(?:(?:${AREA}|(?<![a-z\d.#¥-])[a-z]|(?<![\d.#¥-]))(?:${DASHED}|${TOWER})|(?<![a-z\d])${LETTER_TOWER})${NOT_AFTER}`,
  "u",
);

export interface Found {
  start: number;
  end: number;
}

/** The first building in text[from, to), or null. */
export function findBuilding(text: string, from: number, to: number): Found | null {
  const match = BUILDING.exec(text.slice(from, to));
  if (!match) return null;
  const start = from + match.index;
  return { start, end: start + match[0].length };
}
