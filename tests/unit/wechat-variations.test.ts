/**
 * The reference texts again, typed the way other people type them: full-width digits, Chinese or
 * ASCII punctuation, other spaces and line ends, remarks and emoji after an order, other list
 * marks, 块 or ¥ for 元, traditional characters, a flattened paste. Each must read as the text
 * typed the usual way does (which wechat-fixtures.test.ts checks against what it says).
 */
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { type ChainParseOptions, parseChainText } from "../../shared/wechat/chain-parser.js";
import { parseListing } from "../../shared/wechat/listing-parser.js";
import { type ChainCase, type ListingCase, loadFixture } from "./wechat-corpus-score.js";

const LISTINGS = loadFixture<ListingCase>("listings.json");
/**
 * The 200+-line chains (C82–C84) are left out here: they are composed by a script of the same
 * line variants as the other chains, and reading each of them in 21 typings would double the
 * time of this file. wechat-fixtures.test.ts reads them as written.
 */
const CHAINS = loadFixture<ChainCase>("chains.json").filter((c) => c.text.split("\n").length < 200);

/** Lines that hold an order or a price (a digit beyond a list number), not the header. */
function onOrderLines(text: string, change: (line: string) => string): string {
  return text
    .split("\n")
    .map((line) => {
      const order = /\d/u.test(line.replace(/^\s*\d{1,3}\s*[.、]/u, ""));
      return order && !/接龙|截单/u.test(line) ? change(line) : line;
    })
    .join("\n");
}

const fullWidth = (text: string) =>
  text.replace(/[0-9]/gu, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));

/** A one-digit list number at the start of a line ("1. ", not the "2.5" of a price). */
const NUMBER_MARK = /^(\d)[.、](?!\d)[ \t]*/gmu;

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
    (t) => t.replace(NUMBER_MARK, (_, d) => String.fromCharCode(0x245f + Number(d))),
    true,
    true,
  ],
  ["(1) marks", (t) => t.replace(NUMBER_MARK, "($1) "), true, true],
  ["1、 marks", (t) => t.replace(NUMBER_MARK, "$1、"), true, true],
  ["1。 marks", (t) => t.replace(NUMBER_MARK, "$1。"), true, true],
  ["traditional characters", (t) => t.replace(/接龙/gu, "接龍").replace(/两/gu, "兩"), true, true],
  ["a flattened paste", (t) => t.replace(/\n+/gu, " "), false, true],
];

/**
 * A flattened paste keeps the meaning of a chain that is a title, then entries numbered 1, 2, 3…
 * ("2." after "3." in one line is no number: a numbered price list or numbers out of order are).
 */
function flattens(fixture: ChainCase): boolean {
  const [title, ...lines] = fixture.text.split("\n").filter((line) => line.trim().length > 0);
  return (
    title !== undefined &&
    !/\d/u.test(title) &&
    lines.length > 0 &&
    lines.every((line, k) => line.startsWith(`${k + 1}. `) && line.trim().length > 3)
  );
}

function listingReading(text: string) {
  const { items, review } = parseListing(text);
  return {
    items: items.map(({ description: _description, ...fields }) => fields),
    review: review.map((question) => question.code),
  };
}

function chainOptions(fixture: ChainCase): ChainParseOptions {
  return {
    dropPoints: fixture.dropPoints ?? [],
    requireDropPoint: fixture.requireDropPoint ?? false,
  };
}

function chainReading(text: string, fixture: ChainCase) {
  const { entries, review } = parseChainText(text, fixture.items, chainOptions(fixture));
  return {
    entries: entries.map((entry) => ({
      // Names keep what was typed: a full-width digit in one is still the same name.
      name: entry.name.normalize("NFKC"),
      building: entry.building,
      lines: entry.lines.map(({ item, qty }) => ({ item, qty })),
      dropPoint: entry.dropPointId,
    })),
    review: review.map((line) => line.code),
  };
}

// Each text read once the usual way, then compared with every typing of it.
const LISTING_READINGS = new Map(LISTINGS.map((c) => [c.id, listingReading(c.text)]));
const CHAIN_READINGS = new Map(CHAINS.map((c) => [c.id, chainReading(c.text, c)]));

