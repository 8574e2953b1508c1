/**
 * Scoring the parsers on the corpus in tests/fixtures/wechat (see its README): how many cases read
 * exactly, how many items or entries are WRONG GUESSES (data that looks right and isn't), how many
 * were silently dropped, and how many lines went to review. Used by wechat-fixtures.test.ts (which
 * asserts no wrong guess) and by scripts/wechat-rates.ts (which prints the rates).
 */
import { readFileSync } from "node:fs";
import {
  type DropPointRef,
  type ParsedChain,
  parseChainText,
} from "../../shared/wechat/chain-parser.js";
import { type ParsedListing, parseListing } from "../../shared/wechat/listing-parser.js";

export interface ExpectedItem {
  name: string;
  priceFen: number;
  unit: string;
  stock?: number;
  perPersonLimit?: number;
}

export interface ExpectedListingReview {
  code: string;
  raw: string;
}

export interface ListingCase {
  id: string;
  text: string;
  expect: { items: ExpectedItem[]; review?: ExpectedListingReview[] };
}

export interface ExpectedEntry {
  name: string;
  building: string;
  lines: { item: string; qty: number }[];
  /** The id of the drop point the line names; absent when it names none. */
  dropPoint?: string;
}

/** A line for review: its raw text (the old form), or its raw text and reason code. */
export type ExpectedReview = string | { raw: string; code: string };

export interface ChainCase {
  id: string;
  items: { name: string; unit: string }[];
  dropPoints?: DropPointRef[];
  requireDropPoint?: boolean;
  text: string;
  expect: { entries: ExpectedEntry[]; review?: ExpectedReview[] };
}

