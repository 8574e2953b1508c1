/**
 * The scenarios, each pairing the app with its ceiling. Every one runs in its own Resources scope
 * (run.ts), on fresh processes and a fresh redis-server, and logs each process's CPU.
 */

import path from "node:path";
import type { CpuWindow, Proc } from "./cpu.js";
import { type LoopResult, mergeLoops, percentile } from "./loop.js";
import type { BenchOptions } from "./options.js";
import { type ProfileSummary, summariseProfile } from "./profile.js";
import type {
  BurstResult,
  ConnectJob,
  FanoutTemplate,
  HttpResult,
  JoinTarget,
  SerialSend,
  WatchReport,
  WatchSummary,
} from "./protocol.js";
import {
  aofBytes,
  type CommandSample,
  type CommandStats,
  diffStats,
  rewriteAof,
  sampleCommands,
  scriptCommandStats,
  usedMemory,
} from "./redis-stats.js";
import type { Resources } from "./resources.js";
import {
  type AppProcess,
  type Generators,
  type Loader,
  measured,
  self,
  split,
  startApp,
  startCeiling,
  startRedis,
  windowed,
} from "./stage.js";
import type { Timeline } from "./timeline.js";
import {
  makeChain,
  makeWorld,
  pickupListPath,
  readAllEntries,
  readChain,
  readPickupList,
  type World,
} from "./world.js";

/** Every process's CPU over each measured part of each scenario, for the report. */
export type CpuLog = { scenario: string; cpu: CpuWindow }[];

export interface Ctx {
  o: BenchOptions;
  res: Resources;
  gens: Generators;
  cpuLog: CpuLog;
  say: (msg: string) => void;
}

