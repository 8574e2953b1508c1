import { describe, expect, it } from "vitest";
import { findResidents, mergeEntry, type Resident } from "../../client/src/checkoff/lib.js";
import type { StaffEntry } from "../../shared/views.js";

// Only the fields the search reads; the rest of a StaffEntry does not take part.
const entry = (no: number, pickupCode: string, phone: string | null) =>
  ({ chainId: "c1", no, pickupCode, phone }) as unknown as StaffEntry;

const resident = (name: string, building: string, e: StaffEntry): Resident<StaffEntry> => ({
  key: `${building}/${name}`,
  name,
  building,
  phone: e.phone,
  entries: [e],
  amountFen: 0,
});

// 赵大爷's pickup code starts with 3201, the digits of 张阿姨's building 3-201.
const residents = [
  resident("张阿姨", "3-201", entry(1, "5512", "13800005678")),
  resident("赵大爷", "12-301", entry(2, "3201", null)),
  resident("李叔", "7-502", entry(3, "1042", "139 0000 1111")),
];
const names = (q: string) => findResidents(residents, q).map((f) => f.resident.name);

describe("finding a resident at the drop point", () => {
  it("reads a query with a dash as a building, never as a pickup code", () => {
    expect(names("3-201")).toEqual(["张阿姨"]);
    expect(names("３-２０１")).toEqual(["张阿姨"]);
  });

  it("reads bare digits as a pickup code (exact codes first), a building or a phone's last digits", () => {
    expect(names("3201")).toEqual(["赵大爷", "张阿姨"]);
    expect(findResidents(residents, "3201")[0]?.match.exactCode).toBe(true);
    expect(names("1111")).toEqual(["李叔"]);
    expect(names("1042")).toEqual(["李叔"]);
    expect(names("5678")).toEqual(["张阿姨"]);
  });

  it("finds by name and by #number, and nothing for a stranger", () => {
    expect(names("赵")).toEqual(["赵大爷"]);
    expect(names("#3")).toEqual(["李叔"]);
    expect(names("没有这个人")).toEqual([]);
  });
});

describe("merging live changes into the check-off list", () => {
  // Two changes in the same millisecond: only the version tells which is newer.
  const copy = (version: number, collected: boolean) =>
    ({
      chainId: "c1",
      no: 1,
      status: "active",
      updatedAt: 1000,
      version,
      checks: {
        collected: collected ? { name: "小赵", at: 1000 } : null,
        paid: null,
        noShow: null,
      },
    }) as unknown as StaffEntry;

  it("keeps the newer copy whichever arrives last, ack or event", () => {
    const ticked = copy(5, true);
    const undone = copy(6, false);
    expect(mergeEntry(mergeEntry([], ticked, "upsert"), undone, "upsert")).toEqual([undone]);
    expect(mergeEntry(mergeEntry([], undone, "upsert"), ticked, "upsert")).toEqual([undone]);
    expect(mergeEntry([undone], copy(4, true), "remove")).toEqual([undone]);
    expect(mergeEntry([undone], copy(7, false), "remove")).toEqual([]);
  });
});
