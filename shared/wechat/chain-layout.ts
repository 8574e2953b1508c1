/**
 * The shape of a copied 接龙: where numbered entries start (also in a flattened paste, all on one
 * line), where a building is, which digits are phone numbers, and which lines are not orders at
 * all (WeChat notices, price lines, questions). Works on folded text (text-view), so full-width
 * digits and ① are already plain.
 */
import { COUNTER_WORDS } from "./units.js";

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
 * A digit may follow 、 (2、3-202 李), and 。 before a building (6。3-206), never a point (2.5 is a
 * number).
 */
const LINE_START =
  /[ \t]*(?:(\d{1,4})[ \t]*(?:[.)。:](?!\d)|、|。(?=\d{1,4}-\d))|\((\d{1,4})\)|[[【](\d{1,4})[\]】])[ \t]*/y;
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
 * Sums of money (6元, ¥6.5), times (8点, 8:30, 明早8点半) and dates (12月1日): numbers in an entry
 * that are not quantities. A sum right after an item (西红柿6元) leaves that item without a
 * quantity, so the entry still goes to review. 块 is not masked (豆腐2块 may be a quantity), but
 * after 共 (共15块) it is a total.
 */
const NOT_QUANTITIES = [
  /¥\s*\d+(?:\.\d+)?(?:\s*元)?/gu,
  /(?<![\d.])\d+(?:\.\d+)?\s*元(?:钱)?/gu,
  /(?<![\d.])\d{1,2}:\d{2}(?!\d)/gu,
  /(?<![\d.])\d{1,2}\s*点(?:半|\d{1,2}分?)?/gu,
  /(?<![\d.])\d{1,2}\s*月\s*\d{1,2}\s*(?:日|号(?![楼院]))?/gu,
  // 共15块, 10块钱, 10块的: money, also said in 块.
  /(?:一共|总共|共计|合计|总计|总价|共)\s*\d+(?:\.\d+)?\s*块(?:钱)?|(?<![\d.])\d+(?:\.\d+)?\s*块(?:钱|的)/gu,
];

/**
 * "@李大姐 明天几点到", "@李大姐 赵 3-203 黄瓜1斤": who a message is addressed to is never the
 * name, building or order of the one who wrote it. WeChat ends a mention with a space.
 */
const MENTIONS = [/(?<![\p{L}\p{N}])@[^\s@]{1,24}/gu];

/** `text` with phone numbers and @mentions blanked to spaces (same length). */
export function maskPhones(text: string): string {
  return blankAll(text, PHONE_MASKS);
}

/** `text` with phones, @mentions, sums of money, times and dates blanked to spaces (same length). */
export function maskNonQuantities(text: string): string {
  return blankAll(text, ALL_MASKS);
}

const PHONE_MASKS = [...MENTIONS, ...PHONES];
const ALL_MASKS = [...MENTIONS, ...PHONES, ...NOT_QUANTITIES];
/** Patterns only look at digits or @: a text with neither has nothing to blank. */
const MASK_HINT = /[\d@]/u;

function blankAll(text: string, patterns: readonly RegExp[]): string {
  if (!MASK_HINT.test(text)) return text;
  let out = text;
  for (const pattern of patterns) {
    out = out.replace(pattern, (found) => " ".repeat(found.length));
  }
  return out;
}

// ---- buildings --------------------------------------------------------------------------------

/** 东区, A区, 二期 before a building number. */
const AREA = String.raw`(?:[东西南北中前后新老][区院]|[a-z]区|\d{1,2}期|[一二三四五六七八九十]期)`;
/**
 * 3-201, 7-3-502, 10-1-301 (the last part is a room: two digits or more); 12 - 1 - 1101 with
 * spaces (then a room of three digits or more: "2 - 3斤" is a range).
 */
const DASHED = String.raw`\d{1,4}(?:-\d{1,4}){0,2}-\d{2,4}(?:室|号)?|\d{1,4}(?:\s{1,3}-\s{1,3}\d{1,4}){1,2}\s{1,3}-\s{1,3}\d{3,4}(?:室|号)?`;
/** 2单元, 二单元, 东单元, 1门 (after a building; 北门 is a gate, not a unit). */
const UNIT = String.raw`(?:(?:-|\s{1,3})?(?:(?:\d{1,2}|[一二三四五六七八九十])(?:单元|门)|[东西南北中]单元))?`;
/** 302, -302, " 302", 302室 (after a building or its unit). */
const ROOM = String.raw`(?:(?:-?\d{1,4}|\s{1,3}\d{3,4})(?:室|号|户)?)?`;
/**
 * 5号楼302, 12栋1单元101, 13#502, 2号楼, 8号楼3单元, 5号楼 302, 7 栋 301; 二号楼东单元502, 七号楼
 * (spoken numbers only before 号楼, 栋, 幢, 座: 三号 is a date, 三楼 a floor).
 */
