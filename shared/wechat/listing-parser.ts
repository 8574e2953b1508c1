/**
 * A grower's price post → draft listing items. The grower sees the draft and fixes it before
 * posting, so this reads generously; but it never invents a price, never merges two items into one
 * name, and asks (`review`) where the text leaves a choice open: several names before one price that
 * may be one item, 限10袋 that may be a stock or a limit, a limit for an item not on the list. Lines
 * that are not items (greetings, cutoff and delivery notes) come back as notes.
 *
 *   🍅 西红柿 3元/斤 · 玉米 一块五一根 · 每斤3元 · 一斤4块 · 1.8一斤 · 土豆 10元3斤 · ¥3.00/斤
 *   黄瓜 茄子 3元一斤 · 豆角/茄子 各4元一斤 · 西红柿、黄瓜都是3元/斤
 *   新土豆 ¥1.8/斤（限量100斤） · 蓝莓 20元/盒 每人限2盒 · 每人限购草莓两盒，蓝莓每户一份
 */
import { LIMITS } from "../limits.js";
import { fromMilli } from "../quantity.js";
import {
  findMentions,
  keyIndex,
  type Mention,
  type MentionIndex,
  type NamedKey,
  nameKey,
} from "./item-names.js";
import {
  type MoneyRead,
  QTY_MAX_MILLI,
  readBareJiao,
  readMoney,
  readQuantity,
  skipSpaces,
} from "./numbers.js";
import {
  CN_NUMERAL_CHARS,
  continuesNumber,
  type NumberRead,
  readDecimal,
  readNumber,
} from "./numerals.js";
import { isModifier, isProduce, sameProduce } from "./produce-names.js";
import { type ListingReviewCode, wordReason } from "./review-reasons.js";
import {
  DECORATION,
  decorationAt,
  joinRanges,
  type TextView,
  typedText,
  viewText,
} from "./text-view.js";
import { convertMilli, GENERIC_UNIT, readUnit, sameUnit } from "./units.js";

export type { ListingReviewCode } from "./review-reasons.js";

export interface ListingItem {
  name: string;
  /** Price of one `unit`, in integer fen. */
  priceFen: number;
  /** 斤, kg, 把… or a bundle such as "3斤" or "500g". */
  unit: string;
  /** How much there is, in `unit`. */
  stock?: number;
  /** Most one resident may order, in `unit`. */
  perPersonLimit?: number;
  /** Words beside the item that are not its name (from brackets, or after the price). */
  description?: string;
}

/** A question about a line of the post, for the grower (the draft leaves the answer open). */
export interface ListingReview {
  code: ListingReviewCode;
  /** The line as typed. */
  raw: string;
  /** The question in plain English (screens word `code` themselves, see REVIEW_REASONS). */
  reason: string;
  /** The items it is about, as named in the post. */
  items?: string[];
  /** several_names, no_item_name: the price read. */
  price?: { fen: number; unit: string };
  /** stock_or_limit, unit_mismatch, limit_no_item, shared_limit: the amount read, in its unit. */
  amount?: { qty: number; unit: string | null };
  /** The words it is about (限10袋). */
  text?: string;
}

export interface ParsedListing {
  items: ListingItem[];
  /** Lines that are not items, as typed: header, cutoff, delivery, limits for everything. */
  notes: string[];
  /** What the grower must decide: the items asked about are left without it (or out). */
  review: ListingReview[];
}

/** Unit of an item whose price names none (黄瓜 8角): the generic "one of it". */
const DEFAULT_UNIT = GENERIC_UNIT;

/**
 * A price after these words is a condition or a fee, not an item (满30元包邮, 运费5元/单,
 * 跑腿费1元/户, 不满20元加收2元配送费, 不满加收3元, 送货上门加2元), or a price for many items
 * (以下蔬菜一律2元/斤, 所有水果均价5元/斤), or a closing (3元/斤 谢谢).
 */
const NOT_AN_ITEM =
  /^不?满|满$|费$|钱$|加$|^(?:需加|再加|每单|全场|以下|所有|全部)|加收|另收|另加|一律|均价|均为|跑腿|运费|邮费|快递|打包|配送|送货|上门|包邮|包送|起送|免运费|红包|定金|订金|押金|截单|截止|送达|送到|自提|取货|提货|发货|到货|优惠|便宜|统一价|都是|合计|总计|共计|谢谢|感谢|多谢|先到先得|卖完为止|售完为止|售完即止|数量有限/u;

/** How it is sold, not what (散称 6元/斤 under a boxed price): a price with no item named. */
const SALE_MODE = /^(?:散称|散装|散卖|零卖|零售|整箱|整件|批发|单买|单卖|另有散装)$/u;

interface Range {
  start: number;
  end: number;
}

interface PriceRead extends Range {
  fen: number;
  unit: string | null;
}

interface Bracket extends Range {
  inner: Range;
  /** A price it costs elsewhere (原价5元), read apart like a bracket: never a name. */
  reference?: boolean;
}

/** A stock, a limit, or 限N: which of the two it is, the text doesn't say. */
type PhraseKind = "stock" | "limit" | "ask";

interface Phrase extends Range {
  kind: PhraseKind;
  milli: number;
  unit: string | null;
  /** 每人每样限购: for every item, not just the one beside it. */
  everyItem: boolean;
  /** 每人各限2斤: for each of the items named before it. */
  each: boolean;
}

interface Draft {
  /** Where its line starts in the post: items come in the order of the text. */
  at?: number;
  name: string;
  priceFen: number;
  unit: string;
  stockMilli?: number;
  limitMilli?: number;
  description?: string;
  /** 限10袋 on its own: a stock or a limit, decided once everything about the item is read. */
  asks: { phrase: Phrase; raw: string; text: string }[];
}

/** What reading a post collects beyond its items. */
interface Post {
  review: ListingReview[];
  /** Limits for every item (每人每样限购) met on item lines, applied at the end. */
  everyItemLimits: Phrase[];
}

export function parseListing(text: string): ParsedListing {
  if (typeof text !== "string") return { items: [], notes: [], review: [] };
  const view = viewText(text);
  const post: Post = { review: [], everyItemLimits: [] };
  const drafts: Draft[] = [];
  const looseLines: Range[] = [];
  for (const line of splitLines(view)) {
    let found = readItemLine(view, line);
    const before = looseLines.at(-1);
    if (found.drafts.length === 0 && before && isWrappedPrice(view, before, line)) {
      // 1.西红柿 / 3元/斤: the name on one line, its price on the next.
      const joined = readItemLine(view, { start: before.start, end: line.end });
      if (joined.drafts.length > 0) {
        found = joined;
        looseLines.pop();
      }
    }
    post.review.push(...found.review);
    post.everyItemLimits.push(...found.everyItemLimits);
    if (found.drafts.length > 0) drafts.push(...found.drafts);
    else if (view.wide.slice(line.start, line.end).trim().length > 0) looseLines.push(line);
  }
  readBarePrices(post, view, looseLines, drafts);
  const index = keyIndex(mentionKeys(drafts));
  for (const line of looseLines) readLooseLine(post, view, line, index);
  for (const limit of post.everyItemLimits) applyToAll(drafts, limit);
  for (const draft of drafts) settleAsks(post, draft);
  return {
    items: drafts.map(toItem),
    notes: looseLines.map((line) => typedText(view, line.start, line.end)).filter(Boolean),
    review: unique(post.review),
  };
}

/** "（单位：元/斤）": the unit of the bare numbers after names in the post (西红柿：3.5). */
const LEGEND = /单位[ \t]*:?[ \t]*(?:元|块)?[ \t]*[/每][ \t]*/u;
/** 西红柿：3.5, 黄瓜 2.5: a name, then a number and nothing more. */
const BARE_PRICE =
  /^[ \t]*(?:\d{1,3}[ \t]*[.、)](?!\d))?[ \t]*(\p{L}[^\d:]{0,11}?)[ \t]*[: \t][ \t]*(\d{1,4}(?:\.\d{1,2})?)[\p{P}\p{S}\s]*(?:谢谢[\p{P}\p{S}\s]*)?$/du;

/**
 * Names with bare numbers (西红柿：3.5) are prices when the post says their unit in a legend
 * (单位：元/斤); without one, the grower is asked (unclear_price): not dropped.
 */
