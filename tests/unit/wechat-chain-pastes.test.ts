/**
 * parseChainText on whole 接龙 pastes, as they come out of WeChat groups: the grower's header, the
 * numbered chain, and what else gets copied with it (chatter, WeChat's own notices, a message's
 * sender and time, a second copy of the chain, someone's "+1"). Every order is read exactly, chatter
 * is neither an order nor part of one, and what is in doubt goes to review.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMilli } from "../../shared/quantity.js";
import {
  type ChainItemRef,
  parseChainText,
  type ReviewCode,
  reasonOf,
  UNEXPECTED,
} from "../../shared/wechat/chain-parser.js";
import { chainToText, type TextEntry, type TextItem } from "../../shared/wechat/chain-text.js";

/** [no, name, building, "item:qty …"]; no is null for an entry without a number. */
type EntryRow = [number | null, string, string, string];
/** [no, raw, code] */
type ReviewRow = [number | null, string, ReviewCode];

function read(text: string, items: readonly ChainItemRef[]) {
  const parsed = parseChainText(text, items);
  for (const entry of parsed.entries) {
    for (const line of entry.lines) expect(items[line.itemIndex]?.name).toBe(line.item);
  }
  for (const line of parsed.review) expect(line.reason).toBe(reasonOf(line));
  return {
    entries: parsed.entries.map(
      (entry): EntryRow => [
        entry.no ?? null,
        entry.name,
        entry.building,
        entry.lines.map((line) => `${line.item}:${line.qty}`).join(" "),
      ],
    ),
    review: parsed.review.map((line): ReviewRow => [line.no ?? null, line.raw, line.code]),
  };
}

const VEG: ChainItemRef[] = [
  { name: "西红柿", unit: "斤" },
  { name: "黄瓜", unit: "斤" },
  { name: "白菜", unit: "斤" },
  { name: "小白菜", unit: "把" },
  { name: "茄子", unit: "斤" },
  { name: "土鸡蛋", unit: "个" },
];
const FRUIT: ChainItemRef[] = [
  { name: "草莓", unit: "盒" },
  { name: "苹果", unit: "斤" },
  { name: "橘子", unit: "kg" },
  { name: "香蕉", unit: "斤" },
];
const BLUEBERRY: ChainItemRef[] = [{ name: "蓝莓", unit: "盒" }];

