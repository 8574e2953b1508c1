/**
 * A 接龙 copied from a WeChat group → entries, given the chain's items (and the community's drop
 * points, to tell which one a line names).
 *
 *   #接龙 明天的菜
 *   1. 张阿姨 3-201 西红柿2斤 黄瓜1斤
 *   2. 老王 5号楼302 要两斤茄子 南门自提
 *
 * It never guesses: a line with an unknown item, an item without a quantity, a unit that does not
 * convert, no name or building, or a drop point that is none of the community's goes to `review`
 * with its raw text, a reason code (review-reasons.ts) and what was understood of it, for a person
 * to resolve.
 */
import { LIMITS } from "../limits.js";
import { fromMilli, MILLI } from "../quantity.js";
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
import {
  type DropPointRead,
  type DropPointRef,
  findPlaces,
  type PlaceIndex,
  placeIndex,
  readDropPoint,
} from "./drop-points.js";
import { findMentions, keyIndex, type Mention, type MentionIndex, nameKey } from "./item-names.js";
import { mentionsQuantity, type QuantityRead, readQuantity } from "./numbers.js";
import { CN_NUMERAL_CHARS, continuesNumber } from "./numerals.js";
import { synonymsOf } from "./produce-names.js";
import { type ReviewCode, wordReason } from "./review-reasons.js";
import {
  decorationAt,
  foldText,
  joinRanges,
  type TextView,
  typedText,
  viewText,
} from "./text-view.js";
import { convertMilli, GENERIC_UNIT, sameUnit } from "./units.js";

export type { DropPointRead, DropPointRef } from "./drop-points.js";
export type { ReviewCode } from "./review-reasons.js";

export interface ChainItemRef {
  id?: string;
  name: string;
  unit: string;
}

