/**
 * A 接龙 copied from a WeChat group → entries, given the chain's items.
 *
 *   #接龙 明天的菜
 *   1. 张阿姨 3-201 西红柿2斤 黄瓜1斤
 *   2. 老王 5号楼302 茄子一斤半
 *
 * It never guesses: an entry with an unknown item, an item without a quantity, a unit that does not
 * convert, or no name or building goes to `review` with its raw text, for a person to resolve.
 */
import { LIMITS } from "../limits.js";
import { fromMilli } from "../quantity.js";
import {
  endsAsQuestion,
  type Found,
  findBareNumber,
  findBuilding,
  findMarkers,
  isPriceLine,
  lineKind,
  maskNonQuantities,
  maskPhones,
  saysChanged,
} from "./chain-layout.js";
import { findMentions, keyIndex, type Mention, nameKey } from "./item-names.js";
import { mentionsQuantity, type QuantityRead, readQuantity, skipSpaces } from "./numbers.js";
import { CN_NUMERAL_CHARS } from "./numerals.js";
import {
  decorationAt,
  foldText,
  joinRanges,
  type TextView,
  typedText,
  viewText,
} from "./text-view.js";
import { convertMilli, GENERIC_UNIT, sameUnit } from "./units.js";

export interface ChainItemRef {
  id?: string;
  name: string;
  unit: string;
}

export interface ParsedLine {
  /** The item's name, as in the chain. */
  item: string;
  /** Index of the item in the `items` given. */
  itemIndex: number;
  /** The item's id, when the items given have ids. */
  itemId?: string;
  /** In the item's own unit, exact to the thousandth. */
  qty: number;
}

export interface ParsedEntry {
  /** The number it had in the text (numbers may repeat or be missing). */
  no?: number;
  name: string;
  building: string;
  lines: ParsedLine[];
  /** The entry's text as typed, without its number. */
  raw: string;
}

/** Why a line went to review. Screens word it from the code (and `item`/`unit`), not from `reason`. */
export type ReviewCode =
  | "no_building"
  | "no_name"
  | "name_too_long"
  | "unknown_item"
  | "no_item"
  | "unclear_quantity"
  | "unclear_unit"
  | "too_many_items"
  | "no_quantity"
  | "item_twice"
  | "which_item"
  | "unit_mismatch"
  | "changed"
  | "unexpected";

export interface ReviewProblem {
  code: ReviewCode;
  /** The item the problem is about (no_quantity, item_twice, which_item, unit_mismatch). */
  item?: string;
  /** The unit that was written (unit_mismatch). */
  unit?: string;
}

export interface ReviewLine extends ReviewProblem {
  /** The entry's text as typed, without its number. */
  raw: string;
  /** The problem in plain English, for logs and API readers. */
  reason: string;
  no?: number;
}

/** The English reason for a problem: "no building", "no quantity for 西红柿", … */
export function reasonOf({ code, item = "", unit = "" }: ReviewProblem): string {
  switch (code) {
    case "no_quantity":
      return `no quantity for ${item}`;
    case "item_twice":
      return `${item} named twice`;
    case "which_item":
      return `which ${item}?`;
    case "unit_mismatch":
      return `${unit} does not fit ${item}`;
    case "changed":
      return "taken back or changed";
    case "unexpected":
      return UNEXPECTED;
    default:
      return code.replace(/_/g, " ");
  }
}

export interface ParsedChain {
  entries: ParsedEntry[];
  review: ReviewLine[];
}

interface CatalogItem {
  index: number;
  ref: ChainItemRef;
  /** Folded unit, for reading quantities ("2提"). */
  unit: string;
}

type Catalog = Mention<CatalogItem>[];

interface Segment {
  no: number | undefined;
  ranges: [number, number][];
  /** Read once per change: whether it reads as an entry, whether it has a building. */
  known?: { complete: boolean; hasBuilding: boolean };
}

