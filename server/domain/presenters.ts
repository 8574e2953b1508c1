/**
 * The only place that turns stored records into client JSON. A resident's phone, pickup code and
 * device key never leave through a public presenter.
 */
import { shownStatus } from "../../shared/chain-status.js";
import { isoInZone } from "../../shared/dates.js";
import { fromMilli, isWeightUnit } from "../../shared/quantity.js";
import type {
  ChainEvent,
  ChainView,
  CommunityView,
  DropPointView,
  ItemStock,
  ItemView,
  LineView,
  OpenInviteView,
  OwnEntry,
  OwnWaiter,
  PublicEntry,
  SessionEntryView,
  StaffEntry,
  StaffMark,
  UserView,
  WaitlistQueue,
} from "../../shared/views.js";
import { sha256 } from "../crypto.js";
import type {
  ChainRecord,
  CommunityRecord,
  DropPointRecord,
  EntryRecord,
  ItemRecord,
  RawEvent,
  StaffMarkRecord,
  UserRecord,
  WaiterRecord,
  WaitlistRecord,
} from "../store/records.js";
import type { InviteRecord, SessionEntry } from "../store/sessions.js";

export function presentDropPoint(dp: DropPointRecord): DropPointView {
  return {
    id: dp.id,
    name: dp.name,
    description: dp.description,
    window: dp.window,
    active: dp.active,
  };
}

export function presentCommunity(c: CommunityRecord, dps: DropPointRecord[]): CommunityView {
  return {
    id: c.id,
    name: c.name,
    timezone: c.timezone,
    requirePhone4: c.requirePhone4,
    dropPoints: dps.map(presentDropPoint),
  };
}

/** `ownerId`: the community's owner (see domain/people.ts ownerOf). */
export function presentUser(u: UserRecord, ownerId: string | null): UserView {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    communityId: u.communityId,
    village: u.village,
    phone: u.phone,
    owner: u.id === ownerId,
    removed: u.removedAt !== undefined,
  };
}

/** A session as coordinators see it: its id is a hash of the token's hash, never the token. */
export function presentSession(
  e: SessionEntry,
  user: UserRecord | undefined,
  currentHash: string | null,
): SessionEntryView {
  return {
    id: sha256(`session:${e.tokenHash}`).slice(0, 16),
    userId: e.userId,
    userName: user?.name ?? "",
    role: user?.role ?? "grower",
    createdAt: e.createdAt,
    expiresAt: e.expiresAt,
    lastSeenAt: e.lastSeenAt,
    userAgent: e.userAgent,
    current: e.tokenHash === currentHash,
  };
}

export function presentOpenInvite(
  invite: InviteRecord,
  users: ReadonlyMap<string, UserRecord>,
): OpenInviteView {
  return {
    id: invite.id ?? "",
    role: invite.role,
    userId: invite.userId ?? null,
    userName: invite.userId ? (users.get(invite.userId)?.name ?? null) : null,
    createdBy: { id: invite.createdBy, name: users.get(invite.createdBy)?.name ?? "" },
    createdAt: invite.createdAt ?? null,
    expiresAt: invite.expiresAt,
  };
}

export function presentItemStock(
  itemId: string,
  soldMilli: number,
  capMilli: number | undefined,
): ItemStock {
  const capped = capMilli !== undefined && capMilli >= 0;
  return {
    itemId,
    sold: fromMilli(soldMilli),
    remaining: capped ? fromMilli(Math.max(0, capMilli - soldMilli)) : null,
    soldOut: capped && soldMilli >= capMilli,
  };
}

export function presentItem(item: ItemRecord, soldMilli: number): ItemView {
  const { sold, remaining, soldOut } = presentItemStock(item.id, soldMilli, item.stock);
  return {
    id: item.id,
    name: item.name,
    unit: item.unit,
    priceFen: item.price,
    step: fromMilli(item.step),
    stock: item.stock === undefined ? null : fromMilli(item.stock),
    limit: item.limit === undefined ? null : fromMilli(item.limit),
    sold,
    remaining,
    soldOut,
    weighed: isWeightUnit(item.unit),
  };
}

export interface ChainContext {
  community: CommunityRecord;
  dropPoints: DropPointRecord[];
  grower: UserRecord | null;
}

