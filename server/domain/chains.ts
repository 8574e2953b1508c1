/** Growers post chains, edit and close them; everyone reads them. */
import {
  addDaysToDate,
  dateIn,
  defaultCutoff,
  endOfDate,
  firstPickupAt,
  isoInZone,
  tomorrowIn,
} from "../../shared/dates.js";
import type { SessionInfo } from "../../shared/events.js";
import { fromMilli, toMilli } from "../../shared/quantity.js";
import type { ChainCreateBody, ChainPatchBody } from "../../shared/schemas.js";
import type {
  ChainSnapshot,
  ChainView,
  EntryPage,
  HarvestList,
  ItemTotal,
  LoadList,
  PublicEntry,
  StaffEntry,
  WaitlistDemand,
} from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { derivedId, randomId, sha256 } from "../crypto.js";
import { AppError, notFound } from "../errors.js";
import {
  type ChainEdit,
  createChainRecord,
  listChainIds,
  readChain,
  readChainMeta,
  readChainSnapshot,
  readChains,
  readChainTag,
  readChainWithEntries,
  readDayTotals,
  readEntryPage,
  readWaitlist,
  runUpdateChain,
} from "../store/chains.js";
import { readUser } from "../store/communities.js";
import { communityOfChain } from "../store/keys.js";
import type { ChainRecord, ItemRecord, WaitlistRecord } from "../store/records.js";
import { isFailure } from "../store/scripts.js";
import { requireChainManager, requireGrower, requireMember } from "./access.js";
import { loadCommunity } from "./communities.js";
import { type Kept, keptAt } from "./kept.js";
import {
  type ChainContext,
  presentChain,
  presentDropPoint,
  presentOwnEntry,
  presentOwnWaiter,
  presentPublicEntry,
  presentStaffEntry,
  presentWaitlist,
} from "./presenters.js";
import { scriptError } from "./script-errors.js";

const milli = (units: number) => toMilli(units) ?? 0;

/** What presenting a chain needs besides the chain: community, drop points and grower. */
export async function chainContext(ctx: Ctx, chain: ChainRecord): Promise<ChainContext> {
  const [found, grower] = await Promise.all([
    loadCommunity(ctx, chain.meta.communityId),
    readUser(ctx, chain.meta.communityId, chain.meta.growerId),
  ]);
  return { community: found.community, dropPoints: found.dropPoints, grower };
}

export async function loadChain(ctx: Ctx, chainId: string): Promise<ChainRecord> {
  const chain = await readChain(ctx, chainId);
  if (!chain) throw notFound("chain");
  return chain;
}

export async function getChainView(ctx: Ctx, chainId: string): Promise<ChainView> {
  const chain = await loadChain(ctx, chainId);
  return presentChain(chain, await chainContext(ctx, chain));
}

function parseCutoff(iso: string, date: string, tz: string): number {
  const at = Date.parse(iso);
  if (at > endOfDate(date, tz)) {
    throw new AppError(
      "validation_failed",
      "cutoffAt: must be before the end of the delivery date",
    );
  }
  return at;
}

/**
 * A cutoff must come before the delivery's first pickup window (the earliest window of the
 * chain's drop points on the delivery date): later, residents could order while others collect.
 */
function checkCutoffBeforePickup(
  cutoff: number,
  date: string,
  tz: string,
  windows: readonly { start: string }[],
): void {
  const first = firstPickupAt(date, windows, tz);
  if (first === null || cutoff < first) return;
  const at = isoInZone(first, tz);
  throw new AppError(
    "validation_failed",
    `cutoffAt: must be before the first pickup window (${at})`,
    [
      {
        path: ["cutoffAt"],
        message: `must be before the first pickup window (${at})`,
        code: "custom",
        rule: "cutoff_before_pickup",
      },
    ],
  );
}

/** What a retried HTTP write is checked against: the same key must carry the same body. */
const bodyHash = (what: string, body: unknown) =>
  sha256(`${what}\n${JSON.stringify(body)}`).slice(0, 24);