type SegmentResult =
  | { kind: "entry"; entry: ParsedEntry }
  | { kind: "review"; review: ReviewLine }
  | { kind: "empty" };

export function parseChainText(text: string, items: readonly ChainItemRef[]): ParsedChain {
  const result: ParsedChain = { entries: [], review: [] };
  if (typeof text !== "string" || !Array.isArray(items)) return result;
  const view = viewText(text);
  const catalog = buildCatalog(items);
  const seen = new Set<string>();
  for (const segment of splitSegments(view, catalog)) {
    if (repeated(view, segment, seen)) continue;
    const read = readSegment(view, segment, catalog);
    if (read.kind === "entry") result.entries.push(read.entry);
    if (read.kind === "review") result.review.push(read.review);
  }
  return result;
}

/**
 * The same line again with the same number, or again without one ("2. 李 3-202 黄瓜1斤" pasted
 * twice, or two copies of the chain one after the other), is the same order: reading it twice would
 * double it. Two people who took the same number wrote different lines, and both are kept; so is
 * the same order under two numbers.
 */
function repeated(view: TextView, segment: Segment, seen: Set<string>): boolean {
  const text = segment.ranges.map(([start, end]) => view.folded.slice(start, end)).join(" ");
  const key = `${segment.no ?? "-"} ${text.replace(/\s+/gu, " ").trim()}`;
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

function buildCatalog(items: readonly ChainItemRef[]): Catalog {
  const named = items.flatMap((ref, index) =>
    ref && typeof ref.name === "string" && typeof ref.unit === "string"
      ? [{ key: nameKey(ref.name), value: { index, ref, unit: foldText(ref.unit).trim() } }]
      : [],
  );
  return keyIndex(named);
}

function catalogUnits(catalog: Catalog): string[] {
  return catalog.flatMap((entry) => entry.values.map((item) => item.unit));
}

// ---- segments -------------------------------------------------------------------------------

/** Where splitting the text into entries has got to. */
interface Flow {
  segments: Segment[];
  lastNo: number;
  /** The whole text, folded, phones and @mentions blanked. */
  masked: string;
  /** The same, with sums of money, times and dates blanked too: digits left may be amounts. */
  quiet: string;
  catalog: Catalog;
  /** Does the text number its entries at all? */
  numbered: boolean;
  /** Does it have a 接龙 header? */
  jielong: boolean;
  /** In a header: a numbered price list at the top, or a second copy's header after a 接龙 title. */
  header: boolean;
  /** After a WeChat notice or a message's sender line: no line continues the entry before it. */
  detached: boolean;
}

/**
 * Numbered entries, in the order of the text. Lines before the first number are the header, and so
 * is a numbered price list at the top ("1. 西红柿 3元/斤"). A line without a number continues the
 * entry before it (a wrapped line) while that entry is not complete, or when it adds items; one with
 * a building of its own is an entry without a number; one that holds an amount but is no part of
 * the entry before ("李姐 黄瓜1斤", "我也要两斤") stands alone, for a person to read; anything else
 * (thanks, questions, WeChat notices, prices, the header of a second copy) is left out. With no
 * numbers, every line with a building is read as an entry (its number may be bare: "1 王 3-201 …");
 * examples never are.
 */
function splitSegments(view: TextView, catalog: Catalog): Segment[] {
  const lines = lineRanges(view.folded);
  const masked = maskPhones(view.folded);
  // A 接龙 without a single numbered line (typed by hand, "1 王") is still read line by line:
  // leaving it all out would lose every order without a word.
  const numbered = lines.some(([start, end]) => findMarkers(view.folded, start, end, 0).length > 0);
  const jielong = view.folded.includes("接龙");
  const flow: Flow = {
    segments: [],
    lastNo: 0,
    masked,
    quiet: maskNonQuantities(view.folded),
    catalog,
    numbered,
    jielong,
    header: false,
    detached: false,
  };
  for (const [start, end] of lines) {
    if (EXAMPLE.test(view.folded.slice(start, end))) continue;
    const bare = numbered ? null : findBareNumber(view.folded, start, end);
    if (bare && findBuilding(masked, bare.end, end)) {
      const segment: Segment = { no: bare.no, ranges: [[bare.end, end]] };
      if (!inHeader(view, flow, segment)) startSegment(flow, segment);
      continue;
    }
    const markers = findMarkers(view.folded, start, end, flow.lastNo);
    const looseEnd = markers[0]?.start ?? end;
    if (masked.slice(start, looseEnd).trim().length > 0) addLoose(view, flow, [start, looseEnd]);
    for (const [k, marker] of markers.entries()) {
      addNumbered(flow, marker.no, [marker.end, markers[k + 1]?.start ?? end]);
    }
  }
  return flow.segments;
}

/** "例：张三 1-101 西红柿2斤": how to join, not an order. */
const EXAMPLE = /^[\s#]*(?:例|示例|举例|格式|模板|参考)/u;

function lineRanges(text: string): [number, number][] {
  const lines: [number, number][] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === "\n") {
      lines.push([start, i]);
      start = i + 1;
    }
  }
  return lines;
}

