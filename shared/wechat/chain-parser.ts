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
  type Found,
  findBareNumber,
  findBuilding,
  findMarkers,
  maskNonQuantities,
  maskPhones,
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
  for (const segment of splitSegments(view, catalog)) {
    const read = readSegment(view, segment, catalog);
    if (read.kind === "entry") result.entries.push(read.entry);
    if (read.kind === "review") result.review.push(read.review);
  }
  return result;
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

/**
 * Numbered entries, in the order of the text. Lines before the first number are the header.
 * A line without a number continues the entry before it (a wrapped line) while that entry is not
 * complete, or when it adds items; one with a building of its own is an entry without a number;
 * anything else after the entries (thanks, chatter) is left out. With no numbers, every line with
 * a building is read as an entry (its number may be bare: "1 王 3-201 …"); examples never are.
 */
function splitSegments(view: TextView, catalog: Catalog): Segment[] {
  const segments: Segment[] = [];
  const lines = lineRanges(view.folded);
  const masked = maskPhones(view.folded);
  // A 接龙 without a single numbered line (typed by hand, "1 王") is still read line by line:
  // leaving it all out would lose every order without a word.
  const numbered = lines.some(([start, end]) => findMarkers(view.folded, start, end, 0).length > 0);
  const jielong = view.folded.includes("接龙");
  let lastNo = 0;
  for (const [start, end] of lines) {
    if (EXAMPLE.test(view.folded.slice(start, end))) continue;
    const bare = numbered ? null : findBareNumber(view.folded, start, end);
    if (bare && findBuilding(masked, bare.end, end)) {
      const segment: Segment = { no: bare.no, ranges: [[bare.end, end]] };
      if (!inHeader(view, segments, segment, catalog, jielong)) segments.push(segment);
      continue;
    }
    const markers = findMarkers(view.folded, start, end, lastNo);
    const looseEnd = markers[0]?.start ?? end;
    if (masked.slice(start, looseEnd).trim().length > 0) {
      const loose: Loose = { range: [start, looseEnd], masked, catalog, numbered, jielong };
      addLoose(view, segments, loose);
    }
    for (const [k, marker] of markers.entries()) {
      const next = markers[k + 1]?.start ?? end;
      segments.push({ no: marker.no, ranges: [[marker.end, next]] });
      lastNo = marker.no;
    }
  }
  return segments;
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

interface Loose {
  range: [number, number];
  /** The whole text, folded, phones blanked. */
  masked: string;
  catalog: Catalog;
  /** Does the text number its entries at all? */
  numbered: boolean;
  /** Does it have a 接龙 header? */
  jielong: boolean;
}

/** An entry wrapped over more lines than this is not one: its next lines stand alone. */
const MAX_WRAPPED_LINES = 8;

function addLoose(view: TextView, segments: Segment[], loose: Loose): void {
  const { range, masked, catalog } = loose;
  const hasBuilding = findBuilding(masked, range[0], range[1]) !== null;
  const last = segments[segments.length - 1];
  if (!last) {
    // Before the first number: the header, unless nothing in the text is numbered.
    const segment: Segment = { no: undefined, ranges: [range] };
    if (loose.numbered || !hasBuilding) return;
    if (!inHeader(view, segments, segment, catalog, loose.jielong)) segments.push(segment);
    return;
  }
  const { complete, hasBuilding: lastHasBuilding } = knownState(view, last, loose);
  const full = last.ranges.length >= MAX_WRAPPED_LINES;
  if (hasBuilding && (complete || lastHasBuilding || full)) {
    segments.push({ no: undefined, ranges: [range] });
  } else if (full) {
    if (!loose.numbered || addsItems(masked, range, catalog)) {
      segments.push({ no: undefined, ranges: [range] });
    }
  } else if (!complete || addsItems(masked, range, catalog)) {
    last.ranges.push(range);
    last.known = undefined;
  }
}

/**
 * A 接龙 typed without a single numbered line: until its first entry, a line is the header
 * ("0# · 11月29日送达", "#接龙 明天送到3号楼") unless it reads as an entry.
 */
function inHeader(
  view: TextView,
  segments: readonly Segment[],
  segment: Segment,
  catalog: Catalog,
  jielong: boolean,
): boolean {
  if (!jielong || segments.length > 0) return false;
  return readSegment(view, segment, catalog).kind !== "entry";
}

/** Reading a long entry again for every line of chatter after it would be quadratic. */
function knownState(view: TextView, segment: Segment, loose: Loose) {
  segment.known ??= {
    complete: readSegment(view, segment, loose.catalog).kind === "entry",
    hasBuilding: segment.ranges.some(([start, end]) => findBuilding(loose.masked, start, end)),
  };
  return segment.known;
}

function addsItems(text: string, [start, end]: [number, number], catalog: Catalog): boolean {
  return findMentions(text, start, end, catalog).length > 0 || mentionsQuantity(text, start, end);
}

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

function readSegment(view: TextView, segment: Segment, catalog: Catalog): SegmentResult {
  const entryView = joinRanges(view, segment.ranges);
  const raw = typedText(entryView, 0, entryView.wide.length);
  const work = maskNonQuantities(entryView.folded);
  if (!/[\p{L}\p{N}\p{So}]/u.test(work)) return { kind: "empty" };
  const entry: EntryText = { view: entryView, work, catalog, units: catalogUnits(catalog) };
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