/**
 * An Idempotency-Key as a chain script's request id: `h:` keeps it apart from residents' ids, and
 * the sender's id makes it theirs (another person's write under the same key is another write).
 */
const keyRequest = (
  session: SessionInfo | null,
  key: string | undefined,
  what: string,
  body: unknown,
) =>
  key
    ? { requestId: `h:${session?.userId ?? ""}:${key}`, payloadHash: bodyHash(what, body) }
    : undefined;

export async function postChain(
  ctx: Ctx,
  session: SessionInfo | null,
  body: ChainCreateBody,
  idempotencyKey?: string,
): Promise<ChainView> {
  const s = requireGrower(session);
  const { community, dropPoints } = await loadCommunity(ctx, s.communityId);
  const tz = community.timezone;
  const active = new Set(dropPoints.filter((dp) => dp.active).map((dp) => dp.id));
  const unknown = body.dropPointIds.filter((id) => !active.has(id));
  if (unknown.length) {
    throw new AppError("unknown_drop_point", "no such active drop point in this community", {
      dropPointIds: unknown,
    });
  }
  const now = Date.now();
  const today = dateIn(tz, now);
  const date = body.deliveryDate ?? tomorrowIn(tz, now);
  if (date < today)
    throw new AppError("validation_failed", "deliveryDate: must not be in the past");
  const cutoff = body.cutoffAt ? parseCutoff(body.cutoffAt, date, tz) : defaultCutoff(date, tz);
  if (cutoff <= now) {
    throw new AppError(
      "validation_failed",
      body.cutoffAt
        ? "cutoffAt: must be in the future"
        : "the default cutoff (20:00 the evening before delivery) has passed; set cutoffAt",
    );
  }
  const windows = dropPoints
    .filter((dp) => body.dropPointIds.includes(dp.id))
    .map((dp) => dp.window);
  checkCutoffBeforePickup(cutoff, date, tz, windows);
  const items: ItemRecord[] = body.items.map((item, i) => ({
    id: `i${i + 1}`,
    name: item.name,
    unit: item.unit,
    price: item.priceFen,
    step: milli(item.step),
    ...(item.stock !== undefined && { stock: milli(item.stock) }),
    ...(item.limit !== undefined && { limit: milli(item.limit) }),
  }));
  // A retry of the same create (same key, same grower) names the same chain, which then exists.
  const chainId = `${community.id}-${idempotencyKey ? derivedId(`chain\n${s.userId}\n${idempotencyKey}`, 8) : randomId(8)}`;
  const retentionMs = ctx.config.RETENTION_DAYS * 86_400_000;
  const failure = await createChainRecord(
    ctx,
    {
      id: chainId,
      communityId: community.id,
      growerId: s.userId,
      title: body.title,
      note: body.note,
      date,
      cutoff,
      dps: body.dropPointIds,
      items,
    },
    endOfDate(date, tz) + retentionMs,
    addDaysToDate(today, -ctx.config.RETENTION_DAYS),
    idempotencyKey ? bodyHash("chain", body) : "",
  );
  if (failure) throw scriptError(failure, items);
  return getChainView(ctx, chainId);
}

async function loadManagedChain(ctx: Ctx, session: SessionInfo | null, chainId: string) {
  const meta = await readChainMeta(ctx, chainId);
  if (!meta) throw notFound("chain");
  requireChainManager(session, meta);
  return meta;
}

async function applyEdit(
  ctx: Ctx,
  chainId: string,
  edit: ChainEdit,
  request?: { requestId: string; payloadHash: string },
): Promise<ChainView> {
  const result = await runUpdateChain(ctx, chainId, edit, request);
  if (isFailure(result)) throw scriptError(result, (await readChain(ctx, chainId))?.items);
  return getChainView(ctx, chainId);
}