function startSegment(flow: Flow, segment: Segment): void {
  flow.segments.push(segment);
  flow.header = false;
  flow.detached = false;
}

/**
 * A numbered line. At the top, before any entry, one without a building that has a price per unit
 * or is only an item's name is the grower's numbered list ("1. 西红柿 3元/斤", "2. 黄瓜"): an order
 * never says what it costs per 斤, and a name alone orders nothing.
 */
function addNumbered(flow: Flow, no: number, range: [number, number]): void {
  const top = flow.segments.length === 0 || flow.header;
  const [start, end] = range;
  const listed = isPriceLine(flow.masked, start, end) || isItemName(flow, range);
  if (top && listed && !findBuilding(flow.masked, start, end)) {
    flow.header = true;
    return;
  }
  startSegment(flow, { no, ranges: [range] });
  flow.lastNo = no;
}

/** "西红柿", "🍅 西红柿：": an item's name and nothing else. */
function isItemName(flow: Flow, [start, end]: [number, number]): boolean {
  const [mention, ...more] = findMentions(flow.masked, start, end, flow.catalog);
  if (!mention || more.length > 0) return false;
  const rest = flow.masked.slice(start, mention.start) + flow.masked.slice(mention.end, end);
  return !/[\p{L}\p{N}]/u.test(rest);
}

/** An entry wrapped over more lines than this is not one: its next lines stand alone. */
const MAX_WRAPPED_LINES = 8;

/** A line without a number (or the part of one before its first number): see splitSegments. */
function addLoose(view: TextView, flow: Flow, range: [number, number]): void {
  const { masked, catalog } = flow;
  const kind = lineKind(masked, range[0], range[1]);
  const titleOnly = kind === "title" && !mentionsQuantity(flow.quiet, range[0], range[1]);
  if (kind === "notice" || titleOnly) {
    // Another message starts (or a second copy of the chain, its header first): not this entry's.
    flow.detached = true;
    flow.header ||= kind === "title";
    return;
  }
  const hasBuilding = findBuilding(masked, range[0], range[1]) !== null;
  // A price or stock line is the grower's; with a building it may be an order that says its price.
  if (kind === "grower" && !hasBuilding) return;
  const last = flow.segments[flow.segments.length - 1];
  if (!last || flow.header) {
    addHeaderLine(view, flow, range, hasBuilding);
    return;
  }
  const line = readLine(view, range, catalog);
  // "还有吗？", "西红柿甜不甜？": asking is not ordering.
  if (!line.amount && endsAsQuestion(masked, range[0], range[1])) return;
  if (!flow.detached && !hasBuilding && saysChanged(masked, range[0], range[1])) {
    // "不要了", "改成3斤" under an order: the order goes to a person with it, not in as read.
    appendLine(last, range);
    return;
  }
  const { complete, hasBuilding: lastHasBuilding } = knownState(view, last, flow);
  const full = last.ranges.length >= MAX_WRAPPED_LINES;
  const open = !complete && !full && !flow.detached;
  if (hasBuilding && (!open || lastHasBuilding)) {
    // A building of its own: another entry (an entry has one building).
    startOwn(flow, range, line);
  } else if (full) {
    if (!flow.numbered || addsItems(flow.quiet, range, catalog)) startOwn(flow, range, line);
  } else if (
    open &&
    (hasBuilding || addsItems(flow.quiet, range, catalog) || isBlank(masked, last))
  ) {
    // A wrapped entry: "1. 张阿姨" then "3-201 西红柿2斤".
    appendLine(last, range);
  } else if (!flow.detached && line.items) {
    // "黄瓜1斤" on the line after a complete entry: more of the same order.
    appendLine(last, range);
  } else if (line.amount) {
    // An amount that is not this entry's ("李姐 黄瓜1斤", "我也要两斤"): a person reads it, as it
    // is (the next line, "邓姐 5号楼242 …", is not its building).
    startSegment(flow, { no: undefined, ranges: [range] });
    flow.detached = true;
  }
  // Anything else after an entry (thanks, remarks, chatter) is left out.
}

