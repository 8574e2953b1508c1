/** The shapes stored in Redis. Only presenters turn these into what clients see. */
import type { ChainStatus, PickupWindow, Role } from "../../shared/schemas.js";
import type { ClosedReason } from "../../shared/views.js";

export interface CommunityRecord {
  id: string;
  name: string;
  timezone: string;
  /** Stored as "1": residents must give a phone's last 4 digits; limits count by them too. */
  requirePhone4: boolean;
  createdAt: number;
}

export interface DropPointRecord {
  id: string;
  name: string;
  description: string;
  window: PickupWindow;
  active: boolean;
}

export interface UserRecord {
  id: string;
  communityId: string;
  role: Role;
  name: string;
  village: string | null;
  phone: string | null;
  createdAt: number;
  /** The coordinator who set the community up: the only one who manages coordinators. */
  owner?: true;
  /** Removed by a coordinator: can't sign in, their chains stay. */
  removedAt?: number;
}

/** Quantities in thousandths, prices in fen. */
export interface ItemRecord {
  id: string;
  name: string;
  unit: string;
  price: number;
  step: number;
  stock?: number;
  limit?: number;
}

export interface ChainMeta {
  id: string;
  communityId: string;
  growerId: string;
  title: string;
  note: string;
  date: string;
  cutoff: number;
  dps: string[];
  status: ChainStatus;
  closedReason: ClosedReason | null;
  seq: number;
  version: number;
  createdAt: number;
}

export interface ChainRecord {
  meta: ChainMeta;
  items: ItemRecord[];
  /** Active totals: sold and amount per item, entries and amount overall. */
  totals: { n: number; amt: number; sold: Map<string, number>; amount: Map<string, number> };
}

export interface StaffMarkRecord {
  id: string;
  name: string;
  at: number;
}

export interface LineRecord {
  i: string;
  /** ordered, thousandths */
  q: number;
  p: number;
  /** amount due: price × (actual weight if recorded, else ordered), rounded half up */
  a: number;
  /** actual weight recorded at packing or hand-out, thousandths */
  w?: number;
}

export interface EntryRecord {
  no: number;
  name: string;
  bld: string;
  phone?: string;
  dp: string;
  lines: LineRecord[];
  amt: number;
  st: "active" | "cancelled";
  code: string;
  /** sha256 of the owner's device key; absent for entries a coordinator added. */
  dh?: string;
  at: number;
  up: number;
  /** The chain's version at this entry's last change (absent on entries stored before it was kept). */
  v?: number;
  by?: StaffMarkRecord;
  cby?: StaffMarkRecord;
  /** "import": made from WeChat text by a coordinator. */
  src?: "import";
  /** Written by staff after the cutoff. */
  late?: boolean;
  /** Drop-point check-off: collected, paid, no-show. */
  chk?: { c?: StaffMarkRecord; p?: StaffMarkRecord; ns?: StaffMarkRecord };
  /** Who last recorded weights. */
  wby?: StaffMarkRecord;
  /** Made by the waitlist (候补转正): the waiter id the request had. */
  wl?: number;
}

/** A waitlisted request, as lib.lua keeps it in the chain's `wait` hash (w:<id>). */
export interface WaiterRecord {
  id: number;
  /** The request id of the waitlist:join that made it. */
  r: string;
  /** Item and quantity (thousandths). */
  i: string;
  q: number;
  dp: string;
  n: string;
  b: string;
  ph?: string;
  dh: string;
  at: number;
  up?: number;
  /** waiting, promoted (became entry `no`), left */
  st: "w" | "p" | "l";
  no?: number;
}

/** A chain's waitlist as read back: queues per item (waiter ids in order) and every waiter. */
export interface WaitlistRecord {
  queues: Map<string, number[]>;
  waiters: Map<number, WaiterRecord>;
}

/** What the waitlist scripts answer: the waiter, its place (0: not waiting), the entry it became. */
export interface WaiterReply {
  v: number;
  w: WaiterRecord;
  pos: number;
  e?: EntryRecord;
}

/** Who on the staff wrote, as the scripts stamp it. */
export interface StaffActor {
  id: string;
  name: string;
}

/** [itemId, quantity in thousandths] */
export type LineInput = [string, number];