export async function patchChain(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
  body: ChainPatchBody,
  idempotencyKey?: string,
): Promise<ChainView> {
  const meta = await loadManagedChain(ctx, session, chainId);
  const { community, dropPoints } = await loadCommunity(ctx, meta.communityId);
  const cutoff = body.cutoffAt
    ? parseCutoff(body.cutoffAt, meta.date, community.timezone)
    : undefined;
  if (cutoff !== undefined) {
    const windows = dropPoints.filter((dp) => meta.dps.includes(dp.id)).map((dp) => dp.window);
    checkCutoffBeforePickup(cutoff, meta.date, community.timezone, windows);
  }
  const edit: ChainEdit = {
    title: body.title,
    note: body.note,
    cutoff,
    items: body.items?.map((p) => ({
      id: p.id,
      price: p.priceFen,
      stock: p.stock === null ? -1 : p.stock === undefined ? undefined : milli(p.stock),
    })),
  };
  return applyEdit(ctx, chainId, edit, keyRequest(session, idempotencyKey, "patch", body));
}

export async function setChainStatus(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
  status: "closed" | "cancelled" | "delivered",
  idempotencyKey?: string,
): Promise<ChainView> {
  await loadManagedChain(ctx, session, chainId);
  return applyEdit(ctx, chainId, { status }, keyRequest(session, idempotencyKey, "status", status));
}

/** Coordinators see every chain of their community; growers see their own. */
export async function listChains(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string | undefined,
): Promise<ChainView[]> {
  const s = requireMember(session, communityId);
  const ids = await listChainIds(ctx, communityId, {
    date,
    growerId: s.role === "grower" ? s.userId : undefined,
  });
  const chains = await readChains(ctx, ids);
  const { community, dropPoints } = await loadCommunity(ctx, communityId);
  const growers = new Map<string, Awaited<ReturnType<typeof readUser>>>();
  for (const id of new Set(chains.map((c) => c.meta.growerId))) {
    growers.set(id, await readUser(ctx, communityId, id));
  }
  return chains.map((c) =>
    presentChain(c, { community, dropPoints, grower: growers.get(c.meta.growerId) ?? null }),
  );
}

/**
 * The public snapshot: the chain, its latest entries (older ones by page), and every entry of
 * the asking device.
 */
export async function getSnapshot(
  ctx: Ctx,
  chainId: string,
  deviceHash: string | null,
): Promise<ChainSnapshot> {
  const found = await readChainSnapshot(ctx, chainId, ctx.config.SNAPSHOT_ENTRIES, deviceHash);
  if (!found) throw notFound("chain");
  const view = presentChain(found.chain, await chainContext(ctx, found.chain));
  return {
    chain: view,
    entries: found.recent.map(presentPublicEntry),
    entriesFrom: found.from,
    activeEntries: found.chain.totals.n,
    mine: found.mine.map((e) => presentOwnEntry(chainId, e)),
    waitlist: presentWaitlist(found.waitlist),
    myWaits: deviceHash
      ? [...found.waitlist.waiters.values()]
          .filter((w) => w.dh === deviceHash)
          .sort((a, b) => a.id - b.id)
          .map((w) => presentOwnWaiter(chainId, w))
      : [],
    version: view.version,
  };
}

/** Older entries, a page at a time: those numbered below `before`. */
export async function getEntryPage(
  ctx: Ctx,
  chainId: string,
  before: number,
  limit: number,
): Promise<EntryPage> {
  const page = await readEntryPage(ctx, chainId, before, limit);
  if (!page) throw notFound("chain");
  return { chainId, entries: page.entries.map(presentPublicEntry), from: page.from };
}

/** The chain with every entry, for the WeChat text of the whole chain. */
export async function getWholeChain(
  ctx: Ctx,
  chainId: string,
): Promise<{ chain: ChainView; entries: PublicEntry[] }> {
  const found = await readChainWithEntries(ctx, chainId);
  if (!found) throw notFound("chain");
  const view = presentChain(found.chain, await chainContext(ctx, found.chain));
  return { chain: view, entries: found.entries.map(presentPublicEntry) };
}

export async function listStaffEntries(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
): Promise<StaffEntry[]> {
  await loadManagedChain(ctx, session, chainId);
  const found = await readChainWithEntries(ctx, chainId);
  if (!found) throw notFound("chain");
  return found.entries.map((e) => presentStaffEntry(chainId, e));
}

