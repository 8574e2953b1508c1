/**
 * A grower's price post → draft listing items. The grower sees the draft and fixes it before
 * posting, so this reads generously; but it never invents a price, and lines that are not
 * items (greetings, cutoff and delivery notes) come back as notes.
 *
 *   🍅 西红柿 3元/斤 · 玉米 一块五一根 · 每斤3元 · 一斤4块 · 1.8一斤 · 土豆 10元3斤 · ¥3.00/斤
 *   新土豆 ¥1.8/斤（限量100斤） · 蓝莓 20元/盒 每人限2盒 · 每人每样限购5斤 (a line of its own)
 */
import { LIMITS } from "../limits.js";
import { fromMilli } from "../quantity.js";
import { findMentions, keyIndex, type Mention, type NamedKey, nameKey } from "./item-names.js";
import {
  type MoneyRead,
  QTY_MAX_MILLI,
  readBareJiao,
  readMoney,
  readQuantity,
  skipSpaces,
} from "./numbers.js";
import { continuesNumber, type NumberRead, readDecimal, readNumber } from "./numerals.js";
import { DECORATION, decorationAt, type TextView, typedText, viewText } from "./text-view.js";
import { convertMilli, GENERIC_UNIT, readUnit, sameUnit } from "./units.js";

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

export interface ParsedListing {
  items: ListingItem[];
  /** Lines that are not items, as typed: header, cutoff, delivery, limits for everything. */
  notes: string[];
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

type PhraseKind = "stock" | "limit";

interface Phrase extends Range {
  kind: PhraseKind;
  milli: number;
  unit: string | null;
  /** 每人每样限购: for every item, not just the one beside it. */
  everyItem: boolean;
}

interface Draft {
  name: string;
  priceFen: number;
  unit: string;
  stockMilli?: number;
  limitMilli?: number;
  description?: string;
}

export function parseListing(text: string): ParsedListing {
  if (typeof text !== "string") return { items: [], notes: [] };
  const view = viewText(text);
  const drafts: Draft[] = [];
  const looseLines: Range[] = [];
  const everyItemLimits: Phrase[] = [];
  for (const line of splitLines(view)) {
    let found = readItemLine(view, line, everyItemLimits);
    const before = looseLines.at(-1);
    if (found.length === 0 && before && isWrappedPrice(view, before, line)) {
      // 1.西红柿 / 3元/斤: the name on one line, its price on the next.
      found = readItemLine(view, { start: before.start, end: line.end }, everyItemLimits);
      if (found.length > 0) looseLines.pop();
    }
    if (found.length > 0) drafts.push(...found);
    else if (view.wide.slice(line.start, line.end).trim().length > 0) looseLines.push(line);
  }
  const index = keyIndex(mentionKeys(drafts));
  for (const line of looseLines) applyLooseLine(view, line, index, everyItemLimits);
  for (const limit of everyItemLimits) applyToAll(drafts, limit);
  return {
    items: drafts.map(toItem),
    notes: looseLines.map((line) => typedText(view, line.start, line.end)).filter(Boolean),
  };
}

/** The shortest end of a name a line may name its item by (鸡蛋, not 蛋). */
const SHORT_NAME_MIN = 2;

/**
 * The keys a limit or stock line may name an item by: its name, and the end of its name when no
 * other item's name ends so (鸡蛋 for 土鸡蛋, 苹果 for 红富士苹果: "鸡蛋每人限30个"). The longest
 * key wins, so 白菜 still names 白菜 where 小白菜 is sold too.
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
    of.size === 1
      ? exact.filter((entry) => of.has(entry.key)).map(({ value }) => ({ key: end, value }))
      : [],
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

/** One line as the readers see it. */
interface Line {
  view: TextView;
  /** Folded, brackets blanked: where prices, names and phrases are found. */
  work: string;
  /** Width-folded, brackets blanked: where names and descriptions are taken from. */
  shown: string;
  /** Brackets on the line that are asides (a bracket that is an item's name is taken out). */
  brackets: Bracket[];
  /** Limits for every item (每人每样限购) met on item lines, applied at the end. */
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

function readItemLine(view: TextView, range: Range, everyItemLimits: Phrase[]): Draft[] {
  NUMBERING.lastIndex = range.start;
  NUMBERING.exec(view.folded);
  const from = Math.min(NUMBERING.lastIndex, range.end);
  const found = findBrackets(view.folded, from, range.end);
  const references = findReferencePrices(maskRanges(view.folded, found), from, range.end);
  const brackets = [...found, ...references];
  const line: Line = {
    view,
    work: maskRanges(view.folded, brackets),
    shown: maskRanges(view.wide, brackets),
    brackets,
    everyItemLimits,
  };
  const prices = scanPrices(line.work, from, range.end);
  const [first] = prices;
  if (first && !/\p{L}/u.test(view.folded.slice(from, first.start))) {
    // "3元/斤 西红柿": a line that starts with a price names each item after its price.
    return prices.flatMap((price, k) =>
      isPerOrder(price) ? [] : namedAfter(line, price, prices[k + 1]?.start ?? range.end),
    );
  }
  const named = prices.flatMap((price, k): NamedPrice[] => {
    if (isPerOrder(price)) return [];
    const start = k === 0 ? from : (prices[k - 1]?.end ?? from);
    const shared = sharedNames(line, start, price);
    if (shared) return shared;
    const named = nameBefore(line, start, price, k === 0);
    return named ? [named] : [];
  });
  return named.map(({ price, name, text, asides, from: own, shared }, k) => {
    // Everything up to the next item's words is this item's: its stock, limit and description.
    const start = k === 0 ? from : own;
    const end = named.slice(k + 1).find((next) => next.price !== price)?.from ?? range.end;
    const draft: Draft = { name: text, priceFen: price.fen, unit: price.unit ?? DEFAULT_UNIT };
    const after = { start: price.end, end };
    if (shared) {
      // What follows a shared price is every sharer's; the other names are not a description.
      readExtras(line, [...asides, after], { start: price.start, end }, draft);
      return draft;
    }
    // "西红柿 还有20斤 3元/斤": what stands between the name and its price counts too.
    const between = { start: name.end, end: price.start };
    readExtras(line, [...asides, between, after], { start, end }, draft);
    return draft;
  });
}

/** The name before a price: see pickName; or a name in brackets ([西红柿]3元/斤). */
function nameBefore(
  line: Line,
  start: number,
  price: PriceRead,
  first: boolean,
): NamedPrice | null {
  const picked = pickName(line.work, start, price.start, first);
  if (!picked) return bracketName(line, start, price.start, price);
  const cut = cutAtPhrase(line.work, picked);
  const whole = cut && cutAtQuantity(line.work, withoutPriceLabel(line.work, cut));
  const lead = whole && skipLeadIn(line.work, whole);
  if (!whole || !lead) return null;
  const text = cleanName(line.shown.slice(lead.name.start, lead.name.end));
  if (!isItemName(line.work, lead.name, text)) return null;
  return { price, name: lead.name, text, from: whole.start, asides: lead.asides };
}

/** "All of these" before a price: 西红柿、黄瓜都是3元/斤, 豆角，青椒均为4元一斤. */
const SHARED_PRICE = /[\s:]*(?:都是|都|均为|均是|均|一律|统一)(?:价|价格)?[\s:]*$/u;
/** Between the names that share a price. */
const NAME_LIST_SEPARATOR = /[\s,、;|/和跟及与]+/u;

/**
 * Several names before one price with 都是/均 (西红柿、黄瓜、茄子都是3元/斤): an item for each.
 * Null unless there are two names or more and every one of them is a name (以下蔬菜一律2元/斤 and
 * 今天的菜都是3元 name no item).
 */
function sharedNames(line: Line, start: number, price: PriceRead): NamedPrice[] | null {
  const region = line.work.slice(start, price.start);
  const shared = SHARED_PRICE.exec(region);
  if (!shared) return null;
  const names: NamedPrice[] = [];
  // After a lead (蔬菜：西红柿、黄瓜都是3元/斤).
  const listStart = region.lastIndexOf(":", shared.index) + 1;
  let at = start + listStart;
  for (const part of region.slice(listStart, shared.index).split(NAME_LIST_SEPARATOR)) {
    const partStart = line.work.indexOf(part, at);
    at = partStart + part.length;
    const whole = { start: skipLeadingNoise(line.work, partStart, at), end: at };
    if (whole.start >= whole.end) continue; // nothing, or a stock phrase of the item before
    const lead = skipLeadIn(line.work, whole);
    const text = lead ? cleanName(line.shown.slice(lead.name.start, lead.name.end)) : "";
    if (!lead || !isItemName(line.work, lead.name, text)) return null;
    names.push({
      price,
      name: lead.name,
      text,
      from: partStart,
      asides: lead.asides,
      shared: true,
    });
  }
  return names.length >= 2 ? names : null;
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
  const draft: Draft = { name: text, priceFen: price.fen, unit: price.unit ?? DEFAULT_UNIT };
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

function scanPrices(text: string, from: number, to: number): PriceRead[] {
  const prices: PriceRead[] = [];
  let at = from;
  while (at < to) {
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
  const bare = readDecimal(text, moneyAt, 2);
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
/** Where the first name of a line starts: after a lead (明日供应:) or a sentence (西瓜到了！). */
const STRONG_SEPARATOR = /[:,、;|!?。]/u;
const ANY_SEPARATOR = /[\s:,、;|]/u;
/** Where a name after its price ends: a separator, a full stop, a mark (3元/斤 西红柿！). */
const NAME_AFTER_STOP = /[\s:,、;|。.!?~]/u;
const LEADING_NUMBERING = /^(?:\(\d{1,3}\)|\d{1,3}[.、)。](?!\d))/u;

/**
 * The name of the item priced at `end`: for the first item of a line, all of what comes before
 * its price (after a "明日供应:"-style lead); for the next ones, the last word before their price
 * (what comes before that word still belongs to the item before).
 */
function pickName(work: string, start: number, end: number, first: boolean): Range | null {
  const region = work.slice(start, end).replace(TRAILING_SEPARATORS, "");
  let from = region.length;
  const separator = first ? STRONG_SEPARATOR : ANY_SEPARATOR;
  while (from > 0 && !separator.test(region[from - 1] ?? "")) from--;
  let nameStart = start + from;
  const nameEnd = start + region.length;
  nameStart = skipLeadingNoise(work, nameStart, nameEnd);
  return nameStart < nameEnd ? { start: nameStart, end: nameEnd } : null;
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
  /[\s:]*(?:今天|今日|明天|明日|这次)?(?:现在|现价|团购价|特价|活动价|优惠价|秒杀价|促销价|折扣价|抢购价|尝鲜价|福利价|会员价|批发价|出厂价|产地价|地头价|内部价|一口价|售价|单价|价格)?(?:只要|只需|仅需|仅|只卖|(?<![散零整批])卖|才|就)?$/u;

function withoutPriceLabel(work: string, name: Range): Range {
  const label = PRICE_LABEL.exec(work.slice(name.start, name.end));
  return label?.[0] ? { start: name.start, end: name.end - label[0].length } : name;
}

/**
 * A name ends before a later word that is a quantity (西红柿 3斤 10元, 西红柿 5斤装 20元): that
 * word says how much the price is for, and is kept as the description.
 */
function cutAtQuantity(work: string, name: Range): Range | null {
  for (let at = name.start + 1; at < name.end; at++) {
    if (!/\s/u.test(work[at - 1] ?? "") || /\s/u.test(work[at] ?? "")) continue;
    if (readQuantity(work, at)?.unit) {
      const kept = work.slice(name.start, at).replace(TRAILING_SEPARATORS, "");
      return kept.length > 0 ? { start: name.start, end: name.start + kept.length } : null;
    }
  }
  return name;
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
  /(?:限量|限售|限供|总共|一共|共计|共|只有|仅有|仅剩|只剩|还剩|还有|剩余|剩|库存|总量|现货|仅此)[ \t]*:?[ \t]*/y;
const PER = "(?:每人|每户|每家|每位|每个人|一人|一户)";
const EACH = "(?:每样|每种|每款|每个品种)";
const CAP = "(?:限购|限买|限定|限|最多(?:可|能)?买|最多|至多|不超过|只能买|只可买)";
/**
 * 每人限2盒, 每人每样限购5斤, 每户限10斤, 限购2盒, 每样限5斤, 每人2盒; and 限每人2斤, and 每人限量2盒
 * (限量 after 每人 is a limit; 限量 alone is a stock).
 */
const LIMIT_WORDS = new RegExp(
  String.raw`(?:(?:限购|限买|限)${PER}${EACH}?|${PER}${EACH}?[ \t]*限量|${PER}?${EACH}?[ \t]*${CAP}|${PER}${EACH}?)[ \t]*:?[ \t]*`,
  "uy",
);
/** The "/人" of 限购2盒/人. */
const PER_PERSON_TAIL = /[ \t]*[/每][ \t]*(?:人|户|家)/y;
const ABOUT = /约|大约|大概|差不多|左右/y;

function readPhraseAt(text: string, at: number): Phrase | null {
  for (const [kind, words] of [
    ["limit", LIMIT_WORDS],
    ["stock", STOCK_WORDS],
  ] as const) {
    words.lastIndex = at;
    const lead = words.exec(text);
    if (!lead) continue;
    const qtyAt = words.lastIndex;
    ABOUT.lastIndex = qtyAt;
    if (ABOUT.test(text)) continue; // 共约3斤 is a description, not a stock
    const qty = readQuantity(text, qtyAt);
    if (!qty) continue;
    const everyItem = /每样|每种|每款|品种/u.test(lead[0]);
    PER_PERSON_TAIL.lastIndex = qty.end;
    const end =
      kind === "limit" && PER_PERSON_TAIL.test(text) ? PER_PERSON_TAIL.lastIndex : qty.end;
    return { kind, milli: qty.milli, unit: qty.unit, start: at, end, everyItem };
  }
  return null;
}

function readPhrases(text: string, from: number, to: number): Phrase[] {
  const phrases: Phrase[] = [];
  let at = from;
  while (at < to) {
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
      else applyPhrase(draft, phrase, true);
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

function applyPhrase(draft: Draft, phrase: Phrase, overwrite: boolean): void {
  const milli = inItemUnit(phrase, draft.unit);
  if (milli === null || milli <= 0) return;
  if (phrase.kind === "stock" && (overwrite || draft.stockMilli === undefined)) {
    draft.stockMilli = milli;
  }
  if (phrase.kind === "limit" && milli <= QTY_MAX_MILLI) {
    if (overwrite || draft.limitMilli === undefined) draft.limitMilli = milli;
  }
}

function applyToAll(drafts: Draft[], phrase: Phrase): void {
  for (const draft of drafts) applyPhrase(draft, phrase, false);
}

/**
 * A line that is not an item may still set stock or limits: for the items it names
 * (西红柿每人限3斤; 限购: 西红柿3斤 黄瓜2斤) or, naming none, a limit for every item.
 */
function applyLooseLine(
  view: TextView,
  line: Range,
  index: readonly Mention<Draft>[],
  everyItem: Phrase[],
): void {
  const text = view.folded;
  const mentions = findMentions(text, line.start, line.end, index);
  const phrases = readPhrases(text, line.start, line.end);
  if (mentions.length === 0) {
    for (const phrase of phrases) if (phrase.kind === "limit") everyItem.push(phrase);
    return;
  }
  const kind = phrases.length === 0 ? listedKind(text.slice(line.start, line.end)) : null;
  if (kind) {
    applyListed(text, mentions, line.end, kind);
    return;
  }
  let pending = 0;
  let named: Mention<Draft>[] = [];
  for (const phrase of phrases) {
    const fresh = mentions.slice(pending).filter((mention) => mention.end <= phrase.start);
    pending += fresh.length;
    // 西红柿限量100斤，每人限5斤: a phrase naming no new item is for the items named before it.
    if (fresh.length > 0) named = fresh;
    for (const mention of named)
      for (const draft of mention.values) applyPhrase(draft, phrase, true);
  }
}

/** What a line listing items with amounts gives them: 限购 a limit, 限量 or 库存 a stock. */
function listedKind(line: string): PhraseKind | null {
  if (/限购|限买|每人|每户/u.test(line)) return "limit";
  return /限量|库存|数量|总共|一共|只有|仅有|剩|现货/u.test(line) ? "stock" : null;
}

/** 限购: 西红柿3斤 黄瓜2斤, 库存：西红柿50斤 — each named item with the quantity after it. */
function applyListed(
  text: string,
  mentions: readonly { end: number; values: Draft[] }[],
  end: number,
  kind: PhraseKind,
) {
  for (const mention of mentions) {
    const qty = readQuantity(text, skipSpaces(text, mention.end));
    if (!qty || qty.end > end) continue;
    const phrase: Phrase = { kind, ...qty, everyItem: false };
    for (const draft of mention.values) applyPhrase(draft, phrase, true);
  }
}

function toItem(draft: Draft): ListingItem {
  const item: ListingItem = { name: draft.name, priceFen: draft.priceFen, unit: draft.unit };
  if (draft.stockMilli !== undefined) item.stock = fromMilli(draft.stockMilli);
  if (draft.limitMilli !== undefined) item.perPersonLimit = fromMilli(draft.limitMilli);
  if (draft.description !== undefined) item.description = draft.description;
  return item;
}
