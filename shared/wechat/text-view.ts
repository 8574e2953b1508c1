/**
 * Text as people paste it from WeChat, in one form the parsers can read, keeping the way back to
 * the characters that were typed (review lines and names show what the person wrote).
 * Pure and isomorphic: it runs in the browser too.
 */
export interface TextView {
  /** The text as given. */
  readonly original: string;
  /** Width-folded: NFKC per character (１→1, ￥→¥, ㎏→kg), ① as "1. ", dashes as "-". */
  readonly wide: string;
  /** `wide` for matching: traditional characters simplified, ASCII lowercased. Same length as `wide`. */
  readonly folded: string;
  /** origin[i] is the index in `original` that wide[i] came from; origin[wide.length] is the end. */
  readonly origin: readonly number[];
  /**
   * Where joinRanges put the space between two ranges (ascending): what was typed between them
   * (a line of chatter left out) is not part of the joined text.
   */
  readonly joins?: readonly number[];
}

const INVISIBLE = /^(?:[\u200b\u200c\u2060\ufeff\u00ad]|\u200d|\ufe0e|\ufe0f)$/u;
const DASHES = /^[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]$/u;
const CONTROL = /^\p{Cc}$/u;

/** Circled and dingbat numbers start numbered lines: ① → "1. ". */
const CIRCLED_RANGES: readonly [number, number][] = [
  [0x2460, 0x2473], // ①–⑳
  [0x2776, 0x277f], // ❶–❿
  [0x2780, 0x2789], // ➀–➉
  [0x278a, 0x2793], // ➊–➓
];

/**
 * Traditional → simplified for the characters that matter when reading these texts: numerals,
 * units, buildings, common produce and surnames. Only for matching; names keep what was typed.
 */
const TRADITIONAL =
  "龍龙兩两號号樓楼棟栋單单區区東东塊块錢钱個个顆颗隻只頭头條条雞鸡鴨鸭魚鱼蝦虾蘿萝蔔卜黃黄綠绿紅红" +
  "藍蓝蘋苹棗枣蔥葱薑姜筍笋豬猪麥麦麵面葉叶莧苋萵莴馬马鈴铃蓮莲櫻樱鳳凤楊杨獼猕節节紮扎盤盘張张" +
  "陳陈劉刘趙赵孫孙吳吴鄭郑馮冯許许羅罗陸陆蘇苏門门層层藥药蘆芦蕎荞豐丰農农場场鮮鲜團团購购買买" +
  "賣卖發发貨货運运費费滿满價价約约減减僅仅餘余庫库點点時时間间斷断還还剩剩盒盒箱箱袋袋準准備备" +
  "園园齊齐蕃蕃蘭兰紫紫茄茄葷荤瓜瓜筐筐籃篮網网串串對对雙双緊紧韭韭菇菇蘑蘑鮑鲍獅狮蠔蚝線线檸柠" +
  "橙橙榴榴蓮莲葡葡萄萄麗丽實实專专員员滷卤醬酱餅饼燒烧戶户樣样種种總总計计數数謝谢驛驿崗岗業业" +
  "領领後后嗎吗麼么邊边銷销為为廢废訂订刪删話话電电聯联機机碼码來来兒儿週周禮礼這这";

const SIMPLIFY: ReadonlyMap<string, string> = buildPairs(TRADITIONAL);

function buildPairs(pairs: string): Map<string, string> {
  const map = new Map<string, string>();
  const chars = [...pairs];
  for (let i = 0; i + 1 < chars.length; i += 2) {
    const from = chars[i];
    const to = chars[i + 1];
    if (from && to && from !== to && from.length === 1 && to.length === 1) map.set(from, to);
  }
  return map;
}

function circledNumber(code: number): number | null {
  for (const [start, end] of CIRCLED_RANGES) {
    if (code >= start && code <= end) return code - start + 1;
  }
  return null;
}

/** One typed character → its width-folded form ("" drops it). */
function widenChar(ch: string, next: string | undefined): string {
  const code = ch.codePointAt(0) ?? 0;
  const circled = circledNumber(code);
  // A space after it, so that ⑥3-206 reads as entry 6 of building 3, not as 6.3.
  if (circled !== null) return `${circled}. `;
  if (code === 0x20e3) return ". "; // keycap: 1️⃣ is "1" + U+FE0F + U+20E3 → "1. "
  if (ch === "\r") return next === "\n" ? "" : "\n";
  if (ch === "\n") return "\n";
  if (ch === "\u2028" || ch === "\u2029") return "\n";
  if (INVISIBLE.test(ch)) return "";
  if (DASHES.test(ch)) return "-";
  if (CONTROL.test(ch)) return " ";
  return ch.normalize("NFKC");
}

const TRADITIONAL_CHAR = new RegExp(`[${[...SIMPLIFY.keys()].join("")}]`, "gu");
const UPPER = /[A-Z]+/g;

