/**
 * The corpus as a whole (tests/fixtures/wechat): no WRONG GUESS — an item or an entry that is not
 * what the text says — and nothing silently dropped; every line either read or sent to review. The
 * rates are printed (they are also what scripts/wechat-rates.ts prints); exactness per case is
 * wechat-fixtures.test.ts's.
 */
import { describe, expect, it } from "vitest";
import { parseChainText } from "../../shared/wechat/chain-parser.js";
import { foldText } from "../../shared/wechat/text-view.js";
import { type ChainCase, corpusRates, loadFixture } from "./wechat-corpus-score.js";

describe("the WeChat corpus", () => {
  const { listings, chains } = corpusRates();

  it("has no wrong guess and drops nothing silently", () => {
    console.log(
      `listings: ${listings.exact}/${listings.cases} exact, ${listings.wrong} wrong, ` +
        `${listings.dropped} dropped, ${listings.review} questions; chains: ` +
        `${chains.exact}/${chains.cases} exact, ${chains.wrong} wrong, ${chains.dropped} dropped, ` +
        `${chains.review} lines for review`,
    );
    const wrong = [...listings.scores, ...chains.scores].filter(
      (score) => score.wrong.length > 0 || score.dropped.length > 0,
    );
    expect(wrong.map((score) => [score.id, ...score.wrong, ...score.dropped])).toEqual([]);
  });

  it("names in an entry nothing its line does not say: items, drop points", () => {
    for (const fixture of loadFixture<ChainCase>("chains.json")) {
      const { entries } = parseChainText(fixture.text, fixture.items, {
        dropPoints: fixture.dropPoints ?? [],
      });
      for (const entry of entries) {
        const raw = foldText(entry.raw);
        for (const line of entry.lines) {
          // A one-item chain's "+1" names no item: its only item is meant.
          if (fixture.items.length > 1) expect(raw, fixture.id).toContain(foldText(line.item));
        }
        if (entry.dropPoint.kind === "matched") {
          expect(raw).toContain(foldText(entry.dropPoint.text).replace(/\s+/gu, ""));
          expect(fixture.dropPoints?.some((point) => point.id === entry.dropPointId)).toBe(true);
        }
      }
    }
  });
});
