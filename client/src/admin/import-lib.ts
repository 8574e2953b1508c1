/**
 * The pure part of importing a 接龙 copied from a WeChat group: the parsed text as rows in the
 * text's order, the decisions a person made on them, and the entries those make.
 */
import { toMilli } from "../../../shared/quantity.js";
import type { ImportEntry } from "../../../shared/schemas.js";
import type { ItemView } from "../../../shared/views.js";
import {
  type ChainItemRef,
  type ParsedChain,
  parseChainText,
  type ReviewCode,
  type ReviewProblem,
} from "../../../shared/wechat/index.js";
import { qty } from "../format.js";
import { tw } from "./words.js";

export interface ImportLine {
  itemId: string;
  qty: number;
}

/** One numbered line of the text: read as an entry, or kept for a person (`problem`). */
export interface ImportRow {
  /** The same line (its k-th time in the text) keeps its key while the text is edited. */
  key: string;
  raw: string;
  no: number | null;
  /** Why it could not be read safely; null when it was read as an entry. */
  problem: ReviewProblem | null;
  name: string;
  building: string;
  lines: ImportLine[];
  /** The drop point its words name ("南门自提"), or null. */
  dropPointId: string | null;
  /** For a drop-point problem: the drop points it may mean (to offer first). */
  pointCandidates: string[];
}

export interface Fix {
  name: string;
  building: string;
  lines: ImportLine[];
  /** "" = the default drop point. */
  dropPointId: string;
}

/**
 * What a person decided about a row. No decision: entries go in as read, review lines wait.
 * `point`: the row as read, at the drop point the person tapped.
 */
export type Decision =
  | { kind: "drop" }
  | { kind: "fix"; fix: Fix }
  | { kind: "point"; dropPointId: string };

/** Codes a person settles by choosing a drop point, when the rest of the line was read. */
export const POINT_CODES: ReadonlySet<ReviewCode> = new Set([
  "unknown_drop_point",
  "which_drop_point",
  "no_drop_point",
]);

const normalise = (raw: string) => raw.normalize("NFKC").replace(/\s+/g, " ").trim();

/** Entries and review lines in the text's order (by their numbers; entries first on a tie). */
export function importRows(parsed: ParsedChain, items: readonly ItemView[]): ImportRow[] {
  const entries: ImportRow[] = parsed.entries.map((e) => ({
    key: "",
    raw: e.raw,
    no: e.no ?? null,
    problem: null,
    name: e.name,
    building: e.building,
    lines: e.lines.map((l) => ({ itemId: l.itemId ?? items[l.itemIndex]?.id ?? "", qty: l.qty })),
    dropPointId: e.dropPointId ?? null,
    pointCandidates: [],
  }));
  const review: ImportRow[] = parsed.review.map((r) => ({
    key: "",
    raw: r.raw,
    no: r.no ?? null,
    problem: {
      code: r.code,
      ...(r.item ? { item: r.item } : {}),
      ...(r.unit ? { unit: r.unit } : {}),
      ...(r.text ? { text: r.text } : {}),
    },
    // What was understood, so the person's row comes prefilled.
    name: r.name ?? "",
    building: r.building ?? "",
    lines: (r.lines ?? []).map((l) => ({
      itemId: l.itemId ?? items[l.itemIndex]?.id ?? "",
      qty: l.qty,
    })),
    dropPointId: r.dropPoint?.kind === "matched" ? r.dropPoint.id : null,
    pointCandidates:
      r.dropPoint?.kind === "ambiguous"
        ? r.dropPoint.ids
        : r.dropPoint?.kind === "unknown"
          ? r.dropPoint.candidates
          : [],
  }));
  const rows: ImportRow[] = [];
  let i = 0;
  let j = 0;
  while (i < entries.length || j < review.length) {
    const e = entries[i];
    const r = review[j];
    const takeReview = r && (!e || (e.no !== null && r.no !== null && r.no < e.no));
    if (takeReview) {
      rows.push(r);
      j++;
    } else if (e) {
      rows.push(e);
      i++;
    }
  }
  const seen = new Map<string, number>();
  for (const row of rows) {
    const line = normalise(row.raw);
    const k = seen.get(line) ?? 0;
    seen.set(line, k + 1);
    row.key = `${line}\n${k}`;
  }
  return rows;
}

export type RowState =
  | { kind: "entry"; entry: ImportEntry; changed: boolean }
  | { kind: "dropped" }
  | { kind: "pending" }
  /** Read, but it names no drop point and no default was chosen: the row asks. */
  | { kind: "needs_point" };

/** The row as read is a whole order: a name, a building and items, only its drop point unsure. */
export function readWhole(row: ImportRow): boolean {
  return row.name !== "" && row.building !== "" && row.lines.length > 0;
}

/** A review line read whole but for its drop point: it asks with a drop-point picker. */
export function asksForPoint(row: ImportRow): boolean {
  return row.problem !== null && POINT_CODES.has(row.problem.code) && readWhole(row);
}

/**
 * What a row makes, given the person's decision and the default drop point ("" = none chosen: a
 * row naming no drop point asks for one, never silently the first).
 */
export function rowState(
  row: ImportRow,
  decision: Decision | undefined,
  defaultPoint = "x",
): RowState {
  if (decision?.kind === "drop") return { kind: "dropped" };
  if (decision?.kind === "fix") {
    const { name, building, lines, dropPointId } = decision.fix;
    return {
      kind: "entry",
      changed: true,
      entry: { raw: row.raw, name, building, lines, ...(dropPointId ? { dropPointId } : {}) },
    };
  }
  const asRead = (dropPointId: string | null, changed: boolean): RowState => ({
    kind: "entry",
    changed,
    entry: {
      raw: row.raw,
      name: row.name,
      building: row.building,
      lines: row.lines,
      ...(dropPointId ? { dropPointId } : {}),
    },
  });
  if (decision?.kind === "point" && readWhole(row)) return asRead(decision.dropPointId, true);
  if (row.problem !== null) return { kind: "pending" };
  if (row.dropPointId) return asRead(row.dropPointId, false);
  if (!defaultPoint) return { kind: "needs_point" };
  return asRead(null, false);
}