const WHOLE_PASTES: {
  id: string;
  items: ChainItemRef[];
  text: string;
  entries: EntryRow[];
  review: ReviewRow[];
}[] = [
  {
    id: "every quantity form, under the grower's header",
    items: VEG,
    text: [
      "#接龙 老李家蔬菜 明天上午送到",
      "西红柿 3元/斤",
      "黄瓜 2.5元/斤",
      "白菜 1元/斤 小白菜 2元/把",
      "土鸡蛋 1.5元/个 限量200个",
      "今晚8点截单，3号楼东门自提",
      "例：张三 1-101 西红柿2斤",
      "",
      "1. 王阿姨 3-201 西红柿2斤 黄瓜1斤",
      "2. 老王 5号楼302 白菜两斤",
      "3. 李姐 7-3-502 小白菜2把",
      "4. 刘 12栋1单元101 西红柿半斤",
      "5. 陈 13#502 黄瓜一斤半",
      "6. 赵奶奶 东区8号楼 白菜一斤二两",
      "7. 孙 B座1203 西红柿0.5",
      "8. Lily 6-502 黄瓜x2",
      "9. 🌸花花 3-1102 土鸡蛋×10",
      "10. 周 2-101 西红柿*3",
      "11. 吴 2-102 小白菜+1",
      "12. 郑 2-103 白菜 4",
    ].join("\n"),
    entries: [
      [1, "王阿姨", "3-201", "西红柿:2 黄瓜:1"],
      [2, "老王", "5号楼302", "白菜:2"],
      [3, "李姐", "7-3-502", "小白菜:2"],
      [4, "刘", "12栋1单元101", "西红柿:0.5"],
      [5, "陈", "13#502", "黄瓜:1.5"],
      [6, "赵奶奶", "东区8号楼", "白菜:1.2"],
      [7, "孙", "B座1203", "西红柿:0.5"],
      [8, "Lily", "6-502", "黄瓜:2"],
      [9, "🌸花花", "3-1102", "土鸡蛋:10"],
      [10, "周", "2-101", "西红柿:3"],
      [11, "吴", "2-102", "小白菜:1"],
      [12, "郑", "2-103", "白菜:4"],
    ],
    review: [],
  },
  {
    id: "chatter between and after the entries, a line pasted twice",
    items: VEG,
    text: [
      "#接龙 周日的菜",
      "西红柿3元/斤 黄瓜2元/斤 茄子3元/斤",
      "",
      "1. 王 3-201 西红柿2斤",
      "2. 李 3-202 黄瓜1斤",
      "我也要",
      "还有吗？",
      "3. 赵 3-203 茄子2斤",
      "@李大姐 明天几点到",
      "[图片]",
      "3. 赵 3-203 茄子2斤",
      '"张三"撤回了一条消息',
      "4. 钱 3-204 西红柿1斤 黄瓜1斤",
      "收到",
      "——————",
      "李大姐：收到，明天上午10点到，3号楼东门",
      "[图片]",
    ].join("\n"),
    entries: [
      [1, "王", "3-201", "西红柿:2"],
      [2, "李", "3-202", "黄瓜:1"],
      [3, "赵", "3-203", "茄子:2"],
      [4, "钱", "3-204", "西红柿:1 黄瓜:1"],
    ],
    review: [],
  },
  {
    id: "two messages copied together: each sender's line, then the whole chain again",
    items: VEG,
    text: [
      "李大姐 11-28 19:30",
      "#接龙",
      "明天的菜",
      "西红柿 3元/斤 黄瓜 2元/斤",
      "例：张三 1-101 西红柿2斤",
      "",
      "1. 王 3-201 西红柿2斤",
      "2. 李 3-202 黄瓜1斤",
      "张三 11-28 19:42",
      "#接龙",
      "明天的菜",
      "西红柿 3元/斤 黄瓜 2元/斤",
      "例：张三 1-101 西红柿2斤",
      "",
      "1. 王 3-201 西红柿2斤",
      "2. 李 3-202 黄瓜1斤",
      "3. 张三 3-205 西红柿1斤 黄瓜1斤",
      "王五 11-28 19:50",
      "我也要两斤",
    ].join("\n"),
    entries: [
      [1, "王", "3-201", "西红柿:2"],
      [2, "李", "3-202", "黄瓜:1"],
      [3, "张三", "3-205", "西红柿:1 黄瓜:1"],
    ],
    review: [[null, "我也要两斤", "no_building"]],
  },
  {
    id: "the grower's numbered price list, then the numbered chain",
    items: VEG,
    text: [
      "【接龙】老李家蔬菜",
      "1. 西红柿 3元/斤",
      "2. 黄瓜 2.5元一斤",
      "3. 茄子 ¥3/斤 限量50斤",
      "4. 小白菜",
      "自提点：3号楼东门",
      "截止今晚9点",
      "格式：姓名 楼号 菜品数量",
      "",
      "1. 王 3-201 西红柿2斤",
      "2. 李 3-202 黄瓜1斤 小白菜1把",
      "3. 赵 3-203 茄子两斤",
    ].join("\n"),
    entries: [
      [1, "王", "3-201", "西红柿:2"],
      [2, "李", "3-202", "黄瓜:1 小白菜:1"],
      [3, "赵", "3-203", "茄子:2"],
    ],
    review: [],
  },
  {
    id: "wrapped entries, and lines under them that are someone else's",
    items: VEG,
    text: [
      "#接龙",
      "1. 张阿姨",
      "3-201 西红柿2斤",
      "黄瓜1斤",
      "2. 老王 5号楼302",
      "还有吗？",
      "茄子3斤",
      "3. Lily",
      "8-1-1201 小白菜2把",
      "李姐 黄瓜1斤",
      "4. 赵 3-203 茄子1斤",
      "还有黄瓜1斤，谢谢",
      "+1",
    ].join("\n"),
    entries: [
      [1, "张阿姨", "3-201", "西红柿:2 黄瓜:1"],
      [2, "老王", "5号楼302", "茄子:3"],
      [3, "Lily", "8-1-1201", "小白菜:2"],
      [4, "赵", "3-203", "茄子:1 黄瓜:1"],
    ],
    review: [
      [null, "李姐 黄瓜1斤", "no_building"],
      [null, "+1", "no_building"],
    ],
  },
  {
    id: "a one-item chain: +1, x2, a bare number, and a stray +1",
    items: BLUEBERRY,
    text: [
      "#接龙",
      "云南蓝莓 20元/盒 每人限2盒",
      "明天下午到货",
      "例：张三 1-101 +1",
      "",
      "1. 老周 8-201 +1",
      "2. Amy 6-502 2盒",
      "3. 🌸花花 3-1102 x2",
      "+1",
      "4. 王姐 5号楼302 蓝莓1盒",
      "5. 李 7-3-502 1",
      "6. 赵 2-101 两盒 谢谢",
      "7. 钱 2-102 13812345678 +1",
      "收到",
    ].join("\n"),
    entries: [
      [1, "老周", "8-201", "蓝莓:1"],
      [2, "Amy", "6-502", "蓝莓:2"],
      [3, "🌸花花", "3-1102", "蓝莓:2"],
      [4, "王姐", "5号楼302", "蓝莓:1"],
      [5, "李", "7-3-502", "蓝莓:1"],
      [6, "赵", "2-101", "蓝莓:2"],
      [7, "钱", "2-102", "蓝莓:1"],
    ],
    review: [[null, "+1", "no_building"]],
  },
  {
    id: "orders taken back or changed",
    items: VEG,
    text: [
      "#接龙",
      "1. 王 3-201 西红柿2斤",
      "2. 李 3-202 黄瓜1斤 不要了",
      "3. 赵 3-203 取消",
      "4. 钱 3-204 茄子2斤（已取消）",
      "5. 孙 3-205 西红柿3斤 不要太大的",
      "6. 周 3-206 西红柿2斤",
      "改成3斤",
      "7. 吴 3-207 黄瓜2斤 放门口",
    ].join("\n"),
    entries: [
      [1, "王", "3-201", "西红柿:2"],
      [5, "孙", "3-205", "西红柿:3"],
      [7, "吴", "3-207", "黄瓜:2"],
    ],
    review: [
      [2, "李 3-202 黄瓜1斤 不要了", "changed"],
      [3, "赵 3-203 取消", "changed"],
      [4, "钱 3-204 茄子2斤（已取消）", "changed"],
      [6, "周 3-206 西红柿2斤 改成3斤", "changed"],
    ],
  },
  {
    id: "traditional characters, full-width digits, 斤 and kg",
    items: FRUIT,
    text: [
      "#接龍",
      "草莓 25元/盒 蘋果 5元/斤 橘子 8元/公斤 香蕉 3元/斤",
      "截單：今晚9點",
      "",
      "１．林 ９－９０１ 草莓２份",
      "２．高 9-902 橘子1公斤",
      "３．何 9-903 橘子3斤",
      "4. 羅 9-904 蘋果1kg",
      "5. 梁 9-905 香蕉500克",
      "6. 宋 9-906 橘子兩斤半",
      "7. 馮 5號樓302 蘋果一斤半 香蕉兩斤",
    ].join("\n"),
    entries: [
      [1, "林", "9-901", "草莓:2"],
      [2, "高", "9-902", "橘子:1"],
      [3, "何", "9-903", "橘子:1.5"],
      [4, "羅", "9-904", "苹果:2"],
      [5, "梁", "9-905", "香蕉:1"],
      [6, "宋", "9-906", "橘子:1.25"],
      [7, "馮", "5號樓302", "苹果:1.5 香蕉:2"],
    ],
    review: [],
  },
  {
    id: "a flattened paste, header and example included",
    items: VEG,
    text: "#接龙 明天的菜 西红柿3元/斤 黄瓜2元/斤 例：张三 1-101 西红柿2斤 1. 王 3-201 西红柿2斤 2. 李 3-202 黄瓜1斤 3. 赵 3-203 西红柿1斤 黄瓜2斤 谢谢",
    entries: [
      [1, "王", "3-201", "西红柿:2"],
      [2, "李", "3-202", "黄瓜:1"],
      [3, "赵", "3-203", "西红柿:1 黄瓜:2"],
    ],
    review: [],
  },
  {
    id: "a 接龙 typed without numbers, with chatter",
    items: VEG,
    text: [
      "#接龙 明天送到3号楼",
      "自提点：3号楼东门",
      "王 3-201 西红柿2斤",
      "李 3-202 黄瓜1斤",
      "还有西红柿吗？",
      "[图片]",
      "赵 3-203",
      "西红柿1斤",
      "好的，3号楼门口见",
      "我也要两斤",
      "谢谢",
    ].join("\n"),
    entries: [
      [null, "王", "3-201", "西红柿:2"],
      [null, "李", "3-202", "黄瓜:1"],
      [null, "赵", "3-203", "西红柿:1"],
    ],
    review: [[null, "我也要两斤", "no_building"]],
  },
  {
    id: "phones, remarks, separators, the longest item name",
    items: VEG,
    text: [
      "#接龙",
      "1. 王 13812345678 3-201 小白菜2把 白菜3斤",
      "2. 李 3-202 土鸡蛋10个，西红柿1斤 电话13912345678",
      "3. 赵 手机：15012345678 3-203 白菜2、小白菜1",
      "4. 钱 3-204 西红柿2斤+黄瓜1斤;茄子1斤 辛苦了🙏",
      "5. 孙 3-205 西红柿2斤 尾号5678 放门口",
    ].join("\n"),
    entries: [
      [1, "王", "3-201", "小白菜:2 白菜:3"],
      [2, "李", "3-202", "土鸡蛋:10 西红柿:1"],
      [3, "赵", "3-203", "白菜:2 小白菜:1"],
      [4, "钱", "3-204", "西红柿:2 黄瓜:1 茄子:1"],
      [5, "孙", "3-205", "西红柿:2"],
    ],
    review: [],
  },
  {
    id: "messages to the grower, and an order said in the chat",
    items: VEG,
    text: [
      "#接龙",
      "1. 王 3-201 西红柿2斤",
      "@李大姐 赵 3-203 黄瓜1斤",
      "2. 李 3-202 黄瓜1斤",
      "王姐：我要两斤西红柿",
      "张阿姨: 好的谢谢",
      "李大姐 邀请 王五 加入了群聊",
      "3. @李大姐 钱 3-204 茄子1斤",
    ].join("\n"),
    entries: [
      [1, "王", "3-201", "西红柿:2"],
      [null, "赵", "3-203", "黄瓜:1"],
      [2, "李", "3-202", "黄瓜:1"],
      [3, "钱", "3-204", "茄子:1"],
    ],
    review: [[null, "王姐：我要两斤西红柿", "no_building"]],
  },
];

