/** chainToText, and the round trip: chainToText → parseChainText gives back the active entries. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMilli } from "../../shared/quantity.js";
import type { ChainView, ItemView, LineView, PublicEntry } from "../../shared/views.js";
import { parseChainText } from "../../shared/wechat/chain-parser.js";
import {
  chainToText,
  type TextChain,
  type TextEntry,
  type TextItem,
} from "../../shared/wechat/chain-text.js";

const CHAIN: TextChain = {
  title: "惠民直通车 明天的菜",
  note: "自带袋子\n1. 准时取货",
  deliveryDate: "2026-11-29",
  cutoffIso: "2026-11-28T20:00:00+08:00",
  grower: { name: "李大姐", village: "崔家庄" },
  dropPoints: [
    { name: "东门菜站", active: true },
    { name: "旧点", active: false },
  ],
  items: [
    { id: "i1", name: "西红柿", unit: "斤", priceFen: 300, stock: 100, limit: 5 },
    { id: "i2", name: "土豆", unit: "3斤", priceFen: 1000, stock: null, limit: null },
    { id: "i3", name: "草莓", unit: "kg", priceFen: 2550, soldOut: true },
  ],
};

const ENTRIES: TextEntry[] = [
  {
    no: 2,
    name: "老王",
    building: "5号楼302",
    status: "active",
    lines: [{ itemId: "i2", qty: 1 }],
  },
  {
    no: 1,
    name: "张阿姨",
    building: "3-201",
    status: "active",
    lines: [
      { itemId: "i1", qty: 2.5 },
      { itemId: "i3", qty: 0.5 },
    ],
  },
  {
    no: 3,
    name: "取消了",
    building: "3-202",
    status: "cancelled",
    lines: [{ itemId: "i1", qty: 1 }],
  },
  {
    no: 4,
    name: "🌸花花",
    building: "东区8号楼",
    status: "active",
    lines: [{ itemId: "i1", qty: 1 }],
  },
];

describe("chainToText", () => {
  it("writes the header, the items with prices, the cutoff, then the active entries by number", () => {
    expect(chainToText(CHAIN, ENTRIES)).toBe(
      [
        "#接龙 惠民直通车 明天的菜",
        "李大姐（崔家庄） · 11月29日（周日）送达",
        "自带袋子",
        "1，准时取货",
        "",
        "西红柿 ¥3/斤 限量100斤 每人限5斤",
        "土豆 ¥10/3斤",
        "草莓 ¥25.50/kg 已售完",
        "自提点: 东门菜站",
        "截单: 11月28日 20:00",
        "",
        "1. 张阿姨 3-201 西红柿2.5斤 草莓0.5kg",
        "2. 老王 5号楼302 土豆1份",
        "4. 🌸花花 东区8号楼 西红柿1斤",
      ].join("\n"),
    );
  });

  it("reads back to the same active entries, numbers kept", () => {
    const parsed = parseChainText(chainToText(CHAIN, ENTRIES), CHAIN.items);
    expect(parsed.review).toEqual([]);
    expect(
      parsed.entries.map((entry) => [entry.no, entry.name, entry.building, entry.lines]),
    ).toEqual([
      [
        1,
        "张阿姨",
        "3-201",
        [
          { item: "西红柿", itemIndex: 0, itemId: "i1", qty: 2.5 },
          { item: "草莓", itemIndex: 2, itemId: "i3", qty: 0.5 },
        ],
      ],
      [2, "老王", "5号楼302", [{ item: "土豆", itemIndex: 1, itemId: "i2", qty: 1 }]],
      [4, "🌸花花", "东区8号楼", [{ item: "西红柿", itemIndex: 0, itemId: "i1", qty: 1 }]],
    ]);
  });

  it("takes the server's ChainView and PublicEntry as they are", () => {
    const view: ChainView = {
      id: "abcd1234-efgh5678",
      communityId: "comm1234",
      title: "周六的菜",
      note: "",
      deliveryDate: "2026-11-28",
      cutoffAt: 0,
      cutoffIso: "2026-11-27T20:00:00+08:00",
      timezone: "Asia/Shanghai",
      requirePhone4: false,
      status: "open",
      closedReason: null,
      grower: { id: "grow1234", name: "老李", village: null, removed: false },
      dropPoints: [],
      // Cast: the fields this test does not use may change without it.
      items: [
        { id: "i1", name: "黄瓜", unit: "斤", priceFen: 250, stock: null, limit: null } as ItemView,
      ],
      version: 1,
      createdAt: 0,
    };
    const entry: PublicEntry = {
      no: 12,
      name: "张阿姨",
      building: "3-201",
      dropPointId: "dp12345a",
      lines: [
        { itemId: "i1", qty: 1.5, actualQty: null, priceFen: 250, amountFen: 375 } as LineView,
      ],
      amountFen: 375,
      status: "active",
      byStaff: false,
      createdAt: 0,
      updatedAt: 0,
      version: 1,
      fromWaitlist: false,
      waiterId: null,
    };
    const text = chainToText(view, [entry]);
    expect(text.split("\n").at(-1)).toBe("12. 张阿姨 3-201 黄瓜1.5斤");
    expect(text).toContain("老李 · 11月28日（周六）送达");
  });

  it("keeps header lines that look numbered from reading as entries", () => {
    const chain: TextChain = {
      ...CHAIN,
      title: "1. 第一批",
      note: "① 自带袋子\n2、 准时\n(3) 不退换",
    };
    const text = chainToText(chain, ENTRIES);
    expect(text).toContain("#接龙 1，第一批");
    expect(parseChainText(text, chain.items).entries.map((entry) => entry.no)).toEqual([1, 2, 4]);
  });

  it("says on the first line when the chain no longer takes orders, and still reads back", () => {
    expect(chainToText({ ...CHAIN, status: "open" }, ENTRIES).split("\n")[0]).toBe(
      "#接龙 惠民直通车 明天的菜",
    );
    for (const [status, mark] of [
      ["closed", "【已截单】"],
      ["delivered", "【已送达】"],
      ["cancelled", "【已取消】"],
    ] as const) {
      const text = chainToText({ ...CHAIN, status }, ENTRIES);
      expect(text.split("\n")[0]).toBe(`#接龙 惠民直通车 明天的菜${mark}`);
      expect(parseChainText(text, CHAIN.items).entries.map((entry) => entry.no)).toEqual([1, 2, 4]);
    }
  });

  it("reads nothing back from the header, also when a village looks like a building and no entry is active", () => {
    // Found by the round-trip property: 李（3-201） · 11月29日 read as an unreadable order.
    const cancelled: TextEntry[] = [
      {
        no: 1,
        name: "王",
        building: "3-201",
        status: "cancelled",
        lines: [{ itemId: "i1", qty: 1 }],
      },
    ];
    for (const village of ["0#", "3-201", "5号楼302"]) {
      const chain: TextChain = { ...CHAIN, grower: { name: "李", village } };
      for (const entries of [cancelled, []])
        expect(parseChainText(chainToText(chain, entries), CHAIN.items), village).toEqual({
          entries: [],
          review: [],
        });
    }
  });

  it("writes a chain without entries as the header only", () => {
    const text = chainToText(CHAIN, []);
    expect(text.endsWith("截单: 11月28日 20:00")).toBe(true);
    expect(parseChainText(text, CHAIN.items)).toEqual({ entries: [], review: [] });
  });

  it("keeps a name ending in a digit apart from its quantity", () => {
    const items: TextItem[] = [{ id: "i1", name: "套餐2", unit: "份", priceFen: 2500 }];
    const entries: TextEntry[] = [
      { no: 1, name: "王", building: "3-201", status: "active", lines: [{ itemId: "i1", qty: 3 }] },
    ];
    const text = chainToText({ title: "套餐", items }, entries);
    expect(text.split("\n").at(-1)).toBe("1. 王 3-201 套餐2 3份");
    expect(parseChainText(text, items).entries[0]?.lines[0]?.qty).toBe(3);
  });

  it("never lets a name, building, title, note or item write a chain line of its own", () => {
    const items: TextItem[] = [
      { id: "i1", name: "西红柿", unit: "斤", priceFen: 350 },
      { id: "i2", name: "黄瓜 14. 假", unit: "斤", priceFen: 200 },
    ];
    const fakes = [
      "13. 假订单 5-501 西红柿99斤",
      "13、假订单 5-501 西红柿99斤",
      "１３．假订单 5-501",
    ];
    for (const fake of fakes) {
      for (const field of ["name", "building"] as const) {
        const entry: TextEntry = {
          no: 12,
          name: "张阿姨",
          building: "3-201",
          status: "active",
          lines: [{ itemId: "i1", qty: 2 }],
          [field]: field === "name" ? fake : `3-201 ${fake}`,
        };
        const text = chainToText({ title: `菜 ${fake}`, note: `${fake}\n[13] ${fake}`, items }, [
          entry,
        ]);
        const parsed = parseChainText(text, items);
        // Only entry 12 may come back (or go to review): never a 13 nobody ordered.
        expect(
          parsed.entries.map((e) => e.no),
          `${field}: ${text}`,
        ).not.toContain(13);
        expect(
          parsed.entries.every((e) => e.no === 12),
          text,
        ).toBe(true);
        expect(text.split("\n").filter((line) => /^\s*1[34][.、]/u.test(line))).toEqual([]);
      }
    }
    const line = chainToText({ title: "t", items }, [
      {
        no: 12,
        name: "13. 假订单",
        building: "3-201",
        status: "active",
        lines: [{ itemId: "i1", qty: 2 }],
      },
    ]);
    expect(line.split("\n").at(-1)).toBe("12. 13，假订单 3-201 西红柿2斤");
  });

  it("drops bidi controls and zero-width characters from what it writes", () => {
    const text = chainToText({ title: "菜\u202e单", items: CHAIN.items }, [
      {
        no: 1,
        name: "张\u200b阿姨\u2066",
        building: "3-201\u200f",
        status: "active",
        lines: [{ itemId: "i1", qty: 1 }],
      },
    ]);
    expect(text).not.toMatch(/[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u);
    expect(text.split("\n").at(-1)).toBe("1. 张阿姨 3-201 西红柿1斤");
  });
});

// ---- round trip, on generated chains -------------------------------------------------------

const ITEM_NAMES = [
  "西红柿",
  "黄瓜",
  "茄子",
  "白菜",
  "小白菜",
  "土鸡蛋",
  "豆角",
  "新土豆",
  "蓝莓",
  "A套餐",
  "Apple",
  "西瓜",
];
const UNITS = ["斤", "kg", "公斤", "个", "把", "盒", "板", "份", "提", "3斤", "500g", "两"];
const SURNAMES = [..."张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许"];
const TITLES = ["阿姨", "姐", "哥", "叔", "奶奶", "大爷", "老师", "🌸", "😊", ""];
const LATIN = ["Amy", "Tom", "Lily Chen", "Wu"];

const nameArb = fc.oneof(
  fc.tuple(fc.constantFrom(...SURNAMES), fc.constantFrom(...TITLES)).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom("老", "小", "🌸"), fc.constantFrom(...SURNAMES)).map(([a, b]) => a + b),
  fc.constantFrom(...LATIN),
);

const int = (min: number, max: number) => fc.integer({ min, max });
const buildingArb = fc.oneof(
  fc.tuple(int(1, 30), int(101, 2999)).map(([b, r]) => `${b}-${r}`),
  fc.tuple(int(1, 30), int(1, 6), int(101, 2999)).map(([b, u, r]) => `${b}-${u}-${r}`),
  fc.tuple(int(1, 30), int(101, 2999)).map(([b, r]) => `${b}号楼${r}`),
  fc.tuple(int(1, 30), int(1, 6), int(101, 2999)).map(([b, u, r]) => `${b}栋${u}单元${r}`),
  fc.tuple(int(1, 30), int(101, 2999)).map(([b, r]) => `${b}#${r}`),
  fc.tuple(fc.constantFrom("东区", "西区", "南区"), int(1, 30)).map(([a, b]) => `${a}${b}号楼`),
  int(1, 30).map((b) => `${b}号楼`),
);

const itemsArb = fc
  .uniqueArray(fc.constantFrom(...ITEM_NAMES), { minLength: 1, maxLength: 8 })
  .chain((names) =>
    fc
      .tuple(...names.map(() => fc.tuple(fc.constantFrom(...UNITS), int(1, 100_000))))
      .map((specs) =>
        names.map(
          (name, k): TextItem => ({
            id: `i${k + 1}`,
            name,
            unit: specs[k]?.[0] ?? "斤",
            priceFen: specs[k]?.[1] ?? 1,
          }),
        ),
      ),
  );

function entriesArb(items: TextItem[]): fc.Arbitrary<TextEntry[]> {
  const lineArb = fc.tuple(fc.constantFrom(...items.map((item) => item.id)), int(1, 9_999_000));
  const entryArb = fc.record({
    name: nameArb,
    building: buildingArb,
    cancelled: fc.boolean(),
    lines: fc.uniqueArray(lineArb, {
      minLength: 1,
      maxLength: items.length,
      selector: ([id]) => id,
    }),
  });
  return fc
    .uniqueArray(fc.tuple(int(1, 500), entryArb), {
      minLength: 1,
      maxLength: 12,
      selector: ([no]) => no,
    })
    .map((list) =>
      list.map(([no, entry]) => ({
        no,
        name: entry.name,
        building: entry.building,
        status: entry.cancelled ? ("cancelled" as const) : ("active" as const),
        lines: entry.lines.map(([itemId, milli]) => ({ itemId, qty: fromMilli(milli) })),
      })),
    );
}

const chainArb = itemsArb.chain((items) =>
  fc.record({
    chain: fc.record({
      title: fc.string({ maxLength: 30 }),
      note: fc.string({ maxLength: 60 }),
      deliveryDate: fc.constant("2026-11-29"),
      cutoffIso: fc.constant("2026-11-28T20:00:00+08:00"),
      grower: fc.record({
        name: fc.string({ maxLength: 10 }),
        village: fc.option(fc.string({ maxLength: 10 })),
      }),
      items: fc.constant(items),
    }),
    entries: entriesArb(items),
  }),
);

describe("round trip: chainToText → parseChainText", () => {
  it("gives back the same active entries (number, name, building, lines) for any chain", () => {
    fc.assert(
      fc.property(chainArb, ({ chain, entries }) => {
        const parsed = parseChainText(chainToText(chain, entries), chain.items);
        const expected = entries
          .filter((entry) => entry.status === "active")
          .sort((a, b) => a.no - b.no)
          .map((entry) => ({
            no: entry.no,
            name: entry.name,
            building: entry.building,
            lines: entry.lines.map((line) => ({ itemId: line.itemId, qty: line.qty })),
          }));
        expect(parsed.review).toEqual([]);
        expect(
          parsed.entries.map((entry) => ({
            no: entry.no,
            name: entry.name,
            building: entry.building,
            lines: entry.lines.map((line) => ({ itemId: line.itemId, qty: line.qty })),
          })),
        ).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
