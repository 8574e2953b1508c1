/**
 * Pickup lists per (date, drop point) and the community's day overview, read from the aggregates
 * the scripts keep. Nothing here scans keys.
 */
import type { SessionInfo } from "../../shared/events.js";
import { checkOffOf, groupResidents } from "../../shared/pickup.js";
import { fromMilli } from "../../shared/quantity.js";
import type {
  DayOverview,
  DaySummary,
  ItemTotal,
  PickupEntry,
  PickupList,
  StaffEntry,
} from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { notFound } from "../errors.js";
import { readChains, readDayDropPoint, readDayTotals, readEntriesByRef } from "../store/chains.js";
import { readDayTag, readUser } from "../store/communities.js";
import type { ChainRecord, DayTotalsRecord, EntryRecord } from "../store/records.js";
import { requireCoordinator } from "./access.js";
import { loadCommunity } from "./communities.js";
import { type Kept, keptAt } from "./kept.js";
import { presentDropPoint, presentStaffEntry } from "./presenters.js";

const collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });

/** What a pickup entry shows besides the entry: its chain's title and grower. */
export interface ChainLabel {
  title: string;
  growerName: string;
}

export async function chainLabels(
  ctx: Ctx,
  communityId: string,
  chains: ChainRecord[],
): Promise<Map<string, ChainLabel>> {
  const growers = new Map<string, string>();
  for (const id of new Set(chains.map((c) => c.meta.growerId))) {
    growers.set(id, (await readUser(ctx, communityId, id))?.name ?? "");
  }
  return new Map(
    chains.map((c) => [
      c.meta.id,
      { title: c.meta.title, growerName: growers.get(c.meta.growerId) ?? "" },
    ]),
  );
}

export function presentPickupEntry(
  chainId: string,
  e: EntryRecord,
  label: ChainLabel | undefined,
): PickupEntry {
  return {
    ...presentStaffEntry(chainId, e),
    chainTitle: label?.title ?? "",
    growerName: label?.growerName ?? "",
  };
}

/** Item totals of a (date, drop point), per chain and item. */
function itemTotals(totals: DayTotalsRecord, chains: Map<string, ChainRecord>): ItemTotal[] {
  const out: ItemTotal[] = [];
  for (const [chainId, t] of totals.chains) {
    for (const [itemId, sum] of t.items) {
      const item = chains.get(chainId)?.items.find((i) => i.id === itemId);
      out.push({
        chainId,
        itemId,
        name: item?.name ?? itemId,
        unit: item?.unit ?? "",
        qty: fromMilli(sum.qtyMilli),
        amountFen: sum.amountFen,
      });
    }
  }
  return out.sort(
    (a, b) => collator.compare(a.chainId, b.chainId) || collator.compare(a.itemId, b.itemId),
  );
}

/**
 * A drop point's pickup list for a date, rebuilt only when something it shows changed
 * (domain/kept.ts). Check-off phones asking every few seconds then cost one small read each (or
 * a 304).
 */
export async function pickupListTagged(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
  dropPointId: string,
): Promise<Kept<PickupList>> {
  requireCoordinator(session, communityId);
  const tag = await readDayTag(ctx, communityId, date, [dropPointId]);
  return keptAt(ctx, `pl:${communityId}:${date}:${dropPointId}`, tag, () =>
    readPickupList(ctx, communityId, date, dropPointId),
  );
}

export async function buildPickupList(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
  dropPointId: string,
): Promise<PickupList> {
  return (await pickupListTagged(ctx, session, communityId, date, dropPointId)).value;
}

async function readPickupList(
  ctx: Ctx,
  communityId: string,
  date: string,
  dropPointId: string,
): Promise<PickupList> {
  const { dropPoints } = await loadCommunity(ctx, communityId);
  const dp = dropPoints.find((d) => d.id === dropPointId);
  if (!dp) throw notFound("drop point");
  const { refs, totals } = await readDayDropPoint(ctx, communityId, date, dropPointId);
  const found = await readEntriesByRef(ctx, refs);
  const chains = await readChains(ctx, [...new Set(found.map((f) => f.chainId))]);
  const byId = new Map(chains.map((c) => [c.meta.id, c]));
  const labels = await chainLabels(ctx, communityId, chains);

  const list = groupResidents(
    found.map(({ chainId, entry }) => presentPickupEntry(chainId, entry, labels.get(chainId))),
  );

  return {
    communityId,
    date,
    dropPoint: presentDropPoint(dp),
    residents: list,
    items: itemTotals(totals, byId),
    totals: { entries: totals.entries, residents: list.length, amountFen: totals.amountFen },
    checkOff: checkOffOf(list.flatMap((r) => r.entries)),
  };
}

