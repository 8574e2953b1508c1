/**
 * The corpus in tests/fixtures/wechat (see its README). Every case must read exactly as written
 * there — items in order with exactly these fields and no others, and the questions asked about
 * the post; entries in the order of the text with their drop point; lines for review with their
 * raw text and reason code. And over the whole corpus: no WRONG GUESS (an item or an entry that is
 * not what the text says), nothing silently dropped, and nothing in an entry its line does not
 * say. The rates are printed; scripts/wechat-rates.ts prints them too.
 */
import { describe, expect, it } from "vitest";
import { parseListing } from "../../shared/wechat/listing-parser.js";
import { synonymsOf } from "../../shared/wechat/produce-names.js";
import { foldText } from "../../shared/wechat/text-view.js";
import {
  type ChainCase,
  type ExpectedItem,
  type ListingCase,
  loadFixture,
  rates,
  readChainCase,
  scoreChain,
  scoreListing,
} from "./wechat-corpus-score.js";

const listings = loadFixture<ListingCase>("listings.json");
const chains = loadFixture<ChainCase>("chains.json");
// Each text read once, for every check below.
const listingsRead = new Map(listings.map((c) => [c.id, parseListing(c.text)]));
const chainsRead = new Map(chains.map((c) => [c.id, readChainCase(c)]));

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

  it.each(listings.map((c) => [c.id, c] as const))("%s", (id, fixture) => {
    const { items, review } = listingsRead.get(id) ?? parseListing(fixture.text);
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

  it.each(chains.map((c) => [c.id, c] as const))("%s", (id, fixture) => {
    const { entries, review } = chainsRead.get(id) ?? readChainCase(fixture);
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

describe("the corpus as a whole", () => {
  it("has no wrong guess and drops nothing silently", () => {
    const listingRates = rates(listings.map((c) => scoreListing(c, listingsRead.get(c.id))));
    const chainRates = rates(chains.map((c) => scoreChain(c, chainsRead.get(c.id))));
    console.log(
      `listings: ${listingRates.exact}/${listingRates.cases} exact, ${listingRates.wrong} wrong, ` +
        `${listingRates.dropped} dropped, ${listingRates.review} questions; chains: ` +
        `${chainRates.exact}/${chainRates.cases} exact, ${chainRates.wrong} wrong, ` +
        `${chainRates.dropped} dropped, ${chainRates.review} lines for review`,
    );
    const wrong = [...listingRates.scores, ...chainRates.scores].filter(
      (score) => score.wrong.length > 0 || score.dropped.length > 0,
    );
    expect(wrong.map((score) => [score.id, ...score.wrong, ...score.dropped])).toEqual([]);
  });

  it("names in an entry nothing its line does not say: items, drop points", () => {
    for (const fixture of chains) {
      for (const entry of chainsRead.get(fixture.id)?.entries ?? []) {
        const raw = foldText(entry.raw);
        for (const line of entry.lines) {
          // A one-item chain's "+1" names no item: its only item is meant. 番茄 names 西红柿.
          const names = [line.item, ...synonymsOf(line.item)].map((name) => foldText(name));
          if (fixture.items.length > 1) {
            expect(
              names.some((name) => raw.includes(name)),
              `${fixture.id}: ${raw}`,
            ).toBe(true);
          }
        }
        if (entry.dropPoint.kind === "matched") {
          expect(raw).toContain(foldText(entry.dropPoint.text).replace(/\s+/gu, ""));
          expect(fixture.dropPoints?.some((point) => point.id === entry.dropPointId)).toBe(true);
        }
      }
    }
  });
});