/** Simplified, ASCII-lowercased copy of `wide`, one UTF-16 unit for one. */
function foldWide(wide: string): string {
  return wide
    .replace(UPPER, (letters) => letters.toLowerCase())
    .replace(TRADITIONAL_CHAR, (ch) => SIMPLIFY.get(ch) ?? ch);
}

/** Characters NFKC leaves as they are and widenChar has nothing to do for: most of a text. */
function isPlain(code: number): boolean {
  return (
    (code >= 0x20 && code < 0x7f) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf)
  );
}

export function viewText(text: string): TextView {
  const wide: string[] = [];
  const origin: number[] = [];
  let run = 0;
  for (let at = 0; at < text.length; ) {
    const code = text.codePointAt(at) ?? 0;
    const size = code > 0xffff ? 2 : 1;
    if (isPlain(code)) {
      origin.push(at);
      at += size;
      continue;
    }
    // Runs of plain characters are copied as they are, one slice each.
    if (run < at) wide.push(text.slice(run, at));
    const next = text.codePointAt(at + size);
    const widened = widenChar(
      text.slice(at, at + size),
      next === undefined ? undefined : String.fromCodePoint(next),
    );
    wide.push(widened);
    for (let k = 0; k < widened.length; k++) origin.push(at);
    at += size;
    run = at;
  }
  if (run < text.length) wide.push(text.slice(run));
  origin.push(text.length);
  const joined = wide.join("");
  return { original: text, wide: joined, folded: foldWide(joined), origin };
}

/** Folded forms of short strings asked for again and again (item names, units). */
const FOLDED = new Map<string, string>();
const FOLDED_MAX = 2000;

/** The folded form of a short string (item names, units): for comparing. */
export function foldText(text: string): string {
  const known = FOLDED.get(text);
  if (known !== undefined) return known;
  const folded = viewText(text).folded;
  if (text.length <= 32) {
    if (FOLDED.size >= FOLDED_MAX) FOLDED.clear();
    FOLDED.set(text, folded);
  }
  return folded;
}

/** A sub-view of [start, end) ranges of `view`, joined by a space (wrapped lines read as one). */
export function joinRanges(
  view: TextView,
  ranges: readonly (readonly [number, number])[],
): TextView {
  const [only, ...more] = ranges;
  if (only && more.length === 0) {
    // One range (most entries): slices, without copying it character by character.
    const [start, end] = only;
    const origin = view.origin.slice(start, end + 1);
    if (origin.length === end - start) origin.push(view.original.length);
    return {
      original: view.original,
      wide: view.wide.slice(start, end),
      folded: view.folded.slice(start, end),
      origin,
      joins: [],
    };
  }
  let wide = "";
  let folded = "";
  const origin: number[] = [];
  const joins: number[] = [];
  for (const [index, [start, end]] of ranges.entries()) {
    const previous = ranges[index - 1];
    if (previous) {
      joins.push(wide.length);
      wide += " ";
      folded += " ";
      // The space ends the range before it, so a word right before it ends there too.
      origin.push(view.origin[previous[1]] ?? 0);
    }
    wide += view.wide.slice(start, end);
    folded += view.folded.slice(start, end);
    for (let i = start; i < end; i++) origin.push(view.origin[i] ?? 0);
  }
  const last = ranges[ranges.length - 1];
  origin.push(last ? (view.origin[last[1]] ?? view.original.length) : 0);
  return { original: view.original, wide, folded, origin, joins };
}

/** What was typed for wide[start, end), whitespace runs (line breaks too) as one space. */
export function typedText(view: TextView, start: number, end: number): string {
  let typed = "";
  let from = start;
  // Joined ranges: each range's own text, not what lies between them in the original.
  for (const join of view.joins ?? []) {
    if (join < start || join >= end) continue;
    typed += `${typedSlice(view, from, join)} `;
    from = join + 1;
  }
  typed += typedSlice(view, from, end);
  return typed.replace(/\s+/gu, " ").trim();
}

function typedSlice(view: TextView, start: number, end: number): string {
  const from = view.origin[start] ?? 0;
  const to = view.origin[end] ?? view.original.length;
  return view.original.slice(from, Math.max(from, to));
}

/** Emoji, pictographs and decorations (🍉 ★ ✅ 👇) that are not part of an item's name. */
export const DECORATION =
  /(?:[\p{Extended_Pictographic}\p{So}\p{Emoji_Modifier}\u{1f1e6}-\u{1f1ff}]|\u200d|\ufe0f|\u20e3)/gu;

const DECORATION_CHAR =
  /^(?:[\p{Extended_Pictographic}\p{So}\p{Emoji_Modifier}\u{1f1e6}-\u{1f1ff}]|\u200d|\ufe0f|\u20e3)$/u;

/** Length (1 or 2 UTF-16 units) of the decoration at `at`, or 0. */
export function decorationAt(text: string, at: number): number {
  const code = text.codePointAt(at);
  if (code === undefined) return 0;
  const ch = String.fromCodePoint(code);
  return DECORATION_CHAR.test(ch) ? ch.length : 0;
}

export function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /\p{L}/u.test(ch);
}

export function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}