const TOWER = String.raw`(?:\d{1,4}(?:\s{0,2}(?:栋|幢)|号楼|号院|座|#|号|楼)|(?<![一二三四五六七八九十两])[一二三四五六七八九十]{1,3}(?:号楼|号院|栋|幢|座))${UNIT}${ROOM}`;
/** 3单元501: a unit and a room, in a compound of one building. */
const UNIT_ROOM = String.raw`(?:\d{1,2}|[一二三四五六七八九十])单元-?\d{3,4}(?:室)?`;
/** B座1203, A栋302 */
const LETTER_TOWER = String.raw`[a-z](?:座|栋|幢|号楼)-?\d{1,4}(?:室)?`;
/** A dash may join a building to words (张阿姨-3-201-西红柿2斤), but not to more digits. */
const NOT_AFTER = String.raw`(?![\d.]|-\d|\s*(?:点|时|:\d|斤|公斤|kg|克|g|元|块|个))`;
const BUILDING = new RegExp(
  String.raw`(?:(?:${AREA}|(?<![a-z\d.#¥-])[a-z]|(?<![\d.#¥]|\d-))(?:${DASHED}|${TOWER}|${UNIT_ROOM})|(?<![a-z\d])${LETTER_TOWER})${NOT_AFTER}`,
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

// ---- lines that are not orders ----------------------------------------------------------------

/** What a line without a number is, before reading it as (part of) an order. */
export type LineKind =
  /** WeChat's own line ("撤回了一条消息") or a message's sender and time: another message starts. */
  | "notice"
  /** "#接龙 明天的菜": a chain's title, so a second copy of the chain (its header) follows. */
  | "title"
  /** "西红柿 3元/斤", "黄瓜只剩5斤了": the grower's price list or stock, not an order. */
  | "grower"
  | "line";

/** The messages WeChat writes itself into a chat. */
const NOTICE =
  /撤回了一条消息|加入了?群聊|移出了?群聊|退出了?群聊|拍了拍|修改群名|以下是新消息|现在可以开始聊天了/u;

/**
 * A message's sender and time as a multi-message copy writes it: "李大姐 2023-11-28 20:01:02",
 * "张三 11-28 20:05", "王五 昨天 下午8:07". The sender has no digits, so no order ends this way.
 */
const MESSAGE_HEADER =
  /^[^\d\n]{0,24}?\s*(?:(?:\d{4}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?\s*|(?:昨天|前天|今天|星期[一二三四五六日天]|周[一二三四五六日天])\s*)?(?:上午|下午|晚上|早上|中午|凌晨)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*$/u;

const UNIT_WORDS = ["市斤", "公斤", "千克", "kg", "斤", "克", "g", "两", ...COUNTER_WORDS].join(
  "|",
);
/** 3元, 2.5元, ¥3.00, 两块, 一块五, 1元5角 (from where a number starts: a long run is read once). */
const MONEY = String.raw`(?:¥\s*\d+(?:\.\d+)?(?:\s*元)?|(?:(?<![\d.])\d+(?:\.\d+)?|(?<![一二两三四五六七八九十百])[一二两三四五六七八九十百]+)\s*(?:元|块)(?:钱)?(?:[一二三四五六七八九]|\d)?(?:角|毛)?)`;
/**
 * A price per unit: 3元/斤, ¥3/斤, 2.5元一斤, 一块五一根, 10元3斤, 每斤3元, 一斤4块. An order may say
 * what it costs (共6元) but never per what.
 */
const PRICE_PER_UNIT = new RegExp(
  String.raw`${MONEY}(?:\s*/\s*\S|\s*[一每]\s*(?:${UNIT_WORDS})(?!\p{L})|\d+(?:\.\d+)?(?:${UNIT_WORDS}))|[每一]\s*(?:${UNIT_WORDS})\s*${MONEY}(?!\p{L})`,
  "u",
);

/** "只剩5斤", "仅剩10斤", "限量100斤", "已售完": what is left to sell, said by the grower. */
const STOCK = /只剩|仅剩|还剩|剩下|剩余|库存|限量|售完|卖完|已售罄/u;

/** A sender and a time are short: a long line is not one (and is not backtracked over). */
function isMessageHeader(line: string): boolean {
  const short = line.replace(/\s+/gu, " ").trim();
  return short.length <= 48 && MESSAGE_HEADER.test(short);
}

/** What the line text[start, end) is (see LineKind). */
export function lineKind(text: string, start: number, end: number): LineKind {
  const line = text.slice(start, end);
  if (NOTICE.test(line) || isMessageHeader(line)) return "notice";
  if (line.includes("接龙")) return "title";
  if (PRICE_PER_UNIT.test(line) || STOCK.test(line)) return "grower";
  return "line";
}

/**
 * "不要了", "取消", "（已取消）", "改成3斤": an order taken back or changed, or part of one. Never
 * read as it stands: what is left of it is for a person to say.
 */
const CHANGED =
  /取消|作废|撤销|撤单|退订|退单|不要了|不买了|不用了|删掉|删除|改成|改为|更改|修改|更正/u;

export function saysChanged(text: string, start: number, end: number): boolean {
  return CHANGED.test(text.slice(start, end));
}

/** Is text[start, end) a price line ("1. 西红柿 3元/斤" in a numbered price list)? */
export function isPriceLine(text: string, start: number, end: number): boolean {
  return PRICE_PER_UNIT.test(text.slice(start, end));
}

/** "还有吗？", "明天几点到?", "好吃吗🤔": a question (its mark or particle ends the line). */
export function endsAsQuestion(text: string, start: number, end: number): boolean {
  const chars = [...text.slice(start, end)];
  for (let k = chars.length - 1; k >= 0; k--) {
    const ch = chars[k] ?? "";
    if (ch === "?") return true;
    if (!/[\s\p{P}\p{S}]/u.test(ch)) return /[吗呢么]/u.test(ch);
  }
  return false;
}