/**
 * A line that starts an entry of its own, without a number. One that names no item and holds no
 * amount may be the head of an entry whose items follow ("王 3-203", then "西红柿2斤"), only where
 * entries have no numbers and only when it is a name and a building and nothing more; otherwise it
 * is chatter ("好的，3号楼门口见", "明早8点到3号楼东门").
 */
function startOwn(flow: Flow, range: [number, number], line: LineRead): void {
  const head = !line.amount && !line.named;
  if (head && (flow.numbered || !isNameAndBuilding(flow.masked, range))) return;
  startSegment(flow, { no: undefined, ranges: [range] });
}

/** "王 3-203", "3-203 王": words on one side of the building only. */
function isNameAndBuilding(text: string, [start, end]: [number, number]): boolean {
  const building = findBuilding(text, start, end);
  if (!building) return false;
  const before = /[\p{L}\p{N}]/u.test(text.slice(start, building.start));
  const after = /[\p{L}\p{N}]/u.test(text.slice(building.end, end));
  return before !== after;
}

/** A line read as part of an entry: wrapped, or more items. */
function appendLine(segment: Segment, range: [number, number]): void {
  segment.ranges.push(range);
  segment.known = undefined;
}

/**
 * Before the first number, or after a 接龙 title below the entries ("继续接龙👇", a second copy):
 * the header. Where the entries have no numbers (or have started), a line with a building is an
 * entry; one that does not read as one is still the header, when the text has a 接龙 title.
 */
function addHeaderLine(
  view: TextView,
  flow: Flow,
  range: [number, number],
  hasBuilding: boolean,
): void {
  // Before the first number of a numbered text, everything is the header.
  if (!hasBuilding || (flow.numbered && flow.segments.length === 0)) return;
  const segment: Segment = { no: undefined, ranges: [range] };
  if (!inHeader(view, flow, segment)) startSegment(flow, segment);
}

/**
 * A 接龙 typed without a single numbered line: until its first entry, a line is the header
 * ("0# · 11月29日送达", "#接龙 明天送到3号楼") unless it reads as an entry.
 */
function inHeader(view: TextView, flow: Flow, segment: Segment): boolean {
  if (!flow.jielong || (flow.segments.length > 0 && !flow.header)) return false;
  return readSegment(view, segment, flow.catalog).kind !== "entry";
}

/** Reading a long entry again for every line of chatter after it would be quadratic. */
function knownState(view: TextView, segment: Segment, flow: Flow) {
  segment.known ??= {
    complete: readSegment(view, segment, flow.catalog).kind === "entry",
    hasBuilding: segment.ranges.some(([start, end]) => findBuilding(flow.masked, start, end)),
  };
  return segment.known;
}