describe("whole 接龙 pastes", () => {
  it.each(WHOLE_PASTES.map((paste) => [paste.id, paste] as const))("%s", (_id, paste) => {
    expect(read(paste.text, paste.items)).toEqual({
      entries: paste.entries,
      review: paste.review,
    });
  });
});

const TWO = "1. 王 3-201 西红柿2斤\n%s\n2. 李 3-202 黄瓜1斤";
const withLine = (line: string) => TWO.replace("%s", line);
const BOTH: EntryRow[] = [
  [1, "王", "3-201", "西红柿:2"],
  [2, "李", "3-202", "黄瓜:1"],
];

describe("lines between entries that are no order", () => {
  it.each([
    // WeChat's own lines, and a sender with the time of a message
    '"张三"撤回了一条消息',
    "你撤回了一条消息",
    "李大姐邀请张三加入了群聊",
    "王 拍了拍 李大姐",
    "张三 11-28 20:05",
    "李大姐 2023-11-28 20:01:02",
    "王五 昨天 下午8:07",
    // questions, even naming an item
    "还有吗？",
    "西红柿还有吗？",
    "黄瓜好吃吗",
    "明天几点到?",
    // the grower's prices and stock
    "西红柿 3元/斤 黄瓜2元/斤",
    "黄瓜只剩5斤了",
    "西红柿已售完",
    "#接龙 明天的菜",
    // money, dates and places are no amounts
    "[转账] 6.00元",
    "明天12月1日送到",
    "明早8点到3号楼东门",
    "好的，3号楼门口见",
    "@李大姐 明天几点到",
    "[图片]",
    "收到",
    "我也要",
    "——————",
  ])("%s", (line) => {
    expect(read(withLine(line), VEG)).toEqual({ entries: BOTH, review: [] });
  });

  it("takes a drop point alone on a line for the order above it (not a default)", () => {
    const points = [{ id: "e3", name: "3号楼门口", aliases: ["3号楼东门"] }];
    for (const said of ["放3号楼门口", "3号楼东门自提"]) {
      const parsed = parseChainText(withLine(said), VEG, { dropPoints: points });
      expect(parsed.entries.map((entry) => [entry.name, entry.dropPointId])).toEqual([
        ["王", "e3"],
        ["李", undefined],
      ]);
    }
    // No drop points given: which one it is can't be told, so the order waits for a person.
    expect(read(withLine("放3号楼门口"), VEG)).toEqual({
      entries: [[2, "李", "3-202", "黄瓜:1"]],
      review: [[1, "王 3-201 西红柿2斤 放3号楼门口", "unknown_drop_point"]],
    });
  });

  it("never takes a question into a wrapped entry's name", () => {
    const parsed = parseChainText("#接龙\n1. 张阿姨\n还有吗？\n3-201 西红柿2斤", VEG);
    expect(parsed.entries).toMatchObject([
      { no: 1, name: "张阿姨", building: "3-201", raw: "张阿姨 3-201 西红柿2斤" },
    ]);
  });

  it("keeps the raw text of a wrapped entry to its own lines", () => {
    const parsed = parseChainText("1. 张阿姨\n我也要\n3-201\n@李大姐 收到\n西红柿2斤", VEG);
    expect(parsed.entries).toMatchObject([
      { name: "张阿姨", building: "3-201", raw: "张阿姨 3-201 西红柿2斤" },
    ]);
  });

  it("reads a name alone under an empty number as the start of that entry", () => {
    expect(read("#接龙\n1.\n张阿姨\n3-201 西红柿2斤", VEG).entries).toEqual([
      [1, "张阿姨", "3-201", "西红柿:2"],
    ]);
  });
});