export interface ChainParseOptions {
  /**
   * The community's drop points, to tell which one a line names ("南门自提"). A line that names a
   * place none of them is (or names places when none are given) goes to review.
   */
  dropPoints?: readonly DropPointRef[];
  /** Every entry must name its drop point (several, and no default): one naming none goes to review. */
  requireDropPoint?: boolean;
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

/** The drop point an entry names: one of the community's, or none (then the caller decides). */
export type EntryDropPoint = Extract<DropPointRead, { kind: "none" } | { kind: "matched" }>;

export interface ParsedEntry {
  /** The number it had in the text (numbers may repeat or be missing). */
  no?: number;
  name: string;
  building: string;
  lines: ParsedLine[];
  /** The entry's text as typed, without its number. */
  raw: string;
  /** The drop point it names ("南门自提"), or none: a default may apply, the caller says. */
  dropPoint: EntryDropPoint;
  /** The id of the drop point it names, when it names one. */
  dropPointId?: string;
}

export interface ReviewProblem {
  code: ReviewCode;
  /** The item the problem is about (no_quantity, item_twice, which_item, unit_mismatch). */
  item?: string;
  /** The unit that was written (unit_mismatch). */
  unit?: string;
  /** The words it is about: the place named (unknown_drop_point, which_drop_point). */
  text?: string;
}

export interface ReviewLine extends ReviewProblem {
  /** The entry's text as typed, without its number. */
  raw: string;
  /** The problem in plain English, for logs and API readers (screens word `code` themselves). */
  reason: string;
  no?: number;
  /** What was understood of the line, so that a person's row can come prefilled: */
  name?: string;
  building?: string;
  /** The items read safely (not the one the problem is about). */
  lines?: ParsedLine[];
  /** The drop point it names (matched, unknown or ambiguous); absent when it names none. */
  dropPoint?: DropPointRead;
}

/** The English reason for a problem: "no building", "no quantity for 西红柿", … */
export function reasonOf({ code, item, unit, text }: ReviewProblem): string {
  return wordReason(code, { item: item ?? "", unit: unit ?? "", text: text ?? "" });
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

interface Catalog {
  index: MentionIndex<CatalogItem>;
  /** The folded units of the items: one array for the whole text (readUnit keeps a table of it). */
  units: string[];
}

/** What reading one text needs: its items and the community's drop points. */
interface Context {
  catalog: Catalog;
  places: PlaceIndex;
  requireDropPoint: boolean;
  /** The whole text folded, with phones, sums of money, times and dates blanked (same length). */
  quiet: string;
}

interface Segment {
  no: number | undefined;
  ranges: [number, number][];
  /** Read once per change: whether it reads as an entry, whether it has a building. */
  known?: { complete: boolean; hasBuilding: boolean };
  /** Its reading, kept until a line is added to it. */
  read?: EntryRead;
}

type SegmentResult =
  | { kind: "entry"; entry: ParsedEntry }
  | { kind: "review"; review: ReviewLine }
  | { kind: "empty" };

export function parseChainText(
  text: string,
  items: readonly ChainItemRef[],
  options: ChainParseOptions = {},
): ParsedChain {
  const result: ParsedChain = { entries: [], review: [] };
  if (typeof text !== "string" || !Array.isArray(items)) return result;
  const view = viewText(text);
  const ctx: Context = {
    catalog: catalogFor(items),
    places: placeIndex(options?.dropPoints ?? []),
    requireDropPoint: options?.requireDropPoint === true,
    quiet: maskNonQuantities(view.folded),
  };
  const seen = new Set<string>();
  for (const segment of splitSegments(view, ctx)) {
    if (repeated(view, segment, seen)) continue;
    const read = readSegment(view, segment, ctx);
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
  const key = `${segment.no ?? "-"} ${SPACES.test(text) ? text.replace(/\s+/g, " ").trim() : text}`;
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

/** Spaces to fold: more than one, or at an edge, or not a plain space. */
const SPACES = /\s\s|^\s|\s$|[^\S ]/;

/**
 * Catalogs of the items of recent texts, by their ids, names and units: a chain's items are read
 * again and again (the import screen parses on every keystroke).
 */
const CATALOGS = new Map<string, Catalog>();
const CATALOGS_MAX = 50;

function catalogFor(items: readonly ChainItemRef[]): Catalog {
  let key = "";
  for (const ref of items) {
    key +=
      ref && typeof ref === "object"
        ? `${ref.id}\u0001${ref.name}\u0001${ref.unit}\u0002`
        : "\u0002";
  }
  let catalog = CATALOGS.get(key);
  if (!catalog) {
    catalog = buildCatalog(items);
    if (CATALOGS.size >= CATALOGS_MAX) CATALOGS.clear();
    CATALOGS.set(key, catalog);
  }
  return catalog;
}

function buildCatalog(items: readonly ChainItemRef[]): Catalog {
  const named = items.flatMap((ref, index) =>
    ref && typeof ref.name === "string" && typeof ref.unit === "string"
      ? [{ key: nameKey(ref.name), value: { index, ref, unit: foldText(ref.unit).trim() } }]
      : [],
  );
  // 番茄 for 西红柿, 鸡蛋 for 土鸡蛋: another name of the same thing, when no other item has it.
  const names = new Set(named.map((entry) => entry.key));
  const others = named.flatMap((entry) =>
    synonymsOf(entry.key).map((key) => ({ key, value: entry.value })),
  );
  const owners = new Map<string, Set<string>>();
  for (const { key, value } of others) {
    owners.set(key, (owners.get(key) ?? new Set()).add(nameKey(value.ref.name)));
  }
  const synonyms = others.filter(
    ({ key }) => !names.has(key) && (owners.get(key)?.size ?? 0) === 1,
  );
  const index = keyIndex([...named, ...synonyms]);
  return { index, units: index.all.flatMap((entry) => entry.values.map((item) => item.unit)) };
}

/** The text with every drop-point phrase blanked (same length): for finding buildings. */
function blankPlaces(text: string, ctx: Context): string {
  const found = lineRanges(text).flatMap(([start, end]) =>
    findPlaces(text, start, end, ctx.places),
  );
  if (found.length === 0) return text;
  const units = text.split("");
  for (const { start, end } of found) units.fill(" ", start, end);
  return units.join("");
}

// ---- segments -------------------------------------------------------------------------------

/** Where splitting the text into entries has got to. */
interface Flow {
  segments: Segment[];
  lastNo: number;
  /** The whole text, folded, phones and @mentions blanked. */
  masked: string;
  /** The same, with drop points blanked too: "7号楼北门取" is no building. */
  sited: string;
  /** The same, with sums of money, times and dates blanked too: digits left may be amounts. */
  quiet: string;
  ctx: Context;
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
function splitSegments(view: TextView, ctx: Context): Segment[] {
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
    sited: blankPlaces(masked, ctx),
    quiet: ctx.quiet,
    ctx,
    numbered,
    jielong,
    header: false,
    detached: false,
  };
  for (const [start, end] of lines) {
    if (EXAMPLE.test(view.folded.slice(start, end))) continue;
    const bare = numbered ? null : findBareNumber(view.folded, start, end);
    if (bare && findBuilding(flow.sited, bare.end, end)) {
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
  const listed = top && (isPriceLine(flow.masked, start, end) || isItemName(flow, range));
  if (listed && !findBuilding(flow.sited, start, end)) {
    flow.header = true;
    return;
  }
  startSegment(flow, { no, ranges: [range] });
  flow.lastNo = no;
}

/** "西红柿", "🍅 西红柿：": an item's name and nothing else. */
function isItemName(flow: Flow, [start, end]: [number, number]): boolean {
  const [mention, ...more] = findMentions(flow.masked, start, end, flow.ctx.catalog.index);
  if (!mention || more.length > 0) return false;
  const rest = flow.masked.slice(start, mention.start) + flow.masked.slice(mention.end, end);
  return !/[\p{L}\p{N}]/u.test(rest);
}

/** An entry wrapped over more lines than this is not one: its next lines stand alone. */
const MAX_WRAPPED_LINES = 8;

/** A line without a number (or the part of one before its first number): see splitSegments. */
function addLoose(view: TextView, flow: Flow, range: [number, number]): void {
  const { masked, ctx } = flow;
  const kind = lineKind(masked, range[0], range[1]);
  const titleOnly = kind === "title" && !mentionsQuantity(flow.quiet, range[0], range[1]);
  if (kind === "notice" || titleOnly) {
    // Another message starts (or a second copy of the chain, its header first): not this entry's.
    flow.detached = true;
    flow.header ||= kind === "title";
    return;
  }
  const hasBuilding = findBuilding(flow.sited, range[0], range[1]) !== null;
  // A price or stock line is the grower's; with a building it may be an order that says its price.
  if (kind === "grower" && !hasBuilding) return;
  const last = flow.segments[flow.segments.length - 1];
  if (!last || flow.header) {
    addHeaderLine(view, flow, range, hasBuilding);
    return;
  }
  const line = readLine(view, range, ctx);
  // "还有吗？", "西红柿甜不甜？": asking is not ordering.
  if (!line.amount && endsAsQuestion(masked, range[0], range[1])) return;
  if (!flow.detached && !hasBuilding && saysChanged(masked, range[0], range[1])) {
    // "不要了", "改成3斤" under an order: the order goes to a person with it, not in as read.
    appendLine(last, range);
    return;
  }
  if (!flow.detached && isPlaceOnly(masked, range, ctx)) {
    // "南门自提" alone under an order: where that order is picked up, not lost.
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
    if (!flow.numbered || addsItems(flow.quiet, range, ctx)) startOwn(flow, range, line);
  } else if (open && (hasBuilding || addsItems(flow.quiet, range, ctx) || isBlank(masked, last))) {
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

/** A line that is a drop point and nothing else ("南门自提", "放3号楼门口 谢谢"). */
function isPlaceOnly(text: string, [start, end]: [number, number], ctx: Context): boolean {
  const places = findPlaces(text, start, end, ctx.places);
  if (places.length === 0) return false;
  let rest = "";
  let at = start;
  for (const place of places) {
    rest += text.slice(at, place.start);
    at = place.end;
  }
  rest += text.slice(at, end);
  return THANKS_ONLY.test(rest.replace(/[\s\p{P}\p{S}]+/gu, ""));
}

/** What may stand beside a drop point on its own line: thanks ("放东门 谢谢"). */
const THANKS_ONLY = /^(?:谢谢|多谢|谢了|辛苦了?|麻烦了?|拜托了?|哈|啊|哦|呀|啦)*$/u;

/**
 * A line that starts an entry of its own, without a number. One that names no item and holds no
 * amount may be the head of an entry whose items follow ("王 3-203", then "西红柿2斤"), only where
 * entries have no numbers and only when it is a name and a building and nothing more; otherwise it
 * is chatter ("好的，3号楼门口见", "明早8点到3号楼东门").
 */
function startOwn(flow: Flow, range: [number, number], line: LineRead): void {
  const head = !line.amount && !line.named;
  if (head && (flow.numbered || !isNameAndBuilding(flow.sited, range))) return;
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
  segment.read = undefined;
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
  return !readsComplete(view, segment, flow.ctx);
}

/** Reading a long entry again for every line of chatter after it would be quadratic. */
function knownState(view: TextView, segment: Segment, flow: Flow) {
  segment.known ??= {
    complete: readsComplete(view, segment, flow.ctx),
    hasBuilding: segment.ranges.some(([start, end]) => findBuilding(flow.sited, start, end)),
  };
  return segment.known;
}

function addsItems(text: string, [start, end]: [number, number], ctx: Context): boolean {
  return (
    findMentions(text, start, end, ctx.catalog.index).length > 0 ||
    mentionsQuantity(text, start, end)
  );
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
function readLine(view: TextView, range: [number, number], ctx: Context): LineRead {
  const entry = entryText(view, [range], ctx);
  const mentions = findMentions(entry.work, 0, entry.work.length, ctx.catalog.index);
  const tokens = quantityTokens(entry, entry.work, 0, entry.work.length, mentions);
  return {
    amount: tokens.some((token) => !token.weak),
    named: mentions.length > 0,
    items: mentions.length > 0 && readsAsItems(entry),
  };
}

/**
 * Items first, or after a word that adds to an order ("还有黄瓜1斤"): any other word before them may
 * be someone else's name ("李姐 黄瓜1斤"), and a bare amount ("+1") may be someone else's "me too".
 * Neither is added to the entry before.
 */
function readsAsItems(entry: EntryText): boolean {
  const { work } = entry;
  const reading = readItems(entry, work, 0);
  if (reading.problem || reading.lines.length === 0) return false;
  return ADDING.test(work.slice(0, reading.start).replace(/[\s\p{P}\p{S}]+/gu, ""));
}

const ADDING = /^(?:还有|还要|另外|另加|再来|再加|追加|外加|以及|再|加|和|及|另)?$/u;

// ---- one entry ------------------------------------------------------------------------------

interface EntryText {
  view: TextView;
  /** Folded; phones, sums of money and times blanked. */
  work: string;
  ctx: Context;
}

/** The reason given when reading failed in a way it should not (a bug): tests look for it. */
export const UNEXPECTED = wordReason("unexpected");

function entryText(view: TextView, ranges: Segment["ranges"], ctx: Context): EntryText {
  // The masks were laid over the whole text once: the entry's ranges, joined as joinRanges does.
  const work = ranges.map(([start, end]) => ctx.quiet.slice(start, end)).join(" ");
  return { view: joinRanges(view, ranges), work, ctx };
}

/** The segment's reading, once per change of it. */
function readOnce(
  view: TextView,
  segment: Segment,
  ctx: Context,
): { entry: EntryText; read: EntryRead | null } {
  const entry = entryText(view, segment.ranges, ctx);
  if (!/[\p{L}\p{N}\p{So}]/u.test(entry.work)) return { entry, read: null };
  if (!segment.read) {
    try {
      segment.read = readEntry(entry);
    } catch {
      // A reader bug must not lose the line or break the import: a person reads it instead.
      segment.read = {
        name: "",
        building: null,
        lines: [],
        dropPoint: { kind: "none" },
        problem: { code: "unexpected" },
      };
    }
  }
  return { entry, read: segment.read };
}

/** Everything read from one entry's text, and the first problem with it (null: an entry). */
interface EntryRead {
  name: string;
  building: string | null;
  lines: ParsedLine[];
  dropPoint: DropPointRead;
  problem: ReviewProblem | null;
}

function readSegment(view: TextView, segment: Segment, ctx: Context): SegmentResult {
  const { entry, read } = readOnce(view, segment, ctx);
  if (read === null) return { kind: "empty" };
  const raw = typedText(entry.view, 0, entry.view.wide.length);
  const { name, building, lines, dropPoint, problem } = read;
  if (problem === null && building !== null && dropPoint.kind !== "ambiguous") {
    if (dropPoint.kind !== "unknown") {
      const parsed: ParsedEntry = { name, building, lines, raw, dropPoint };
      if (dropPoint.kind === "matched") parsed.dropPointId = dropPoint.id;
      if (segment.no !== undefined) parsed.no = segment.no;
      return { kind: "entry", entry: parsed };
    }
  }
  const found = problem ?? { code: "unexpected" };
  const review: ReviewLine = { raw, ...found, reason: reasonOf(found) };
  if (segment.no !== undefined) review.no = segment.no;
  if (name.length > 0) review.name = name;
  if (building !== null) review.building = building;
  if (lines.length > 0) review.lines = lines;
  if (dropPoint.kind !== "none") review.dropPoint = dropPoint;
  return { kind: "review", review };
}

/**
 * Does it read as an entry, leaving its drop point aside? (A line naming an unknown drop point is
 * complete as an order: the lines under it are not more of it.)
 */
function readsComplete(view: TextView, segment: Segment, ctx: Context): boolean {
  const problem = readOnce(view, segment, ctx).read?.problem;
  return problem === null || (problem !== undefined && DROP_POINT_CODES.has(problem.code));
}

const DROP_POINT_CODES: ReadonlySet<ReviewCode> = new Set([
  "unknown_drop_point",
  "which_drop_point",
  "no_drop_point",
]);

/**
 * Name, building, then the items; or building first; or the items before the building. Drop points
 * are read (and left out) first: "7号楼北门取" is a place, not a building or an amount.
 */
function readEntry(entry: EntryText): EntryRead {
  const { work, ctx } = entry;
  const items = findMentions(work, 0, work.length, ctx.catalog.index);
  const places = findPlaces(work, 0, work.length, ctx.places, items);
  let text = work;
  for (const place of places) text = blank(text, place);
  const dropPoint = readDropPoint(
    places.map((place) => typedText(entry.view, place.placeStart, place.placeEnd)),
    ctx.places,
  );
  const found = findBuilding(text, 0, text.length);
  let nameRange: Found;
  let reading: ItemsRead;
  if (found === null) {
    // No building: read what can be read, for the person who fixes it.
    reading = readItems(entry, text, 0, text.length, items);
    nameRange = { start: 0, end: reading.start };
  } else {
    text = blank(text, found);
    if (text.slice(0, found.start).trim().length === 0) {
      // 3-201 张阿姨 西红柿2斤
      reading = readItems(entry, text, found.end, text.length, items);
      nameRange = { start: found.end, end: reading.start };
    } else {
      // 张阿姨 3-201 西红柿2斤, or 张阿姨 西红柿2斤 3-201
      const ordered = orderedItemBefore(entry, text, found.start);
      reading = readItems(entry, text, ordered ?? found.end, text.length, items);
      nameRange = { start: 0, end: ordered ?? found.start };
    }
  }
  const name = typedWords(entry, text, nameRange);
  const problem =
    (saysChanged(work, 0, work.length) ? { code: "changed" as const } : null) ??
    (found === null ? { code: "no_building" as const } : null) ??
    reading.problem ??
    (name.length === 0 ? { code: "no_name" as const } : null) ??
    ([...name].length > LIMITS.nameMax ? { code: "name_too_long" as const } : null) ??
    dropPointProblem(dropPoint, ctx.requireDropPoint);
  return {
    name,
    building: found && entry.view.wide.slice(found.start, found.end).replace(/\s+/gu, " "),
    lines: reading.lines,
    dropPoint,
    problem,
  };
}

function dropPointProblem(dropPoint: DropPointRead, required: boolean): ReviewProblem | null {
  if (dropPoint.kind === "unknown") return { code: "unknown_drop_point", text: dropPoint.text };
  if (dropPoint.kind === "ambiguous") return { code: "which_drop_point", text: dropPoint.text };
  if (dropPoint.kind === "none" && required) return { code: "no_drop_point" };
  return null;
}

/** Blank a part out (a building, a drop point), so it is not read as a name or a quantity. */
function blank(text: string, found: Found): string {
  return text.slice(0, found.start) + " ".repeat(found.end - found.start) + text.slice(found.end);
}

/** Where an item with a quantity after it starts before the building ("张阿姨 西红柿2斤 3-201"). */
function orderedItemBefore(entry: EntryText, text: string, to: number): number | null {
  const mentions = findMentions(text, 0, to, entry.ctx.catalog.index);
  const tokens = quantityTokens(entry, text, 0, to, mentions);
  const ordered = mentions.find((mention) =>
    tokens.some((token) => !token.weak && follows(text, mention.end, token)),
  );
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
  /** Where the first item (or its quantity, or the 要 before it) starts. */
  start: number;
  /** The items read safely. */
  lines: ParsedLine[];
  problem: ReviewProblem | null;
}

/** An amount in an order: 2斤, 两把, x2, +1, or a bare number. */
interface Token {
  start: number;
  end: number;
  qty: QuantityRead;
  /** Where a 要/来/买/订 before it starts (else `start`). */
  lead: number;
  /** 西红柿、黄瓜各2斤: for each of the items just before it. */
  each: boolean;
  /** A bare number with no item before it: in an order, but not an amount of a line alone. */
  weak: boolean;
  /** A bare number (no unit, no x or +). */
  bare: boolean;
}

/** Where an amount may start (not at a space: a long run of them would be read again and again). */
const AMOUNT_START: ReadonlySet<string> = new Set([..."0123456789半x×*✖+", ...CN_NUMERAL_CHARS]);
/** The same, by UTF-16 code: looked up for every character of every entry. */
const AMOUNT_CODES = codeTable(AMOUNT_START);

function codeTable(chars: ReadonlySet<string>): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
}
const COUNT_MARKS: ReadonlySet<string> = new Set([..."x×*✖+"]);
const CN_NUMERALS: ReadonlySet<string> = new Set([...CN_NUMERAL_CHARS]);

function isDigitChar(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}
/** 要2斤, 来两份, 订一把 before an amount. */
const VERB_BEFORE = /(?:再来|再要|要|来|买|订|拿)[ \t]*$/u;

/**
 * The amounts in text[from, to), outside the item names (`mentions`, in order). Where digits are
 * no amount that can be read (0斤, 0.0001斤) goes into `unreadable`.
 */
function quantityTokens(
  entry: EntryText,
  text: string,
  from: number,
  to: number,
  mentions: readonly Mention<CatalogItem>[],
  unreadable: number[] = [],
): Token[] {
  const tokens: Token[] = [];
  let next = 0;
  let at = from;
  while (at < to) {
    const mention = mentions[next];
    if (mention && at >= mention.start) {
      at = Math.max(at, mention.end);
      next++;
      continue;
    }
    if (AMOUNT_CODES[text.charCodeAt(at)] !== 1) {
      at++;
      continue;
    }
    const ch = text[at] ?? "";
    const stop = mention ? Math.min(mention.start, to) : to;
    if (isDigitChar(ch) && continuesNumber(text, at)) {
      at++;
      continue;
    }
    const qty = readQuantity(text, at, entry.ctx.catalog.units);
    if (!qty || qty.end > stop) {
      // 0斤, 99999999999斤, 0.0001斤: digits that are no amount to read.
      if (isDigitChar(text[skipCountMark(text, at)])) unreadable.push(at);
      at = isDigitChar(ch) ? skipDigits(text, at) : at + 1;
      continue;
    }
    const mark = COUNT_MARKS.has(ch);
    const digit = isDigitChar(text[skipCountMark(text, at)]);
    const previous = mentions[next - 1];
    const afterItem = previous !== undefined && reaches(text, previous.end, at);
    if (qty.unit === null && !mark && !digit && !afterItem) {
      // A spoken number alone (要熟一点的, 一起送) is a word, unless it stands right after an item;
      // but 两三斤, 十多斤 are amounts that can't be read.
      if (ROUGH_AFTER.test(text.slice(qty.end, qty.end + 3))) unreadable.push(at);
      at = qty.end;
      continue;
    }
    const verb = VERB_BEFORE.exec(text.slice(Math.max(from, at - 4), at));
    const eachAt = skipBack(text, at);
    tokens.push({
      start: at,
      end: qty.end,
      qty,
      lead: at - (verb?.[0].length ?? 0),
      each: text[eachAt - 1] === "各",
      weak: qty.unit === null && !mark && !afterItem,
      bare: qty.unit === null && !mark,
    });
    at = qty.end;
  }
  return tokens;
}

function skipDigits(text: string, at: number): number {
  let end = at;
  while (end < text.length && /[\d.]/u.test(text[end] ?? "")) end++;
  return Math.max(end, at + 1);
}

function skipCountMark(text: string, at: number): number {
  return COUNT_MARKS.has(text[at] ?? "") ? skipBlank(text, at + 1) : at;
}

function skipBlank(text: string, at: number): number {
  let end = at;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
  return end;
}

/** Back over spaces from `at`. */
function skipBack(text: string, at: number): number {
  let start = at;
  while (start > 0 && /\s/u.test(text[start - 1] ?? "")) start--;
  return start;
}

const FILLER = /[\s:=,、([【]*(?:再来|再要|要|来|买|订|拿|各)?\s*/y;

/** Between an item and its quantity: separators, 要/来/各, an opening bracket, emoji (西红柿🍅2斤). */
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

/** Does an amount starting at `at` come right after an item ending at `end` (filler between)? */
function reaches(text: string, end: number, at: number): boolean {
  const filled = skipFiller(text, end);
  return filled === at || (filled > at && filled <= skipCountMark(text, at));
}

function follows(text: string, end: number, token: Token): boolean {
  return reaches(text, end, token.start);
}

/** Between an amount and the item after it: nothing, spaces, 的 (2斤的西红柿). */
const BEFORE_ITEM = /^\s*(?:的)?\s*$/u;
/** Between items that share an amount (西红柿、黄瓜各2斤). */
const LIST = /^[\s,、/+和及跟与]*$/u;
/** After a spoken number, what makes it a rough amount: 两三斤, 十多斤, 十来个, 十几斤. */
const ROUGH_AFTER = new RegExp(`^(?:[${CN_NUMERAL_CHARS}]|[多来几余][斤两个把盒份袋块根颗])`, "u");
/** After an amount, it is not one: 2斤多, 十多斤, 十来斤. */
const ABOUT_AFTER = /^(?:多(?!谢)|来(?=[斤两个把盒份袋]))/u;
/** A range: 2-3斤, 2到3斤, 两三斤 (an amount right after another). */
const RANGE_AFTER = new RegExp(`^[ \\t]*(?:[-~～到至或])[ \\t]*[\\d${CN_NUMERAL_CHARS}]`, "u");
/** A spoken number standing alone between two orders belongs to one of them (一斤五黄瓜一斤). */
const LONE_NUMERAL = new RegExp(`^[\\s,、;]*[${CN_NUMERAL_CHARS}]+[\\s,、;.。]*$`, "u");

type Part =
  | { kind: "item"; mention: Mention<CatalogItem>; qty: Token | null }
  | { kind: "qty"; token: Token; item: Part | null };

/**
 * The items from `from` on, each with its amount: the amount right after it (西红柿2斤, 黄瓜来两份),
 * or right before it (要2斤西红柿, 2斤西红柿 1斤黄瓜), or one for several (西红柿、黄瓜各1斤). An amount
 * between two items goes to the one before, unless that one has its own. One-item chains: "+1",
 * "2盒" order that item.
 */
function readItems(
  entry: EntryText,
  text: string,
  from: number,
  to = text.length,
  known?: readonly Mention<CatalogItem>[],
): ItemsRead {
  // The item names found in the whole entry (blanking a building or a place leaves them be).
  const mentions = known
    ? known.filter((mention) => mention.start >= from && mention.end <= to)
    : findMentions(text, from, to, entry.ctx.catalog.index);
  const unreadable: number[] = [];
  const tokens = quantityTokens(entry, text, from, to, mentions, unreadable);
  const [bad] = unreadable;
  if (bad !== undefined) {
    return { start: mentions[0]?.start ?? bad, lines: [], problem: { code: "unclear_quantity" } };
  }
  if (mentions.length === 0) return readSingleItem(entry, text, to, tokens);
  const parts: Part[] = [
    ...mentions.map((mention): Part => ({ kind: "item", mention, qty: null })),
    ...tokens.map((token): Part => ({ kind: "qty", token, item: null })),
  ].sort((a, b) => startOf(a) - startOf(b));
  for (const [k, part] of parts.entries()) {
    const before = parts[k - 1];
    if (part.kind === "qty") {
      if (before?.kind !== "item" || before.qty !== null) continue;
      if (!follows(text, before.mention.end, part.token)) continue;
      pair(before, part);
      if (part.token.each) shareBack(text, parts, k - 1, part);
    } else if (before?.kind === "qty" && before.item === null && !before.token.each) {
      if (BEFORE_ITEM.test(text.slice(before.token.end, part.mention.start))) pair(part, before);
    }
  }
  const problems: { at: number; problem: ReviewProblem }[] = [];
  for (const part of parts) {
    if (part.kind === "item" && part.qty === null) {
      problems.push({
        at: part.mention.start,
        problem: { code: "no_quantity", item: itemName(part.mention) },
      });
    }
    if (part.kind === "qty") {
      const problem = checkToken(text, part.token, mentions, to) ?? leftOver(text, part, mentions);
      if (problem) problems.push({ at: part.token.start, problem });
    }
  }
  for (const [k, part] of parts.entries()) {
    const next = parts[k + 1];
    const gapEnd = next ? startOf(next) : to;
    if (part.kind !== "qty" || !hasNumeral(text, endOf(part), gapEnd)) continue;
    const gap = text.slice(endOf(part), gapEnd);
    if (LONE_NUMERAL.test(gap)) {
      problems.push({ at: endOf(part), problem: { code: "unclear_quantity" } });
    }
  }
  const { lines, problem: lineProblem } = toLines(parts);
  if (lineProblem) problems.push(lineProblem);
  problems.sort((a, b) => a.at - b.at);
  const first = parts[0];
  return {
    start: first ? (first.kind === "qty" ? first.token.lead : first.mention.start) : to,
    lines,
    problem: problems[0]?.problem ?? null,
  };
}

const NUMERAL_CODES = codeTable(CN_NUMERALS);

function hasNumeral(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (NUMERAL_CODES[text.charCodeAt(at)] === 1) return true;
  return false;
}

function startOf(part: Part): number {
  return part.kind === "item" ? part.mention.start : part.token.start;
}

function endOf(part: Part): number {
  return part.kind === "item" ? part.mention.end : part.token.end;
}

function pair(item: Part & { kind: "item" }, qty: Part & { kind: "qty" }): void {
  item.qty = qty.token;
  qty.item = item;
}

/** 西红柿、黄瓜各2斤: the items listed just before the one that has it, without their own. */
function shareBack(text: string, parts: Part[], from: number, qty: Part & { kind: "qty" }) {
  let later = parts[from];
  for (let k = from - 1; k >= 0; k--) {
    const part = parts[k];
    if (part?.kind !== "item" || part.qty !== null || later?.kind !== "item") return;
    if (!LIST.test(text.slice(part.mention.end, later.mention.start))) return;
    part.qty = qty.token;
    later = part;
  }
}

/** What makes an amount not one to read: 2斤多, 2-3斤, 两三斤, 2大个. */
function checkToken(
  text: string,
  token: Token,
  mentions: readonly Mention<CatalogItem>[],
  to: number,
): ReviewProblem | null {
  const after = text.slice(token.end, token.end + 4);
  if (ABOUT_AFTER.test(after) || RANGE_AFTER.test(after)) return { code: "unclear_quantity" };
  // 两三斤: a spoken number right before another amount.
  if (token.bare && AMOUNT_START.has(text[token.end] ?? "") && text[token.end] !== "+") {
    return { code: "unclear_quantity" };
  }
  // 2大个, 2今: a bare number glued to a word that is no unit (and no item: 西红柿2黄瓜1).
  const glued = /\p{L}/u.test(text[token.end] ?? "") && token.end < to;
  if (token.bare && glued && !mentions.some((mention) => mention.start === token.end)) {
    return { code: "unclear_unit" };
  }
  return null;
}

/**
 * An amount no item took: for something the chain does not sell when a word is glued to it
 * (豆腐1块, 1块豆腐), else unclear (西红柿2斤 3).
 */
function leftOver(
  text: string,
  part: Part & { kind: "qty" },
  mentions: readonly Mention<CatalogItem>[],
): ReviewProblem | null {
  if (part.item !== null) return null;
  const { token } = part;
  const gluedBefore = /\p{L}/u.test(text[token.lead - 1] ?? "");
  const after = /^\s*(?:的)?\s*(\p{L})/u.exec(text.slice(token.end, token.end + 8));
  const gluedAfter =
    after !== null &&
    !mentions.some((mention) => mention.start === token.end + after[0].length - 1);
  return { code: gluedBefore || gluedAfter ? "unknown_item" : "unclear_quantity" };
}

/** One-item chains: "8-201 1盒", "+1", "x2", "来两盒" order that item. */
function readSingleItem(
  entry: EntryText,
  text: string,
  to: number,
  tokens: readonly Token[],
): ItemsRead {
  const { all } = entry.ctx.catalog.index;
  const only = all.length === 1 ? all[0] : undefined;
  const [token, ...more] = tokens;
  if (!token) return { start: to, lines: [], problem: { code: "no_item" } };
  // "草莓1盒" where the chain sells 蓝莓: an amount glued to a word is that word's.
  const named = /\p{L}/u.test(text[token.lead - 1] ?? "");
  if (!only || named) return { start: token.lead, lines: [], problem: { code: "unknown_item" } };
  const mention: Mention<CatalogItem> = { ...only, start: token.start, end: token.start };
  const item: Part & { kind: "item" } = { kind: "item", mention, qty: token };
  const { lines, problem } = toLines([item]);
  const extra = more.length > 0 ? { code: "unclear_quantity" as const } : null;
  const bad = checkToken(text, token, [], to) ?? extra ?? problem?.problem ?? null;
  return { start: token.lead, lines: bad ? [] : lines, problem: bad };
}

/** Each item with its quantity in the item's own unit, or the reason it can't be read. */
function toLines(parts: readonly Part[]): {
  lines: ParsedLine[];
  problem: { at: number; problem: ReviewProblem } | null;
} {
  const lines: ParsedLine[] = [];
  const seen = new Set<number>();
  for (const part of parts) {
    if (part.kind !== "item" || part.qty === null) continue;
    const at = part.mention.start;
    const resolved = resolveItem(part.mention, part.qty.qty);
    if ("problem" in resolved) return { lines, problem: { at, problem: resolved.problem } };
    const { item, milli } = resolved;
    if (seen.has(item.index)) {
      return { lines, problem: { at, problem: { code: "item_twice", item: item.ref.name } } };
    }
    seen.add(item.index);
    const line: ParsedLine = { item: item.ref.name, itemIndex: item.index, qty: fromMilli(milli) };
    if (typeof item.ref.id === "string") line.itemId = item.ref.id;
    lines.push(line);
  }
  if (lines.length > LIMITS.linesMax) {
    return { lines: [], problem: { at: 0, problem: { code: "too_many_items" } } };
  }
  return { lines, problem: null };
}

function itemName(mention: Mention<CatalogItem>): string {
  return mention.values[0]?.ref.name ?? mention.key;
}

/** The item a quantity is for (one name may be sold in two units) and the quantity in its unit. */
function resolveItem(
  mention: Mention<CatalogItem>,
  qty: QuantityRead,
): { item: CatalogItem; milli: number } | { problem: ReviewProblem } {
  const candidates = mention.values;
  const unit = qty.unit;
  if (unit === null || unit === GENERIC_UNIT) {
    const only = candidates.length === 1 ? candidates[0] : undefined;
    return only
      ? { item: only, milli: qty.milli }
      : { problem: { code: "which_item", item: itemName(mention) } };
  }
  const same = candidates.filter((item) => sameUnit(item.unit, unit));
  if (same.length === 1 && same[0]) return { item: same[0], milli: qty.milli };
  const converted = candidates.flatMap((item) => {
    const milli = convertMilli(qty.milli, unit, item.unit);
    return milli !== null && milli <= LIMITS.qtyMax * MILLI ? [{ item, milli }] : [];
  });
  if (converted.length === 1 && converted[0]) return converted[0];
  return { problem: { code: "unit_mismatch", unit, item: itemName(mention) } };
}