export interface Latency {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function latencyOf(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

export interface BurstSummary extends Latency {
  outcomes: Record<string, number>;
  wallMs: number;
}

const FAKE_TARGET: JoinTarget = {
  chainId: "benchc-benchchain",
  dropPointIds: ["benchdp1"],
  itemIds: ["i1", "i2"],
};

/** Connect `total` sockets of a group, split over the loaders. */
async function connectAll(
  loaders: Loader[],
  total: number,
  job: Omit<ConnectJob, "count">,
): Promise<void> {
  const counts = split(total, loaders.length);
  await Promise.all(
    loaders.map((l, i) => l.child.call("connect", { ...job, count: counts[i] ?? 0 }, 300_000)),
  );
}

/** The closed loop on every loader that has sockets in `group`, merged. */
async function loopAll(
  ctx: Ctx,
  loaders: Loader[],
  group: string,
  target: JoinTarget,
  bound: { warmupMs: number; durationMs: number; stopAfterOk?: number; timeoutMs?: number },
): Promise<LoopResult> {
  const timeoutMs = bound.timeoutMs ?? ctx.o.timeoutMs;
  const stops = bound.stopAfterOk === undefined ? [] : split(bound.stopAfterOk, loaders.length);
  const parts = await Promise.all(
    loaders.map((l, i) =>
      l.child.call<LoopResult>(
        "loop",
        {
          group,
          target,
          inflight: ctx.o.inflight,
          warmupMs: bound.warmupMs,
          durationMs: bound.durationMs,
          timeoutMs,
          stopAfterOk: stops[i],
        },
        bound.warmupMs + bound.durationMs + timeoutMs + 60_000,
      ),
    ),
  );
  return mergeLoops(parts);
}

async function burstAll(
  ctx: Ctx,
  loaders: Loader[],
  target: JoinTarget,
  procs: Proc[],
  name: string,
) {
  const perSocket = Math.ceil(ctx.o.burstJoins / ctx.o.burstSockets);
  const t0 = performance.now();
  const { value: parts, cpu } = await measured(procs, () =>
    Promise.all(
      loaders.map((l) =>
        l.child.call<BurstResult>(
          "burst",
          { group: "burst", target, perSocket, timeoutMs: 60_000 },
          120_000,
        ),
      ),
    ),
  );
  const wallMs = performance.now() - t0;
  ctx.cpuLog.push({ scenario: name, cpu });
  const outcomes: Record<string, number> = {};
  for (const p of parts) {
    for (const [k, n] of Object.entries(p.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
  }
  const summary: BurstSummary = {
    ...latencyOf(parts.flatMap((p) => p.latencies)),
    outcomes,
    wallMs,
  };
  return summary;
}

const perOp = (ms: number | null, ops: number) =>
  ms === null || ops <= 0 ? Number.NaN : (ms * 1000) / ops;

function cpuOf(cpu: CpuWindow, label: string) {
  const row = cpu.rows.find((r) => r.label === label);
  return {
    processMs: row ? row.userMs + row.sysMs : Number.NaN,
    mainThreadMs: row?.mainThreadMs ?? null,
  };
}

// ---- ceilings ----------------------------------------------------------------------------------

export interface EchoResult {
  loop: LoopResult;
  /** CPU µs per echoed message: the server's main thread, and its whole process. */
  usPerMsgMain: number;
  usPerMsgProcess: number;
  burst: BurstSummary;
}

/** The bare Socket.IO echo under the joiners' closed loop, then under the burst. */
export async function echoCeiling(ctx: Ctx): Promise<EchoResult> {
  const { o, res } = ctx;
  const server = await startCeiling(res, "socket");
  const joiners = ctx.gens.take("joiners", 0, o.joinerProcs);
  const procs = [server.proc, ...joiners.map((l) => l.proc), self];
  await connectAll(joiners, o.clients, {
    group: "load",
    server: "ceiling",
    url: server.url,
    deviceKeys: false,
    timeoutMs: o.timeoutMs,
  });
  const { value: loop, cpu } = await windowed(procs, o, () =>
    loopAll(ctx, joiners, "load", FAKE_TARGET, o),
  );
  ctx.cpuLog.push({ scenario: "P1 ceiling: bare Socket.IO echo, closed loop", cpu });
  const c = cpuOf(cpu, server.proc.label);
  ctx.say(`  echo: ${Math.round(loop.opsPerSec)} msg/s, p99 ${loop.p99Ms.toFixed(1)} ms`);

  await connectAll(joiners, o.burstSockets, {
    group: "burst",
    server: "ceiling",
    url: server.url,
    deviceKeys: false,
    timeoutMs: o.timeoutMs,
  });
  const burst = await burstAll(
    ctx,
    joiners,
    FAKE_TARGET,
    procs,
    "P2 ceiling: bare Socket.IO echo, burst",
  );
  ctx.say(`  echo burst of ${burst.count}: p99 ${burst.p99Ms.toFixed(1)} ms`);
  return {
    loop,
    usPerMsgMain: perOp(c.mainThreadMs, loop.measuredOps),
    usPerMsgProcess: perOp(c.processMs, loop.measuredOps),
    burst,
  };
}

export interface RedisCeilingResult {
  loop: LoopResult;
  usPerCall: number;
}

/** Raw Redis: a three-call Lua script in a closed loop from one generator process. */
export async function redisCeiling(ctx: Ctx): Promise<RedisCeilingResult> {
  const { o, res } = ctx;
  const r = await startRedis(o, res, "ceiling");
  const [gen] = ctx.gens.take("lua caller", 0, 1);
  if (!gen) throw new Error("no generator");
  const procs = [r.proc, gen.proc, self];
  let stats: CommandStats = { calls: 0, usec: 0 };
  const { value: loop, cpu } = await windowed(
    procs,
    o,
    () =>
      gen.child.call<LoopResult>(
        "lua",
        {
          url: r.managed.url,
          callers: o.clients * o.inflight,
          warmupMs: o.warmupMs,
          durationMs: o.durationMs,
          timeoutMs: o.timeoutMs,
        },
        o.warmupMs + o.durationMs + 60_000,
      ),
    {
      start: () => scriptCommandStats(r.redis),
      end: async (s) => {
        stats = diffStats(s, await scriptCommandStats(r.redis));
      },
    },
  );
  ctx.cpuLog.push({ scenario: "Redis ceiling: 3-call Lua script", cpu });
  const usPerCall = stats.calls > 0 ? stats.usec / stats.calls : Number.NaN;
  ctx.say(`  3-call Lua: ${usPerCall.toFixed(1)} µs per call in redis-server`);
  return { loop, usPerCall };
}

async function httpAll(
  ctx: Ctx,
  loaders: Loader[],
  url: string,
  headers: Record<string, string>,
  connections = ctx.o.httpConnections,
) {
  const counts = split(connections, loaders.length);
  const parts = await Promise.all(
    loaders.map((l, i) =>
      l.child.call<HttpResult>(
        "http",
        {
          url,
          headers,
          connections: counts[i] ?? 0,
          warmupMs: ctx.o.warmupMs,
          durationMs: ctx.o.durationMs,
          timeoutMs: 30_000,
        },
        ctx.o.warmupMs + ctx.o.durationMs + 90_000,
      ),
    ),
  );
  return { ...mergeLoops(parts), bodyBytes: parts[0]?.bodyBytes ?? 0 };
}

// ---- the app under load: CPU per join, Redis per join, memory per entry, P1 ---------------------

export interface AppLoadResult {
  noWatchers: {
    loop: LoopResult;
    usPerJoinMain: number;
    usPerJoinProcess: number;
    redisUsPerJoin: number;
    script: CommandStats & { usPerCall: number; callsPerJoin: number };
  };
  memory: {
    entries: number;
    usedPerEntry: number;
    aofLivePerEntry: number;
    aofRewrittenPerEntry: number;
  };
  withWatchers: { loop: LoopResult; watch: WatchSummary; expected: number };
}

export async function appLoad(ctx: Ctx): Promise<AppLoadResult> {
  const { o, res } = ctx;
  const r = await startRedis(o, res, "app-load");
  const app = await startApp(res, r.managed.url);
  const joiners = ctx.gens.take("joiners", 0, o.joinerProcs);
  const watchers = ctx.gens.take("watchers", o.joinerProcs, o.watcherProcs);
  const world = await makeWorld(app.baseUrl, app.child.hello.setupLink);
  const quiet = await makeChain(world, { dropPoints: 10 });
  await connectAll(joiners, o.clients, {
    group: "load",
    server: "app",
    url: app.baseUrl,
    deviceKeys: true,
    timeoutMs: o.timeoutMs,
  });

  // Memory and AOF before: compacted, so the delta is what the joins added.
  await rewriteAof(r.redis);
  const mem0 = await usedMemory(r.redis);
  const aof0 = aofBytes(r.managed.dir);

  const procs = [
    app.proc,
    r.proc,
    ...joiners.map((l) => l.proc),
    ...watchers.map((l) => l.proc),
    self,
  ];
  let script: CommandStats = { calls: 0, usec: 0 };
  const { value: loop, cpu } = await windowed(
    procs,
    o,
    () => loopAll(ctx, joiners, "load", quiet.target, o),
    {
      start: () => scriptCommandStats(r.redis),
      end: async (s) => {
        script = diffStats(s, await scriptCommandStats(r.redis));
      },
    },
  );
  ctx.cpuLog.push({ scenario: "App: entry:join, no watchers", cpu });
  const c = cpuOf(cpu, "app");
  const redisCpu = cpuOf(cpu, "redis-server");
  ctx.say(`  no watchers: ${Math.round(loop.opsPerSec)} joins/s, p99 ${loop.p99Ms.toFixed(1)} ms`);

  const entries = loop.totalOk;
  const mem1 = await usedMemory(r.redis);
  const aof1 = aofBytes(r.managed.dir);
  await rewriteAof(r.redis);
  const aof2 = aofBytes(r.managed.dir);

  // P1: the same app, a new chain, W watchers on it.
  const busy = await makeChain(world, { dropPoints: 10 });
  await connectAll(watchers, o.watchers, {
    group: "watch",
    server: "app",
    url: app.baseUrl,
    deviceKeys: false,
    watchChainId: busy.target.chainId,
    timeoutMs: o.timeoutMs,
  });
  const p1 = await windowed(procs, o, () => loopAll(ctx, joiners, "load", busy.target, o));
  ctx.cpuLog.push({ scenario: `P1: entry:join with ${o.watchers} watchers`, cpu: p1.cpu });
  const expected = p1.value.totalOk;
  const reports = await Promise.all(
    watchers.map((w) =>
      w.child.call<WatchReport>(
        "watched",
        { group: "watch", expected, drainTimeoutMs: 30_000 },
        90_000,
      ),
    ),
  );
  const watch = mergeWatch(reports.map((x) => x.summary));
  ctx.say(
    `  ${o.watchers} watchers: ${Math.round(p1.value.opsPerSec)} joins/s; events each ${watch.eventsMin}–${watch.eventsMax} of ${expected}`,
  );
  return {
    noWatchers: {
      loop,
      usPerJoinMain: perOp(c.mainThreadMs, loop.measuredOps),
      usPerJoinProcess: perOp(c.processMs, loop.measuredOps),
      redisUsPerJoin: perOp(redisCpu.processMs, loop.measuredOps),
      script: {
        ...script,
        usPerCall: script.calls > 0 ? script.usec / script.calls : Number.NaN,
        callsPerJoin: loop.measuredOps > 0 ? script.calls / loop.measuredOps : Number.NaN,
      },
    },
    memory: {
      entries,
      usedPerEntry: (mem1 - mem0) / Math.max(1, entries),
      aofLivePerEntry: (aof1 - aof0) / Math.max(1, entries),
      aofRewrittenPerEntry: (aof2 - aof0) / Math.max(1, entries),
    },
    withWatchers: { loop: p1.value, watch, expected },
  };
}

function mergeWatch(parts: WatchSummary[]): WatchSummary {
  const sum = (f: (s: WatchSummary) => number) => parts.reduce((n, s) => n + f(s), 0);
  return {
    watchers: sum((s) => s.watchers),
    eventsMin: Math.min(...parts.map((s) => s.eventsMin)),
    eventsMax: Math.max(...parts.map((s) => s.eventsMax)),
    eventsTotal: sum((s) => s.eventsTotal),
    framesTotal: sum((s) => s.framesTotal),
    lost: sum((s) => s.lost),
    extra: sum((s) => s.extra),
    gaps: sum((s) => s.gaps),
    outOfOrder: sum((s) => s.outOfOrder),
    disconnected: sum((s) => s.disconnected),
    disconnectReasons: [...new Set(parts.flatMap((s) => s.disconnectReasons))],
    drainMs: Math.max(...parts.map((s) => s.drainMs)),
  };
}

// ---- P2: the burst -------------------------------------------------------------------------------

export interface AppBurstResult {
  burst: BurstSummary;
  /** The same burst as the app saw it (bench/timeline.ts). */
  timeline: Timeline;
  stock: number;
  okAcks: number;
  /** As GET /api/chains/:chainId reports it afterwards. */
  sold: number;
  remaining: number | null;
  activeEntries: number;
}

export async function appBurst(ctx: Ctx): Promise<AppBurstResult> {
  const { o, res } = ctx;
  const r = await startRedis(o, res, "burst");
  const app = await startApp(res, r.managed.url);
  const joiners = ctx.gens.take("joiners", 0, o.joinerProcs);
  const world = await makeWorld(app.baseUrl, app.child.hello.setupLink);
  const burstChain = () =>
    makeChain(world, {
      dropPoints: 3,
      items: [{ name: "草莓", unit: "盒", priceFen: 3000, step: 1, stock: o.burstStock }],
    });
  const warmUp = await burstChain();
  const { target } = await burstChain();
  await connectAll(joiners, o.burstSockets, {
    group: "burst",
    server: "app",
    url: app.baseUrl,
    deviceKeys: true,
    timeoutMs: o.timeoutMs,
  });
  const procs = [app.proc, r.proc, ...joiners.map((l) => l.proc), self];
  // Like for like: the echo meets its burst warm (after its closed loop); the app first serves the
  // same burst on another chain (not measured), so its code is not cold either.
  await burstAll(ctx, joiners, warmUp.target, procs, "P2 warm-up: the same burst, another chain");
  await app.child.call("timelineStart");
  const burst = await burstAll(
    ctx,
    joiners,
    target,
    procs,
    `P2: ${o.burstJoins} joins at once on ${o.burstStock} units`,
  );
  const timeline = await app.child.call<Timeline>("timelineStop");
  const snapshot = await readChain(world, target.chainId);
  const item = snapshot.chain.items[0];
  const result: AppBurstResult = {
    burst,
    timeline,
    stock: o.burstStock,
    okAcks: burst.outcomes.ok ?? 0,
    sold: item?.sold ?? Number.NaN,
    remaining: item?.remaining ?? null,
    activeEntries: (await readAllEntries(world, target.chainId)).filter(
      (e) => e.status === "active",
    ).length,
  };
  ctx.say(
    `  burst: ${result.okAcks} ok acks, sold ${result.sold}, ${result.activeEntries} active entries; p99 ${burst.p99Ms.toFixed(1)} ms`,
  );
  return result;
}

// ---- P4: the pickup list over HTTP ---------------------------------------------------------------

export interface PickupResult {
  hello: HttpResult;
  list: HttpResult;
  /** One request at a time over one connection: the page's own latency, without queueing. */
  helloAlone: HttpResult;
  listAlone: HttpResult;
  entries: number;
}

export async function pickupList(ctx: Ctx): Promise<PickupResult> {
  const { o, res } = ctx;
  const helloScope = await startCeiling(res, "http");
  const httpGens = ctx.gens.take("http", 0, o.httpProcs);
  const helloProcs = [helloScope.proc, ...httpGens.map((l) => l.proc), self];
  const hello = await windowed(helloProcs, o, () =>
    httpAll(ctx, httpGens, `${helloScope.url}/`, {}),
  );
  ctx.cpuLog.push({ scenario: "P4 ceiling: Express hello-world", cpu: hello.cpu });
  ctx.say(
    `  hello-world: ${Math.round(hello.value.opsPerSec)} req/s, p50 ${hello.value.p50Ms.toFixed(2)} ms`,
  );
  const helloAlone = await httpAll(ctx, httpGens.slice(0, 1), `${helloScope.url}/`, {}, 1);
  await helloScope.child.close();

  const r = await startRedis(o, res, "pickup");
  const app = await startApp(res, r.managed.url);
  const joiners = ctx.gens.take("joiners", 0, 1);
  const world = await makeWorld(app.baseUrl, app.child.hello.setupLink);
  const { target, chain } = await makeChain(world, { dropPoints: 1 });
  await connectFill(ctx, joiners, app);
  await fill(ctx, joiners, target, o.pickupEntries);
  const dp = target.dropPointIds[0] ?? "";
  const list = await readPickupList(world, chain.deliveryDate, dp);
  const procs = [app.proc, r.proc, ...httpGens.map((l) => l.proc), self];
  const url = `${app.baseUrl}${pickupListPath(world, chain.deliveryDate, dp)}`;
  const auth = { authorization: `Bearer ${world.coordinatorToken}` };
  const got = await windowed(procs, o, () => httpAll(ctx, httpGens, url, auth));
  ctx.cpuLog.push({ scenario: `P4: pickup list of ${list.totals.entries} entries`, cpu: got.cpu });
  ctx.say(
    `  pickup list: ${Math.round(got.value.opsPerSec)} req/s, p50 ${got.value.p50Ms.toFixed(1)} ms`,
  );
  const listAlone = await httpAll(ctx, httpGens.slice(0, 1), url, auth, 1);
  ctx.say(`  pickup list alone: p50 ${listAlone.p50Ms.toFixed(1)} ms`);
  return {
    hello: hello.value,
    list: got.value,
    helloAlone,
    listAlone,
    entries: list.totals.entries,
  };
}

/** Sockets that fill a chain with entries (group "fill"), before the measured part. */
async function connectFill(ctx: Ctx, loaders: Loader[], app: AppProcess): Promise<void> {
  await connectAll(loaders, Math.min(ctx.o.clients, 20), {
    group: "fill",
    server: "app",
    url: app.baseUrl,
    deviceKeys: true,
    timeoutMs: 30_000,
  });
}

/**
 * Joins on a chain of its own before a scenario that times single joins, so the first ones
 * measured do not run on a cold JIT. Leaves the "fill" sockets connected.
 */
async function warmUp(ctx: Ctx, loaders: Loader[], app: AppProcess, world: World): Promise<void> {
  await connectFill(ctx, loaders, app);
  const warm = await makeChain(world, { dropPoints: 1 });
  await fill(ctx, loaders, warm.target, ctx.o.warmupJoins);
}

/** Join about `count` more times (the loop stops near it), every join ok. */
async function fill(ctx: Ctx, loaders: Loader[], target: JoinTarget, count: number): Promise<void> {
  if (count <= 0) return;
  const r = await loopAll(ctx, loaders, "fill", target, {
    warmupMs: 0,
    durationMs: 20 * 60_000,
    stopAfterOk: count,
    // Past 9,000 entries on a drop point every join probes all 9,000 codes: slow, not broken.
    timeoutMs: 60_000,
  });
  if (r.totalErrors)
    throw new Error(`fill: ${r.totalErrors} joins failed: ${r.errorSamples.join(" | ")}`);
}

// ---- pickup codes at many entries -----------------------------------------------------------------

export interface CodeSample {
  /** Entry numbers of the sampled joins. */
  firstNo: number;
  lastNo: number;
  latency: Latency;
  /** Mean redis-server µs per script call during the sample, and script calls per join. */
  redisUsPerCall: number;
  callsPerJoin: number;
}

export interface CodesResult {
  low: CodeSample;
  high: CodeSample;
  entries: number;
  /** Entries on the list whose pickup code another entry also has. */
  duplicateCodes: number;
  /** Top-level Redis commands (SLOWLOG) during the low sample: what a join runs in Redis. */
  commands: CommandSample[];
  sampleJoins: number;
}

export async function pickupCodes(ctx: Ctx): Promise<CodesResult> {
  const { o, res } = ctx;
  const r = await startRedis(o, res, "codes");
  const app = await startApp(res, r.managed.url);
  const joiners = ctx.gens.take("joiners", 0, o.joinerProcs);
  const world = await makeWorld(app.baseUrl, app.child.hello.setupLink);
  await warmUp(ctx, joiners, app, world);
  const { target, chain } = await makeChain(world, {
    dropPoints: 1,
    items: [{ name: "黄瓜", unit: "斤", priceFen: 200, step: 1 }],
  });
  const [first] = joiners;
  if (!first) throw new Error("no joiners");
  await first.child.call("connect", {
    group: "probe",
    server: "app",
    url: app.baseUrl,
    count: 1,
    deviceKeys: true,
    timeoutMs: 60_000,
  } satisfies ConnectJob);
  const half = Math.floor(o.codesSamples / 2);
  const sample = async (): Promise<CodeSample> => {
    const s0 = await scriptCommandStats(r.redis);
    const sends = await first.child.call<SerialSend[]>(
      "serial",
      { group: "probe", kind: "join", target, count: o.codesSamples, gapMs: 0, timeoutMs: 60_000 },
      600_000,
    );
    const s = diffStats(s0, await scriptCommandStats(r.redis));
    return {
      firstNo: sends[0]?.no ?? Number.NaN,
      lastNo: sends.at(-1)?.no ?? Number.NaN,
      latency: latencyOf(sends.map((x) => x.ackMs)),
      redisUsPerCall: s.calls > 0 ? s.usec / s.calls : Number.NaN,
      callsPerJoin: s.calls / Math.max(1, sends.length),
    };
  };
  const procs = [app.proc, r.proc, ...joiners.map((l) => l.proc), self];
  const { value, cpu } = await measured(procs, async () => {
    await fill(ctx, joiners, target, o.codesLow - half - 1);
    const box: { low?: CodeSample } = {};
    const commands = await sampleCommands(r.redis, async () => {
      box.low = await sample();
    });
    const { low } = box;
    if (!low) throw new Error("no sample near the low entry");
    ctx.say(`  joins #${low.firstNo}–${low.lastNo}: p50 ${low.latency.p50Ms.toFixed(2)} ms`);
    await fill(ctx, joiners, target, o.codesHigh - half - 1 - low.lastNo);
    const high = await sample();
    ctx.say(`  joins #${high.firstNo}–${high.lastNo}: p50 ${high.latency.p50Ms.toFixed(2)} ms`);
    return { low, high, commands };
  });
  ctx.cpuLog.push({
    scenario: `Pickup codes: filling one drop point to ${o.codesHigh} entries`,
    cpu,
  });
  const list = await readPickupList(world, chain.deliveryDate, target.dropPointIds[0] ?? "");
  const codes = new Map<string, number>();
  for (const resident of list.residents) {
    for (const e of resident.entries) {
      const code = e.pickupCode ?? "";
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  }
  const duplicateCodes = [...codes.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0);
  return { ...value, entries: list.totals.entries, duplicateCodes, sampleJoins: o.codesSamples };
}

// ---- P3: fan-out, and heap per watcher -----------------------------------------------------------

export interface FanoutRun {
  watchers: number;
  latency: Latency;
  /** Missing or extra events, summed over watchers. */
  lost: number;
  extra: number;
  heapPerWatcher: number;
  connectMs: number;
}

export interface FanoutResult {
  app: FanoutRun[];
  bare: FanoutRun[];
  template: FanoutTemplate | null;
}

type HeapReading = { heapUsed: number };

async function fanoutRun(
  ctx: Ctx,
  name: string,
  n: number,
  watchers: Loader[],
  procs: Proc[],
  parts: {
    heap: () => Promise<HeapReading>;
    connect: ConnectJob;
    probe: (count: number) => Promise<SerialSend[]>;
  },
): Promise<{ run: FanoutRun; template: FanoutTemplate | null }> {
  const { o } = ctx;
  const h0 = await parts.heap();
  const t0 = performance.now();
  await connectAll(watchers, n, parts.connect);
  const connectMs = performance.now() - t0;
  const h1 = await parts.heap();
  // One probe at a time: the next goes once every watcher has the last (and a short pause), so
  // each latency is one broadcast's, not a queue's.
  const { value: sends, cpu } = await measured(procs, async () => {
    const out: SerialSend[] = [];
    for (let i = 1; i <= o.fanoutProbes; i++) {
      out.push(...(await parts.probe(1)));
      await Promise.all(
        watchers.map((w) =>
          w.child.call(
            "waitFor",
            { group: parts.connect.group, expected: i, timeoutMs: 30_000 },
            60_000,
          ),
        ),
      );
      await new Promise((r) => setTimeout(r, o.fanoutGapMs));
    }
    return out;
  });
  ctx.cpuLog.push({ scenario: `${name}, ${n} watchers (${o.fanoutProbes} probes)`, cpu });
  const reports = await Promise.all(
    watchers.map((w) =>
      w.child.call<WatchReport>(
        "watched",
        { group: parts.connect.group, expected: o.fanoutProbes, drainTimeoutMs: 30_000 },
        90_000,
      ),
    ),
  );
  const sentAt = new Map(sends.map((s) => [s.version, s.sentAt]));
  const latencies: number[] = [];
  for (const rep of reports) {
    for (const [version, times] of rep.arrivals) {
      const at = sentAt.get(version);
      if (at === undefined) continue;
      for (const t of times) latencies.push(t - at);
    }
  }
  const watch = mergeWatch(reports.map((x) => x.summary));
  await Promise.all(watchers.map((w) => w.child.call("disconnect", parts.connect.group)));
  const run: FanoutRun = {
    watchers: n,
    latency: latencyOf(latencies),
    lost: watch.lost,
    extra: watch.extra,
    heapPerWatcher: (h1.heapUsed - h0.heapUsed) / n,
    connectMs,
  };
  ctx.say(
    `  ${name}, ${n} watchers (connected in ${(connectMs / 1000).toFixed(1)} s): p50 ${run.latency.p50Ms.toFixed(1)} ms, p99 ${run.latency.p99Ms.toFixed(1)} ms; heap ${Math.round(run.heapPerWatcher)} B per watcher`,
  );
  return { run, template: reports.find((x) => x.sample)?.sample ?? null };
}

export async function fanout(ctx: Ctx): Promise<FanoutResult> {
  const { o, res } = ctx;
  // The app first: its broadcasts become the bare server's template.
  const appRuns: FanoutRun[] = [];
  let template: FanoutTemplate | null = null;
  {
    const r = await startRedis(o, res, "fanout");
    const app = await startApp(res, r.managed.url);
    const [driver] = ctx.gens.take("driver", 0, 1);
    const watchers = ctx.gens.take("watchers", 1, o.fanoutProcs);
    if (!driver) throw new Error("no driver");
    const world = await makeWorld(app.baseUrl, app.child.hello.setupLink);
    await warmUp(ctx, [driver], app, world);
    const { target } = await makeChain(world, { dropPoints: 1 });
    await driver.child.call("connect", {
      group: "probe",
      server: "app",
      url: app.baseUrl,
      count: 1,
      deviceKeys: true,
      timeoutMs: o.timeoutMs,
    } satisfies ConnectJob);
    const procs = [app.proc, r.proc, driver.proc, ...watchers.map((l) => l.proc), self];
    for (const n of o.fanouts) {
      const { run, template: t } = await fanoutRun(ctx, "P3: app broadcast", n, watchers, procs, {
        heap: () => app.child.call<HeapReading>("heap"),
        connect: {
          group: `w${n}`,
          server: "app",
          url: app.baseUrl,
          count: 0,
          deviceKeys: false,
          watchChainId: target.chainId,
          arrivals: true,
          timeoutMs: 60_000,
        },
        probe: (count) =>
          driver.child.call<SerialSend[]>(
            "serial",
            {
              group: "probe",
              kind: "join",
              target,
              count,
              gapMs: o.fanoutGapMs,
              timeoutMs: o.timeoutMs,
            },
            600_000,
          ),
      });
      appRuns.push(run);
      template ??= t;
    }
    await ctx.gens.reset();
    await app.child.close();
  }
  if (!template) throw new Error("the app's watchers received no broadcast to copy");

  const bareRuns: FanoutRun[] = [];
  const server = await startCeiling(res, "socket");
  const [driver] = ctx.gens.take("driver", 0, 1);
  const watchers = ctx.gens.take("watchers", 1, o.fanoutProcs);
  if (!driver) throw new Error("no driver");
  await server.child.call("template", template);
  await driver.child.call("connect", {
    group: "probe",
    server: "ceiling",
    url: server.url,
    count: 1,
    deviceKeys: false,
    timeoutMs: o.timeoutMs,
  } satisfies ConnectJob);
  const procs = [server.proc, driver.proc, ...watchers.map((l) => l.proc), self];
  let version = 1;
  for (const n of o.fanouts) {
    const { run } = await fanoutRun(ctx, "P3 ceiling: bare io.to(room).emit", n, watchers, procs, {
      heap: () => server.child.call<HeapReading>("heap"),
      connect: {
        group: `w${n}`,
        server: "ceiling",
        url: server.url,
        count: 0,
        deviceKeys: false,
        watchRoom: true,
        arrivals: true,
        timeoutMs: 60_000,
      },
      probe: async (count) => {
        const sends = await driver.child.call<SerialSend[]>(
          "serial",
          {
            group: "probe",
            kind: "fanout",
            target: FAKE_TARGET,
            count,
            gapMs: o.fanoutGapMs,
            timeoutMs: o.timeoutMs,
            firstVersion: version,
          },
          600_000,
        );
        version += count;
        return sends;
      },
    });
    bareRuns.push(run);
  }
  return { app: appRuns, bare: bareRuns, template };
}

// ---- the profile -------------------------------------------------------------------------------

export interface ProfileResult {
  file: string;
  joins: number;
  summary: ProfileSummary;
}

/**
 * The no-watcher join loop once more, with the app's main thread profiled over the measured
 * window (not used for any figure: the profiler slows the app down).
 */
export async function profileJoins(ctx: Ctx, dir: string): Promise<ProfileResult> {
  const { o, res } = ctx;
  const r = await startRedis(o, res, "profile");
  const app = await startApp(res, r.managed.url);
  const joiners = ctx.gens.take("joiners", 0, o.joinerProcs);
  const world = await makeWorld(app.baseUrl, app.child.hello.setupLink);
  const { target } = await makeChain(world, { dropPoints: 10 });
  await connectAll(joiners, o.clients, {
    group: "load",
    server: "app",
    url: app.baseUrl,
    deviceKeys: true,
    timeoutMs: o.timeoutMs,
  });
  const file = path.join(dir, `app-joins-${Date.now()}.cpuprofile`);
  const procs = [app.proc, r.proc, ...joiners.map((l) => l.proc), self];
  const { value: loop, cpu } = await windowed(
    procs,
    o,
    () => loopAll(ctx, joiners, "load", target, o),
    {
      start: () => app.child.call("profileStart", PROFILE_INTERVAL_US),
      end: async () => {
        await app.child.call("profileStop", file);
      },
    },
  );
  ctx.cpuLog.push({
    scenario: "Profile run: entry:join, no watchers, app under the profiler",
    cpu,
  });
  return { file, joins: loop.measuredOps, summary: summariseProfile(file) };
}

/** V8's sampling interval for the profile: fine enough for a few seconds of joins. */
export const PROFILE_INTERVAL_US = 250;