describe("lines under an entry", () => {
  it.each(["黄瓜1斤", "还有黄瓜1斤", "另外黄瓜1斤，谢谢", "+黄瓜1斤", "🥒黄瓜1斤"])(
    "adds more of the same order: %s",
    (line) => {
      expect(read(`1. 王 3-201 西红柿2斤\n${line}`, VEG)).toEqual({
        entries: [[1, "王", "3-201", "西红柿:2 黄瓜:1"]],
        review: [],
      });
    },
  );

  it.each(["李姐 黄瓜1斤", "王姐：我要两斤西红柿", "我也要两斤", "+1", "x2 谢谢"])(
    "sends someone else's amount to review on its own: %s",
    (line) => {
      expect(read(`1. 王 3-201 西红柿2斤\n${line}`, VEG)).toEqual({
        entries: [[1, "王", "3-201", "西红柿:2"]],
        review: [[null, line, "no_building"]],
      });
    },
  );

  it("does not let a stray amount take the next entry's building", () => {
    expect(read("#接龙\n王 3-201 西红柿2斤\n+1\n邓姐 5号楼242 黄瓜1斤", VEG)).toEqual({
      entries: [
        [null, "王", "3-201", "西红柿:2"],
        [null, "邓姐", "5号楼242", "黄瓜:1"],
      ],
      review: [[null, "+1", "no_building"]],
    });
  });

  it("does not add items after a WeChat notice or a sender's line", () => {
    for (const line of ["张三 11-28 20:05", '"张三"撤回了一条消息']) {
      expect(read(`1. 王 3-201 西红柿2斤\n${line}\n黄瓜1斤`, VEG)).toEqual({
        entries: [[1, "王", "3-201", "西红柿:2"]],
        review: [[null, "黄瓜1斤", "no_building"]],
      });
    }
  });

  it("reads a name and a building as an entry's first line where entries have no numbers", () => {
    expect(read("#接龙\n李 3-204 黄瓜1斤\n王 3-203\n西红柿2斤", VEG).entries).toEqual([
      [null, "李", "3-204", "黄瓜:1"],
      [null, "王", "3-203", "西红柿:2"],
    ]);
  });
});

