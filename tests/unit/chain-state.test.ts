import { describe, expect, it } from "vitest";
import {
  addOlder,
  applyEvent,
  type ChainState,
  fromSnapshot,
  GAP,
} from "../../shared/chain-state.js";
import type { ChainView, EntryEvent, PublicEntry } from "../../shared/views.js";

const chain = {
  id: "c1",
  items: [],
  status: "open",
  closedReason: null,
  version: 10,
} as unknown as ChainView;

const entry = (no: number, status: "active" | "cancelled" = "active"): PublicEntry => ({
  no,
  name: `住户${no}`,
  building: "1-101",
  dropPointId: "dp1",
  lines: [],
  amountFen: 100,
  status,
  byStaff: false,
  createdAt: 0,
  updatedAt: 0,
  version: no,
  fromWaitlist: false,
  waiterId: null,
});

const event = (type: EntryEvent["type"], e: PublicEntry, version: number): EntryEvent =>
  ({
    type,
    chainId: "c1",
    version,
    entry: e,
    items: [],
    status: "open",
    closedReason: null,
  }) as EntryEvent;

/** A chain of 30 entries whose snapshot holds the latest 10 (21–30). */
const paged = (): ChainState =>
  fromSnapshot({
    chain,
    entries: Array.from({ length: 10 }, (_, i) => entry(21 + i)),
    entriesFrom: 21,
    activeEntries: 30,
    mine: [],
    waitlist: [],
    myWaits: [],
    version: 10,
  });

describe("a chain held page by page", () => {
  it("a new entry joins the list and the count", () => {
    const next = applyEvent(paged(), event("entry:created", entry(31), 11));
    if (next === GAP) throw new Error("gap");
    expect(next.entries.at(-1)?.no).toBe(31);
    expect(next.activeEntries).toBe(31);
  });

  it("a change to an entry older than the list holds changes the count, not the list", () => {
    const next = applyEvent(paged(), event("entry:cancelled", entry(3, "cancelled"), 11));
    if (next === GAP) throw new Error("gap");
    expect(next.entries.map((e) => e.no)).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
    expect(next.activeEntries).toBe(29);
    expect(next.version).toBe(11);
  });

  it("an older page goes below the list, once, and moves where it holds from", () => {
    const page = {
      chainId: "c1",
      entries: Array.from({ length: 10 }, (_, i) => entry(11 + i)),
      from: 11,
    };
    const next = addOlder(paged(), page);
    expect(next.from).toBe(11);
    expect(next.entries.map((e) => e.no)).toEqual(Array.from({ length: 20 }, (_, i) => 11 + i));
    // The same page again (a double tap) adds nothing.
    expect(addOlder(next, page)).toBe(next);
  });

  it("a version jump is a gap, as before", () => {
    expect(applyEvent(paged(), event("entry:created", entry(31), 12))).toBe(GAP);
  });
});
