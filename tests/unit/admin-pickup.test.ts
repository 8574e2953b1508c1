import { describe, expect, it } from "vitest";
import { applyPickupChange } from "../../client/src/admin/pickup.js";
import { addDays, dateInZone } from "../../client/src/admin/util.js";
import type { ChainView, PickupChange, PickupEntry, PickupList } from "../../shared/views.js";

const DP = {
  id: "dpeast01",
  name: "3号楼东门",
  description: "",
  window: { start: "07:30", end: "09:00" },
  active: true,
};

function list(): PickupList {
  return {
    communityId: "comm0001",
    date: "2026-11-29",
    dropPoint: DP,
    residents: [],
    items: [],
    totals: { entries: 0, residents: 0, amountFen: 0 },
    checkOff: { collected: 0, waiting: 0, noShow: 0, paidFen: 0, unpaidFen: 0 },
  };
}

function entry(no: number, over: Partial<PickupEntry> = {}): PickupEntry {
  return {
    no,
    name: "张阿姨",
    building: "9-301",
    dropPointId: DP.id,
    lines: [{ itemId: "i1", qty: 1.5, actualQty: null, priceFen: 350, amountFen: 525 }],
    amountFen: 525,
    status: "active",
    byStaff: false,
    createdAt: 1,
    updatedAt: 1,
    version: 1,
    fromWaitlist: false,
    waiterId: null,
    chainId: "comm0001-chain001",
    pickupCode: "1235",
    phone: null,
    addedBy: null,
    changedBy: null,
    imported: false,
    late: false,
    checks: { collected: null, paid: null, noShow: null },
    weighedBy: null,
    chainTitle: "河西村新鲜蔬菜",
    growerName: "李大姐",
    ...over,
  };
}

const noChecks = { collected: null, paid: null, noShow: null };

const change = (e: PickupEntry, kind: PickupChange["change"] = "upsert"): PickupChange => ({
  date: "2026-11-29",
  dropPointId: DP.id,
  change: kind,
  entry: e,
});

const chains = [
  {
    id: "comm0001-chain001",
    items: [
      { id: "i1", name: "西红柿", unit: "斤" },
      { id: "i2", name: "黄瓜", unit: "斤" },
    ],
  },
] as unknown as ChainView[];

describe("a live pickup list on the coordinator page", () => {
  it("groups entries by resident, sorted by building, with item and grand totals", () => {
    let l = applyPickupChange(list(), change(entry(1)), chains);
    l = applyPickupChange(
      l,
      change(entry(2, { name: "李叔", building: "3-102", phone: "13800001234" })),
      chains,
    );
    l = applyPickupChange(
      l,
      change(
        entry(3, {
          phone: "13900002222",
          lines: [{ itemId: "i2", qty: 2, actualQty: null, priceFen: 200, amountFen: 400 }],
          amountFen: 400,
        }),
      ),
      chains,
    );
    expect(l.residents.map((r) => [r.building, r.name, r.amountFen, r.phone])).toEqual([
      ["3-102", "李叔", 525, "13800001234"],
      ["9-301", "张阿姨", 925, "13900002222"],
    ]);
    expect(l.residents[1]?.entries.map((e) => e.no)).toEqual([1, 3]);
    expect(l.items.map((i) => [i.name, i.qty, i.unit, i.amountFen])).toEqual([
      ["西红柿", 3, "斤", 1050],
      ["黄瓜", 2, "斤", 400],
    ]);
    expect(l.totals).toEqual({ entries: 3, residents: 2, amountFen: 1450 });
  });

  it("replaces a changed entry, and drops a cancelled or moved one with its empty group", () => {
    let l = applyPickupChange(list(), change(entry(1)), chains);
    l = applyPickupChange(l, change(entry(2, { name: "李叔", building: "3-102" })), chains);
    l = applyPickupChange(
      l,
      change(
        entry(1, {
          lines: [{ itemId: "i1", qty: 2, actualQty: null, priceFen: 350, amountFen: 700 }],
          amountFen: 700,
        }),
      ),
      chains,
    );
    expect(l.totals).toEqual({ entries: 2, residents: 2, amountFen: 1225 });
    l = applyPickupChange(
      l,
      change(entry(2, { name: "李叔", building: "3-102", status: "cancelled" })),
      chains,
    );
    expect(l.residents.map((r) => r.name)).toEqual(["张阿姨"]);
    l = applyPickupChange(l, change(entry(1, { dropPointId: "dpwest01" }), "remove"), chains);
    expect(l.residents).toEqual([]);
    expect(l.items).toEqual([]);
    expect(l.totals).toEqual({ entries: 0, residents: 0, amountFen: 0 });
  });

  it("keeps the newer copy when an older change arrives after it (a re-read list, then a late event)", () => {
    const paid = { userId: "u1", name: "王主任", at: 5 };
    let l = applyPickupChange(list(), change(entry(1, { version: 7 })), chains);
    l = applyPickupChange(
      l,
      change(entry(1, { version: 9, checks: { ...noChecks, paid } })),
      chains,
    );
    const before = l;
    expect(applyPickupChange(l, change(entry(1, { version: 8 })), chains)).toBe(before);
    expect(applyPickupChange(l, change(entry(1, { version: 8 }), "remove"), chains)).toBe(before);
    expect(l.residents[0]?.entries[0]?.checks.paid).toEqual(paid);
    l = applyPickupChange(l, change(entry(1, { version: 10, amountFen: 700 })), chains);
    expect(l.totals.amountFen).toBe(700);
  });

  it("ignores changes of another drop point or day", () => {
    const l = list();
    expect(applyPickupChange(l, { ...change(entry(1)), dropPointId: "dpwest01" })).toBe(l);
    expect(applyPickupChange(l, { ...change(entry(1)), date: "2026-11-30" })).toBe(l);
  });

  it("knows today and tomorrow in the community's time zone", () => {
    const at = Date.parse("2026-11-28T16:30:00Z"); // 00:30 on the 29th in Shanghai
    expect(dateInZone("Asia/Shanghai", at)).toBe("2026-11-29");
    expect(dateInZone("Europe/London", at)).toBe("2026-11-28");
    expect(addDays("2026-11-30", 1)).toBe("2026-12-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});
