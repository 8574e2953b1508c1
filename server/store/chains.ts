/** Chains and their entries: typed calls around the scripts, and the reads. */

import { randomInt } from "node:crypto";
import type { ChainStatus } from "../../shared/schemas.js";
import type { ClosedReason } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { write } from "./failures.js";
import { communityOfChain, dayDropPointKeys, entryScriptKeys } from "./keys.js";
import { readTx } from "./read-tx.js";
import {
  type ChainMeta,
  type ChainRecord,
  type DayChainTotals,
  type DayTotalsRecord,
  type EntryRecord,
  type EntryScriptInputs,
  expandEntry,
  type ItemRecord,
  type PackedEntry,
  parseEntry,
  parseWaitlist,
  type RawEvent,
  type WaiterReply,
  type WaitlistRecord,
} from "./records.js";
import { runScript } from "./replication.js";
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

/**
 * What a chain's public text depends on, in one round trip: the chain's version (every change of
 * the chain or its entries bumps it), the community's mv (drop points, people) and its cutoff.
 * Null when the chain does not exist.
 */
export async function readChainTag(
  ctx: Ctx,
  chainId: string,
): Promise<{ version: string; mv: string; cutoff: number } | null> {
  const { community: c, chain: k } = chainKeys(ctx, chainId);
  const res = await readTx(ctx).hmget(k.meta, "version", "cutoff").hget(c.info, "mv").exec();
  const [version, cutoff] = (res?.[0]?.[1] ?? []) as (string | null)[];
  if (version === null || version === undefined) return null;
  return { version, mv: String(res?.[1]?.[1] ?? 0), cutoff: Number(cutoff) };
}

/**
 * Returns the script's failure, or null when the chain was created. With a payload hash, asking
 * again for the same chain id with the same payload answers as the first time (a retry).
 */
export async function createChainRecord(
  ctx: Ctx,
  chain: NewChain,
  expireAt: number,
  oldestDate: string,
  payloadHash = "",
): Promise<ScriptFailure | null> {
  const { community: c, chain: k } = chainKeys(ctx, chain.id);
  const { communityId: _, ...input } = chain;
  const keys = [
    ...entryScriptKeys(c, k),
    c.chains,
    c.growerChains(chain.growerId),
    c.dayChains(chain.date),
    ...chain.dps.flatMap((dp) => dayDropPointKeys(c, chain.date, dp)),
    c.channel,
  ];
  const reply = JSON.parse(
    await runScript(ctx, "jlCreateChain", k.meta, [
      keys.length,
      ...keys,
      c.channel,
      JSON.stringify(input),
      expireAt,
      ctx.config.EVENT_LOG_MAX,
      dateScore(chain.date),
      dateScore(oldestDate),
      payloadHash,
    ]),
  );
  if (isFailure(reply)) return reply;
  rememberShape(ctx, chain.id, { date: chain.date, dps: chain.dps });
  await write(ctx.redis, () => ctx.redis.zadd(ctx.keys.cutoffs, chain.cutoff, chain.id));
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
    items: parseItems(items),
    totals: { n: Number(totals.n ?? 0), amt: Number(totals.amt ?? 0), sold, amount },
  };
}

function parseItems(items: Record<string, string>): ItemRecord[] {
  return Object.values(items)
    .map((s) => JSON.parse(s) as ItemRecord)
    .sort(itemOrder);
}

/** A chain's items, in the grower's order (what a refusal names): one read, no totals. */
export async function readItems(ctx: Ctx, chainId: string): Promise<ItemRecord[]> {
  return parseItems(await ctx.redis.hgetall(chainKeys(ctx, chainId).chain.items));
}

/** The chain, its items and totals, read atomically. */
export async function readChain(ctx: Ctx, chainId: string): Promise<ChainRecord | null> {
  const { chain: k } = chainKeys(ctx, chainId);
  const res = await readTx(ctx).hgetall(k.meta).hgetall(k.items).hgetall(k.totals).exec();
  const [meta, items, totals] = (res ?? []).map((r) => (r[1] ?? {}) as Record<string, string>);
  return parseChain(communityOfChain(chainId), meta ?? {}, items ?? {}, totals ?? {});
}

/**
 * What a chain's snapshot shows, at one version: the chain, its latest `limit` entries (every
 * entry numbered `from` or above) and every entry of one device.
 */