/**
 * The cases that read otherwise when typed so: [id, how it reads typed, how it reads]. One test per
 * typing checks every case (thousands of tests of one comparison each would cost more than the
 * comparisons); a failure names the cases.
 */
function differing<T extends { id: string; text: string }>(
  cases: readonly T[],
  change: (text: string) => string,
  read: (text: string, fixture: T) => unknown,
  usual: ReadonlyMap<string, unknown>,
): [string, unknown, unknown][] {
  return cases.flatMap((fixture): [string, unknown, unknown][] => {
    const text = change(fixture.text);
    // A typing that leaves a text as it is reads it as it is: no need to read it again.
    if (text === fixture.text) return [];
    const typed = read(text, fixture);
    const expected = usual.get(fixture.id);
    return isDeepStrictEqual(typed, expected) ? [] : [[fixture.id, typed, expected]];
  });
}

describe("listings typed otherwise read the same", () => {
  it.each(TYPINGS.filter(([, , listing]) => listing))("%s", (_, change) => {
    expect(differing(LISTINGS, change, listingReading, LISTING_READINGS)).toEqual([]);
  });
});

/**
 * Whole price posts as growers write them (headers, cutoffs, emoji, lead-in words, dates, limits on
 * their own lines, pickup points, closings), each with every item it must read to, and its notes.
 */