function readBarePrices(post: Post, view: TextView, looseLines: Range[], drafts: Draft[]): void {
  const legend = looseLines
    .map((line) => LEGEND.exec(view.folded.slice(line.start, line.end)))
    .find((found) => found !== null);
  const unit = legend ? readUnit(legend.input, legend.index + legend[0].length)?.unit : undefined;
  const used = new Set<Range>();
  for (const line of looseLines) {
    const bare = BARE_PRICE.exec(view.folded.slice(line.start, line.end));
    const [from, to] = bare?.indices?.[1] ?? [0, 0];
    const name = cleanName(view.wide.slice(line.start + from, line.start + to));
    if (!bare || !plausible(name) || HEADER_WORDS.test(name)) continue;
    const fen = readDecimal(bare[2] ?? "", 0, 2)?.scaled ?? 0;
    if (fen <= 0) continue;
    const raw = typedText(view, line.start, line.end);
    if (unit === undefined) {
      post.review.push(ask("unclear_price", raw, { items: [name], text: bare[2] }));
      continue;
    }
    drafts.push({ at: line.start, name, priceFen: fen, unit, asks: [] });
    used.add(line);
  }
  if (used.size === 0) return;
  drafts.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  const kept = looseLines.filter((line) => !used.has(line));
  looseLines.splice(0, looseLines.length, ...kept);
}

