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
  OwnEntry,
  PublicEntry,
  StaffEntry,
  StaffMark,
  UserView,
} from "../../shared/views.js";
import type {
  ChainRecord,
  CommunityRecord,
  DropPointRecord,
  EntryRecord,
  ItemRecord,
  RawEvent,
  StaffMarkRecord,
  UserRecord,
} from "../store/records.js";

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

export function presentUser(u: UserRecord): UserView {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    communityId: u.communityId,
    village: u.village,
    phone: u.phone,
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
  if (!raw.e) return null;
  return {
    type: raw.t,
    chainId: raw.c,
    version: raw.v,
    entry: presentPublicEntry(raw.e),
    items: (raw.s ?? []).map(([id, sold, cap]) => presentItemStock(id, sold, cap)),
    status: raw.st ?? "open",
    closedReason: raw.cr ?? null,
  };
}