describe("orders taken back or changed go to review", () => {
  it.each([
    "1. 王 3-201 西红柿2斤 不要了",
    "1. 王 3-201 西红柿2斤（已取消）",
    "1. 王 3-201 取消",
    "1. 王 3-201 西红柿2斤 作废",
    "1. 王 3-201 西红柿2斤 改成3斤",
    "1. 王 3-201 西红柿2斤\n不要了",
    "1. 王 3-201 西红柿2斤\n改成3斤",
  ])("%s", (text) => {
    const { entries, review } = read(text, VEG);
    expect(entries).toEqual([]);
    expect(review.map(([no, , code]) => [no, code])).toEqual([[1, "changed"]]);
  });

  it("reads a remark that only looks like it (不要太大的)", () => {
    expect(read("1. 王 3-201 西红柿2斤 不要太大的", VEG).entries).toEqual([
      [1, "王", "3-201", "西红柿:2"],
    ]);
  });
});

describe("repeated lines and copies", () => {
  it("reads a line pasted twice once", () => {
    const text = "#接龙\n1. 王 3-201 西红柿2斤\n2. 李 3-202 黄瓜1斤\n2. 李 3-202 黄瓜1斤";
    expect(read(text, VEG).entries).toEqual(BOTH);
    expect(read("#接龙\n王 3-201 西红柿2斤\n王 3-201 西红柿2斤", VEG).entries).toEqual([
      [null, "王", "3-201", "西红柿:2"],
    ]);
  });

  it("keeps the same order under two numbers, and two people with one number", () => {
    const text =
      "1. 王 3-201 西红柿2斤\n2. 李 3-202 黄瓜1斤\n2. 赵 3-203 黄瓜1斤\n3. 王 3-201 西红柿2斤";
    expect(read(text, VEG).entries.map(([no, name]) => [no, name])).toEqual([
      [1, "王"],
      [2, "李"],
      [2, "赵"],
      [3, "王"],
    ]);
  });

  it("leaves out a second copy's header but reads an entry after 继续接龙", () => {
    const text = "#接龙\n1. 王 3-201 西红柿2斤\n继续接龙👇\n自提点：3号楼东门\n李 3-202 黄瓜1斤";
    expect(read(text, VEG)).toEqual({
      entries: [
        [1, "王", "3-201", "西红柿:2"],
        [null, "李", "3-202", "黄瓜:1"],
      ],
      review: [],
    });
  });
});