export function loadFixture<T>(file: string): T[] {
  const url = new URL(`../fixtures/wechat/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"));
}

export interface CaseScore {
  id: string;
  exact: boolean;
  /** Items or entries read that are not what the text says (and no review line owns up to it). */
  wrong: string[];
  /** Items or entries the text has that were neither read nor sent to review. */
  dropped: string[];
  /** Review lines (listing questions, chain lines) the parser gave. */
  review: number;
  /** What differs, for a person reading a failure. */
  diff: string[];
}

const key = (value: unknown) => JSON.stringify(value);
const fold = (text: string) => text.normalize("NFKC").replace(/\s+/gu, "");

/** Elements of `a` not matched one for one by an element of `b`. */
function minus<T>(a: readonly T[], b: readonly T[]): T[] {
  const left = b.map(key);
  return a.filter((x) => {
    const at = left.indexOf(key(x));
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

function itemFields(item: ExpectedItem): ExpectedItem {
  const fields: ExpectedItem = { name: item.name, priceFen: item.priceFen, unit: item.unit };
  if (item.stock !== undefined) fields.stock = item.stock;
  if (item.perPersonLimit !== undefined) fields.perPersonLimit = item.perPersonLimit;
  return fields;
}

export function scoreListing(
  fixture: ListingCase,
  parsed: ParsedListing = parseListing(fixture.text),
): CaseScore {
  const got = parsed.items.map(itemFields);
  const want = fixture.expect.items.map(itemFields);
  const review = parsed.review.map((r) => ({ code: r.code as string, raw: r.raw }));
  const wantReview = fixture.expect.review ?? [];
  const asked = (name: string) => review.some((r) => fold(r.raw).includes(fold(name)));
  const extra = minus(got, want);
  const missing = minus(want, got);
  const wrong: string[] = [];
  for (const item of extra) {
    // The same item with a stock or limit left open while a question about it is asked: safe.
    const twin = missing.find(
      (m) => m.name === item.name && m.priceFen === item.priceFen && m.unit === item.unit,
    );
    if (!(twin && asked(item.name))) wrong.push(key(item));
  }
  const dropped = missing
    .filter((item) => !got.some((g) => g.name === item.name) && !asked(item.name))
    .map((item) => key(item));
  const diff = [
    ...extra.map((x) => `+ ${key(x)}`),
    ...missing.map((x) => `- ${key(x)}`),
    ...minus(review, wantReview).map((x) => `+ review ${key(x)}`),
    ...minus(wantReview, review).map((x) => `- review ${key(x)}`),
  ];
  return { id: fixture.id, exact: diff.length === 0, wrong, dropped, review: review.length, diff };
}

function entryFields(entry: ExpectedEntry): ExpectedEntry {
  const fields: ExpectedEntry = {
    name: entry.name,
    building: entry.building,
    lines: entry.lines.map((line) => ({ item: line.item, qty: line.qty })),
  };
  if (entry.dropPoint !== undefined) fields.dropPoint = entry.dropPoint;
  return fields;
}

/** How a chain case is read: with its community's drop points, if it has any. */
export function readChainCase(fixture: ChainCase, text = fixture.text): ParsedChain {
  return parseChainText(text, fixture.items, {
    dropPoints: fixture.dropPoints ?? [],
    requireDropPoint: fixture.requireDropPoint ?? false,
  });
}

export function scoreChain(fixture: ChainCase, parsed = readChainCase(fixture)): CaseScore {
  const got = parsed.entries.map((entry) =>
    entryFields({
      name: entry.name,
      building: entry.building,
      lines: entry.lines,
      ...(entry.dropPoint?.kind === "matched" ? { dropPoint: entry.dropPoint.id } : {}),
    }),
  );
  const want = fixture.expect.entries.map(entryFields);
  const review = parsed.review.map((r) => ({ raw: r.raw, code: r.code as string }));
  const wantReview = (fixture.expect.review ?? []).map((r) =>
    typeof r === "string" ? { raw: r, code: "" } : r,
  );
  // The old form gives no code: any code will do.
  const sameReview = (a: { raw: string; code: string }, b: { raw: string; code: string }) =>
    a.raw === b.raw && (b.code === "" || a.code === b.code);
  const extraReview = review.filter((r) => !wantReview.some((w) => sameReview(r, w)));
  const missingReview = wantReview.filter((w) => !review.some((r) => sameReview(r, w)));
  const extra = minus(got, want);
  const missing = minus(want, got);
  const inReview = (entry: ExpectedEntry) =>
    review.some((r) => fold(r.raw).includes(fold(entry.building)));
  const dropped = [
    ...missing.filter((entry) => !inReview(entry)).map((entry) => key(entry)),
    ...missingReview
      .filter((w) => !review.some((r) => r.raw === w.raw))
      .filter((w) => !parsed.entries.some((e) => fold(e.raw) === fold(w.raw)))
      .map((w) => `review ${key(w)}`),
  ];
  const diff = [
    ...extra.map((x) => `+ ${key(x)}`),
    ...missing.map((x) => `- ${key(x)}`),
    ...extraReview.map((x) => `+ review ${key(x)}`),
    ...missingReview.map((x) => `- review ${key(x)}`),
  ];
  const exactOrder = key(got) === key(want);
  return {
    id: fixture.id,
    exact: diff.length === 0 && exactOrder,
    wrong: extra.map((x) => key(x)),
    dropped,
    review: review.length,
    diff,
  };
}

export interface Rates {
  cases: number;
  exact: number;
  wrong: number;
  dropped: number;
  review: number;
  scores: CaseScore[];
}

export function rates(scores: CaseScore[]): Rates {
  return {
    cases: scores.length,
    exact: scores.filter((s) => s.exact).length,
    wrong: scores.reduce((n, s) => n + s.wrong.length, 0),
    dropped: scores.reduce((n, s) => n + s.dropped.length, 0),
    review: scores.reduce((n, s) => n + s.review, 0),
    scores,
  };
}

export function corpusRates(): { listings: Rates; chains: Rates } {
  return {
    listings: rates(loadFixture<ListingCase>("listings.json").map((c) => scoreListing(c))),
    chains: rates(loadFixture<ChainCase>("chains.json").map((c) => scoreChain(c))),
  };
}
