/**
 * The pure part of importing a 接龙 copied from a WeChat group: the parsed text as rows in the
 * text's order, the decisions a person made on them, and the entries those make.
 */
import type { ImportEntry } from "../../../shared/schemas.js";
import type { ItemView } from "../../../shared/views.js";
import type { ParsedChain, ReviewCode, ReviewProblem } from "../../../shared/wechat/index.js";
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
}

export interface Fix {
  name: string;
  building: string;
  lines: ImportLine[];
  /** "" = the default drop point. */
  dropPointId: string;
}

/** What a person decided about a row. No decision: entries go in as read, review lines wait. */
export type Decision = { kind: "drop" } | { kind: "fix"; fix: Fix };

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
  }));
  const review: ImportRow[] = parsed.review.map((r) => ({
    key: "",
    raw: r.raw,
    no: r.no ?? null,
    problem: {
      code: r.code,
      ...(r.item ? { item: r.item } : {}),
      ...(r.unit ? { unit: r.unit } : {}),
    },
    name: "",
    building: "",
    lines: [],
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
  | { kind: "pending" };

/** What a row makes, given the person's decision. */
export function rowState(row: ImportRow, decision: Decision | undefined): RowState {
  if (decision?.kind === "drop") return { kind: "dropped" };
  if (decision?.kind === "fix") {
    const { name, building, lines, dropPointId } = decision.fix;
    return {
      kind: "entry",
      changed: true,
      entry: { raw: row.raw, name, building, lines, ...(dropPointId ? { dropPointId } : {}) },
    };
  }
  if (row.problem !== null) return { kind: "pending" };
  return {
    kind: "entry",
    changed: false,
    entry: { raw: row.raw, name: row.name, building: row.building, lines: row.lines },
  };
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
export function reasonText({ code, item = "", unit = "" }: ReviewProblem): string {
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
    // Drop points in the text: worded by the lead's UI from shared/wechat REVIEW_REASONS.
    unknown_drop_point: "reasonOther",
    which_drop_point: "reasonOther",
    no_drop_point: "reasonOther",
    unexpected: "reasonOther",
  };
  return tw(words[code] ?? "reasonOther", { item, unit });
}