describe("the header's numbered list", () => {
  it("is no order: prices per unit and names alone at the top", () => {
    const text = "#接龙\n1. 西红柿 3元/斤\n2. 黄瓜 两块一斤\n3. 小白菜\n\n1. 王 3-201 西红柿2斤";
    expect(read(text, VEG)).toEqual({ entries: [[1, "王", "3-201", "西红柿:2"]], review: [] });
  });

  it("still sends a first order without a building to review", () => {
    expect(read("#接龙\n1. 王 西红柿2斤\n2. 李 3-202 黄瓜1斤", VEG).review).toEqual([
      [1, "王 西红柿2斤", "no_building"],
    ]);
  });
});

describe("@mentions, dates", () => {
  it.each([
    ["@李大姐 赵 3-203 黄瓜1斤", null],
    ["1. @李大姐 赵 3-203 黄瓜1斤", 1],
    ["1. 赵 3-203 黄瓜1斤 @李大姐", 1],
  ])("a mention is not the name: %s", (text, no) => {
    expect(read(text, VEG).entries).toEqual([[no, "赵", "3-203", "黄瓜:1"]]);
  });

  it("does not read a date as a quantity", () => {
    expect(read("1. 王 3-201 西红柿2斤 12月1日送", VEG).entries).toEqual([
      [1, "王", "3-201", "西红柿:2"],
    ]);
  });
});

