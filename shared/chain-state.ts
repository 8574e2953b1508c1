/**
 * A chain as one viewer holds it, and how events move it forward: the one reducer every page
 * that follows a chain uses (client/src/live/chain-watch.ts). Versions make it exact: an event
 * one past ours applies, older ones are ignored, and a jump means we missed something (GAP: ask
 * again with chain:watch {sinceVersion}).
 */
import type {
  ChainEvent,
  ChainSnapshot,
  ChainView,
  EntryPage,
  OwnEntry,
  OwnWaiter,
  PublicEntry,
  WaitlistQueue,
} from "./views.js";

export interface ChainState {
  chain: ChainView;
  /** Sorted by chain number: every entry numbered `from` or above (older ones by page). */
  entries: PublicEntry[];
  from: number;
  /** Entries not cancelled, in the whole chain. */
  activeEntries: number;
  mine: OwnEntry[];
  /** Who waits for each sold-out item, in order (only items somebody waits for). */
  waitlist: WaitlistQueue[];
  /** This device's waitlisted requests. */
  myWaits: OwnWaiter[];
  version: number;
}

export const GAP = "gap" as const;

export function fromSnapshot(s: ChainSnapshot): ChainState {
  return {
    chain: s.chain,
    entries: s.entries,
    from: s.entriesFrom,
    activeEntries: s.activeEntries,
    mine: s.mine,
    waitlist: s.waitlist,
    myWaits: s.myWaits,
    version: s.version,
  };
}

/** A page of older entries joins the list below what it holds. */
export function addOlder(state: ChainState, page: EntryPage): ChainState {
  if (page.from >= state.from) return state;
  const older = page.entries.filter((e) => e.no < state.from);
  return { ...state, entries: [...older, ...state.entries], from: page.from };
}

function upsert<T extends { no: number }>(list: T[], item: T): T[] {
  const i = list.findIndex((e) => e.no === item.no);
  if (i < 0) return [...list, item].sort((a, b) => a.no - b.no);
  const next = list.slice();
  next[i] = item;
  return next;
}

export function applyEvent(state: ChainState, e: ChainEvent): ChainState | typeof GAP {
  if (e.version <= state.version) return state;
  if (e.version > state.version + 1) return GAP;
  if (e.type === "chain:updated") return { ...state, chain: e.chain, version: e.version };
  if (e.type === "waitlist:changed") {
    const changed = new Set(e.queues.map((q) => q.itemId));
    const waitlist = [
      ...state.waitlist.filter((q) => !changed.has(q.itemId)),
      ...e.queues.filter((q) => q.waiting.length > 0),
    ].sort((a, b) => Number(a.itemId.slice(1)) - Number(b.itemId.slice(1)));
    return { ...state, waitlist, version: e.version };
  }
  const stock = new Map(e.items.map((s) => [s.itemId, s]));
  const chain: ChainView = {
    ...state.chain,
    status: e.status,
    closedReason: e.closedReason,
    version: e.version,
    items: state.chain.items.map((item) => {
      const s = stock.get(item.id);
      return s ? { ...item, sold: s.sold, remaining: s.remaining, soldOut: s.soldOut } : item;
    }),
  };
  const own = state.mine.find((m) => m.no === e.entry.no);
  const change = e.type === "entry:created" ? 1 : e.type === "entry:cancelled" ? -1 : 0;
  return {
    ...state,
    chain,
    // Entries older than the list holds stay out of it: it shows no gaps.
    entries: e.entry.no >= state.from ? upsert(state.entries, e.entry) : state.entries,
    activeEntries: state.activeEntries + change,
    mine: own ? upsert(state.mine, { ...own, ...e.entry }) : state.mine,
    myWaits: promoted(state.myWaits, e.entry),
    version: e.version,
  };
}

/** An entry the waitlist made of one of my requests: that request is promoted (候补转正). */
function promoted(myWaits: OwnWaiter[], entry: PublicEntry): OwnWaiter[] {
  if (entry.waiterId === null || entry.waiterId === undefined) return myWaits;
  const i = myWaits.findIndex((w) => w.id === entry.waiterId);
  const w = myWaits[i];
  if (!w || w.status === "promoted") return myWaits;
  const next = myWaits.slice();
  next[i] = { ...w, status: "promoted", entryNo: entry.no };
  return next;
}

/**
 * How much of an item the device's active entries hold (the per-person limit counts it), leaving
 * out one entry (the one being changed), to the thousandth.
 */
export function heldOf(mine: readonly OwnEntry[], itemId: string, exceptNo?: number): number {
  let held = 0;
  for (const e of mine) {
    if (e.status !== "active" || e.no === exceptNo) continue;
    for (const l of e.lines) if (l.itemId === itemId) held += l.qty;
  }
  return Math.round(held * 1000) / 1000;
}

/** My place in line for a waiter (from 1), or 0 when it is not waiting. */
export function placeInLine(state: ChainState, waiter: OwnWaiter): number {
  if (waiter.status !== "waiting") return 0;
  const q = state.waitlist.find((x) => x.itemId === waiter.itemId);
  return (q?.waiting.findIndex((w) => w.id === waiter.id) ?? -1) + 1;
}

/** Units wanted on the waitlist for an item, and by how many requests. */
export function waitingFor(state: ChainState, itemId: string): { requests: number; qty: number } {
  const q = state.waitlist.find((x) => x.itemId === itemId);
  return {
    requests: q?.waiting.length ?? 0,
    qty: q?.waiting.reduce((s, w) => s + w.qty, 0) ?? 0,
  };
}

/** My waitlisted request as an ack (or waitlist:mine) returned it: newer than what we hold. */
export function putMyWaiter(state: ChainState, waiter: OwnWaiter): ChainState {
  const i = state.myWaits.findIndex((w) => w.id === waiter.id);
  const held = state.myWaits[i];
  // A promotion seen in an event is never undone by an older answer.
  if (held?.status === "promoted" && waiter.status !== "promoted") return state;
  const myWaits = i < 0 ? [...state.myWaits, waiter] : state.myWaits.slice();
  if (i >= 0) myWaits[i] = waiter;
  return { ...state, myWaits };
}

/** A frame of events (chain:events, or a watch's catch-up): all of them, in order, or GAP. */
export function applyEvents(state: ChainState, events: ChainEvent[]): ChainState | typeof GAP {
  let s = state;
  for (const e of events) {
    const next = applyEvent(s, e);
    if (next === GAP) return GAP;
    s = next;
  }
  return s;
}

/** My entry came back in an ack: remember it as mine (with its pickup code). */
export function addMine(state: ChainState, entry: OwnEntry): ChainState {
  return { ...state, mine: upsert(state.mine, entry) };
}