export async function readChainSnapshot(
  ctx: Ctx,
  chainId: string,
  limit: number,
  deviceHash: string | null,
): Promise<{
  chain: ChainRecord;
  recent: EntryRecord[];
  from: number;
  mine: EntryRecord[];
  waitlist: WaitlistRecord;
} | null> {
  const k = chainKeys(ctx, chainId).chain;
  const first = await readTx(ctx)
    .hget(k.meta, "seq")
    .hget(k.devices, deviceHash ? `d:${deviceHash}` : "_none")
    .exec();
  const seq = Number(first?.[0]?.[1] ?? 0);
  // The device's record (lib.lua contribute): its entry numbers, comma-separated, in `e`.
  const device = first?.[1]?.[1] as string | null;
  const own = ((device ? (JSON.parse(device) as { e?: string }).e : "") ?? "")
    .split(",")
    .filter(Boolean);
  const from = Math.max(1, seq - limit + 1);
  const wanted = [
    ...new Set([...Array.from({ length: seq - from + 1 }, (_, i) => String(from + i)), ...own]),
  ];
  // The chain and the entries at one version: in one transaction.
  const tx = readTx(ctx).hgetall(k.meta).hgetall(k.items).hgetall(k.totals).hgetall(k.wait);
  if (wanted.length) tx.hmget(k.entries, ...wanted);
  const res = (await tx.exec()) ?? [];
  const waitlist = parseWaitlist((res[3]?.[1] ?? {}) as Record<string, string>);
  const [meta, items, totals] = res.slice(0, 3).map((r) => (r[1] ?? {}) as Record<string, string>);
  const chain = parseChain(communityOfChain(chainId), meta ?? {}, items ?? {}, totals ?? {});
  if (!chain) return null;
  const raw = (wanted.length ? (res[4]?.[1] as (string | null)[]) : []) ?? [];
  const byNo = new Map<number, EntryRecord>();
  for (const json of raw) {
    if (!json) continue;
    const e = parseEntry(json);
    byNo.set(e.no, e);
  }
  // An entry made between the two reads is shown too: the list then reaches past `seq`.
  const recent = [...byNo.values()].filter((e) => e.no >= from).sort((a, b) => a.no - b.no);
  const ownNos = new Set(own.map(Number));
  const mine = [...byNo.values()].filter((e) => ownNos.has(e.no)).sort((a, b) => a.no - b.no);
  return { chain, recent, from, mine, waitlist };
}

/** A page of older entries: those numbered from `from` up to below `before`. */
export async function readEntryPage(
  ctx: Ctx,
  chainId: string,
  before: number,
  limit: number,
): Promise<{ entries: EntryRecord[]; from: number } | null> {
  const k = chainKeys(ctx, chainId).chain;
  const from = Math.max(1, before - limit);
  const nos = Array.from({ length: Math.max(0, before - from) }, (_, i) => String(from + i));
  const res = await readTx(ctx)
    .exists(k.meta)
    .hmget(k.entries, ...(nos.length ? nos : ["_"]))
    .exec();
  if (!res?.[0]?.[1]) return null;
  const raw = (res[1]?.[1] as (string | null)[]) ?? [];
  const entries = raw
    .filter((json): json is string => !!json)
    .map((json) => parseEntry(json))
    .sort((a, b) => a.no - b.no);
  return { entries, from };
}