function addsItems(text: string, [start, end]: [number, number], catalog: Catalog): boolean {
  return findMentions(text, start, end, catalog).length > 0 || mentionsQuantity(text, start, end);
}

/** Only its number so far ("5."): the next line is all of it. */
function isBlank(masked: string, segment: Segment): boolean {
  return segment.ranges.every(([start, end]) => !/[\p{L}\p{N}]/u.test(masked.slice(start, end)));
}

interface LineRead {
  /** It holds an amount: 2斤, 两把, +1, x2, or a number right after an item (西红柿2). */
  amount: boolean;
  /** It names an item. */
  named: boolean;
  /** Read alone, it is items with their amounts from its first word on ("黄瓜1斤", "2斤黄瓜"). */
  items: boolean;
}

/** A line without a number, read alone (phones, @mentions, money and times are no amounts). */
function readLine(view: TextView, range: [number, number], catalog: Catalog): LineRead {
  const entry = entryText(view, [range], catalog);
  const named = findMentions(entry.work, 0, entry.work.length, catalog).length > 0;
  return { amount: holdsAmount(entry), named, items: named && readsAsItems(entry) };
}

/** A count mark before a number: +1, x2. */
const COUNT_MARK = /^[x×*✖+]$/u;
/** Where an amount may start (not at a space: a long run of them would be read again and again). */
const AMOUNT_START = new RegExp(`^[\\d半x×*✖+${CN_NUMERAL_CHARS}]$`, "u");

function holdsAmount(entry: EntryText): boolean {
  const { work } = entry;
  for (let at = 0; at < work.length; at++) {
    if (!AMOUNT_START.test(work[at] ?? "")) continue;
    const qty = readQuantity(work, at, entry.units);
    if (qty && (qty.unit !== null || COUNT_MARK.test(work[at] ?? ""))) return true;
  }
  const mentions = findMentions(work, 0, work.length, entry.catalog);
  return mentions.some((mention) => quantityAfter(entry, work, mention.end, work.length) !== null);
}

/**
 * Items first, or after a word that adds to an order ("还有黄瓜1斤"): any other word before them may
 * be someone else's name ("李姐 黄瓜1斤"), and a bare amount ("+1") may be someone else's "me too".
 * Neither is added to the entry before.
 */
function readsAsItems(entry: EntryText): boolean {
  const { work } = entry;
  try {
    const reading = readItems(entry, work, 0);
    return ADDING.test(work.slice(0, reading.start).replace(/[\s\p{P}\p{S}]+/gu, ""));
  } catch {
    return false;
  }
}

const ADDING = /^(?:还有|还要|另外|另加|再来|再加|追加|外加|以及|再|加|和|及|另)?$/u;

// ---- one entry ------------------------------------------------------------------------------

interface EntryText {
  view: TextView;
  /** Folded; phones, sums of money and times blanked. */
  work: string;
  catalog: Catalog;
  units: string[];
}

class Unreadable extends Error {
  constructor(readonly problem: ReviewProblem) {
    super(reasonOf(problem));
  }
}

/** The reason given when reading failed in a way it should not (a bug): tests look for it. */
export const UNEXPECTED = "could not be read";

function entryText(view: TextView, ranges: Segment["ranges"], catalog: Catalog): EntryText {
  const entryView = joinRanges(view, ranges);
  const work = maskNonQuantities(entryView.folded);
  return { view: entryView, work, catalog, units: catalogUnits(catalog) };
}