function itemTotal(
  chainId: string,
  item: ItemRecord,
  qtyMilli: number,
  amountFen: number,
): ItemTotal {
  return {
    chainId,
    itemId: item.id,
    name: item.name,
    unit: item.unit,
    qty: fromMilli(qtyMilli),
    amountFen,
  };
}

/**
 * What the waitlist still wants, per item (at the cutoff: unmet demand); with `dropPointId`, only
 * the requests to be delivered there.
 */
export function waitlistDemand(
  items: ItemRecord[],
  wl: WaitlistRecord,
  dropPointId?: string,
): WaitlistDemand[] {
  return items.flatMap((item) => {
    const ids = (wl.queues.get(item.id) ?? []).filter(
      (id) => dropPointId === undefined || wl.waiters.get(id)?.dp === dropPointId,
    );
    if (!ids.length) return [];
    const milli = ids.reduce((s, id) => s + (wl.waiters.get(id)?.q ?? 0), 0);
    return [
      {
        itemId: item.id,
        name: item.name,
        unit: item.unit,
        requests: ids.length,
        qty: fromMilli(milli),
      },
    ];
  });
}

/**
 * The harvest list, kept while the chain's version holds (every change to it, its items, its
 * entries or its waitlist bumps the version; domain/kept.ts).
 */
export async function harvestListKept(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
): Promise<Kept<HarvestList>> {
  const meta = await loadManagedChain(ctx, session, chainId);
  return keptAt(ctx, `hv:${chainId}`, String(meta.version), () =>
    harvestList(ctx, session, chainId),
  );
}

/** The load list, kept while the chain's version and the community's (drop points) hold. */
export async function loadListKept(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
): Promise<Kept<LoadList>> {
  await loadManagedChain(ctx, session, chainId);
  const tag = await readChainTag(ctx, chainId);
  if (!tag) throw notFound("chain");
  return keptAt(ctx, `ld:${chainId}`, `${tag.version}.${tag.mv}`, () =>
    loadList(ctx, session, chainId),
  );
}

/** Totals per item for the whole chain, as the scripts keep them. */
export async function harvestList(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
): Promise<HarvestList> {
  await loadManagedChain(ctx, session, chainId);
  const chain = await loadChain(ctx, chainId);
  const waitlist = await readWaitlist(ctx, chainId);
  return {
    chainId,
    unmet: waitlistDemand(chain.items, waitlist),
    items: chain.items.map((item) =>
      itemTotal(
        chainId,
        item,
        chain.totals.sold.get(item.id) ?? 0,
        chain.totals.amount.get(item.id) ?? 0,
      ),
    ),
    totals: { entries: chain.totals.n, amountFen: chain.totals.amt },
  };
}

/** Per drop point: bags and quantities to load, from the (date, drop point) aggregates. */
export async function loadList(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
): Promise<LoadList> {
  await loadManagedChain(ctx, session, chainId);
  const chain = await loadChain(ctx, chainId);
  const { dropPoints } = await loadCommunity(ctx, communityOfChain(chainId));
  const byId = new Map(dropPoints.map((dp) => [dp.id, dp]));
  const dps = chain.meta.dps.filter((id) => byId.has(id));
  const totals = await readDayTotals(ctx, chain.meta.communityId, chain.meta.date, dps);
  const waitlist = await readWaitlist(ctx, chainId);
  return {
    chainId,
    dropPoints: dps.map((id, i) => {
      const t = totals[i]?.chains.get(chainId);
      return {
        dropPoint: presentDropPoint(byId.get(id) as NonNullable<ReturnType<typeof byId.get>>),
        bags: t?.entries ?? 0,
        amountFen: t?.amountFen ?? 0,
        items: chain.items.map((item) => {
          const sum = t?.items.get(item.id);
          return itemTotal(chainId, item, sum?.qtyMilli ?? 0, sum?.amountFen ?? 0);
        }),
        unmet: waitlistDemand(chain.items, waitlist, id),
      };
    }),
  };
}