/** Re-read with the community's words for items: the parser sees them as more names. */
export function parseWith(
  text: string,
  items: readonly ChainItemRef[],
  dropPoints: readonly { id: string; name: string }[],
): ParsedChain {
  return parseChainText(text, items, { dropPoints });
}

const UNIT_WORDS = /^[斤两钱个只把盒袋箱份根颗扎兜包瓶串块条棵提捆公克千克kg]+$/u;
const VERB_BEFORE = /^(?:我要|还要|要|来|订|买|拿|加)/u;
const AFTER = /(?:的|各|共|一共)$/u;

/**
 * Words of an unknown_item row that the chain does not sell (白菜 where it sells 小白菜): Chinese
 * words right before an amount, that the parser doesn't read as an item when tried alone.
 */
export function unknownWords(row: ImportRow, items: readonly ChainItemRef[]): string[] {
  if (row.problem?.code !== "unknown_item") return [];
  let text = row.raw.normalize("NFKC");
  for (const known of [row.name, row.building]) if (known) text = text.replace(known, " ");
  const found: string[] = [];
  const AMOUNT = /(\p{Script=Han}{1,8})\s*(?=[0-9一二两三四五六七八九十半])/gu;
  for (let m = AMOUNT.exec(text); m; m = AMOUNT.exec(text)) {
    const word = (m[1] ?? "").replace(VERB_BEFORE, "").replace(AFTER, "");
    if (!word || UNIT_WORDS.test(word) || found.includes(word)) continue;
    const tried = parseChainText(`甲 1-101 ${word}1`, items);
    const unknown = tried.entries.length === 0 && tried.review[0]?.code === "unknown_item";
    if (unknown) found.push(word);
  }
  return found;
}

/** The chain's items like a word (sharing a character), else all of them, for the one-tap alias. */
export function likelyItems(word: string, items: readonly ItemView[]): ItemView[] {
  const score = (name: string) => [...new Set(word)].filter((ch) => name.includes(ch)).length;
  const sorted = [...items].sort((a, b) => score(b.name) - score(a.name));
  // Items that share a character with the word, when there are: an unrelated one is no offer.
  const like = sorted.filter((item) => score(item.name) > 0);
  return like.length > 0 ? like : sorted;
}

/**
 * What the server will refuse, said before confirming: a line over the per-person limit, or past
 * the stock left once the lines before it (in the text's order) are counted.
 */
export function flagsOf(
  rows: readonly { key: string; lines: readonly ImportLine[] | null }[],
  items: readonly ItemView[],
): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const taken = new Map<string, number>();
  for (const { key, lines } of rows) {
    if (!lines) continue;
    const mine: string[] = [];
    for (const line of lines) {
      const item = items.find((i) => i.id === line.itemId);
      if (!item) continue;
      const milli = toMilli(line.qty) ?? 0;
      const step = toMilli(item.step) ?? 0;
      if (step > 0 && milli % step !== 0)
        mine.push(tw("flagStep", { item: item.name, step: qty(item.step), unit: item.unit }));
      else if (item.limit !== null && milli > (toMilli(item.limit) ?? 0))
        mine.push(
          tw("flagLimit", {
            item: item.name,
            limit: qty(item.limit),
            qty: qty(line.qty),
            unit: item.unit,
          }),
        );
      else if (item.remaining !== null) {
        const before = taken.get(item.id) ?? 0;
        const left = (toMilli(item.remaining) ?? 0) - before;
        if (milli > left)
          mine.push(
            tw("flagStock", {
              item: item.name,
              left: qty(Math.max(0, left) / 1000),
              unit: item.unit,
            }),
          );
        else taken.set(item.id, before + milli);
      }
    }
    if (mine.length) flags.set(key, mine);
  }
  return flags;
}

/** A quantity typed by hand ("2", "0.5", "１．５"), or null. */
export function parseQty(input: string): number | null {
  const s = input
    .normalize("NFKC")
    .replace(/[。．]/g, ".")
    .replace(/\s+/g, "");
  if (!/^(\d{1,4}(\.\d{1,3})?|\.\d{1,3})$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

/** Why the parser (shared/wechat/chain-parser.ts) sent a line to review, in plain words. */
export function reasonText({ code, item = "", unit = "", text = "" }: ReviewProblem): string {
  const words: Record<ReviewCode, Parameters<typeof tw>[0]> = {
    no_building: "reasonNoBuilding",
    no_name: "reasonNoName",
    name_too_long: "reasonNameTooLong",
    unknown_item: "reasonUnknownItem",
    no_item: "reasonNoItem",
    unclear_quantity: "reasonUnclearQty",
    unclear_unit: "reasonUnclearUnit",
    too_many_items: "reasonTooMany",
    no_quantity: "reasonNoQty",
    item_twice: "reasonTwice",
    which_item: "reasonWhich",
    unit_mismatch: "reasonUnit",
    changed: "reasonChanged",
    unknown_drop_point: "reasonUnknownPoint",
    which_drop_point: "reasonWhichPoint",
    no_drop_point: "reasonNoPoint",
    unexpected: "reasonOther",
    already_in_chain: "reasonAlreadyIn",
    same_person: "reasonSamePerson",
  };
  return tw(words[code] ?? "reasonOther", { item, unit, text });
}
