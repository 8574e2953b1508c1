import { describe, expect, it } from "vitest";
import {
  addOlder,
  applyEvent,
  type ChainState,
  fromSnapshot,
  GAP,
  placeInLine,
  putMyWaiter,
  waitingFor,
} from "../../shared/chain-state.js";
import type {
  ChainView,
  EntryEvent,
  OwnWaiter,
  PublicEntry,
  WaitlistChangedEvent,
} from "../../shared/views.js";

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

describe("the waitlist in the reducer", () => {
  const waiter = (id: number, itemId = "i1"): OwnWaiter => ({
    id,
    chainId: "c1",
    itemId,
    qty: 1,
    dropPointId: "dp1",
    name: "王阿姨",
    building: "2-301",
    status: "waiting",
    entryNo: null,
    createdAt: 0,
  });
  const changed = (
    version: number,
    queues: WaitlistChangedEvent["queues"],
  ): WaitlistChangedEvent => ({
    type: "waitlist:changed",
    chainId: "c1",
    version,
    queues,
  });
  const waiting = (): ChainState => ({
    ...paged(),
    waitlist: [
      {
        itemId: "i1",
        waiting: [
          { id: 4, qty: 2 },
          { id: 7, qty: 1 },
        ],
      },
      { itemId: "i2", waiting: [{ id: 5, qty: 1 }] },
    ],
    myWaits: [waiter(7)],
  });

  it("a waitlist:changed replaces the queues it names, drops empty ones and keeps the others", () => {
    const next = applyEvent(
      waiting(),
      changed(11, [{ itemId: "i1", waiting: [{ id: 7, qty: 1 }] }]),
    );
    if (next === GAP) throw new Error("gap");
    expect(next.waitlist.map((q) => [q.itemId, q.waiting.map((w) => w.id)])).toEqual([
      ["i1", [7]],
      ["i2", [5]],
    ]);
    expect(next.version).toBe(11);
    const [mine] = next.myWaits;
    if (!mine) throw new Error("fixture");
    expect(placeInLine(next, mine)).toBe(1);
    expect(placeInLine(waiting(), mine)).toBe(2);
    expect(waitingFor(waiting(), "i1")).toEqual({ requests: 2, qty: 3 });
    const emptied = applyEvent(next, changed(12, [{ itemId: "i2", waiting: [] }]));
    if (emptied === GAP) throw new Error("gap");
    expect(emptied.waitlist.map((q) => q.itemId)).toEqual(["i1"]);
    expect(waitingFor(emptied, "i2")).toEqual({ requests: 0, qty: 0 });
  });

  it("an entry the waitlist made of my request marks it promoted, with its number", () => {
    const made = { ...entry(31), fromWaitlist: true, waiterId: 7 };
    const next = applyEvent(waiting(), event("entry:created", made, 11));
    if (next === GAP) throw new Error("gap");
    expect(next.myWaits).toMatchObject([{ id: 7, status: "promoted", entryNo: 31 }]);
    expect(placeInLine(next, next.myWaits[0] as OwnWaiter)).toBe(0);
    // Someone else's promotion leaves mine waiting.
    const other = applyEvent(waiting(), event("entry:created", { ...made, waiterId: 4 }, 11));
    if (other === GAP) throw new Error("gap");
    expect(other.myWaits[0]?.status).toBe("waiting");
    // An older answer (an ack sent before) does not undo the promotion.
    expect(putMyWaiter(next, waiter(7))).toBe(next);
    expect(putMyWaiter(waiting(), waiter(9)).myWaits.map((w) => w.id)).toEqual([7, 9]);
  });

  it("a waitlist event past a gap is a gap", () => {
    expect(applyEvent(waiting(), changed(12, []))).toBe(GAP);
    expect(applyEvent(waiting(), changed(10, []))).toEqual(waiting());
  });
});
