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

/**
 * "12. ", "12、", "12)", "(12)", "[12]" at the start of a line, and "12。", "12：" as a Chinese
 * keyboard types them. Not "12，": chain-text writes a header line that looks numbered that way.
 */
const LINE_START =
  /[ \t]*(?:(\d{1,4})[ \t]*[.、)。:](?!\d)|\((\d{1,4})\)|[[【](\d{1,4})[\]】])[ \t]*/y;
/** "12. " or " 12、" later in a line: only where a number may start (see isInLineMarker). */
const IN_LINE = /(\d{1,4})([.、])(?!\d)[ \t]*/g;
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
    const no = Number(first[1] ?? first[2] ?? first[3]);
    markers.push({ no, start, end: LINE_START.lastIndex });
    last = no;
    from = LINE_START.lastIndex;
  }
  // Search this line only: a search that ran on to the end of the text would be quadratic.
  const line = text.slice(0, end);
  IN_LINE.lastIndex = from;
  for (let m = IN_LINE.exec(line); m; m = IN_LINE.exec(line)) {
    const no = Number(m[1]);
    if (isInLineMarker(text, m.index, no, last, m[2] === "、")) {
      markers.push({ no, start: m.index, end: m.index + m[0].length });
      last = no;
    }
  }
  return markers;
}

/** "1 王 3-201 …", "1，王 …": a number before a name (not 3 号楼, 2 斤), without a list mark. */
const BARE_NUMBER =
  /[ \t]*(\d{1,4})(?:[ \t]*,[ \t]*|[ \t]+)(?=\p{L})(?![号栋幢座楼单元期区斤两克个把盒份]|kg|g\b)/uy;

/** The number of a line numbered without a mark, for lists where no line has a mark. */
export function findBareNumber(text: string, start: number, end: number): Marker | null {
  BARE_NUMBER.lastIndex = start;
  const match = BARE_NUMBER.exec(text);
  if (!match || BARE_NUMBER.lastIndex >= end) return null;
  return { no: Number(match[1]), start, end: BARE_NUMBER.lastIndex };
}

/**
 * A number with 、 only after a space and only the very next one (1、王 … 2、李): a 、 glued to an
 * order is a list of items (西红柿2、黄瓜1).
 */
function isInLineMarker(
  text: string,
  at: number,
  no: number,
  last: number,
  comma: boolean,
): boolean {
  const before = text[at - 1] ?? "";
  if (comma) return /\s/u.test(before) && no === last + 1;
  // The first number of a flattened paste may be any (a paste from the middle: "#接龙 9. 王 …").
  if (/[\s]/u.test(before)) return no >= last && (last === 0 || no <= last + MAX_SKIP);
  // Glued to the text before it (圣女果2盒2.冯姐): only the very next number.
  if (/[\d.a-z#¥-]/u.test(before)) return false;
  return no === last + 1;
}

// ---- phones -----------------------------------------------------------------------------------

/** Mobile numbers (138 1234 5678, +86-138…), landlines, and "尾号5678": never quantities. */
const PHONES = [
  // First, so the label goes with the number ("王 电话13812345678" is 王). Groups of 3+ digits
  // only, so "电话13812345678 3-201" leaves the building alone.
  /(?:手机号?|电话(?:号码)?|联系(?:方式|电话)?|(?<![a-z])(?:tel|phone)|尾号)\s*[:]?\s*\+?\d{3,13}(?:[\s-]\d{3,8}){0,3}(?!\d)/gu,
  /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/gu,
  /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/gu,
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
/** A dash may join a building to words (张阿姨-3-201-西红柿2斤), but not to more digits. */
const NOT_AFTER = String.raw`(?![\d.]|-\d|\s*(?:点|时|:\d|斤|公斤|kg|克|g|元|块|个))`;
const BUILDING = new RegExp(
  String.raw`(?:(?:${AREA}|(?<![a-z\d.#¥-])[a-z]|(?<![\d.#¥]|\d-))(?:${DASHED}|${TOWER})|(?<![a-z\d])${LETTER_TOWER})${NOT_AFTER}`,
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