const WHOLE_POSTS: {
  id: string;
  text: string;
  items: (ListingCase["expect"]["items"][number] & { description?: string })[];
  notes: string[];
}[] = [
  {
    id: "P01-header-date",
    text: [
      "【惠民直通车】11月29日（周日）早上8点送达",
      "今晚8点截单",
      "🍅西红柿 3元/斤",
      "🥬小白菜 2元一把",
      "🥒黄瓜 2.5元/斤",
      "🌽甜玉米 一块五一根",
      "🥚土鸡蛋 1.5元/个（散养）",
      "需要的亲接龙～",
    ].join("\n"),
    items: [
      { name: "西红柿", priceFen: 300, unit: "斤" },
      { name: "小白菜", priceFen: 200, unit: "把" },
      { name: "黄瓜", priceFen: 250, unit: "斤" },
      { name: "甜玉米", priceFen: 150, unit: "根" },
      { name: "土鸡蛋", priceFen: 150, unit: "个", description: "散养" },
    ],
    notes: ["【惠民直通车】11月29日（周日）早上8点送达", "今晚8点截单", "需要的亲接龙～"],
  },
  {
    id: "P02-lead-time-words",
    text: [
      "5月20日 老王家菜园 今日菜单",
      "1. 今天现摘黄瓜 3元/斤",
      "2. 今日菠菜 4元一斤",
      "3. 明天的豆角 5元/斤 限量30斤",
      "4. 农家土鸡蛋 18元/10个",
      "量少先到先得",
    ].join("\n"),
    items: [
      { name: "现摘黄瓜", priceFen: 300, unit: "斤" },
      { name: "菠菜", priceFen: 400, unit: "斤" },
      { name: "豆角", priceFen: 500, unit: "斤", stock: 30 },
      { name: "农家土鸡蛋", priceFen: 1800, unit: "10个" },
    ],
    notes: ["5月20日 老王家菜园 今日菜单", "量少先到先得"],
  },
  {
    id: "P06-stock-limit",
    text: [
      "老李家果园 今日鲜果",
      "1、草莓 25元/盒 限量20盒",
      "2、蓝莓 20元/盒 每人限2盒",
      "3、樱桃 45元/斤 只有10斤",
      "4、葡萄 8元/斤 仅剩15斤",
      "5、桃子 6元/斤 共50斤",
      "每人每样限购5斤",
    ].join("\n"),
    items: [
      { name: "草莓", priceFen: 2500, unit: "盒", stock: 20 },
      { name: "蓝莓", priceFen: 2000, unit: "盒", perPersonLimit: 2 },
      { name: "樱桃", priceFen: 4500, unit: "斤", stock: 10, perPersonLimit: 5 },
      { name: "葡萄", priceFen: 800, unit: "斤", stock: 15, perPersonLimit: 5 },
      { name: "桃子", priceFen: 600, unit: "斤", stock: 50, perPersonLimit: 5 },
    ],
    notes: ["老李家果园 今日鲜果", "每人每样限购5斤"],
  },
  {
    id: "P08-traditional",
    text: [
      "【惠民直通車】12月1日（週二）早上8點送達",
      "今晚8點截單",
      "🍅番茄 3元/斤",
      "🥬小白菜 兩塊一把",
      "🥕蘿蔔 1.5元/斤",
      "🥚土雞蛋 1.5元/個 限量200個",
      "需要的親接龍～",
    ].join("\n"),
    items: [
      { name: "番茄", priceFen: 300, unit: "斤" },
      { name: "小白菜", priceFen: 200, unit: "把" },
      { name: "蘿蔔", priceFen: 150, unit: "斤" },
      { name: "土雞蛋", priceFen: 150, unit: "个", stock: 200 },
    ],
    notes: ["【惠民直通車】12月1日（週二）早上8點送達", "今晚8點截單", "需要的親接龍～"],
  },
  {
    id: "P09-fullwidth",
    text: [
      "【社区团购】明日菜单",
      "１．西红柿　３元／斤",
      "２．黄瓜　２．５元／斤",
      "３．土豆　１０元３斤",
      "４．鸡蛋　１５元／板",
      "今晚８点截单，明早８点送达",
    ].join("\n"),
    items: [
      { name: "西红柿", priceFen: 300, unit: "斤" },
      { name: "黄瓜", priceFen: 250, unit: "斤" },
      { name: "土豆", priceFen: 1000, unit: "3斤" },
      { name: "鸡蛋", priceFen: 1500, unit: "板" },
    ],
    notes: ["【社区团购】明日菜单", "今晚８点截单，明早８点送达"],
  },
  {
    id: "P12-lead-ins",
    text: [
      "各位邻居早上好🌞",
      "今天黄瓜 2元/斤",
      "今日西红柿 3元/斤",
      "明天菠菜 4元/斤",
      "刚摘的豆角 5元/斤",
      "自家种的丝瓜 3元/根",
      "谢谢大家支持🙏",
    ].join("\n"),
    items: [
      { name: "黄瓜", priceFen: 200, unit: "斤" },
      { name: "西红柿", priceFen: 300, unit: "斤" },
      { name: "菠菜", priceFen: 400, unit: "斤" },
      { name: "豆角", priceFen: 500, unit: "斤", description: "刚摘的" },
      { name: "丝瓜", priceFen: 300, unit: "根", description: "自家种的" },
    ],
    notes: ["各位邻居早上好🌞", "谢谢大家支持🙏"],
  },
  {
    id: "P13-date-prefix",
    text: [
      "11月29日菜单",
      "11月29日 西红柿 3元/斤",
      "5月20日黄瓜2元/斤",
      "12月1日（周二）茄子 3元/斤",
      "周六的豆角 4元/斤",
    ].join("\n"),
    items: [
      { name: "西红柿", priceFen: 300, unit: "斤" },
      { name: "黄瓜", priceFen: 200, unit: "斤" },
      { name: "茄子", priceFen: 300, unit: "斤", description: "周二" },
      { name: "豆角", priceFen: 400, unit: "斤" },
    ],
    notes: ["11月29日菜单"],
  },
  {
    id: "P15-fees",
    text: [
      "【果蔬直供】本周六送货",
      "满30元免配送费，不满加收3元",
      "西瓜 1.2元/斤 整个卖",
      "哈密瓜 15元/个",
      "香蕉 3.5元/斤",
      "运费5元/单",
      "地址：5号楼北门自提",
    ].join("\n"),
    items: [
      { name: "西瓜", priceFen: 120, unit: "斤", description: "整个卖" },
      { name: "哈密瓜", priceFen: 1500, unit: "个" },
      { name: "香蕉", priceFen: 350, unit: "斤" },
    ],
    notes: [
      "【果蔬直供】本周六送货",
      "满30元免配送费，不满加收3元",
      "运费5元/单",
      "地址：5号楼北门自提",
    ],
  },
  {
    id: "Q12-village-long",
    text: [
      "【崔家庄村 老李家】11月30日（周一）菜单🥬🥬",
      "今天下午5点截单，明早7点半送到各小区门口",
      "————————",
      "1️⃣ 大白菜 1元/斤（一颗约5-6斤）",
      "2️⃣ 白萝卜 0.8元/斤",
      "3️⃣ 胡萝卜 2元/斤",
      "4️⃣ 大葱 2.5元/斤 限量50斤",
      "5️⃣ 土鸡蛋 1.5元/个 每人限30个",
      "6️⃣ 红薯粉条 15元/斤",
      "————————",
      "⚠️ 每人每样限购10斤",
      "📍自提点：3号楼东门",
      "需要的亲接龙～谢谢大家支持🙏",
    ].join("\n"),
    items: [
      { name: "大白菜", priceFen: 100, unit: "斤", perPersonLimit: 10, description: "一颗约5-6斤" },
      { name: "白萝卜", priceFen: 80, unit: "斤", perPersonLimit: 10 },
      { name: "胡萝卜", priceFen: 200, unit: "斤", perPersonLimit: 10 },
      { name: "大葱", priceFen: 250, unit: "斤", stock: 50, perPersonLimit: 10 },
      { name: "土鸡蛋", priceFen: 150, unit: "个", perPersonLimit: 30 },
      { name: "红薯粉条", priceFen: 1500, unit: "斤", perPersonLimit: 10 },
    ],
    notes: [
      "【崔家庄村 老李家】11月30日（周一）菜单🥬🥬",
      "今天下午5点截单，明早7点半送到各小区门口",
      "————————",
      "————————",
      "⚠️ 每人每样限购10斤",
      "📍自提点：3号楼东门",
      "需要的亲接龙～谢谢大家支持🙏",
    ],
  },
  {
    id: "R01-shared-price",
    text: [
      "今天地里的菜👇",
      "西红柿、黄瓜、茄子都是3元/斤",
      "豆角，青椒均为4元一斤",
      "土豆 2元/斤",
    ].join("\n"),
    items: [
      { name: "西红柿", priceFen: 300, unit: "斤" },
      { name: "黄瓜", priceFen: 300, unit: "斤" },
      { name: "茄子", priceFen: 300, unit: "斤" },
      { name: "豆角", priceFen: 400, unit: "斤" },
      { name: "青椒", priceFen: 400, unit: "斤" },
      { name: "土豆", priceFen: 200, unit: "斤" },
    ],
    notes: ["今天地里的菜👇"],
  },
  {
    id: "R08-long-real",
    text: [
      "🌾【绿源农场】第23期团购🌾",
      "📅 配送日期：12月3日（周四）",
      "⏰ 截单时间：12月2日晚上9点",
      "🚚 送货方式：下午4点到小区北门，自提",
      "————————————",
      "🥬 蔬菜类",
      "1. 本地小白菜 2元/斤",
      "2. 上海青 2.5元/斤",
      "3. 菠菜 4元/斤（限量30斤）",
      "4. 西兰花 5元/个",
      "🍎 水果类",
      "5. 红富士苹果 6元/斤",
      "6. 砂糖橘 5元/斤，10斤45元",
      "7. 冬枣 12元/斤 每人限购3斤",
      "🥚 其他",
      "8. 土鸡蛋 18元/10个",
      "9. 手工豆腐 3元/块",
      "————————————",
      "📢 每人每样限购10斤",
      "🙏 感谢大家支持！",
    ].join("\n"),
    items: [
      { name: "本地小白菜", priceFen: 200, unit: "斤", perPersonLimit: 10 },
      { name: "上海青", priceFen: 250, unit: "斤", perPersonLimit: 10 },
      { name: "菠菜", priceFen: 400, unit: "斤", stock: 30, perPersonLimit: 10 },
      { name: "西兰花", priceFen: 500, unit: "个" },
      { name: "红富士苹果", priceFen: 600, unit: "斤", perPersonLimit: 10 },
      { name: "砂糖橘", priceFen: 500, unit: "斤", perPersonLimit: 10, description: "10斤45元" },
      { name: "冬枣", priceFen: 1200, unit: "斤", perPersonLimit: 3 },
      { name: "土鸡蛋", priceFen: 1800, unit: "10个" },
      { name: "手工豆腐", priceFen: 300, unit: "块" },
    ],
    notes: [
      "🌾【绿源农场】第23期团购🌾",
      "📅 配送日期：12月3日（周四）",
      "⏰ 截单时间：12月2日晚上9点",
      "🚚 送货方式：下午4点到小区北门，自提",
      "————————————",
      "🥬 蔬菜类",
      "🍎 水果类",
      "🥚 其他",
      "————————————",
      "📢 每人每样限购10斤",
      "🙏 感谢大家支持！",
    ],
  },
  {
    id: "S05-real-mix",
    text: [
      "🌸早上好，各位邻居🌸",
      "今天从老家拉来的土特产👇",
      "1、农家土鸡蛋 1.8元/个（一板30个54元）",
      "2、自家榨的菜籽油 25元/斤 5斤一桶",
      "3、土蜂蜜 80元/斤 只有10斤了",
      "4、红薯粉条 15元/斤",
      "5、晒干的豆角干 30元/斤",
      "截止明天中午12点，下午送货到小区门口",
      "📍 6号楼东门取货",
    ].join("\n"),
    items: [
      { name: "农家土鸡蛋", priceFen: 180, unit: "个", description: "一板30个54元" },
      { name: "菜籽油", priceFen: 2500, unit: "斤", description: "自家榨的 5斤一桶" },
      { name: "土蜂蜜", priceFen: 8000, unit: "斤", stock: 10 },
      { name: "红薯粉条", priceFen: 1500, unit: "斤" },
      { name: "豆角干", priceFen: 3000, unit: "斤", description: "晒干的" },
    ],
    notes: [
      "🌸早上好，各位邻居🌸",
      "今天从老家拉来的土特产👇",
      "截止明天中午12点，下午送货到小区门口",
      "📍 6号楼东门取货",
    ],
  },
  {
    id: "Q16-spice",
    text: ["调料专区", "花椒 8元/两 八角 10元/两 桂皮 6元/两", "干辣椒 20元/斤"].join("\n"),
    items: [
      { name: "花椒", priceFen: 800, unit: "两" },
      { name: "八角", priceFen: 1000, unit: "两" },
      { name: "桂皮", priceFen: 600, unit: "两" },
      { name: "干辣椒", priceFen: 2000, unit: "斤" },
    ],
    notes: ["调料专区"],
  },
  {
    id: "T01",
    text: [
      "🌞各位邻居早上好！",
      "【王家坪果蔬】11月30日（周一）下午4点送达",
      "今天中午12点截单⏰",
      "🥬今天现砍的大白菜 1元/斤",
      "🥕胡萝卜 1块5一斤",
      "🧅紫皮洋葱 10元4斤",
      "🍠板栗红薯 2.5元/斤，限量80斤",
      "🥚农家土鸡蛋 1.5元/个 每户限30个",
      "📍自提点：5号楼东门",
      "量少先到先得，谢谢大家支持🙏",
    ].join("\n"),
    items: [
      { name: "大白菜", priceFen: 100, unit: "斤", description: "现砍的" },
      { name: "胡萝卜", priceFen: 150, unit: "斤" },
      { name: "紫皮洋葱", priceFen: 1000, unit: "4斤" },
      { name: "板栗红薯", priceFen: 250, unit: "斤", stock: 80 },
      { name: "农家土鸡蛋", priceFen: 150, unit: "个", perPersonLimit: 30 },
    ],
    notes: [
      "🌞各位邻居早上好！",
      "【王家坪果蔬】11月30日（周一）下午4点送达",
      "今天中午12点截单⏰",
      "📍自提点：5号楼东门",
      "量少先到先得，谢谢大家支持🙏",
    ],
  },
  {
    id: "T02",
    text: [
      "明日菜单（12.2）",
      "① 明天的菠菜 ¥4/斤",
      "② 油麦菜 3元一把 ③ 生菜 3元一颗",
      "④ 自家种的小葱 5毛一把",
      "⑤ 香菜 一块钱一两",
      "小葱每人限2把",
      "截单：今晚9点",
    ].join("\n"),
    items: [
      { name: "菠菜", priceFen: 400, unit: "斤" },
      { name: "油麦菜", priceFen: 300, unit: "把" },
      { name: "生菜", priceFen: 300, unit: "颗" },
      { name: "小葱", priceFen: 50, unit: "把", perPersonLimit: 2, description: "自家种的" },
      { name: "香菜", priceFen: 100, unit: "两" },
    ],
    notes: ["明日菜单（12.2）", "小葱每人限2把", "截单：今晚9点"],
  },
  {
    id: "T03",
    text: [
      "【週末團購】12月5日（週六）到貨",
      "1、蘋果 5元/斤（每箱約20斤）",
      "2、橘子 3.5元/斤 僅剩50斤",
      "3、雞蛋 16元/30個",
      "4、牛肉 45元/斤 每人限購3斤",
      "需要的親請接龍～",
    ].join("\n"),
    items: [
      { name: "蘋果", priceFen: 500, unit: "斤", description: "每箱約20斤" },
      { name: "橘子", priceFen: 350, unit: "斤", stock: 50 },
      { name: "雞蛋", priceFen: 1600, unit: "30个" },
      { name: "牛肉", priceFen: 4500, unit: "斤", perPersonLimit: 3 },
    ],
    notes: ["【週末團購】12月5日（週六）到貨", "需要的親請接龍～"],
  },
  {
    id: "T05",
    text: [
      "今日到货👇👇",
      "🍓丹东草莓 35元/盒（约2斤）限量20盒",
      "🍊今天刚到的赣南脐橙 6元/斤",
      "🍌香蕉 3元/斤 🍍菠萝 5元/个",
      "🍇葡萄 500g/10元",
      "草莓每人限购2盒",
      "🚚下午3点送到小区门口",
    ].join("\n"),
    items: [
      {
        name: "丹东草莓",
        priceFen: 3500,
        unit: "盒",
        stock: 20,
        perPersonLimit: 2,
        description: "约2斤",
      },
      { name: "赣南脐橙", priceFen: 600, unit: "斤", description: "刚到的" },
      { name: "香蕉", priceFen: 300, unit: "斤" },
      { name: "菠萝", priceFen: 500, unit: "个" },
      { name: "葡萄", priceFen: 1000, unit: "500g" },
    ],
    notes: ["今日到货👇👇", "草莓每人限购2盒", "🚚下午3点送到小区门口"],
  },
];

describe("whole price posts", () => {
  it.each(WHOLE_POSTS.map((post) => [post.id, post] as const))("%s", (_id, post) => {
    expect(parseListing(post.text)).toEqual({ items: post.items, notes: post.notes, review: [] });
  });
});

describe("whole posts typed otherwise", () => {
  const expected = new Map(
    WHOLE_POSTS.map((post) => [
      post.id,
      { items: post.items.map(({ description: _description, ...fields }) => fields), review: [] },
    ]),
  );
  it.each(TYPINGS.filter(([, , listing]) => listing))("%s", (_, change) => {
    expect(differing(WHOLE_POSTS, change, listingReading, expected)).toEqual([]);
  });
});

describe("chains typed otherwise read the same", () => {
  it.each(TYPINGS.filter(([, , , chain]) => chain))("%s", (what, change) => {
    const cases = CHAINS.filter((c) => what !== "a flattened paste" || flattens(c));
    expect(cases.length).toBeGreaterThan(0);
    expect(differing(cases, change, chainReading, CHAIN_READINGS)).toEqual([]);
  });
});