function readSegment(view: TextView, segment: Segment, catalog: Catalog): SegmentResult {
  const entry = entryText(view, segment.ranges, catalog);
  const raw = typedText(entry.view, 0, entry.view.wide.length);
  if (!/[\p{L}\p{N}\p{So}]/u.test(entry.work)) return { kind: "empty" };
  try {
    const { name, building, lines } = readEntry(entry);
    const parsed: ParsedEntry = { name, building, lines, raw };
    if (segment.no !== undefined) parsed.no = segment.no;
    return { kind: "entry", entry: parsed };
  } catch (error) {
    // A reader bug must not lose the line or break the import: a person reads it instead.
    const problem: ReviewProblem =
      error instanceof Unreadable ? error.problem : { code: "unexpected" };
    const review: ReviewLine = { raw, ...problem, reason: reasonOf(problem) };
    if (segment.no !== undefined) review.no = segment.no;
    return { kind: "review", review };
  }
}

function unreadable(code: ReviewCode, about: Omit<ReviewProblem, "code"> = {}): never {
  throw new Unreadable({ code, ...about });
}

interface Parts {
  name: string;
  building: string;
  lines: ParsedLine[];
}

/** Name, building, then the items; or building first; or the items before the building. */
function readEntry(entry: EntryText): Parts {
  if (saysChanged(entry.work, 0, entry.work.length)) unreadable("changed");
  const building = findBuilding(entry.work, 0, entry.work.length) ?? unreadable("no_building");
  const text = blank(entry.work, building);
  let nameRange: Found;
  let lines: ParsedLine[];
  if (text.slice(0, building.start).trim().length === 0) {
    // 3-201 张阿姨 西红柿2斤
    const reading = readItems(entry, text, building.end);
    nameRange = { start: building.end, end: reading.start };
    lines = reading.lines;
  } else {
    const ordered = orderedItemBefore(entry, text, building.start);
    // 张阿姨 3-201 西红柿2斤, or 张阿姨 西红柿2斤 3-201
    const reading = readItems(entry, text, ordered ?? building.end);
    nameRange = { start: 0, end: ordered ?? building.start };
    lines = reading.lines;
  }
  const name = typedWords(entry, text, nameRange);
  if (name.length === 0) unreadable("no_name");
  if ([...name].length > LIMITS.nameMax) unreadable("name_too_long");
  return { name, building: entry.view.wide.slice(building.start, building.end), lines };
}

/** Blank the building out, so it is not read as a quantity. */
function blank(text: string, found: Found): string {
  return text.slice(0, found.start) + " ".repeat(found.end - found.start) + text.slice(found.end);
}

/** Where an item with a quantity after it starts before the building ("张阿姨 西红柿2斤 3-201"). */
function orderedItemBefore(entry: EntryText, text: string, to: number): number | null {
  const mentions = findMentions(text, 0, to, entry.catalog);
  const ordered = mentions.find((mention) => quantityAfter(entry, text, mention.end, to) !== null);
  return ordered ? ordered.start : null;
}

/** The typed words of a range, without blanked-out parts (phones) and edge punctuation. */
function typedWords(entry: EntryText, text: string, range: Found): string {
  const words: string[] = [];
  const word = /\S+/gu;
  const slice = text.slice(range.start, range.end);
  for (let m = word.exec(slice); m; m = word.exec(slice)) {
    const start = range.start + m.index;
    const typed = typedText(entry.view, start, start + m[0].length);
    // Brackets left around a blanked phone number ("王 (13812345678)") are not part of a name.
    if (!/^[\p{P}\s]+$/u.test(typed)) words.push(typed);
  }
  return words
    .join(" ")
    .replace(/^[\s:：,，、;；/|\-—~·.。)）\]】]+|[\s:：,，、;；/|\-—~·(（[【]+$/gu, "")
    .trim();
}

// ---- items ----------------------------------------------------------------------------------

interface ItemsRead {
  /** Where the first item (or its quantity) starts. */
  start: number;
  lines: ParsedLine[];
}

interface Ordered {
  mention: Mention<CatalogItem>;
  qty: QuantityRead | null;
}