export function presentChain(chain: ChainRecord, cx: ChainContext, now = Date.now()): ChainView {
  const { meta } = chain;
  const shown = shownStatus(
    { status: meta.status, closedReason: meta.closedReason, cutoffAt: meta.cutoff },
    now,
  );
  const byId = new Map(cx.dropPoints.map((dp) => [dp.id, dp]));
  return {
    id: meta.id,
    communityId: meta.communityId,
    title: meta.title,
    note: meta.note,
    deliveryDate: meta.date,
    cutoffAt: meta.cutoff,
    cutoffIso: isoInZone(meta.cutoff, cx.community.timezone),
    timezone: cx.community.timezone,
    requirePhone4: cx.community.requirePhone4,
    status: shown.status,
    closedReason: shown.closedReason,
    grower: {
      id: meta.growerId,
      name: cx.grower?.name ?? "",
      village: cx.grower?.village ?? null,
      removed: cx.grower?.removedAt !== undefined,
    },
    dropPoints: meta.dps
      .map((id) => byId.get(id))
      .filter((dp): dp is DropPointRecord => !!dp)
      .map(presentDropPoint),
    items: chain.items.map((item) => presentItem(item, chain.totals.sold.get(item.id) ?? 0)),
    version: meta.version,
    createdAt: meta.createdAt,
  };
}

function presentLines(entry: EntryRecord): LineView[] {
  return entry.lines.map((l) => ({
    itemId: l.i,
    qty: fromMilli(l.q),
    actualQty: l.w === undefined ? null : fromMilli(l.w),
    priceFen: l.p,
    amountFen: l.a,
  }));
}

export function presentPublicEntry(e: EntryRecord): PublicEntry {
  return {
    no: e.no,
    name: e.name,
    building: e.bld,
    dropPointId: e.dp,
    lines: presentLines(e),
    amountFen: e.amt,
    status: e.st,
    byStaff: !!(e.by || e.cby),
    createdAt: e.at,
    updatedAt: e.up,
    version: e.v ?? 0,
    fromWaitlist: e.wl !== undefined,
    waiterId: e.wl ?? null,
  };
}

export function presentOwnEntry(chainId: string, e: EntryRecord): OwnEntry {
  return { ...presentPublicEntry(e), chainId, pickupCode: e.code, phone: e.phone ?? null };
}

const mark = (m: StaffMarkRecord | undefined): StaffMark | null =>
  m ? { userId: m.id, name: m.name, at: m.at } : null;

export function presentStaffEntry(chainId: string, e: EntryRecord): StaffEntry {
  return {
    ...presentOwnEntry(chainId, e),
    addedBy: mark(e.by),
    changedBy: mark(e.cby),
    imported: e.src === "import",
    late: e.late === true,
    checks: { collected: mark(e.chk?.c), paid: mark(e.chk?.p), noShow: mark(e.chk?.ns) },
    weighedBy: mark(e.wby),
  };
}

/**
 * A raw entry event as every viewer sees it. Chain events (created, updated) need the chain's
 * current view, which the caller reads and passes in.
 */
export function presentEvent(raw: RawEvent, chainView?: ChainView): ChainEvent | null {
  if (raw.t === "chain:created" || raw.t === "chain:updated") {
    return chainView
      ? { type: "chain:updated", chainId: raw.c, version: raw.v, chain: chainView }
      : null;
  }
  if (raw.t === "waitlist:changed") {
    return {
      type: "waitlist:changed",
      chainId: raw.c,
      version: raw.v,
      queues: (raw.wl ?? []).map(([itemId, queue]) => presentQueue(itemId, queue)),
    };
  }
  if (!raw.e) return null;
  return {
    type: raw.t as "entry:created" | "entry:updated" | "entry:cancelled",
    chainId: raw.c,
    version: raw.v,
    entry: presentPublicEntry(raw.e),
    items: (raw.s ?? []).map(([id, sold, cap]) => presentItemStock(id, sold, cap)),
    status: raw.st ?? "open",
    closedReason: raw.cr ?? null,
  };
}

// ---- the waitlist -----------------------------------------------------------------------------

/** An item's queue as the scripts send it ([[waiterId, qty]...]; Lua sends an empty one as {}). */
function presentQueue(
  itemId: string,
  queue: [number, number][] | Record<string, never>,
): WaitlistQueue {
  const rows = Array.isArray(queue) ? queue : [];
  return { itemId, waiting: rows.map(([id, q]) => ({ id, qty: fromMilli(q) })) };
}

/** Every non-empty queue of a chain, in item order. */
export function presentWaitlist(wl: WaitlistRecord): WaitlistQueue[] {
  return [...wl.queues.entries()]
    .filter(([, ids]) => ids.length > 0)
    .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
    .map(([itemId, ids]) =>
      presentQueue(
        itemId,
        ids.map((id): [number, number] => [id, wl.waiters.get(id)?.q ?? 0]),
      ),
    );
}

const WAITER_STATUS = { w: "waiting", p: "promoted", l: "left" } as const;

/** A waiter as the resident who made it sees it (never the device hash). */
export function presentOwnWaiter(chainId: string, w: WaiterRecord): OwnWaiter {
  return {
    id: w.id,
    chainId,
    itemId: w.i,
    qty: fromMilli(w.q),
    dropPointId: w.dp,
    name: w.n,
    building: w.b,
    status: WAITER_STATUS[w.st],
    entryNo: w.no ?? null,
    createdAt: w.at,
  };
}