/** The chain and all its entries at one version. */
export async function readChainWithEntries(
  ctx: Ctx,
  chainId: string,
): Promise<{ chain: ChainRecord; entries: EntryRecord[] } | null> {
  const { chain: k } = chainKeys(ctx, chainId);
  const res = await readTx(ctx)
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
    .map(([, s]) => parseEntry(s))
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

export async function readEntry(
  ctx: Ctx,
  chainId: string,
  no: number,
): Promise<EntryRecord | null> {
  const raw = await ctx.redis.hget(chainKeys(ctx, chainId).chain.entries, String(no));
  return raw ? parseEntry(raw) : null;
}

/**
 * The entries that earlier requests with these ids made (null where an id is new): the requests
 * hash keeps `payload hash \n #<entry no>` for every entry script that succeeded.
 */
export async function readEntriesOfRequests(
  ctx: Ctx,
  chainId: string,
  requestIds: string[],
): Promise<(EntryRecord | null)[]> {
  if (!requestIds.length) return [];
  const k = chainKeys(ctx, chainId).chain;
  const remembered = await ctx.redis.hmget(k.requests, ...requestIds);
  const nos = remembered.map((r) => {
    const result = r?.slice(r.indexOf("\n") + 1) ?? "";
    return result.startsWith("#") ? result.slice(1) : null;
  });
  const wanted = nos.filter((no): no is string => no !== null);
  const raw = wanted.length ? await ctx.redis.hmget(k.entries, ...wanted) : [];
  const byNo = new Map(wanted.map((no, i) => [no, raw[i]]));
  return nos.map((no) => {
    const json = no === null ? null : byNo.get(no);
    return json ? parseEntry(json) : null;
  });
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
    if (raw) out.push({ chainId: r.chainId, entry: parseEntry(raw) });
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
  const res = await readTx(ctx)
    .hget(k.meta, "version")
    .xrange(k.events, `${sinceVersion + 1}-0`, "+")
    .exec();
  const version = res?.[0]?.[1] as string | null;
  if (version === null || version === undefined) return null;
  const current = Number(version);
  if (sinceVersion > current) return "gap";
  const rows = (res?.[1]?.[1] ?? []) as [string, string[]][];
  const date = (await chainShape(ctx, chainId))?.date ?? "";
  // Entry events in the log name neither the chain nor its date: they are this chain's.
  const events = rows.map(([, fields]) => {
    const e = JSON.parse(fields[1] ?? "{}") as RawEvent;
    e.c ??= chainId;
    e.d ??= date;
    return e;
  });
  const first = events[0];
  if (sinceVersion < current && (!first || first.v !== sinceVersion + 1)) return "gap";
  // The log keeps compact entry events (the entry's number): they carry the entry as it is now,
  // which is at least as new as the event (entries hold the version of their last change).
  const nos = [...new Set(events.flatMap((e) => (e.n === undefined ? [] : [String(e.n)])))];
  if (nos.length) {
    const raw = await ctx.redis.hmget(k.entries, ...nos);
    const byNo = new Map(nos.map((no, i) => [no, raw[i]]));
    for (const e of events) {
      const json = e.n === undefined ? null : byNo.get(String(e.n));
      if (json) e.e = parseEntry(json);
    }
  }
  return { version: current, events };
}

export type EntryScript = keyof EntryScriptInputs;

export interface EntryScriptReply {
  v: number;
  e: EntryRecord;
}

/** What never changes about a chain, and picks the keys of its scripts: date and drop points. */
interface ChainShape {
  date: string;
  dps: string[];
}

const shapes = new WeakMap<Ctx, Map<string, ChainShape>>();

function rememberShape(ctx: Ctx, chainId: string, shape: ChainShape): void {
  let known = shapes.get(ctx);
  if (!known) {
    known = new Map();
    shapes.set(ctx, known);
  }
  if (known.size >= 10_000) known.clear();
  known.set(chainId, shape);
}

async function chainShape(ctx: Ctx, chainId: string): Promise<ChainShape | null> {
  const hit = shapes.get(ctx)?.get(chainId);
  if (hit) return hit;
  const [date, dps] = await ctx.redis.hmget(chainKeys(ctx, chainId).chain.meta, "date", "dps");
  if (!date) return null;
  const shape = { date, dps: (dps ?? "").split(",").filter(Boolean) };
  rememberShape(ctx, chainId, shape);
  return shape;
}

/** The drop point an entry delivers to now, to send its pickup-list keys (the script checks). */
async function entryDropPoint(ctx: Ctx, chainId: string, no: number): Promise<string | null> {
  const raw = await ctx.redis.hget(chainKeys(ctx, chainId).chain.entries, String(no));
  return raw ? parseEntry(raw).dp : null;
}

const SCRIPT_OF = {
  join: "jlJoinEntry",
  update: "jlUpdateEntry",
  cancel: "jlCancelEntry",
  mark: "jlMarkEntry",
  weigh: "jlWeighEntry",
  chain: "jlUpdateChain",
  waitJoin: "jlWaitlistJoin",
  waitLeave: "jlWaitlistLeave",
} as const;

/**
 * Run one chain script with the keys it will touch: the chain's, the pickup-list keys of the
 * drop points in `dps` on the chain's date, and last the chain's waitlist. When the script says other drop points are involved
 * (the entry moved meanwhile), it has written nothing; send again with those.
 */
async function runChainScript(
  ctx: Ctx,
  script: keyof typeof SCRIPT_OF,
  chainId: string,
  call: { requestId: string; payloadHash: string; input: object; dps: string[] },
): Promise<string> {
  const shape = await chainShape(ctx, chainId);
  if (!shape) return JSON.stringify({ err: "not_found", what: "chain" });
  const { community: c, chain: k } = chainKeys(ctx, chainId);
  const dps = new Set(call.dps.filter(Boolean));
  for (let attempt = 0; ; attempt++) {
    const keys = [
      ...entryScriptKeys(c, k),
      ...[...dps].flatMap((dp) => dayDropPointKeys(c, shape.date, dp)),
      // The chain's waitlist (lib.lua entry_ctx finds it after the variable list of drop points),
      // then last the shard channel the script SPUBLISHes on (ARGV[1] names it too).
      k.wait,
      c.channel,
    ];
    const reply = await runScript(ctx, SCRIPT_OF[script], k.meta, [
      keys.length,
      ...keys,
      c.channel,
      call.requestId,
      call.payloadHash,
      JSON.stringify(call.input),
      ctx.config.EVENT_LOG_MAX,
      shape.date,
      [...dps].join(","),
      ctx.config.MAX_ENTRIES_PER_DEVICE,
      `${randomInt(2 ** 31)},${randomInt(2 ** 31)}`,
    ]);
    const parsed = JSON.parse(reply) as ScriptFailure | object;
    if (!isFailure(parsed) || parsed.err !== "retry" || attempt >= 3) return reply;
    if (typeof parsed.dp === "string") dps.add(parsed.dp);
    if (typeof parsed.date === "string") shape.date = parsed.date;
  }
}

/** Run join/update/cancel/mark/weigh. Returns the reply or the script's failure. */
export async function runEntryScript<S extends EntryScript>(
  ctx: Ctx,
  script: S,
  chainId: string,
  requestId: string,
  payloadHash: string,
  input: EntryScriptInputs[S],
): Promise<EntryScriptReply | ScriptFailure> {
  // A join names its drop point; the others act on an entry, whose drop point is looked up.
  const no = "no" in input ? input.no : undefined;
  const current = no === undefined ? null : await entryDropPoint(ctx, chainId, no);
  const dps = [current ?? "", ("dp" in input && input.dp) || ""];
  // A cancel or change may free units that the waitlist turns into entries at any drop point.
  if (script === "cancel" || script === "update")
    dps.push(...((await chainShape(ctx, chainId))?.dps ?? []));
  const reply = await runChainScript(ctx, script, chainId, { requestId, payloadHash, input, dps });
  // lib.lua entry_reply: the entry as stored, its version inside it.
  const parsed = JSON.parse(reply) as { p: PackedEntry } | ScriptFailure;
  if (isFailure(parsed)) return parsed;
  return { v: parsed.p.v ?? 0, e: expandEntry(parsed.p) };
}

/** Run waitlist:join or waitlist:leave (store/scripts/waitlist-*.lua). */
export async function runWaitlistScript(
  ctx: Ctx,
  script: "waitJoin" | "waitLeave",
  chainId: string,
  requestId: string,
  payloadHash: string,
  input: WaitlistScriptInputs[typeof script],
): Promise<WaiterReply | ScriptFailure> {
  const reply = await runChainScript(ctx, script, chainId, {
    requestId,
    payloadHash,
    input,
    dps: [],
  });
  return JSON.parse(reply) as WaiterReply | ScriptFailure;
}

export interface WaitlistScriptInputs {
  waitJoin: {
    dp: string;
    name: string;
    bld: string;
    phone?: string;
    item: string;
    qty: number;
    dh: string;
    /** Requests that may wait at once for the item (config WAITLIST_MAX_PER_ITEM). */
    max: number;
  };
  waitLeave: { id: number; dh: string };
}

/** A chain's waitlist: every queue and waiter. */
export async function readWaitlist(ctx: Ctx, chainId: string): Promise<WaitlistRecord> {
  return parseWaitlist(await ctx.redis.hgetall(chainKeys(ctx, chainId).chain.wait));
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
  request: { requestId: string; payloadHash: string } = { requestId: "", payloadHash: "" },
): Promise<{ v: number; status: ChainStatus } | ScriptFailure> {
  // Cancelling takes entries off every drop point's list: send them all.
  const dps = (await chainShape(ctx, chainId))?.dps ?? [];
  const reply = await runChainScript(ctx, "chain", chainId, { ...request, input: edit, dps });
  const parsed = JSON.parse(reply) as { v: number; status: ChainStatus } | ScriptFailure;
  if (!isFailure(parsed) && edit.cutoff !== undefined) {
    await write(ctx.redis, () => ctx.redis.zadd(ctx.keys.cutoffs, edit.cutoff as number, chainId));
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
  const reply = await runScript(ctx, "jlCloseDue", k.meta, [
    3,
    k.meta,
    k.events,
    c.channel,
    c.channel,
    ctx.config.EVENT_LOG_MAX,
  ]);
  const r = JSON.parse(reply) as {
    closed?: boolean;
    gone?: boolean;
    done?: boolean;
    cutoff?: number;
  };
  const cutoff = r.cutoff;
  if (r.gone || r.closed || r.done)
    await write(ctx.redis, () => ctx.redis.zrem(ctx.keys.cutoffs, chainId));
  else if (cutoff !== undefined) {
    await write(ctx.redis, () => ctx.redis.zadd(ctx.keys.cutoffs, cutoff, chainId));
  }
  return r;
}

/** Chain ids of a community, optionally for one delivery date, newest date first. */
export async function listChainIds(
  ctx: Ctx,
  communityId: string,
  opts: { date?: string; growerId?: string; from?: string },
): Promise<string[]> {
  const c = ctx.keys.community(communityId);
  const key = opts.growerId ? c.growerChains(opts.growerId) : c.chains;
  // Delivering on `from` or later (the residents' home page).
  if (opts.from) return ctx.redis.zrangebyscore(key, dateScore(opts.from), "+inf", "LIMIT", 0, 200);
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

/** The one reader of a (date, drop point) totals hash (its fields: records.ts DayTotalsRecord). */
function parseDayTotals(hash: Record<string, string>): DayTotalsRecord {
  const chains = new Map<string, DayChainTotals>();
  const chain = (id: string) => {
    let c = chains.get(id);
    if (!c) {
      c = { entries: 0, amountFen: 0, items: new Map() };
      chains.set(id, c);
    }
    return c;
  };
  for (const [field, value] of Object.entries(hash)) {
    const [kind, chainId, itemId] = field.split(":");
    if (!chainId) continue;
    if (kind === "n") chain(chainId).entries = Number(value);
    else if (kind === "amt") chain(chainId).amountFen = Number(value);
    else if (itemId && (kind === "q" || kind === "a")) {
      const items = chain(chainId).items;
      const item = items.get(itemId) ?? { qtyMilli: 0, amountFen: 0 };
      if (kind === "q") item.qtyMilli = Number(value);
      else item.amountFen = Number(value);
      items.set(itemId, item);
    }
  }
  for (const c of chains.values()) {
    for (const [id, item] of c.items) if (item.qtyMilli === 0) c.items.delete(id);
  }
  return { entries: Number(hash.n ?? 0), amountFen: Number(hash.amt ?? 0), chains };
}

/** A (date, drop point) pickup list as the scripts keep it: entry refs and totals. */
export async function readDayDropPoint(
  ctx: Ctx,
  communityId: string,
  date: string,
  dropPointId: string,
): Promise<{ refs: string[]; totals: DayTotalsRecord }> {
  const c = ctx.keys.community(communityId);
  const res = await readTx(ctx)
    .smembers(c.dayEntries(date, dropPointId))
    .hgetall(c.dayTotals(date, dropPointId))
    .exec();
  const refs = ((res?.[0]?.[1] ?? []) as string[]).filter((r) => r !== "_");
  return { refs, totals: parseDayTotals((res?.[1]?.[1] ?? {}) as Record<string, string>) };
}

export async function readDayTotals(
  ctx: Ctx,
  communityId: string,
  date: string,
  dropPointIds: string[],
): Promise<DayTotalsRecord[]> {
  const c = ctx.keys.community(communityId);
  const pipe = ctx.redis.pipeline();
  for (const dp of dropPointIds) pipe.hgetall(c.dayTotals(date, dp));
  const res = (await pipe.exec()) ?? [];
  return dropPointIds.map((_, i) => parseDayTotals((res[i]?.[1] ?? {}) as Record<string, string>));
}