/** The item lines from `from` on: 西红柿2斤 黄瓜1斤 · 2斤西红柿 · 西红柿、黄瓜各1斤 · (one item) 1盒. */
function readItems(entry: EntryText, text: string, from: number): ItemsRead {
  const mentions = findMentions(text, from, text.length, entry.catalog);
  const [first] = mentions;
  const last = mentions[mentions.length - 1];
  if (!first || !last) return readSingleItem(entry, text, from);
  // "2斤西红柿 1斤黄瓜": quantities come first when the last item has none after it.
  const prefixQty = quantityBefore(entry, text, from, first.start);
  const prefix = prefixQty !== null && quantityAfter(entry, text, last.end, text.length) === null;
  const ordered = prefix
    ? quantitiesBefore(entry, text, from, mentions)
    : quantitiesAfter(entry, text, mentions);
  const start = prefix && prefixQty ? prefixQty.start : first.start;
  checkClean(text, from, start);
  return { start, lines: toLines(ordered) };
}

/** Quantity right after an item: "2斤", " x2", "+1", ":2", "要2斤". */
function quantityAfter(
  entry: EntryText,
  text: string,
  at: number,
  to: number,
): QuantityRead | null {
  const qtyAt = skipFiller(text, at);
  const qty = readQuantity(text, qtyAt, entry.units);
  return qty && qty.end <= to ? qty : null;
}

