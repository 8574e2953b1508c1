/**
 * The reference texts again, typed the way other people type them: full-width digits, Chinese or
 * ASCII punctuation, other spaces and line ends, remarks and emoji after an order, other list
 * marks, 块 or ¥ for 元, traditional characters, a flattened paste. Each must read the same.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseChainText } from "../../shared/wechat/chain-parser.js";
import { parseListing } from "../../shared/wechat/listing-parser.js";

interface ListingCase {
  id: string;
  text: string;
  expect: {
    items: {
      name: string;
      priceFen: number;
      unit: string;
      stock?: number;
      perPersonLimit?: number;
    }[];
  };
}

interface ChainCase {
  id: string;
  items: { name: string; unit: string }[];
  text: string;
  expect: {
    entries: { name: string; building: string; lines: { item: string; qty: number }[] }[];
    review?: string[];
  };
}

function loadFixture<T>(file: string): T[] {
  const url = new URL(`../fixtures/wechat/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"));
}

const LISTINGS = loadFixture<ListingCase>("listings.json");
const CHAINS = loadFixture<ChainCase>("chains.json");

/** Lines that hold an order or a price (a digit), not the header. */
function onOrderLines(text: string, change: (line: string) => string): string {
  return text
    .split("\n")
    .map((line) => (/\d/u.test(line) && !/接龙|截单/u.test(line) ? change(line) : line))
    .join("\n");
}

const fullWidth = (text: string) =>
  text.replace(/[0-9]/gu, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));

/** [what changes, the change, whether it keeps a listing's meaning, a chain's meaning]. */
const TYPINGS: [string, (text: string) => string, boolean, boolean][] = [
  ["full-width digits", fullWidth, true, true],
  ["Chinese punctuation", (t) => t.replace(/,/gu, "，").replace(/:/gu, "："), true, true],
  [
    "ASCII punctuation",
    (t) => t.replace(/，/gu, ",").replace(/（/gu, "(").replace(/）/gu, ")"),
    true,
    true,
  ],
  ["Windows line ends", (t) => t.replace(/\n/gu, "\r\n"), true, true],
  ["blank lines between", (t) => t.replace(/\n/gu, "\n\n"), true, true],
  ["double spaces", (t) => t.replace(/ /gu, "  "), true, true],
  ["ideographic spaces", (t) => t.replace(/ /gu, "\u3000"), true, true],
  ["tabs", (t) => t.replace(/ /gu, "\t"), true, true],
  ["trailing spaces", (t) => `${t.replace(/\n/gu, "  \n")}  `, true, true],
  ["a trailing 谢谢", (t) => onOrderLines(t, (line) => `${line} 谢谢`), true, true],
  ["a trailing ～", (t) => onOrderLines(t, (line) => `${line}～`), true, true],
  ["a trailing emoji", (t) => onOrderLines(t, (line) => `${line}🙏`), true, true],
  ["a trailing 。", (t) => onOrderLines(t, (line) => `${line}。`), true, true],
  ["¥ before the price", (t) => t.replace(/(\d+(?:\.\d+)?)元\//gu, "¥$1/"), true, true],
  ["块 for 元", (t) => t.replace(/(\d+(?:\.\d+)?)元/gu, "$1块"), true, true],
  [
    "① marks",
    (t) => t.replace(/^(\d)[.、]\s*/gmu, (_, d) => String.fromCharCode(0x245f + Number(d))),
    true,
    true,
  ],
  ["(1) marks", (t) => t.replace(/^(\d)[.、]\s*/gmu, "($1) "), true, true],
  ["1、 marks", (t) => t.replace(/^(\d)[.、]\s*/gmu, "$1、"), true, true],
  ["1。 marks", (t) => t.replace(/^(\d)[.、]\s*/gmu, "$1。"), true, true],
  ["traditional characters", (t) => t.replace(/接龙/gu, "接龍").replace(/两/gu, "兩"), true, true],
  ["a flattened paste", (t) => t.replace(/\n+/gu, " "), false, true],
];

describe.each(TYPINGS.filter(([, , listing]) => listing))("listings typed with %s", (_, change) => {
  it.each(LISTINGS.map((c) => [c.id, c] as const))("%s", (_id, fixture) => {
    const items = parseListing(change(fixture.text)).items.map(
      ({ description: _description, ...fields }) => fields,
    );
    expect(items).toEqual(fixture.expect.items);
  });
});

describe.each(TYPINGS.filter(([, , , chain]) => chain))("chains typed with %s", (_, change) => {
  it.each(CHAINS.map((c) => [c.id, c] as const))("%s", (_id, fixture) => {
    const parsed = parseChainText(change(fixture.text), fixture.items);
    expect(
      parsed.entries.map((entry) => ({
        name: entry.name,
        building: entry.building,
        lines: entry.lines.map(({ item, qty }) => ({ item, qty })),
      })),
    ).toEqual(fixture.expect.entries);
    expect(parsed.review).toHaveLength(fixture.expect.review?.length ?? 0);
  });
});