/** What each entry script takes (store/scripts/*.lua, `input` in their header). */
export interface EntryScriptInputs {
  join: {
    dp: string;
    name: string;
    bld: string;
    phone?: string;
    lines: LineInput[];
    /** The resident's device hash; absent when staff write. */
    dh?: string;
    by?: StaffActor;
    src?: "import";
  };
  update: {
    no: number;
    dp?: string;
    name?: string;
    bld?: string;
    /** false removes the phone. */
    phone?: string | false;
    lines?: LineInput[];
    dh?: string;
    by?: StaffActor;
  };
  cancel: { no: number; dh?: string; by?: StaffActor };
  mark: { no: number; mark: "collected" | "paid" | "noShow"; on: boolean; by: StaffActor };
  /** Actual weight in thousandths, or -1 to clear it. */
  weigh: { no: number; lines: LineInput[]; by: StaffActor };
}

/**
 * A (date, drop point)'s totals over its active entries, as the scripts keep them (one hash:
 * n, amt, n:<chain>, amt:<chain>, q:<chain>:<item>, a:<chain>:<item>; store/chains.ts reads it).
 */
export interface DayTotalsRecord {
  entries: number;
  amountFen: number;
  /** Per chain delivering there that day; items with a zero quantity are left out. */
  chains: Map<string, DayChainTotals>;
}

export interface DayChainTotals {
  entries: number;
  amountFen: number;
  /** itemId → ordered quantity (thousandths) and amount due (fen). */
  items: Map<string, { qtyMilli: number; amountFen: number }>;
}

/** What the scripts append to a chain's stream and publish. */
export interface RawEvent {
  t:
    | "chain:created"
    | "chain:updated"
    | "entry:created"
    | "entry:updated"
    | "entry:cancelled"
    | "waitlist:changed";
  v: number;
  c: string;
  d: string;
  /** The entry (published events carry it whole). */
  e?: EntryRecord;
  /** The entry's number (the event log keeps only that; the entry is read back on replay). */
  n?: number;
  /** [itemId, sold, cap or -1] for the touched items */
  s?: [string, number, number][];
  st?: ChainStatus;
  cr?: ClosedReason;
  pdp?: string;
  /** waitlist:changed: [itemId, [[waiterId, qty]...]] per item whose queue changed (an empty
   * queue may arrive as {}, Lua's empty table). */
  wl?: [string, [number, number][] | Record<string, never>][];
}

/** Published on the sessions channel when a session signs out. */
export interface SessionEnded {
  t: "session:ended";
  /** sha256 of the session token */
  h: string;
}

/** An entry as stored (lib.lua pack_entry): short keys, lines as arrays. */
export interface PackedEntry {
  no: number;
  n: string;
  b: string;
  ph?: string;
  c: string;
  dp: string;
  l: [string, number, number, number, number?][];
  amt: number;
  dh?: string;
  at: number;
  up?: number;
  st?: "cancelled";
  v?: number;
  by?: StaffMarkRecord;
  cby?: StaffMarkRecord;
  src?: "import";
  late?: boolean;
  chk?: EntryRecord["chk"];
  wby?: StaffMarkRecord;
  wl?: number;
}

/** The one reader of a chain's `wait` hash (lib.lua, the waitlist). */
export function parseWaitlist(hash: Record<string, string>): WaitlistRecord {
  const queues = new Map<string, number[]>();
  const waiters = new Map<number, WaiterRecord>();
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith("q:")) {
      queues.set(field.slice(2), value.split(" ").filter(Boolean).map(Number));
    } else if (field.startsWith("w:")) {
      const w = JSON.parse(value) as WaiterRecord;
      waiters.set(w.id, w);
    }
  }
  return { queues, waiters };
}

/** The one reader of a stored entry (the entries hash, published events). */
export function parseEntry(json: string): EntryRecord {
  return expandEntry(JSON.parse(json) as PackedEntry);
}

export function expandEntry(p: PackedEntry): EntryRecord {
  const e: EntryRecord = {
    no: p.no,
    name: p.n,
    bld: p.b,
    dp: p.dp,
    lines: p.l.map(([i, q, price, a, w]) =>
      w === undefined ? { i, q, p: price, a } : { i, q, p: price, a, w },
    ),
    amt: p.amt,
    st: p.st ?? "active",
    code: p.c,
    at: p.at,
    up: p.up ?? p.at,
  };
  if (p.ph !== undefined) e.phone = p.ph;
  if (p.dh !== undefined) e.dh = p.dh;
  if (p.v !== undefined) e.v = p.v;
  if (p.by) e.by = p.by;
  if (p.cby) e.cby = p.cby;
  if (p.src) e.src = p.src;
  if (p.late) e.late = p.late;
  if (p.chk) e.chk = p.chk;
  if (p.wby) e.wby = p.wby;
  if (p.wl !== undefined) e.wl = p.wl;
  return e;
}
