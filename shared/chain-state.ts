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
  PublicEntry,
} from "./views.js";

export interface ChainState {
  chain: ChainView;
  /** Sorted by chain number: every entry numbered `from` or above (older ones by page). */
  entries: PublicEntry[];
  from: number;
  /** Entries not cancelled, in the whole chain. */
  activeEntries: number;
  mine: OwnEntry[];
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
    version: e.version,
  };
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