// ---- chatter in a chain text, generated -----------------------------------------------------

const CHATTER = [
  "我也要",
  "还有吗？",
  "@李大姐 明天几点到",
  "[图片]",
  "收到",
  '"张三"撤回了一条消息',
  "——————",
  "谢谢大家🙏",
  "李大姐：收到，明天上午10点到",
  "张三 11-28 20:05",
  "王 拍了拍 李大姐",
  "西红柿还有吗？",
  "明天12月1日送到",
  "3号楼的在哪取？",
  "[转账] 6.00元",
  "黄瓜只剩5斤了",
  "西红柿 3元/斤",
  "明早8点到3号楼东门",
  "好的，3号楼门口见",
];
const ORDERS_IN_CHAT = ["我也要两斤", "+1", "李姐 黄瓜1斤", "王姐：我要两斤西红柿"];
const ITEM_NAMES = ["西红柿", "黄瓜", "白菜", "小白菜", "土鸡蛋", "蓝莓", "A套餐", "Apple"];
const UNITS = ["斤", "kg", "个", "把", "盒", "份", "3斤", "500g"];

const int = (min: number, max: number) => fc.integer({ min, max });
const nameArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(..."张王李赵刘陈杨"), fc.constantFrom("阿姨", "姐", "🌸", ""))
    .map(([a, b]) => a + b),
  fc.constantFrom("Amy", "Lily Chen"),
);
const buildingArb = fc.oneof(
  fc.tuple(int(1, 30), int(101, 2999)).map(([b, r]) => `${b}-${r}`),
  fc.tuple(int(1, 30), int(1, 6), int(101, 2999)).map(([b, u, r]) => `${b}-${u}-${r}`),
  fc.tuple(int(1, 30), int(101, 2999)).map(([b, r]) => `${b}号楼${r}`),
);
const pasteArb = fc
  .uniqueArray(fc.constantFrom(...ITEM_NAMES), { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.record({
      items: fc
        .tuple(...names.map(() => fc.constantFrom(...UNITS)))
        .map((units) =>
          names.map(
            (name, k): TextItem => ({ id: `i${k}`, name, unit: units[k] ?? "斤", priceFen: 300 }),
          ),
        ),
      entries: fc.uniqueArray(
        fc.tuple(
          int(1, 60),
          nameArb,
          buildingArb,
          fc.uniqueArray(fc.tuple(int(0, names.length - 1), int(1, 20_000)), {
            minLength: 1,
            maxLength: names.length,
            selector: ([k]) => k,
          }),
        ),
        { minLength: 1, maxLength: 8, selector: ([no]) => no },
      ),
      chatter: fc.array(fc.tuple(int(0, 10), fc.constantFrom(...CHATTER)), { maxLength: 6 }),
      orders: fc.array(fc.tuple(int(0, 10), fc.constantFrom(...ORDERS_IN_CHAT)), { maxLength: 2 }),
      wrapped: fc.array(fc.boolean(), { maxLength: 8 }),
      repeated: fc.boolean(),
    }),
  );

describe("a chain text pasted with chatter between its messages", () => {
  it("gives back the same entries; orders said in the chat go to review on their own", () => {
    fc.assert(
      fc.property(pasteArb, ({ items, entries, chatter, orders, wrapped, repeated }) => {
        const list: TextEntry[] = entries.map(([no, name, building, lines]) => ({
          no,
          name,
          building,
          status: "active",
          lines: lines.map(([k, milli]) => ({ itemId: `i${k}`, qty: fromMilli(milli) })),
        }));
        const text = chainToText({ title: "明天的菜", items }, list).split("\n");
        const first = text.findIndex((line) => /^\d+\. /u.test(line));
        const entryLines = text.slice(first);
        if (repeated) entryLines.splice(2, 0, entryLines[0] ?? "");
        // A name on one line, the rest on the next; chatter comes only between messages.
        const body = entryLines.flatMap((line, k) => {
          const parts = /^(\d+\. \S+) (.*)$/u.exec(line);
          return wrapped[k] && parts ? [parts[1] ?? "", parts[2] ?? ""] : [line];
        });
        const insert = (at: number, line: string) => {
          const k = Math.min(at, body.length);
          if (k < body.length && !/^\d+\. /u.test(body[k] ?? "")) return false;
          body.splice(k, 0, line);
          return true;
        };
        for (const [at, line] of chatter) insert(at, line);
        const said = orders.filter(([at, line]) => insert(at, line)).map(([, line]) => line);
        const parsed = parseChainText([...text.slice(0, first), ...body].join("\n"), items);
        const expected = [...list]
          .sort((a, b) => a.no - b.no)
          .map((entry) => ({ no: entry.no, name: entry.name, building: entry.building }));
        expect(
          parsed.entries.map((entry) => ({
            no: entry.no,
            name: entry.name,
            building: entry.building,
          })),
        ).toEqual(expected);
        expect(parsed.entries.map((entry) => entry.lines.map((l) => [l.itemId, l.qty]))).toEqual(
          [...list].sort((a, b) => a.no - b.no).map((e) => e.lines.map((l) => [l.itemId, l.qty])),
        );
        expect(parsed.review.length).toBeLessThanOrEqual(said.length);
        for (const line of parsed.review) {
          expect(line.no).toBeUndefined();
          expect(said.some((order) => line.raw.includes(order))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("texts made of chain and chatter pieces", () => {
  const PIECES = [
    ...CHATTER,
    ...ORDERS_IN_CHAT,
    "1. 王 3-201 西红柿2斤",
    "2. 李 3-202",
    "3.",
    "黄瓜1斤",
    "西红柿",
    "不要了",
    "改成3斤",
    "#接龙",
    "@李大姐",
    "吗",
    "？",
    "12月1日",
    "20:05",
    "3元/斤",
    "\n",
    "\n",
    " ",
  ];
  const items: ChainItemRef[] = [...VEG, { name: "西红柿", unit: "个" }];

  it("never throw, and read only named entries with positive amounts", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (pieces) => {
        const parsed = parseChainText(pieces.join(""), items);
        for (const entry of parsed.entries) {
          expect(entry.name.trim().length).toBeGreaterThan(0);
          expect(entry.building.trim().length).toBeGreaterThan(0);
          for (const line of entry.lines) expect(line.qty).toBeGreaterThan(0);
        }
        for (const line of parsed.review) {
          expect(line.raw.length).toBeGreaterThan(0);
          expect(line.reason).not.toBe(UNEXPECTED);
        }
      }),
      { numRuns: 500 },
    );
  });
});

// Last in the file, when the reader has run enough to be compiled, as it is in use.
describe("long chatter lines", () => {
  it.each([
    ["spaces after a question particle", `吗${" ".repeat(50_000)}x`],
    ["question marks", `${"?".repeat(50_000)}x`],
    ["punctuation before items", `${"!".repeat(50_000)}x黄瓜1斤`],
    ["digits", "1".repeat(50_000)],
    ["numerals", "一".repeat(50_000)],
    ["spaces in a sender's line", `张三${" ".repeat(50_000)}20:05`],
  ])("are read in linear time: %s", (_what, line) => {
    const parsed = parseChainText(`1. 王 3-201 西红柿2斤\n${line}`, VEG);
    expect(parsed.entries.map((entry) => entry.name)).toEqual(["王"]);
  });
});
