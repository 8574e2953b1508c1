/** Chains and their entries: typed calls around the scripts, and the reads. */
import type { ChainStatus } from "../../shared/schemas.js";
import type { ClosedReason } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { communityOfChain, entryScriptKeys } from "./keys.js";
import type { ChainMeta, ChainRecord, EntryRecord, ItemRecord, RawEvent } from "./records.js";
import { isFailure, type ScriptFailure } from "./scripts.js";

export type NewChain = Pick<
  ChainMeta,
  "id" | "communityId" | "growerId" | "title" | "note" | "date" | "cutoff" | "dps"
> & { items: ItemRecord[] };

const dateScore = (date: string) => Number(date.replaceAll("-", ""));

function chainKeys(ctx: Ctx, chainId: string) {
  const community = ctx.keys.community(communityOfChain(chainId));
  return { community, chain: community.chain(chainId) };
}

/** Returns the script's failure, or null when the chain was created. */
export async function createChainRecord(
  ctx: Ctx,
  chain: NewChain,
  expireAt: number,
  oldestDate: string,
): Promise<ScriptFailure | null> {
  const { community: c, chain: k } = chainKeys(ctx, chain.id);
  const { communityId: _, ...input } = chain;
  const reply = JSON.parse(
    await ctx.redis.jlCreateChain(
      ...entryScriptKeys(c, k),
      c.chains,
      c.growerChains(chain.growerId),
      c.dayChains(chain.date),
      c.day(chain.date),
      c.channel,
      JSON.stringify(input),
      expireAt,
      ctx.config.EVENT_LOG_MAX,
      dateScore(chain.date),
      dateScore(oldestDate),
    ),
  );
  if (isFailure(reply)) return reply;
  await ctx.redis.zadd(ctx.keys.cutoffs, chain.cutoff, chain.id);
  return null;
}

function parseMeta(communityId: string, m: Record<string, string>): ChainMeta {
  return {
    id: m.id ?? "",
    communityId,
    growerId: m.growerId ?? "",
    title: m.title ?? "",
    note: m.note ?? "",
    date: m.date ?? "",
    cutoff: Number(m.cutoff),
    dps: (m.dps ?? "").split(",").filter(Boolean),
    status: (m.status ?? "open") as ChainStatus,
    closedReason: (m.closedReason ?? null) as ClosedReason | null,
    seq: Number(m.seq ?? 0),
    version: Number(m.version ?? 0),
    createdAt: Number(m.createdAt ?? 0),
  };
}

const itemOrder = (a: ItemRecord, b: ItemRecord) => Number(a.id.slice(1)) - Number(b.id.slice(1));

function parseChain(
  communityId: string,
  meta: Record<string, string>,
  items: Record<string, string>,
  totals: Record<string, string>,
): ChainRecord | null {
  if (!meta.id) return null;
  const sold = new Map<string, number>();
  const amount = new Map<string, number>();
  for (const [field, value] of Object.entries(totals)) {
    if (field.startsWith("q:")) sold.set(field.slice(2), Number(value));
    else if (field.startsWith("a:")) amount.set(field.slice(2), Number(value));
  }
  return {
    meta: parseMeta(communityId, meta),
    items: Object.values(items)
      .map((s) => JSON.parse(s) as ItemRecord)
      .sort(itemOrder),
    totals: { n: Number(totals.n ?? 0), amt: Number(totals.amt ?? 0), sold, amount },
  };
}

/** The chain, its items and totals, read atomically. */
export async function readChain(ctx: Ctx, chainId: string): Promise<ChainRecord | null> {
  const { chain: k } = chainKeys(ctx, chainId);
  const res = await ctx.redis.multi().hgetall(k.meta).hgetall(k.items).hgetall(k.totals).exec();
  const [meta, items, totals] = (res ?? []).map((r) => (r[1] ?? {}) as Record<string, string>);
  return parseChain(communityOfChain(chainId), meta ?? {}, items ?? {}, totals ?? {});
}

/** The chain and all its entries at one version. */
export async function readChainWithEntries(
  ctx: Ctx,
  chainId: string,
): Promise<{ chain: ChainRecord; entries: EntryRecord[] } | null> {
  const { chain: k } = chainKeys(ctx, chainId);
  const res = await ctx.redis
    .multi()
    .hgetall(k.meta)
    .hgetall(k.items)
    .hgetall(k.totals)
    .hgetall(k.entries)
    .exec();
  const [meta, items, totals, entries] = (res ?? []).map(
    (r) => (r[1] ?? {}) as Record<string, string>,
  );
  const chain = parseChain(communityOfChain(chainId), meta ?? {}, items ?? {}, totals ?? {});
  if (!chain) return null;
  return { chain, entries: parseEntries(entries ?? {}) };
}

