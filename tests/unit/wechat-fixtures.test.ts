/**
 * The reference texts in tests/fixtures/wechat (see its README): every case must read exactly as
 * written there — items in order with exactly these fields and no others, and the questions asked
 * about the post; entries in the order of the text with their drop point; lines for review with
 * their raw text and reason code.
 */
import { describe, expect, it } from "vitest";
import { parseChainText } from "../../shared/wechat/chain-parser.js";
import { parseListing } from "../../shared/wechat/listing-parser.js";
import {
  type ChainCase,
  type ExpectedItem,
  type ListingCase,
  loadFixture,
} from "./wechat-corpus-score.js";

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
  it("has the cases the corpus promises", () => {
    expect(listings.length).toBeGreaterThanOrEqual(80);
    expect(new Set(listings.map((c) => c.id)).size).toBe(listings.length);
  });

  it.each(listings.map((c) => [c.id, c] as const))("%s", (_id, fixture) => {
    const { items, review } = parseListing(fixture.text);
    expect(items.map(fixedFields)).toStrictEqual(fixture.expect.items.map(fixedFields));
    expect(review.map(({ code, raw }) => ({ code, raw }))).toStrictEqual(
      fixture.expect.review ?? [],
    );
  });
});

describe("chain fixtures", () => {
  it("has the cases the corpus promises, 200+ lines long ones among them", () => {
    expect(chains.length).toBeGreaterThanOrEqual(80);
    expect(new Set(chains.map((c) => c.id)).size).toBe(chains.length);
    expect(chains.filter((c) => c.text.split("\n").length >= 200).length).toBeGreaterThan(0);
  });

  it.each(chains.map((c) => [c.id, c] as const))("%s", (_id, fixture) => {
    const { entries, review } = parseChainText(fixture.text, fixture.items, {
      dropPoints: fixture.dropPoints ?? [],
      requireDropPoint: fixture.requireDropPoint ?? false,
    });
    expect(
      entries.map((entry) => ({
        name: entry.name,
        building: entry.building,
        lines: entry.lines.map((line) => ({ item: line.item, qty: line.qty })),
        ...(entry.dropPointId !== undefined ? { dropPoint: entry.dropPointId } : {}),
      })),
    ).toStrictEqual(fixture.expect.entries);
    // The old form names the raw text only; the new one its reason code too.
    expect(
      review.map((line, k) => {
        const expected = fixture.expect.review?.[k];
        return typeof expected === "string" ? line.raw : { raw: line.raw, code: line.code };
      }),
    ).toStrictEqual(fixture.expect.review ?? []);
  });
});