/** The day's tag: every drop point's version that day, and the community's (domain/kept.ts). */
async function dayTag(ctx: Ctx, communityId: string, date: string): Promise<string> {
  const { dropPoints } = await loadCommunity(ctx, communityId);
  return readDayTag(
    ctx,
    communityId,
    date,
    dropPoints.map((d) => d.id),
  );
}

/** The day's record, kept while nothing it shows changed. */
export async function daySummaryKept(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
): Promise<Kept<DaySummary>> {
  requireCoordinator(session, communityId);
  const tag = await dayTag(ctx, communityId, date);
  return keptAt(ctx, `sum:${communityId}:${date}`, tag, () =>
    daySummary(ctx, session, communityId, date),
  );
}

/** The day's overview, kept while nothing it shows changed. */
export async function dayOverviewKept(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
): Promise<Kept<DayOverview>> {
  requireCoordinator(session, communityId);
  const tag = await dayTag(ctx, communityId, date);
  return keptAt(ctx, `day:${communityId}:${date}`, tag, () =>
    dayOverview(ctx, session, communityId, date),
  );
}

/** The day's record for the coordinator: per drop point and per grower. */
export async function daySummary(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
): Promise<DaySummary> {
  requireCoordinator(session, communityId);
  const { dropPoints } = await loadCommunity(ctx, communityId);
  const perPoint = await Promise.all(
    dropPoints.map(async (dp) => {
      const { refs } = await readDayDropPoint(ctx, communityId, date, dp.id);
      return { dp, found: await readEntriesByRef(ctx, refs) };
    }),
  );
  const chains = await readChains(ctx, [
    ...new Set(perPoint.flatMap((p) => p.found.map((f) => f.chainId))),
  ]);
  const labels = await chainLabels(ctx, communityId, chains);
  const growerOf = new Map(chains.map((c) => [c.meta.id, c.meta.growerId]));
  const byGrower = new Map<string, { name: string; entries: StaffEntry[] }>();
  const rows = perPoint.map(({ dp, found }) => {
    const entries = found.map(({ chainId, entry }) => {
      const staff = presentStaffEntry(chainId, entry);
      const growerId = growerOf.get(chainId) ?? "";
      const g = byGrower.get(growerId) ?? {
        name: labels.get(chainId)?.growerName ?? "",
        entries: [],
      };
      g.entries.push(staff);
      byGrower.set(growerId, g);
      return staff;
    });
    return { dropPoint: presentDropPoint(dp), entries: entries.length, ...checkOffOf(entries) };
  });
  return {
    communityId,
    date,
    dropPoints: rows,
    growers: [...byGrower].map(([growerId, g]) => ({
      growerId,
      growerName: g.name,
      entries: g.entries.length,
      ...checkOffOf(g.entries),
    })),
  };
}

export async function dayOverview(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
): Promise<DayOverview> {
  requireCoordinator(session, communityId);
  const { dropPoints } = await loadCommunity(ctx, communityId);
  const all = await readDayTotals(
    ctx,
    communityId,
    date,
    dropPoints.map((d) => d.id),
  );
  const chainIds = new Set(all.flatMap((t) => [...t.chains.keys()]));
  const chains = new Map((await readChains(ctx, [...chainIds])).map((c) => [c.meta.id, c]));
  const rows = dropPoints.map((dp, i) => {
    const t = all[i] ?? { entries: 0, amountFen: 0, chains: new Map() };
    return {
      dropPoint: presentDropPoint(dp),
      entries: t.entries,
      amountFen: t.amountFen,
      items: itemTotals(t, chains),
    };
  });
  return {
    communityId,
    date,
    dropPoints: rows,
    totals: {
      entries: rows.reduce((s, r) => s + r.entries, 0),
      amountFen: rows.reduce((s, r) => s + r.amountFen, 0),
    },
  };
}