function parseEntries(hash: Record<string, string>): EntryRecord[] {
  return Object.entries(hash)
    .filter(([no]) => no !== "_")
    .map(([, s]) => JSON.parse(s) as EntryRecord)
    .sort((a, b) => a.no - b.no);
}

export async function readChainMeta(ctx: Ctx, chainId: string): Promise<ChainMeta | null> {
  const { chain: k } = chainKeys(ctx, chainId);
  const meta = await ctx.redis.hgetall(k.meta);
  return meta.id ? parseMeta(communityOfChain(chainId), meta) : null;
}

export async function readChainVersion(ctx: Ctx, chainId: string): Promise<number | null> {
  const v = await ctx.redis.hget(chainKeys(ctx, chainId).chain.meta, "version");
  return v === null ? null : Number(v);
}

/** What the chain remembers of these request ids (payload hash, newline, result), or null. */
export async function readRequests(
  ctx: Ctx,
  chainId: string,
  requestIds: string[],
): Promise<(string | null)[]> {
  if (!requestIds.length) return [];
  return ctx.redis.hmget(chainKeys(ctx, chainId).chain.requests, ...requestIds);
}

export async function readEntry(
  ctx: Ctx,
  chainId: string,
  no: number,
): Promise<EntryRecord | null> {
  const raw = await ctx.redis.hget(chainKeys(ctx, chainId).chain.entries, String(no));
  return raw ? (JSON.parse(raw) as EntryRecord) : null;
}

/** Several chains' entries by `<chainId>#<no>` references, in one round trip. */
export async function readEntriesByRef(
  ctx: Ctx,
  refs: string[],
): Promise<{ chainId: string; entry: EntryRecord }[]> {
  const pipe = ctx.redis.pipeline();
  const parsed = refs.map((ref) => {
    const at = ref.lastIndexOf("#");
    return { chainId: ref.slice(0, at), no: ref.slice(at + 1) };
  });
  for (const r of parsed) pipe.hget(chainKeys(ctx, r.chainId).chain.entries, r.no);
  const res = (await pipe.exec()) ?? [];
  const out: { chainId: string; entry: EntryRecord }[] = [];
  parsed.forEach((r, i) => {
    const raw = res[i]?.[1] as string | null;
    if (raw) out.push({ chainId: r.chainId, entry: JSON.parse(raw) as EntryRecord });
  });
  return out;
}

/**
 * Events after `sinceVersion`, or "gap" when the log no longer reaches back that far.
 */
export async function readEventsSince(
  ctx: Ctx,
  chainId: string,
  sinceVersion: number,
): Promise<{ version: number; events: RawEvent[] } | "gap" | null> {
  const k = chainKeys(ctx, chainId).chain;
  const res = await ctx.redis
    .multi()
    .hget(k.meta, "version")
    .xrange(k.events, `${sinceVersion + 1}-0`, "+")
    .exec();
  const version = res?.[0]?.[1] as string | null;
  if (version === null || version === undefined) return null;
  const current = Number(version);
  if (sinceVersion > current) return "gap";
  const rows = (res?.[1]?.[1] ?? []) as [string, string[]][];
  const events = rows.map(([, fields]) => JSON.parse(fields[1] ?? "{}") as RawEvent);
  const first = events[0];
  if (sinceVersion < current && (!first || first.v !== sinceVersion + 1)) return "gap";
  return { version: current, events };
}

export type EntryScript = "join" | "update" | "cancel" | "mark" | "weigh";

export interface EntryScriptReply {
  v: number;
  e: EntryRecord;
}

/** Run join/update/cancel. Returns the reply or the script's failure. */
export async function runEntryScript(
  ctx: Ctx,
  script: EntryScript,
  chainId: string,
  requestId: string,
  payloadHash: string,
  input: object,
): Promise<EntryScriptReply | ScriptFailure> {
  const { community: c, chain: k } = chainKeys(ctx, chainId);
  const args = [
    ...entryScriptKeys(c, k),
    c.base,
    c.channel,
    requestId,
    payloadHash,
    JSON.stringify(input),
    ctx.config.EVENT_LOG_MAX,
  ];
  const run = {
    join: ctx.redis.jlJoinEntry,
    update: ctx.redis.jlUpdateEntry,
    cancel: ctx.redis.jlCancelEntry,
    mark: ctx.redis.jlMarkEntry,
    weigh: ctx.redis.jlWeighEntry,
  }[script];
  const reply = await run.apply(ctx.redis, args);
  return JSON.parse(reply) as EntryScriptReply | ScriptFailure;
}

