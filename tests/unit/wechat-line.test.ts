import { describe, expect, it } from "vitest";
import { wechatEntryLine } from "../../client/src/resident/wechat-line.js";
import { entryLine } from "../../shared/wechat/chain-text.js";

const items = [
  { id: "i1", name: "西红柿", unit: "斤", priceFen: 350 },
  { id: "i2", name: "土豆", unit: "3斤", priceFen: 1000 },
  { id: "i3", name: "鸡蛋30", unit: "盒", priceFen: 2500 },
];

describe("the resident's own WeChat line", () => {
  it("is the chain text's entry line, for plain and for tricky names", () => {
    const entries = [
      { name: "张阿姨", building: "3-201", lines: [{ itemId: "i1", qty: 2 }] },
      {
        name: "李叔",
        building: "5-101",
        lines: [
          { itemId: "i1", qty: 1.5 },
          { itemId: "i2", qty: 1 },
        ],
      },
      { name: "13. 假订单", building: "5-501", lines: [{ itemId: "i3", qty: 1 }] },
      { name: "王 奶奶\u200b", building: "3.5", lines: [{ itemId: "i1", qty: 0.5 }] },
      { name: "赵", building: "2-1、", lines: [{ itemId: "i9", qty: 1 }] },
    ];
    for (const [i, e] of entries.entries()) {
      const entry = { no: i + 12, status: "active" as const, ...e };
      expect(wechatEntryLine(entry, items)).toBe(entryLine(entry, items));
    }
    expect(
      wechatEntryLine(
        { no: 12, name: "张阿姨", building: "3-201", lines: [{ itemId: "i1", qty: 2 }] },
        items,
      ),
    ).toBe("12. 张阿姨 3-201 西红柿2斤");
  });
});