const FILLER = /[\s:=,、([【]*(?:要|来|买|订)?\s*/y;

/** Between an item and its quantity: separators, 要/来, an opening bracket, emoji (西红柿🍅2斤). */
function skipFiller(text: string, at: number): number {
  let end = at;
  for (;;) {
    FILLER.lastIndex = end;
    FILLER.exec(text);
    end = FILLER.lastIndex;
    const emoji = decorationAt(text, end);
    if (emoji === 0) return end;
    end += emoji;
  }
}

/** A quantity that ends right before `to` (two斤 of "两斤大葱"), starting at or after `from`. */
function quantityBefore(
  entry: EntryText,
  text: string,
  from: number,
  to: number,
): QuantityRead | null {
  let end = to;
  while (end > from && /\s/u.test(text[end - 1] ?? "")) end--;
  for (let at = from; at < end; at++) {
    if (at > from && !/[\s,、]/u.test(text[at - 1] ?? "")) continue;
    const qty = readQuantity(text, skipSpaces(text, at), entry.units);
    if (qty && qty.end === end && qty.unit !== null) return { ...qty, start: at };
  }
  return null;
}

function quantitiesAfter(
  entry: EntryText,
  text: string,
  mentions: Mention<CatalogItem>[],
): Ordered[] {
  const ordered: Ordered[] = [];
  for (const [k, mention] of mentions.entries()) {
    const to = mentions[k + 1]?.start ?? text.length;
    const eachAt = skipFiller(text, mention.end);
    const each = text[eachAt] === "各";
    const qty = quantityAfter(entry, text, each ? eachAt + 1 : mention.end, to);
    if (qty && each) {
      // 西红柿、黄瓜各2斤: the same for the items just before without their own.
      for (let back = ordered.length - 1; back >= 0; back--) {
        const previous = ordered[back];
        if (!previous || previous.qty !== null) break;
        previous.qty = qty;
      }
    }
    ordered.push({ mention, qty });
    checkClean(text, qty?.end ?? mention.end, to, qty);
  }
  return ordered;
}

function quantitiesBefore(
  entry: EntryText,
  text: string,
  from: number,
  mentions: Mention<CatalogItem>[],
): Ordered[] {
  const ordered: Ordered[] = [];
  let at = from;
  for (const mention of mentions) {
    const qty = quantityBefore(entry, text, at, mention.start);
    checkClean(text, at, qty?.start ?? mention.start);
    ordered.push({ mention, qty });
    at = mention.end;
  }
  checkClean(text, at, text.length);
  return ordered;
}

/** One-item chains: "8-201 1盒", "+1", "x2" order that item. */
function readSingleItem(entry: EntryText, text: string, from: number): ItemsRead {
  const only = entry.catalog.length === 1 ? entry.catalog[0] : undefined;
  if (!only) unreadable(mentionsQuantity(text, from, text.length) ? "unknown_item" : "no_item");
  for (let at = from; at < text.length; at++) {
    if (at > from && !/\s/u.test(text[at - 1] ?? "")) continue;
    const qty = quantityAfter(entry, text, at, text.length);
    if (!qty) continue;
    if (text.slice(at, qty.start).trim().length > 0 && at !== from) continue;
    checkClean(text, qty.end, text.length, qty);
    const mention: Mention<CatalogItem> = { ...only, start: qty.start, end: qty.start };
    return { start: at, lines: toLines([{ mention, qty }]) };
  }
  return unreadable(mentionsQuantity(text, from, text.length) ? "unclear_quantity" : "no_item");
}

/**
 * What is left between the parts read must not hold another order: digits or a quantity with a
 * unit mean something was not understood. A bare number glued to words (2大个) is unclear too.
 */
function checkClean(text: string, from: number, to: number, qty?: QuantityRead | null): void {
  // Glued to the next item's name (西红柿2黄瓜1, where `to` is that name) is not glued to a word.
  const glued = qty && qty.unit === null && qty.end < to && /\p{L}/u.test(text[qty.end] ?? "");
  if (glued) unreadable("unclear_unit");
  // 2斤多 is "more than 2斤": not an amount to order.
  if (qty && /^多(?!谢)/u.test(text.slice(qty.end, qty.end + 2))) unreadable("unclear_quantity");
  if (from < to && mentionsQuantity(text, from, to)) unreadable("unclear_quantity");
  // 一斤五黄瓜一斤: a spoken number standing alone between two orders belongs to one of them.
  if (qty && LONE_NUMERAL.test(text.slice(from, to))) unreadable("unclear_quantity");
}

const LONE_NUMERAL = new RegExp(`^[\\s,、;]*[${CN_NUMERAL_CHARS}]+[\\s,、;.。]*$`, "u");

/** Each item with its quantity in the item's own unit, or the reason it can't be read. */
function toLines(ordered: readonly Ordered[]): ParsedLine[] {
  const lines: ParsedLine[] = [];
  const seen = new Set<number>();
  for (const { mention, qty } of ordered) {
    if (!qty) unreadable("no_quantity", { item: itemName(mention) });
    const { item, milli } = resolveItem(mention, qty);
    if (seen.has(item.index)) unreadable("item_twice", { item: item.ref.name });
    seen.add(item.index);
    const line: ParsedLine = { item: item.ref.name, itemIndex: item.index, qty: fromMilli(milli) };
    if (typeof item.ref.id === "string") line.itemId = item.ref.id;
    lines.push(line);
  }
  if (lines.length > LIMITS.linesMax) unreadable("too_many_items");
  return lines;
}

function itemName(mention: Mention<CatalogItem>): string {
  return mention.values[0]?.ref.name ?? mention.key;
}

/** The item a quantity is for (one name may be sold in two units) and the quantity in its unit. */
function resolveItem(
  mention: Mention<CatalogItem>,
  qty: QuantityRead,
): { item: CatalogItem; milli: number } {
  const candidates = mention.values;
  const unit = qty.unit;
  if (unit === null || unit === GENERIC_UNIT) {
    const only = candidates.length === 1 ? candidates[0] : undefined;
    return only
      ? { item: only, milli: qty.milli }
      : unreadable("which_item", { item: itemName(mention) });
  }
  const same = candidates.filter((item) => sameUnit(item.unit, unit));
  if (same.length === 1 && same[0]) return { item: same[0], milli: qty.milli };
  const converted = candidates.flatMap((item) => {
    const milli = convertMilli(qty.milli, unit, item.unit);
    return milli !== null && milli <= LIMITS.qtyMax * 1000 ? [{ item, milli }] : [];
  });
  if (converted.length === 1 && converted[0]) return converted[0];
  return unreadable("unit_mismatch", { unit, item: itemName(mention) });
}
