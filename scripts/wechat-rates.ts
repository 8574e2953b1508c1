/**
 * `npx tsx scripts/wechat-rates.ts`: how the WeChat parsers read the corpus in tests/fixtures/wechat
 * — cases read exactly, wrong guesses (items or entries that are not what the text says), items or
 * lines silently dropped, lines sent to review — and, with `--cases`, what differs in each case
 * not read exactly. tests/unit/wechat-fixtures.test.ts asserts there is no wrong guess.
 */
import { corpusRates, type Rates } from "../tests/unit/wechat-corpus-score.js";

const showCases = process.argv.includes("--cases");
const { listings, chains } = corpusRates();

function print(label: string, rates: Rates, review: string): void {
  const share = (n: number) => `${((100 * n) / Math.max(1, rates.cases)).toFixed(1)}%`;
  console.log(
    `${label}: ${rates.exact}/${rates.cases} exact (${share(rates.exact)}), ` +
      `${rates.wrong} wrong guesses, ${rates.dropped} dropped, ${rates.review} ${review}`,
  );
  if (!showCases) return;
  for (const score of rates.scores.filter((s) => !s.exact)) {
    console.log(`  ${score.id}${score.wrong.length > 0 ? "  WRONG" : ""}`);
    for (const line of score.diff) console.log(`    ${line}`);
  }
}

print("listings", listings, "questions for the grower");
print("chains", chains, "lines sent to review");
