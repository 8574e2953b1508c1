/**
 * The reference texts in tests/fixtures/wechat (copied from the shared fixtures): every case must
 * read exactly as its README says — items in order with exactly these fields, no others; entries
 * in the order of the text; unreadable lines in review with their raw text.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseChainText } from "../../shared/wechat/chain-parser.js";
import { parseListing } from "../../shared/wechat/listing-parser.js";

interface ExpectedItem {
  name: string;
  priceFen: number;
  unit: string;
  stock?: number;
  perPersonLimit?: number;
}

interface ListingCase {
  id: string;
  text: string;
  expect: { items: ExpectedItem[] };
}

interface ExpectedEntry {
  name: string;
  building: string;
  lines: { item: string; qty: number }[];
}

interface ChainCase {
  id: string;
  items: { name: string; unit: string }[];
  text: string;
  expect: { entries: ExpectedEntry[]; review?: string[] };
}

function loadFixture<T>(file: string): T[] {
  const url = new URL(`../fixtures/wechat/${file}`, import.meta.url);
  const cases: T[] = JSON.parse(readFileSync(url, "utf8"));
  return cases;
}

const listings = loadFixture<ListingCase>("listings.json");
const chains = loadFixture<ChainCase>("chains.json");

/** The fields the fixtures fix, with absent ones as undefined so "no stock" is checked too. */
function fixedFields(item: ExpectedItem) {
  return {
    name: item.name,
    priceFen: item.priceFen,
    unit: item.unit,
    stock: item.stock,
    perPersonLimit: item.perPersonLimit,
  };
}

describe("listing fixtures", () => {
  it("has cases to check", () => {
    expect(listings.length).toBeGreaterThanOrEqual(8);
  });

  it.each(listings.map((c) => [c.id, c] as const))("%s", (_id, fixture) => {
    const { items } = parseListing(fixture.text);
    expect(items.map(fixedFields)).toStrictEqual(fixture.expect.items.map(fixedFields));
  });
});

describe("chain fixtures", () => {
  it("has cases to check", () => {
    expect(chains.length).toBeGreaterThanOrEqual(8);
  });

  it.each(chains.map((c) => [c.id, c] as const))("%s", (_id, fixture) => {
    const { entries, review } = parseChainText(fixture.text, fixture.items);
    expect(
      entries.map((entry) => ({
        name: entry.name,
        building: entry.building,
        lines: entry.lines.map((line) => ({ item: line.item, qty: line.qty })),
      })),
    ).toStrictEqual(fixture.expect.entries);
    expect(review.map((line) => line.raw)).toStrictEqual(fixture.expect.review ?? []);
  });
});