/** The same question about the same line once. */
function unique(review: ListingReview[]): ListingReview[] {
  const seen = new Set<string>();
  return review.filter((question) => {
    const key = `${question.code}\n${question.raw}\n${question.items?.join("、") ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function ask(
  code: ListingReviewCode,
  raw: string,
  about: Omit<ListingReview, "code" | "raw" | "reason"> = {},
): ListingReview {
  const fill = {
    item: about.items?.join("、") ?? "",
    unit: about.amount?.unit ?? about.price?.unit ?? "",
    text: about.text ?? "",
  };
  return { code, raw, reason: wordReason(code, fill), ...about };
}

/** The shortest end of a name a line may name its item by (鸡蛋, not 蛋). */
const SHORT_NAME_MIN = 2;

/**
 * The keys a limit or stock line may name an item by: its name, and the end of its name (鸡蛋 for
 * 土鸡蛋, 苹果 for 红富士苹果: "鸡蛋每人限30个"; 白菜 for both 小白菜 and 大白菜). The longest key
 * wins, so 白菜 still names 白菜 where 小白菜 is sold too.
 */
function mentionKeys(drafts: readonly Draft[]): NamedKey<Draft>[] {
  const exact = drafts.map((draft) => ({ key: nameKey(draft.name), value: draft }));
  const names = new Set(exact.map((entry) => entry.key));
  const owners = new Map<string, Set<string>>();
  for (const name of names) {
    for (let at = 1; name.length - at >= SHORT_NAME_MIN; at++) {
      // Only between two Han characters: "A套餐" does not end in a name "套餐" of its own.
      if (!/\p{Script=Han}/u.test(name[at - 1] ?? "") || !/\p{Script=Han}/u.test(name[at] ?? "")) {
        continue;
      }
      const end = name.slice(at);
      if (!names.has(end)) owners.set(end, (owners.get(end) ?? new Set()).add(name));
    }
  }
  const ends = [...owners].flatMap(([end, of]) =>
    exact.filter((entry) => of.has(entry.key)).map(({ value }) => ({ key: end, value })),
  );
  return [...exact, ...ends];
}

function splitLines(view: TextView): Range[] {
  const lines: Range[] = [];
  let start = 0;
  for (let i = 0; i <= view.wide.length; i++) {
    if (i === view.wide.length || view.wide[i] === "\n") {
      lines.push({ start, end: i });
      start = i + 1;
    }
  }
  return lines;
}

/** A price per order, per trip or per household (快递10元/单, 2元/次) is a fee, never an item's. */
function isPerOrder(price: PriceRead): boolean {
  return price.unit !== null && /^[单次趟户]$/u.test(price.unit);
}

/** Longest line that may be a name alone (a header says more). */
const WRAPPED_NAME_MAX = 12;
/** Words of greetings, headers and closings: a line with them is not a name alone. */
const HEADER_WORDS =
  /大家|各位|亲们|邻居|你好|您好|早上好|晚上好|谢谢|接龙|截单|菜单|清单|价格|如下|团购/u;

/**
 * Is `line` the price of the name on the line `before` (1.西红柿 / 3元/斤)? Only when the name
 * line is the one before it (blank lines aside) and is a name alone (no digits, short, no header
 * words, not a "今天的菜：" lead), and the price line starts with its price.
 */
function isWrappedPrice(view: TextView, before: Range, line: Range): boolean {
  if (view.folded.slice(before.end, line.start).trim() !== "") return false;
  NUMBERING.lastIndex = before.start;
  NUMBERING.exec(view.folded);
  const typed = view.folded.slice(Math.min(NUMBERING.lastIndex, before.end), before.end);
  const name = cleanName(typed);
  if (name.length === 0 || name.length > WRAPPED_NAME_MAX) return false;
  if (/[\d:]/u.test(typed) || HEADER_WORDS.test(name)) return false;
  const [first] = scanPrices(view.folded, line.start, line.end);
  return first !== undefined && !/\p{L}/u.test(view.folded.slice(line.start, first.start));
}

// ---- one line -------------------------------------------------------------------------------

/** 1. 1、 1) (1), and 1。 1， 1： as a Chinese keyboard types them (folded: "1,", "1:"). */
const NUMBERING = /[ \t]*(?:\(\d{1,3}\)|\d{1,3}[ \t]*[.、)。,:](?!\d))?[ \t]*/y;

/** One line as the readers see it (a view of that line alone: indexes are the line's own). */
interface Line {
  view: TextView;
  /** Folded, brackets blanked: where prices, names and phrases are found. */
  work: string;
  /** Width-folded, brackets blanked: where names and descriptions are taken from. */
  shown: string;
  /** Brackets on the line that are asides (a bracket that is an item's name is taken out). */
  brackets: Bracket[];
  /** The line as typed. */
  raw: string;
  /** Where the line starts in the post. */
  at: number;
  review: ListingReview[];
  everyItemLimits: Phrase[];
}

interface NamedPrice {
  price: PriceRead;
  name: Range;
  text: string;
  /** Where the item's words start: its name, or the lead-in before it (今天, 刚摘的). */
  from: number;
  /** Lead-in words that describe the item (刚摘的, 特价): its description, not its name. */
  asides: Range[];
  /** One of several names sharing this price (西红柿、黄瓜都是3元/斤). */
  shared?: boolean;
}

interface LineRead {
  drafts: Draft[];
  review: ListingReview[];
  everyItemLimits: Phrase[];
}

function readItemLine(view: TextView, range: Range): LineRead {
  const lineView = joinRanges(view, [[range.start, range.end]]);
  const end = lineView.wide.length;
  NUMBERING.lastIndex = 0;
  NUMBERING.exec(lineView.folded);
  const from = Math.min(NUMBERING.lastIndex, end);
  const found = findBrackets(lineView.folded, from, end);
  const references = findReferencePrices(maskRanges(lineView.folded, found), from, end);
  const brackets = [...found, ...references];
  const line: Line = {
    view: lineView,
    work: maskRanges(lineView.folded, brackets),
    shown: maskRanges(lineView.wide, brackets),
    brackets,
    raw: typedText(lineView, 0, end),
    at: range.start,
    review: [],
    everyItemLimits: [],
  };
  const read = (drafts: Draft[]): LineRead => ({
    drafts,
    review: line.review,
    everyItemLimits: line.everyItemLimits,
  });
  const prices = scanPrices(line.work, from, end);
  const [first] = prices;
  if (first && !/\p{L}/u.test(lineView.folded.slice(from, first.start))) {
    // "3元/斤 西红柿": a line that starts with a price names each item after its price.
    return read(
      prices.flatMap((price, k) =>
        isPerOrder(price) ? [] : namedAfter(line, price, prices[k + 1]?.start ?? end),
      ),
    );
  }
  const named: NamedPrice[] = [];
  for (const [k, price] of prices.entries()) {
    if (isPerOrder(price)) continue;
    const start = k === 0 ? from : (prices[k - 1]?.end ?? from);
    // 西瓜 1.5元/斤 或 15元/个: the same item, by another unit.
    const previous = named.at(-1);
    if (previous && OR.test(line.work.slice(start, price.start))) {
      named.push({ ...previous, price, from: start, asides: [], shared: false });
      continue;
    }
    const names = namesBefore(line, start, price, k === 0);
    named.push(...names);
  }
  // Where the words of the item after each one start (the next with another price).
  const stops: number[] = [];
  for (let k = named.length - 1; k >= 0; k--) {
    const next = named[k + 1];
    const price = named[k]?.price;
    stops[k] = next === undefined ? end : next.price !== price ? next.from : (stops[k + 1] ?? end);
  }
  return read(
    named.map(({ price, name, text, asides, from: own, shared }, k) => {
      // Everything up to the next item's words is this item's: its stock, limit and description.
      const start = k === 0 ? from : own;
      const stop = stops[k] ?? end;
      const draft = newDraft(text, price, line.at);
      const after = { start: price.end, end: stop };
      if (shared) {
        // What follows a shared price is every sharer's; the other names are not a description.
        readExtras(line, [...asides, after], { start: price.start, end: stop }, draft);
        return draft;
      }
      // "西红柿 还有20斤 3元/斤": what stands between the name and its price counts too.
      const between = { start: Math.max(name.end, start), end: price.start };
      readExtras(line, [...asides, between, after], { start, end: stop }, draft);
      return draft;
    }),
  );
}

function newDraft(name: string, price: PriceRead, at = 0): Draft {
  return { at, name, priceFen: price.fen, unit: price.unit ?? DEFAULT_UNIT, asks: [] };
}

/** "Or" between two prices of one item (西瓜 1.5元/斤 或 15元/个). */
const OR = /^[\s,]*(?:或者|或是|或|也可以|也可)[\s:]*$/u;

// ---- names before a price ---------------------------------------------------------------------

/** "All of these" before a price: 西红柿、黄瓜都是3元/斤, 豆角，青椒均为4元一斤, 冬瓜、南瓜各1块5. */
const SHARED_PRICE =
  /[\s:,]*(?:都是|都|均为|均是|均|一律|统一|一个价|同价|一样价|价格一样|价钱一样|一样)(?:价|价格)?[\s:,]*$/u;
const EACH_PRICE = /[\s:,]*各(?:自)?[\s:]*$/u;
/** Between names that share a price: 、 and "and" say it is a list; a slash or a space may not. */
const NAME_SEPARATOR = /[\s,、/]+|和|跟|及|与|以及/gu;

interface NamePart extends Range {
  /** What stood before it: "" for the first. */
  separator: string;
}

/**
 * The names a price is for: usually one (see pickName), or several sharing it (黄瓜 茄子 3元一斤,
 * 西红柿、黄瓜 5元, 豆角/茄子 各4元一斤, 青椒和尖椒一个价). Several are split only where the text says
 * they are several: 、, 和, 各, 都, or each of them a different produce name. Otherwise ("番茄/西红柿",
 * "秋葵 芦笋") the line is asked about and gives no item; never one merged name.
 */
function namesBefore(line: Line, start: number, price: PriceRead, first: boolean): NamedPrice[] {
  const picked = pickName(line.work, start, price.start, first);
  if (!picked) {
    const named = bracketName(line, start, price.start, price);
    if (named) return [named];
    saleModeOnly(line, start, price);
    return [];
  }
  // 各 and 都 before the price: they say there are several names.
  const region = line.work.slice(picked.start, picked.end);
  const mark = EACH_PRICE.exec(region) ?? SHARED_PRICE.exec(region);
  const marked = mark ? { start: picked.start, end: picked.start + mark.index } : picked;
  const cut = cutAtPhrase(line.work, marked);
  const whole = cut && cutAtQuantity(line.work, withoutPriceLabel(line.work, cut));
  if (!whole) return [];
  const parts = splitNames(line.work, whole);
  if (parts.length <= 1 || isLatinName(line.work, whole, parts)) {
    const one = namedPrice(line, whole, price);
    if (!one) saleModeOnly(line, whole.start, price);
    return one ? [one] : [];
  }
  return severalNames(line, whole, parts, price, mark !== null);
}

/** A name alone, without its lead-in, if it is one. */
function namedPrice(line: Line, whole: Range, price: PriceRead): NamedPrice | null {
  const lead = skipLeadIn(line.work, whole);
  if (!lead) return null;
  const text = cleanName(line.shown.slice(lead.name.start, lead.name.end));
  if (!isItemName(line.work, lead.name, text)) return null;
  return { price, name: lead.name, text, from: whole.start, asides: lead.asides };
}

/** 散称 6元/斤: a price with how it is sold, but no item: asked about, not dropped. */
function saleModeOnly(line: Line, start: number, price: PriceRead): void {
  const words = cleanName(line.shown.slice(start, price.start));
  if (price.unit !== null && SALE_MODE.test(words)) {
    line.review.push(
      ask("no_item_name", line.raw, { price: { fen: price.fen, unit: price.unit }, text: words }),
    );
  }
}

function splitNames(work: string, whole: Range): NamePart[] {
  const parts: NamePart[] = [];
  const text = work.slice(whole.start, whole.end);
  let at = 0;
  let separator = "";
  NAME_SEPARATOR.lastIndex = 0;
  for (let m = NAME_SEPARATOR.exec(text); m; m = NAME_SEPARATOR.exec(text)) {
    // 和 inside a name (和田枣) or at its edges is no separator.
    if (m.index === 0 || m.index + m[0].length >= text.length) continue;
    if (/^[和跟及与]/u.test(m[0]) && !/\p{Script=Han}/u.test(text[m.index - 1] ?? "")) continue;
    parts.push({ start: whole.start + at, end: whole.start + m.index, separator });
    separator = m[0].trim() || " ";
    at = m.index + m[0].length;
  }
  parts.push({ start: whole.start + at, end: whole.end, separator });
  // "西红柿 → 3元/斤": marks between a name and its price are no name.
  return parts.filter((part) => /[\p{L}\p{N}]/u.test(work.slice(part.start, part.end)));
}

/** "Green Apple": Latin words with a space are one name. */
function isLatinName(work: string, whole: Range, parts: readonly NamePart[]): boolean {
  return (
    parts.every((part) => part.separator === "" || part.separator === " ") &&
    /^[a-z0-9 '&.-]+$/u.test(work.slice(whole.start, whole.end).trim())
  );
}

/** The plain name of a part (no marks, no lead-in), folded: to look it up. */
function plainName(line: Line, part: Range): string {
  return cleanName(line.work.slice(part.start, part.end));
}

/**
 * Several words before one price. Words a grower writes before a name (本地 小白菜) make one name
 * with it. An explicit list (、, 和, 各, 都) or names of different produce each get an item; one
 * thing by two names (番茄/西红柿), or words that may be one name or two, are asked about.
 */
function severalNames(
  line: Line,
  whole: Range,
  parts: NamePart[],
  price: PriceRead,
  marked: boolean,
): NamedPrice[] {
  // A greeting or a lead before a list (大家好，西红柿、黄瓜 5元): not a name.
  let list = parts;
  while (list.length > 1 && list[0] && !listable(line, list[0], list.length)) list = list.slice(1);
  // A comma lists names only between produce (黄瓜，茄子 3元); else it ends a lead (新鲜采摘，西红柿).
  const comma = list.findLastIndex((part) => part.separator === ",");
  if (comma > 0 && !list.every((part) => isProduce(plainName(line, part)))) {
    list = list.slice(comma);
  }
  const names = list.map((part) => plainName(line, part));
  const spaced = list.every((part) => part.separator === "" || part.separator === " ");
  if (list.length === 1 || (spaced && names.slice(0, -1).every(isModifier))) {
    const from = list[0] ?? whole;
    const one = namedPrice(line, { start: from.start, end: whole.end }, price);
    return one ? [one] : [];
  }
  const listed = marked || list.some((part) => /^(?:、|和|跟|及|与|以及)$/u.test(part.separator));
  const produce = names.every(isProduce);
  const same = names.some((a, i) => names.some((b, j) => i < j && sameProduce(a, b)));
  const found = list.map((part) => namedPrice(line, part, price));
  const all = found.every((named) => named !== null);
  if (same || !all || !(listed ? names.every((name) => plausible(name)) : produce)) {
    line.review.push(
      ask("several_names", line.raw, {
        items: names,
        price: { fen: price.fen, unit: price.unit ?? DEFAULT_UNIT },
      }),
    );
    return [];
  }
  return found.flatMap((named) => (named ? [{ ...named, shared: true }] : []));
}

/** Could this part of a list be a name (not 大家好, 今天特价)? */
function listable(line: Line, part: Range, count: number): boolean {
  const name = plainName(line, part);
  if (!plausible(name)) return false;
  const lead = skipLeadIn(line.work, part);
  return lead !== null && (count <= 2 || name.length <= 8);
}

/** Longest name a list holds. */
const LIST_NAME_MAX = 10;

function plausible(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= LIST_NAME_MAX &&
    /\p{L}/u.test(name) &&
    !HEADER_WORDS.test(name) &&
    !NOT_AN_ITEM.test(name) &&
    !GOODS.test(name)
  );
}

/** Tags in brackets ([特价], [新品]) that describe an item but never name one. */
const TAG = /^(?:今日|今天)?(?:特价|新品|新货|热卖|推荐|秒杀|爆款|预售|现货|限时|限量|优惠|活动)$/u;

/**
 * 【西红柿】3元/斤: when nothing but a bracket stands before a price, the bracket is its name
 * (【特价】西红柿 3元/斤 keeps 特价 as the description). It is then no longer a description.
 */
function bracketName(line: Line, from: number, to: number, price: PriceRead): NamedPrice | null {
  const bracket = line.brackets.findLast(
    (found) => !found.reference && found.start >= from && found.end <= to,
  );
  if (!bracket) return null;
  const text = cleanName(line.view.wide.slice(bracket.inner.start, bracket.inner.end));
  if (!isItemName(line.view.folded, bracket.inner, text) || TAG.test(text)) return null;
  line.brackets = line.brackets.filter((found) => found !== bracket);
  return { price, name: bracket.inner, text, from: bracket.start, asides: [] };
}

/** Words after a price that say when it applies (20元以上送货上门, 30元起送), not what it is for. */
const CONDITION_AFTER = /^(?:以上|以下|以内|起|送|免|包邮|包送|左右|上下)/u;

/** 3元/斤 西红柿, 3元一斤的西红柿: the first word after the price, up to `end`, names the item. */
function namedAfter(line: Line, price: PriceRead, end: number): Draft[] {
  // 3元/斤：西红柿, but not across a sentence: "10元一份，先到先得" names nothing.
  let lead = price.end;
  while (lead < end && /[\s:=\-~]/u.test(line.work[lead] ?? "")) lead++;
  lead = skipLeadingNoise(line.work, lead, end);
  const start = line.work[lead] === "的" ? lead + 1 : lead;
  let stop = start;
  while (stop < end && !NAME_AFTER_STOP.test(line.work[stop] ?? "")) stop++;
  const whole = cutAtPhrase(line.work, { start, end: stop });
  const picked = whole && skipLeadIn(line.work, whole);
  const name = picked?.name;
  const text = name ? cleanName(line.shown.slice(name.start, name.end)) : "";
  if (!name || !isItemName(line.work, name, text) || CONDITION_AFTER.test(text)) return [];
  const draft = newDraft(text, price, line.at);
  const around = [
    { start: price.end, end: lead },
    ...(picked?.asides ?? []),
    { start: name.end, end },
  ];
  readExtras(line, around, { start: price.start, end }, draft);
  return [draft];
}

/** Words for "the produce" in general (今天的菜3元一斤起): a price for all, not an item. */
const GOODS = /^(?:菜|蔬菜|水果|果蔬|鲜果|东西|货|产品|价格|价钱)$/u;

/**
 * Not a name: no letters ("*", "12"), a fee or a condition (满30元包邮, 运费5元), produce in general
 * (菜, 水果), or a quantity (the "5斤以上" of "3元一斤，5斤以上2.5元" is a tier of the item before).
 */
function isItemName(work: string, name: Range, text: string): boolean {
  if (!/\p{L}/u.test(text) || NOT_AN_ITEM.test(text) || GOODS.test(text)) return false;
  if (SALE_MODE.test(text)) return false;
  return !readQuantity(work, name.start)?.unit;
}

const OPENERS: Readonly<Record<string, string>> = {
  "(": ")",
  "[": "]",
  "【": "】",
  "「": "」",
  "『": "』",
  "〔": "〕",
  "《": "》",
  "〈": "〉",
  "{": "}",
};

/** Bracketed asides — (约1斤), 【特价】, (限量100斤) — read apart from the name and the price. */
function findBrackets(text: string, from: number, to: number): Bracket[] {
  const brackets: Bracket[] = [];
  // A closer that is not there now is not there later either: don't search the rest again.
  const missing = new Set<string>();
  let at = from;
  while (at < to) {
    const close = OPENERS[text[at] ?? ""];
    const end = close === undefined || missing.has(close) ? -1 : text.indexOf(close, at + 1);
    if (close !== undefined && (end === -1 || end >= to)) missing.add(close);
    if (close !== undefined && end !== -1 && end < to) {
      brackets.push({ start: at, end: end + 1, inner: { start: at + 1, end } });
      at = end + 1;
    } else {
      at++;
    }
  }
  return brackets;
}

/** The same text with `ranges` blanked to spaces (same length, so indexes still line up). */
function maskRanges(text: string, ranges: readonly Range[]): string {
  if (ranges.length === 0) return text;
  const units = text.split("");
  for (const { start, end } of ranges) units.fill(" ", start, end);
  return units.join("");
}

// ---- prices ---------------------------------------------------------------------------------

/** Where a price may start: a number, 半, ¥, 每 (every other place is skipped at once). */
const PRICE_START = codeTable([..."0123456789半¥每", ...CN_NUMERAL_CHARS]);

/** A table by UTF-16 code: looked up for every character, no string made per character. */
function codeTable(chars: readonly string[]): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
}

function scanPrices(text: string, from: number, to: number): PriceRead[] {
  const prices: PriceRead[] = [];
  let at = from;
  while (at < to) {
    if (PRICE_START[text.charCodeAt(at)] !== 1) {
      at++;
      continue;
    }
    const price = readPriceAt(text, at);
    if (price && price.end <= to) {
      prices.push(price);
      at = price.end;
    } else {
      at++;
    }
  }
  return prices.filter((price, k) => !isWordNotSum(text, price, prices[k + 1]));
}

/** A sum spoken in 角 or 毛 alone (八角, 三毛): no digit, no 元 or 块, no unit. */
const SPOKEN_JIAO = /^[零〇一二两俩三仨四五六七八九十]+[角毛]$/u;

/**
 * 八角 (star anise) and 三角粽 are words, not 8 or 3 角: a sum spoken in 角 alone is a word when a
 * letter is glued to it or another price follows it (八角 10元/两). 香菜 八角 stays a price.
 */
function isWordNotSum(text: string, price: PriceRead, next: PriceRead | undefined): boolean {
  if (price.unit !== null || !SPOKEN_JIAO.test(text.slice(price.start, price.end))) return false;
  if (/\p{L}/u.test(text[price.end] ?? "")) return true;
  return next !== undefined && /^[\s:=\-~]*$/u.test(text.slice(price.end, next.start));
}

function readPriceAt(text: string, at: number): PriceRead | null {
  const price = unitFirstPrice(text, at) ?? moneyFirstPrice(text, at) ?? barePrice(text, at);
  return price && price.fen > 0 && price.fen <= LIMITS.priceMaxFen ? price : null;
}

/** 每斤3元, 一斤4块, 3斤10元 (the unit, then what it costs). */
function unitFirstPrice(text: string, at: number): PriceRead | null {
  const every = text[at] === "每";
  const per = every ? unitAfterEvery(text, skipSpaces(text, at + 1)) : countedUnit(text, at);
  if (!per) return null;
  // "3斤 10元" could be a stock and a price; only a unit of one may stand apart from its price.
  // A slash ties them as no space does: 500g/10元, 3斤 / 10元.
  const slashAt = skipSpaces(text, per.end);
  const moneyAt =
    !every && text[slashAt] === "/"
      ? skipSpaces(text, slashAt + 1)
      : every || per.one
        ? slashAt
        : per.end;
  const money = readMoney(text, moneyAt);
  if (money && per.unit.endsWith("块") && money.start === per.end && isSmallChange(text, money)) {
    return null; // 一块五毛 is 1.5 yuan, not one 块 for 5 毛 (see moneyFirstPrice)
  }
  if (money) {
    const jiao = money.yuanWord ? readBareJiao(text, money.end) : null; // 一斤两块五
    const fen = money.fen + (jiao?.fen ?? 0);
    return { start: at, end: jiao?.end ?? money.end, fen, unit: per.unit };
  }
  // 每斤3.5, 一斤3.5: a bare number after "per one unit" is its price, unless a word follows it
  // (一斤3个 says how many make a 斤). 1块5 is money (1.5 元), not 5 元 a 块.
  if (!every && (!per.one || per.unit === "块")) return null;
  // 一斤十五: a spoken number of ten or more is a price too.
  const bare = readDecimal(text, moneyAt, 2) ?? spokenTens(text, moneyAt);
  if (!bare || bare.scaled <= 0 || /\p{L}/u.test(text[skipSpaces(text, bare.end)] ?? ""))
    return null;
  return { start: at, end: bare.end, fen: bare.scaled, unit: per.unit };
}

/** 每斤, 每3斤, 每筒 */
function unitAfterEvery(text: string, at: number): PerUnit | null {
  return unitOrBundle(text, at) ?? looseCounter(text, at);
}

/** A sum in 毛 or 角 alone (the 五毛 of 一块五毛). */
function isSmallChange(text: string, money: MoneyRead): boolean {
  const written = text.slice(money.start, money.end);
  return /[毛角]/u.test(written) && !/[元块圆¥]/u.test(written);
}

/** 3元/斤, 两块一斤, 一块五一根, 10元3斤, 6元/500g, ¥3.00/斤, 8角 */
function moneyFirstPrice(text: string, at: number): PriceRead | null {
  const money = readMoney(text, at);
  if (!money) return null;
  const per = perUnitAfter(text, money.end, true);
  if (per) return { start: at, end: per.end, fen: money.fen, unit: per.unit };
  const jiao = money.yuanWord ? readBareJiao(text, money.end) : null;
  if (jiao) return withJiao(text, money, jiao);
  return { start: at, end: money.end, fen: money.fen, unit: null };
}

function withJiao(text: string, money: MoneyRead, jiao: { fen: number; end: number }): PriceRead {
  const fen = money.fen + jiao.fen;
  const per = perUnitAfter(text, jiao.end, false);
  return { start: money.start, end: per?.end ?? jiao.end, fen, unit: per?.unit ?? null };
}

/**
 * 1.8一斤, 2/斤, 四十五一斤: a bare number is a price only with a "per unit" mark. Spoken, only a
 * number with 十 or 百 in it: one digit alone (五一斤) is too easily something else.
 */
function barePrice(text: string, at: number): PriceRead | null {
  if (continuesNumber(text, at)) return null;
  const number = readDecimal(text, at, 2) ?? spokenTens(text, at);
  if (!number || number.scaled <= 0) return null;
  const markAt = skipSpaces(text, number.end);
  if (!/[/一每]/.test(text[markAt] ?? "")) return null;
  const per = perUnitAfter(text, number.end, false);
  return per ? { start: at, end: per.end, fen: number.scaled, unit: per.unit } : null;
}

/** 十五, 四十五, 一百二: a spoken number of ten or more, scaled to fen. */
function spokenTens(text: string, at: number): NumberRead | null {
  const number = readNumber(text, at, 2);
  if (number?.kind !== "cn" || !/[十百]/u.test(text.slice(at, number.end))) return null;
  return number;
}

interface PerUnit {
  unit: string;
  end: number;
  /** The unit of one (一斤, 1斤, 斤): may stand apart from its price. */
  one?: boolean;
}

/** After a price: /斤, 一斤, 每斤, 1斤, /500g, and (right after 元) a bundle: 10元3斤. */
function perUnitAfter(text: string, at: number, allowBundle: boolean): PerUnit | null {
  const markAt = skipSpaces(text, at);
  const mark = text[markAt];
  if (mark === "/" || mark === "每") {
    const unitAt = skipSpaces(text, markAt + 1);
    return (
      unitOrBundle(text, unitAt) ??
      (mark === "/" ? counterWord(text, unitAt) : looseCounter(text, unitAt))
    );
  }
  if (mark === "一" || mark === "1") {
    // 2 块 一 斤: one space may stand between 一 and its unit, as between the other words.
    const unit = readUnit(text, mark === "一" ? skipSpaces(text, markAt + 1) : markAt + 1);
    if (unit && !/[\d.]/.test(text[markAt + 1] ?? "")) return { unit: unit.unit, end: unit.end };
    if (mark === "一") return looseCounter(text, markAt + 1);
  }
  return allowBundle && markAt === at ? countedUnit(text, at) : null;
}

/** 斤, or a bundle: 3斤, 500g, 半斤. */
function unitOrBundle(text: string, at: number): PerUnit | null {
  const unit = readUnit(text, at);
  return unit ? { unit: unit.unit, end: unit.end, one: true } : countedUnit(text, at);
}

/** A number and a unit; a count of one is the unit itself (1斤 → 斤). */
function countedUnit(text: string, at: number): PerUnit | null {
  let milli: number;
  let numberEnd: number;
  let written: string;
  if (text[at] === "半") {
    milli = 500;
    numberEnd = at + 1;
    written = "半";
  } else {
    const number = readNumber(text, at, 3);
    if (!number || number.scaled <= 0) return null;
    milli = number.scaled;
    numberEnd = number.end;
    written = number.kind === "ar" ? text.slice(at, number.end) : String(fromMilli(milli));
  }
  const unit = readUnit(text, numberEnd);
  if (!unit) return null;
  let end = unit.end;
  if (text[end] === "半") {
    // 10元三斤半: a bundle of 3.5 斤.
    milli += 500;
    written = String(fromMilli(milli));
    end++;
  }
  if (text[end] === "装") end++; // 5斤装: "packed as 5 斤"
  if (milli === 1000) return { unit: unit.unit, end, one: true };
  return { unit: `${written}${unit.unit}`, end };
}

/** A price labelled as what it costs elsewhere (原价5元, 超市卖6元): an aside, not a price. */
const REFERENCE_PRICE =
  /(?:原价|市场价|超市价|零售价|门市价|超市卖|外面卖|超市|外面)[ \t]*:?[ \t]*/gu;

function findReferencePrices(text: string, from: number, to: number): Bracket[] {
  const found: Bracket[] = [];
  // This line only (searching on to the end of the text would be quadratic); indexes from `from`.
  const line = text.slice(from, to);
  REFERENCE_PRICE.lastIndex = 0;
  for (let m = REFERENCE_PRICE.exec(line); m; m = REFERENCE_PRICE.exec(line)) {
    const price = readPriceAt(line, REFERENCE_PRICE.lastIndex);
    if (!price) continue;
    const range = { start: from + m.index, end: from + price.end };
    found.push({ ...range, inner: range, reference: true });
    REFERENCE_PRICE.lastIndex = price.end;
  }
  return found;
}

/** "Any other short counter word" after a slash: 25元/套, 8元/筒. */
function counterWord(text: string, at: number): PerUnit | null {
  const ch = text[at] ?? "";
  if (!/\p{Script=Han}/u.test(ch) || /[元块毛角钱]/u.test(ch)) return null;
  return { unit: ch, end: at + 1 };
}

/**
 * A counter word after 一 or 每 (5元一筒, 每筒5元) must stand alone: 一起, 一样 and 每天 are words,
 * and 每人 is a person, not a unit.
 */
function looseCounter(text: string, at: number): PerUnit | null {
  const counter = counterWord(text, at);
  if (!counter || /[人户家位单次天样种起些律共]/u.test(text[at] ?? "")) return null;
  return /\p{L}/u.test(text[counter.end] ?? "") ? null : counter;
}

// ---- names ----------------------------------------------------------------------------------

const TRAILING_SEPARATORS = /[\s:=,、;|/~_.…—!?。-]+$/u;
/** List bullets before a name: · • ・ - * > */
const BULLETS = /[·•・\-*>~]/u;
/**
 * Where the first name of a line starts: after a lead (明日供应:) or a sentence (西瓜到了！). A comma
 * or a 、 may list names (西红柿、黄瓜 5元): see severalNames.
 */
const STRONG_SEPARATOR = /[:;|!?。]/u;
const ANY_SEPARATOR = /[\s:,、;|]/u;
/** Where a name after its price ends: a separator, a full stop, a mark (3元/斤 西红柿！). */
const NAME_AFTER_STOP = /[\s:,、;|。.!?~]/u;
const LEADING_NUMBERING = /^(?:\(\d{1,3}\)|\d{1,3}[.、)。](?!\d))/u;

/**
 * The name of the item priced at `end`: for the first item of a line, all of what comes before
 * its price (after a "明日供应:"-style lead); for the next ones, the last word before their price
 * (what comes before that word still belongs to the item before), with the names listed before it
 * (萝卜、红萝卜 1元/斤; 萝卜 红萝卜 1元/斤, both produce).
 */
function pickName(work: string, start: number, end: number, first: boolean): Range | null {
  const region = work.slice(start, end).replace(TRAILING_SEPARATORS, "");
  let from = region.length;
  if (first) {
    while (from > 0 && !STRONG_SEPARATOR.test(region[from - 1] ?? "")) from--;
  } else {
    from = wordStart(region, from);
    for (;;) {
      let gap = from;
      while (gap > 0 && /[\s,、/]/u.test(region[gap - 1] ?? "")) gap--;
      if (gap === 0 || gap === from) break;
      const before = wordStart(region, gap);
      const listed = region.slice(gap, from).includes("、");
      const word = cleanName(region.slice(from, wordEnd(region, from)));
      if (!listed && !(isProduce(cleanName(region.slice(before, gap))) && isProduce(word))) break;
      from = before;
    }
  }
  let nameStart = start + from;
  const nameEnd = start + region.length;
  nameStart = skipLeadingNoise(work, nameStart, nameEnd);
  return nameStart < nameEnd ? { start: nameStart, end: nameEnd } : null;
}

function wordStart(text: string, at: number): number {
  let from = at;
  while (from > 0 && !ANY_SEPARATOR.test(text[from - 1] ?? "")) from--;
  return from;
}

function wordEnd(text: string, at: number): number {
  let to = at;
  while (to < text.length && !ANY_SEPARATOR.test(text[to] ?? "")) to++;
  return to;
}

/** A name ends where a stock or limit phrase starts (西红柿 还有20斤 3元/斤). */
function cutAtPhrase(work: string, name: Range): Range | null {
  const [phrase] = readPhrases(work, name.start, name.end);
  if (!phrase) return name;
  const kept = work.slice(name.start, phrase.start).replace(TRAILING_SEPARATORS, "");
  return kept.length > 0 ? { start: name.start, end: name.start + kept.length } : null;
}

/**
 * Words that say "the price is" (西红柿 团购价3元/斤, 价格：3元/斤, 西红柿今天3元一斤, 西瓜一口价
 * 10元, 黄瓜才2块一斤): not part of the name. 散卖 and 零卖 say how it is sold: they stay.
 */
const PRICE_LABEL =
  /[\s:]*(?:今天|今日|明天|明日|这次)?(?:现在|现价|团购价|特价|活动价|优惠价|秒杀价|促销价|折扣价|抢购价|尝鲜价|福利价|会员价|批发价|出厂价|产地价|地头价|内部价|一口价|售价|单价|价格|半价|打折|折扣)?(?:只要|只需|仅需|仅|只卖|(?<![散零整批])卖|才|就)?$/u;

function withoutPriceLabel(work: string, name: Range): Range {
  const label = PRICE_LABEL.exec(work.slice(name.start, name.end));
  return label?.[0] ? { start: name.start, end: name.end - label[0].length } : name;
}

/**
 * A name ends before a later word that is or holds a quantity (西红柿 3斤 10元, 西红柿 5斤装 20元,
 * 赣南脐橙 整箱10斤装 50元/箱): that word says how much the price is for, and is kept as the
 * description.
 */
function cutAtQuantity(work: string, name: Range): Range | null {
  for (let at = name.start + 1; at < name.end; at++) {
    if (!/\s/u.test(work[at - 1] ?? "") || /\s/u.test(work[at] ?? "")) continue;
    const word = wordEnd(work.slice(0, name.end), at);
    if (holdsQuantity(work, at, word)) {
      const kept = work.slice(name.start, at).replace(TRAILING_SEPARATORS, "");
      return kept.length > 0 ? { start: name.start, end: name.start + kept.length } : null;
    }
  }
  return name;
}

/** A quantity with a unit starts the word, or a digit in it starts one (整箱10斤装). */
function holdsQuantity(work: string, from: number, to: number): boolean {
  if (readQuantity(work, from)?.unit) return true;
  for (let at = from + 1; at < to; at++) {
    if (
      /\d/u.test(work[at] ?? "") &&
      !/\d/u.test(work[at - 1] ?? "") &&
      readQuantity(work, at)?.unit
    ) {
      return true;
    }
  }
  return false;
}

/** Numbering (2.), decorations and a stock or limit phrase glued in front of a name. */
function skipLeadingNoise(work: string, start: number, end: number): number {
  let at = start;
  for (;;) {
    const before = at;
    while (at < end) {
      const ch = work[at] ?? "";
      const step = /\s/u.test(ch) || BULLETS.test(ch) ? 1 : decorationAt(work, at);
      if (step === 0) break;
      at += step;
    }
    const numbering = LEADING_NUMBERING.exec(work.slice(at, end));
    if (numbering) at += numbering[0].length;
    const phrase = readPhraseAt(work, at);
    if (phrase && phrase.end <= end) at = phrase.end;
    if (at === before) return at;
  }
}

/**
 * When, not what: 今天, 明日, 周六 (週六), 11月29日, "11.29 " (and the 的 or 有 after them: 明天的豆角,
 * 今天有菠菜).
 * 有 before 机 is 有机 (organic), part of the name.
 */
const WHEN =
  /(?:今天|今日|明天|明日|[后後]天|今早|明早|今晚|[当當][天日]|(?:本|[这這]|下)?(?:[周週]|星期|[礼禮]拜)[一二三四五六日天末]|(?:本|[这這]|下)[周週]|(?:\d{2,4}年)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号]?|\d{1,2}[./]\d{1,2}(?=[ \t]))(?:[ \t]*(?:的|有(?!机)))?[ \t:]*/uy;
/** "Also" and "on offer" words before a name (还有红薯, 另外还有南瓜, 明日供应白菜): not the item. */
const ALSO = /(?:另外还有|另外|另有|还有|也有|供应|有货)[ \t:]*/uy;
/** A promotion tag glued to a name (特价西红柿): the item's description, like 【特价】西红柿. */
const PROMO = /(?:特价|推荐|新品|新货|新到|上新|热卖|秒杀|爆款|预售)[ \t:]*/uy;
/** A clause ending in 的 before a name (刚摘的豆角, 自家种的丝瓜): says how it is, not what. */
const MODIFIER = /\p{L}{1,6}?的[ \t]*(?=\p{L}|\p{Extended_Pictographic}|\p{So})/uy;

/**
 * The name without its lead-in: time words are dropped, promotion tags and 的-clauses are kept as
 * asides (the description). Null when nothing but lead-in is left (今日特价 3元/斤 names nothing).
 * A stock phrase is never a lead-in (还有20斤 is a stock, 还有红薯 is not).
 */
function skipLeadIn(work: string, name: Range): { name: Range; asides: Range[] } | null {
  const asides: Range[] = [];
  let at = name.start;
  for (;;) {
    if (readPhraseAt(work, at)) break;
    const dropped = matchAt(WHEN, work, at, name.end) ?? matchAt(ALSO, work, at, name.end);
    const aside =
      dropped ?? matchAt(MODIFIER, work, at, name.end) ?? matchAt(PROMO, work, at, name.end);
    if (aside === null) break;
    if (dropped === null) asides.push({ start: at, end: aside });
    at = aside;
    // 明天🍅西红柿, 自家种的🥒黄瓜: the emoji marks where the name starts.
    for (
      let step = decorationAt(work, at);
      step > 0 && at < name.end;
      step = decorationAt(work, at)
    ) {
      at = skipSpaces(work, at + step);
    }
  }
  if (!/\p{L}/u.test(work.slice(at, name.end))) return null;
  return { name: { start: at, end: name.end }, asides };
}

/** The end of a sticky `re`'s match at `at` (past `end` only by spaces), or null. */
function matchAt(re: RegExp, text: string, at: number, end: number): number | null {
  re.lastIndex = at;
  if (!re.exec(text) || re.lastIndex <= at) return null;
  if (re.lastIndex <= end) return re.lastIndex;
  return /^[\s:]*$/u.test(text.slice(end, re.lastIndex)) ? end : null;
}

/** An emoji between two Han characters (新鲜🥬菠菜): the name reads on without a space. */
const DECORATION_IN_WORD = new RegExp(
  String.raw`(?<=\p{Script=Han})(?:${DECORATION.source})+(?=\p{Script=Han})`,
  "gu",
);

/** The name as typed, without decorations and without marks at its edges (※西红柿 →). */
function cleanName(text: string): string {
  return text
    .replace(DECORATION_IN_WORD, "")
    .replace(DECORATION, " ")
    .replace(/\s+/gu, " ")
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, "")
    .trim();
}

// ---- stock and limits -------------------------------------------------------------------------

const STOCK_WORDS =
  /(?:限量|限售|限供|总共|一共|共计|共|只有|仅有|仅剩|只剩|还剩|还有|剩余|剩|库存|总量|现货|仅此)(?:就|才|只有|只|有)?[ \t]*:?[ \t]*/y;
const PER = "(?:每人|每户|每家|每位|每个人|一人|一户)";
const EACH = "(?:每样|每种|每款|每个品种)";
const CAP = "(?:限购|限买|限定|限|最多(?:可|能)?买|最多|至多|不超过|只能买|只可买)";
/**
 * 每人限2盒, 每人每样限购5斤, 每户限10斤, 限购2盒, 每样限5斤, 每人2盒; and 限每人2斤, and 每人限量2盒
 * (限量 after 每人 is a limit; 限量 alone is a stock), 每人各限2斤, 每人限购各2斤 (各: each item).
 */
const LIMIT_WORDS = new RegExp(
  String.raw`(?:(?:限购|限买|限)${PER}${EACH}?|${PER}各?${EACH}?[ \t]*限量|${PER}?各?${EACH}?[ \t]*${CAP}[ \t]*各?|${PER}${EACH}?各?)[ \t]*:?[ \t]*`,
  "uy",
);
/** A limit said with 限 alone (限10袋): a stock or a limit? Only 每人, 限购 or 最多 say which. */
const BARE_LIMIT = /^[ \t]*各?限各?[ \t]*:?[ \t]*$/u;
/** The "/人" of 限购2盒/人 (not the 每人 that starts the next phrase: 限50提 每人最多2提). */
const PER_PERSON_TAIL = /[ \t]*(?:\/[ \t]*(?:人|户|家)|每(?:人|户|家)(?![\p{L}\p{N}]))/uy;
const ABOUT = /约|大约|大概|差不多|左右/y;
/** Kinds, not amounts: 3样, 5种. */
const KINDS = /^(?:样|种|款|类|个品种)/u;

function readPhraseAt(text: string, at: number): Phrase | null {
  for (const [kind, words] of [
    ["limit", LIMIT_WORDS],
    ["stock", STOCK_WORDS],
  ] as const) {
    const lead = readLead(words, text, at);
    if (!lead) continue;
    ABOUT.lastIndex = lead.end;
    if (ABOUT.test(text)) continue; // 共约3斤 is a description, not a stock
    const qty = readQuantity(text, lead.end);
    if (!qty) continue;
    // 每单限购3样: a number of kinds per order, not an amount of an item.
    if (qty.unit === null && KINDS.test(text.slice(qty.end, qty.end + 2))) continue;
    const phraseKind = kind === "limit" && BARE_LIMIT.test(lead.text) ? "ask" : kind;
    PER_PERSON_TAIL.lastIndex = qty.end;
    const perPerson = phraseKind !== "stock" && PER_PERSON_TAIL.test(text);
    return {
      kind: perPerson ? "limit" : phraseKind,
      milli: qty.milli,
      unit: qty.unit,
      start: at,
      end: perPerson ? PER_PERSON_TAIL.lastIndex : qty.end,
      everyItem: /每样|每种|每款|品种/u.test(lead.text),
      each: lead.text.includes("各"),
    };
  }
  return null;
}

function readLead(words: RegExp, text: string, at: number): { text: string; end: number } | null {
  words.lastIndex = at;
  const lead = words.exec(text);
  return lead ? { text: lead[0], end: words.lastIndex } : null;
}

/** Where a stock or limit phrase may start (its first word: 限, 每人, 共, 只有…). */
const PHRASE_START = codeTable([..."限每一各最至不只总共仅还剩库现"]);

function readPhrases(text: string, from: number, to: number): Phrase[] {
  const phrases: Phrase[] = [];
  let at = from;
  while (at < to) {
    if (PHRASE_START[text.charCodeAt(at)] !== 1) {
      at++;
      continue;
    }
    const phrase = readPhraseAt(text, at);
    if (phrase && phrase.end <= to) {
      phrases.push(phrase);
      at = phrase.end;
    } else {
      at++;
    }
  }
  return phrases;
}

/** Stock, limits and description from what surrounds one item's price. */
function readExtras(line: Line, around: readonly Range[], own: Range, draft: Draft): void {
  const inner = line.brackets
    .filter((bracket) => bracket.start >= own.start && bracket.start < own.end)
    .map((bracket) => bracket.inner);
  const words: string[] = [];
  for (const piece of [...around, ...inner]) {
    const outside = around.includes(piece);
    const source = outside ? line.work : line.view.folded;
    const display = outside ? line.shown : line.view.wide;
    let text = "";
    let at = piece.start;
    for (const phrase of readPhrases(source, piece.start, piece.end)) {
      text += display.slice(at, phrase.start);
      at = phrase.end;
      if (phrase.everyItem && phrase.kind === "limit") line.everyItemLimits.push(phrase);
      else {
        const said = typedText(line.view, phrase.start, phrase.end);
        const problem = applyOrAsk(draft, phrase, line.raw, said);
        if (problem) line.review.push(problem);
      }
    }
    text += display.slice(at, piece.end);
    const word = cleanDescription(text);
    if (word && !/^\(?\d{1,3}[.、。)]?$/u.test(word)) words.push(word); // not a list number
  }
  if (words.length > 0) draft.description = words.join(" ");
}

function cleanDescription(text: string): string {
  const cleaned = text
    .replace(DECORATION, " ")
    .replace(/\s+/gu, " ")
    .replace(/^[\s:,、;|/~.…-]+|[\s:,、;|/~.…-]+$/gu, "")
    .trim();
  // Punctuation alone ("......") says nothing, nor a particle left by a phrase (只剩8斤了 → 了).
  return /[\p{L}\p{N}]/u.test(cleaned) && !PARTICLES.test(cleaned) ? cleaned : "";
}

/** Sentence particles with nothing else: 了, 哦, 啊… */
const PARTICLES = /^[了哦喔啊呀呢啦吧哈嘛噢][\p{P}\s]*$/u;

/** A phrase's quantity in the item's unit (份 and a bare number mean the item's unit). */
function inItemUnit(phrase: Phrase, unit: string): number | null {
  if (phrase.unit === null || phrase.unit === GENERIC_UNIT || sameUnit(phrase.unit, unit)) {
    return phrase.milli;
  }
  return convertMilli(phrase.milli, phrase.unit, unit);
}

/** Give the item its stock or limit; false when the amount's unit does not fit the item's. */
function applyPhrase(draft: Draft, phrase: Phrase, overwrite: boolean): boolean {
  const milli = inItemUnit(phrase, draft.unit);
  if (milli === null || milli <= 0) return false;
  if (phrase.kind === "stock" && (overwrite || draft.stockMilli === undefined)) {
    draft.stockMilli = milli;
  }
  if (phrase.kind === "limit" && milli <= QTY_MAX_MILLI) {
    if (overwrite || draft.limitMilli === undefined) draft.limitMilli = milli;
  }
  return true;
}

/** A stock or a limit for this item, or a 限N to decide later; the question when it can't be. */
function applyOrAsk(draft: Draft, phrase: Phrase, raw: string, said: string): ListingReview | null {
  if (phrase.kind === "ask") {
    if (inItemUnit(phrase, draft.unit) === null) return mismatch(draft, phrase, raw, said);
    draft.asks.push({ phrase, raw, text: said });
    return null;
  }
  return applyPhrase(draft, phrase, true) ? null : mismatch(draft, phrase, raw, said);
}

function mismatch(draft: Draft, phrase: Phrase, raw: string, said: string): ListingReview {
  return ask("unit_mismatch", raw, {
    items: [draft.name],
    amount: { qty: fromMilli(phrase.milli), unit: phrase.unit },
    text: said,
  });
}

function applyToAll(drafts: Draft[], phrase: Phrase): void {
  for (const draft of drafts) applyPhrase(draft, phrase, false);
}

/**
 * 限10袋 with nothing saying which: beside a limit (每人最多2提) it is the stock, beside a stock the
 * limit; alone, the grower is asked.
 */
function settleAsks(post: Post, draft: Draft): void {
  for (const { phrase, raw, text } of draft.asks) {
    const hasLimit = draft.limitMilli !== undefined;
    const hasStock = draft.stockMilli !== undefined;
    if (hasLimit !== hasStock) {
      applyPhrase(draft, { ...phrase, kind: hasLimit ? "stock" : "limit" }, false);
      continue;
    }
    post.review.push(
      ask("stock_or_limit", raw, {
        items: [draft.name],
        amount: { qty: fromMilli(phrase.milli), unit: phrase.unit },
        text,
      }),
    );
  }
}

/** Labels before a rule (注：, 温馨提示：), and words for "everything": no item's name. */
const RULE_WORDS =
  /注意|注|备注|提示|温馨|友情|特别|说明|规则|限购|限量|大家|各位|亲们|请|每人|每户|每家|所有|全部|以上|以下|蔬菜|水果|菜品|菜|东西|商品|产品|均|都|各|一律|统一|本次|今天|今日|明天|明日/gu;

/**
 * A line that is not an item may still set stock or limits, for the items it names (西红柿每人限3斤;
 * 每人限购草莓两盒，蓝莓每户一份; 限购：西红柿3斤 黄瓜2斤; 樱桃、车厘子每人各限2斤) or, naming none, a
 * limit for every item (每人每样限购5斤). A limit for a word that is no item here (香蕉每人限2斤), one
 * limit for several items without 各 (牛奶酸奶每人最多10瓶) and an amount that doesn't fit its item
 * are asked about.
 */
function readLooseLine(post: Post, view: TextView, line: Range, index: MentionIndex<Draft>): void {
  const text = view.folded;
  const raw = typedText(view, line.start, line.end);
  const mentions = findMentions(text, line.start, line.end, index);
  const said = (range: Range) => typedText(view, range.start, range.end);
  let pending: Mention<Draft>[] = [];
  let last: Mention<Draft>[] = [];
  let lastEnd = line.start;
  let next = 0;
  let applied = false;
  for (let at = line.start; at < line.end; ) {
    while ((mentions[next]?.start ?? Number.POSITIVE_INFINITY) < at) next++;
    const mention = mentions[next];
    if (mention && mention.start === at) {
      pending.push(mention);
      at = mention.end;
      next++;
      continue;
    }
    if (PHRASE_START[text.charCodeAt(at)] !== 1) {
      at++;
      continue;
    }
    const listed = readCueList(text, at, line.end, mentions.slice(next));
    if (listed) {
      for (const { mention: item, phrase } of listed.pairs) {
        for (const draft of item.values) {
          const problem = applyOrAsk(draft, phrase, raw, said(phrase));
          if (problem) post.review.push(problem);
        }
      }
      last = listed.pairs.map((pair) => pair.mention);
      pending = [];
      at = lastEnd = listed.end;
      applied = true;
      continue;
    }
    const phrase = readPhraseAt(text, at);
    if (!phrase || phrase.end > line.end) {
      at++;
      continue;
    }
    applied = true;
    const amount = { qty: fromMilli(phrase.milli), unit: phrase.unit };
    const unknown = pending.length === 0 && namesUnknown(text, lastEnd, phrase.start);
    const targets = pending.length > 0 ? pending : unknown ? [] : last;
    if (unknown) {
      post.review.push(ask("limit_no_item", raw, { items: [unknown], amount, text: said(phrase) }));
    } else if (targets.length === 0) {
      // Naming no item: a limit for every item; 限5斤 alone is asked about.
      if (phrase.kind === "limit") post.everyItemLimits.push({ ...phrase, everyItem: true });
      if (phrase.kind === "ask") {
        post.review.push(ask("stock_or_limit", raw, { amount, text: said(phrase) }));
      }
    } else if (new Set(targets.map((target) => target.key)).size > 1 && !phrase.each) {
      const items = targets.map((target) => target.values[0]?.name ?? target.key);
      post.review.push(ask("shared_limit", raw, { items, amount, text: said(phrase) }));
    } else {
      for (const target of targets) {
        for (const draft of target.values) {
          const problem = applyOrAsk(draft, phrase, raw, said(phrase));
          if (problem) post.review.push(problem);
        }
      }
    }
    last = targets;
    pending = [];
    at = lastEnd = phrase.end;
  }
  if (!applied && mentions.length > 0) readListedLine(post, view, line, mentions, raw);
}

/**
 * The item a phrase naming none of the listed items is about, when the words right before it name
 * one (香蕉每人限2斤, 橘子每人限3斤): null when they are a label or words for everything.
 */
function namesUnknown(text: string, from: number, to: number): string | null {
  const before = text.slice(from, to);
  const glued = /(\p{Script=Han}+)[ \t]*$/u.exec(before)?.[1] ?? "";
  const word = glued.replace(RULE_WORDS, "");
  if (word.length > 0) return word;
  const produce = before
    .replace(RULE_WORDS, " ")
    .split(/[^\p{L}]+/u)
    .find(isProduce);
  return produce ?? null;
}

interface CuePair {
  mention: Mention<Draft>;
  phrase: Phrase;
}

/** A stock or limit word, then items each with its amount: 限购：西红柿3斤 黄瓜2斤, 每人限购草莓两盒. */
function readCueList(
  text: string,
  at: number,
  end: number,
  mentions: readonly Mention<Draft>[],
): { pairs: CuePair[]; end: number } | null {
  const cue = readLead(LIMIT_WORDS, text, at) ?? readLead(STOCK_WORDS, text, at);
  if (!cue) return null;
  const kind = readLead(LIMIT_WORDS, text, at)
    ? BARE_LIMIT.test(cue.text)
      ? "ask"
      : "limit"
    : "stock";
  const pairs: CuePair[] = [];
  let cursor = skipSpaces(text, cue.end);
  for (const mention of mentions) {
    if (mention.start !== cursor) break;
    const qtyAt = skipSpaces(text, mention.end);
    const qty = readQuantity(text, qtyAt);
    if (!qty || qty.end > end) break;
    pairs.push({
      mention,
      phrase: {
        kind,
        milli: qty.milli,
        unit: qty.unit,
        start: qtyAt,
        end: qty.end,
        everyItem: false,
        each: false,
      },
    });
    cursor = qty.end;
    while (cursor < end && /[\s,、;]/u.test(text[cursor] ?? "")) cursor++;
  }
  const lastPair = pairs.at(-1);
  return lastPair ? { pairs, end: lastPair.phrase.end } : null;
}

/** What a line listing items with their amounts gives them: 限购 a limit, 限量 or 库存 a stock. */
function listedKind(line: string): PhraseKind | null {
  if (/限购|限买|每人|每户/u.test(line)) return "limit";
  return /限量|库存|数量|总共|一共|只有|仅有|剩|现货/u.test(line) ? "stock" : null;
}

/** 西瓜50个 哈密瓜20个 卖完就没了: items with amounts, and a word later saying what they are. */
function readListedLine(
  post: Post,
  view: TextView,
  line: Range,
  mentions: readonly Mention<Draft>[],
  raw: string,
): void {
  const text = view.folded;
  const kind = listedKind(text.slice(line.start, line.end));
  if (!kind) return;
  for (const mention of mentions) {
    const qtyAt = skipSpaces(text, mention.end);
    const qty = readQuantity(text, qtyAt);
    if (!qty || qty.end > line.end) continue;
    const phrase: Phrase = { kind, ...qty, start: qtyAt, everyItem: false, each: false };
    for (const draft of mention.values) {
      const problem = applyOrAsk(draft, phrase, raw, typedText(view, qtyAt, qty.end));
      if (problem) post.review.push(problem);
    }
  }
}

function toItem(draft: Draft): ListingItem {
  const item: ListingItem = { name: draft.name, priceFen: draft.priceFen, unit: draft.unit };
  if (draft.stockMilli !== undefined) item.stock = fromMilli(draft.stockMilli);
  if (draft.limitMilli !== undefined) item.perPersonLimit = fromMilli(draft.limitMilli);
  if (draft.description !== undefined) item.description = draft.description;
  return item;
}