export interface ChainEdit {
  title?: string;
  note?: string;
  cutoff?: number;
  items?: { id: string; price?: number; stock?: number }[];
  status?: "closed" | "cancelled" | "delivered";
}

export async function runUpdateChain(
  ctx: Ctx,
  chainId: string,
  edit: ChainEdit,
): Promise<{ v: number; status: ChainStatus } | ScriptFailure> {
  const { community: c, chain: k } = chainKeys(ctx, chainId);
  const reply = await ctx.redis.jlUpdateChain(
    ...entryScriptKeys(c, k),
    c.base,
    c.channel,
    "",
    "",
    JSON.stringify(edit),
    ctx.config.EVENT_LOG_MAX,
  );
  const parsed = JSON.parse(reply) as { v: number; status: ChainStatus } | ScriptFailure;
  if (!isFailure(parsed) && edit.cutoff !== undefined) {
    await ctx.redis.zadd(ctx.keys.cutoffs, edit.cutoff, chainId);
  }
  return parsed;
}

/** Chains whose cutoff has passed by `now` (ms), for the closing sweep. */
export async function dueChains(ctx: Ctx, now: number, limit = 100): Promise<string[]> {
  return ctx.redis.zrangebyscore(ctx.keys.cutoffs, "-inf", now, "LIMIT", 0, limit);
}

export async function closeIfDue(
  ctx: Ctx,
  chainId: string,
): Promise<{ closed?: boolean; gone?: boolean; done?: boolean; cutoff?: number }> {
  const { community: c, chain: k } = chainKeys(ctx, chainId);
  const reply = await ctx.redis.jlCloseDue(k.meta, k.events, c.channel, ctx.config.EVENT_LOG_MAX);
  const r = JSON.parse(reply) as {
    closed?: boolean;
    gone?: boolean;
    done?: boolean;
    cutoff?: number;
  };
  if (r.gone || r.closed || r.done) await ctx.redis.zrem(ctx.keys.cutoffs, chainId);
  else if (r.cutoff !== undefined) await ctx.redis.zadd(ctx.keys.cutoffs, r.cutoff, chainId);
  return r;
}

/** Chain ids of a community, optionally for one delivery date, newest date first. */
export async function listChainIds(
  ctx: Ctx,
  communityId: string,
  opts: { date?: string; growerId?: string },
): Promise<string[]> {
  const c = ctx.keys.community(communityId);
  const key = opts.growerId ? c.growerChains(opts.growerId) : c.chains;
  if (opts.date) {
    const s = dateScore(opts.date);
    return ctx.redis.zrangebyscore(key, s, s);
  }
  return ctx.redis.zrevrange(key, 0, 199);
}

export async function readChains(ctx: Ctx, chainIds: string[]): Promise<ChainRecord[]> {
  const chains = await Promise.all(chainIds.map((id) => readChain(ctx, id)));
  return chains.filter((c): c is ChainRecord => c !== null);
}

/** A (date, drop point) pickup list as the scripts keep it: entry refs and totals. */
export async function readDayDropPoint(
  ctx: Ctx,
  communityId: string,
  date: string,
  dropPointId: string,
): Promise<{ refs: string[]; totals: Record<string, string> }> {
  const c = ctx.keys.community(communityId);
  const res = await ctx.redis
    .multi()
    .smembers(c.dayEntries(date, dropPointId))
    .hgetall(c.dayTotals(date, dropPointId))
    .exec();
  const refs = ((res?.[0]?.[1] ?? []) as string[]).filter((r) => r !== "_");
  return { refs, totals: (res?.[1]?.[1] ?? {}) as Record<string, string> };
}

export async function readDayTotals(
  ctx: Ctx,
  communityId: string,
  date: string,
  dropPointIds: string[],
): Promise<Record<string, string>[]> {
  const c = ctx.keys.community(communityId);
  const pipe = ctx.redis.pipeline();
  for (const dp of dropPointIds) pipe.hgetall(c.dayTotals(date, dp));
  const res = (await pipe.exec()) ?? [];
  return dropPointIds.map((_, i) => (res[i]?.[1] ?? {}) as Record<string, string>);
}
