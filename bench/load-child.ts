/**
 * A load generator: one process holding groups of socket.io-client sockets (joiners, watchers)
 * or driving HTTP or raw Redis, as the orchestrator asks. Several run side by side, so no single
 * generator has to saturate a core; each one's CPU is reported beside the server's.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../shared/events.js";
import { exitSoon, serve } from "./ipc.js";
import { closedLoop, type Outcome } from "./loop.js";
import {
  type BurstJob,
  type BurstResult,
  type CeilingClientToServer,
  type ConnectJob,
  type FanoutTemplate,
  type HttpJob,
  type HttpResult,
  joinPayload,
  type LoopJob,
  type LuaJob,
  now,
  type SerialJob,
  type SerialSend,
  type WatchJob,
  type WatchReport,
  type WatchSummary,
} from "./protocol.js";
import { connectBenchRedis } from "./redis-stats.js";

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
// biome-ignore lint/complexity/noBannedTypes: the bare server sends only what `fanout` asks for
type CeilingSocket = Socket<{}, CeilingClientToServer>;

interface Watcher {
  events: number;
  frames: number;
  last: number | null;
  gaps: number;
  outOfOrder: number;
  disconnect: string | null;
}

interface Group {
  job: ConnectJob;
  sockets: Socket[];
  watchers: Watcher[];
  /** version → arrival times, when the group keeps arrivals. */
  arrivals: Map<number, number[]>;
  sample: FanoutTemplate | null;
}

const groups = new Map<string, Group>();

function groupOf(name: string): Group {
  const g = groups.get(name);
  if (!g) throw new Error(`no socket group ${name}`);
  return g;
}

function open(job: ConnectJob): Promise<Socket> {
  const socket = connect(job.url, {
    auth: job.deviceKeys ? { deviceKey: randomBytes(16).toString("base64url") } : {},
    transports: ["websocket"],
    forceNew: true,
    // A dropped socket is a finding, not something to paper over with a reconnect.
    reconnection: false,
    timeout: job.timeoutMs,
  });
  return new Promise<Socket>((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err: Error) => reject(err));
  });
}

/** Count and check every chain event a watcher receives (and when, if asked). */
function listen(g: Group, socket: Socket, w: Watcher): void {
  const seen = (e: { version: number }, at: number) => {
    w.events++;
    if (w.last !== null) {
      if (e.version > w.last + 1) w.gaps++;
      else if (e.version <= w.last) w.outOfOrder++;
    }
    w.last = Math.max(w.last ?? e.version, e.version);
    if (g.job.arrivals) {
      const list = g.arrivals.get(e.version);
      if (list) list.push(at);
      else g.arrivals.set(e.version, [at]);
    }
  };
  const keep = (event: string, payload: FanoutTemplate["payload"]) => {
    g.sample ??= { event, payload };
  };
  const s = socket as AppSocket;
  s.on("chain:events", (frame) => {
    const at = now();
    w.frames++;
    keep("chain:events", frame as unknown as FanoutTemplate["payload"]);
    for (const e of frame.events) seen(e, at);
  });
  s.on("disconnect", (reason) => {
    w.disconnect = reason;
  });
}

async function connectGroup(job: ConnectJob): Promise<{ connectMs: number }> {
  const started = performance.now();
  const g: Group = { job, sockets: [], watchers: [], arrivals: new Map(), sample: null };
  groups.set(job.group, g);
  // A few at a time, so the handshakes do not all land at once.
  const batch = 25;
  for (let i = 0; i < job.count; i += batch) {
    const size = Math.min(batch, job.count - i);
    await Promise.all(
      Array.from({ length: size }, async () => {
        const socket = await open(job);
        g.sockets.push(socket);
        if (job.watchChainId === undefined && !job.watchRoom) return;
        const w: Watcher = {
          events: 0,
          frames: 0,
          last: null,
          gaps: 0,
          outOfOrder: 0,
          disconnect: null,
        };
        g.watchers.push(w);
        listen(g, socket, w);
        if (job.watchRoom) {
          await (socket as CeilingSocket).timeout(job.timeoutMs).emitWithAck("watch");
          return;
        }
        const reply = await (socket as AppSocket)
          .timeout(job.timeoutMs)
          .emitWithAck("chain:watch", { chainId: job.watchChainId ?? "" });
        if (!reply.ok) throw new Error(`chain:watch failed: ${reply.error.code}`);
        w.last = reply.data.kind === "snapshot" ? reply.data.snapshot.version : reply.data.version;
      }),
    );
  }
  return { connectMs: Math.round(performance.now() - started) };
}

let sent = 0;

/** One request of a group's kind: entry:join to the app, echo to the bare server. */
function request(g: Group, job: { target: LoopJob["target"]; timeoutMs: number }) {
  return async (caller: number): Promise<Outcome> => {
    const socket = g.sockets[caller % g.sockets.length];
    if (!socket) throw new Error(`group ${g.job.group} has no sockets`);
    const payload = joinPayload(job.target, caller, sent++);
    if (g.job.server === "ceiling") {
      const reply = await (socket as CeilingSocket)
        .timeout(job.timeoutMs)
        .emitWithAck("echo", payload);
      return reply.requestId === payload.requestId
        ? { ok: true }
        : { ok: false, code: "echo_mismatch", message: `sent ${payload.requestId}` };
    }
    const reply = await (socket as AppSocket)
      .timeout(job.timeoutMs)
      .emitWithAck("entry:join", payload);
    return reply.ok
      ? { ok: true }
      : { ok: false, code: reply.error.code, message: reply.error.message };
  };
}

function loop(job: LoopJob) {
  const g = groupOf(job.group);
  return closedLoop({
    callers: g.sockets.length * job.inflight,
    warmupMs: job.warmupMs,
    durationMs: job.durationMs,
    stopAfterOk: job.stopAfterOk,
    op: request(g, job),
  });
}

/** Every socket sends perSocket requests at once; wait for every answer. */
async function burst(job: BurstJob): Promise<BurstResult> {
  const g = groupOf(job.group);
  const op = request(g, job);
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const one = async (caller: number) => {
    const sent = performance.now();
    let code: string;
    try {
      const o = await op(caller);
      code = o.ok ? "ok" : o.code;
    } catch (err) {
      code = err instanceof Error && /timed out/i.test(err.message) ? "timeout" : "exception";
    }
    latencies.push(performance.now() - sent);
    outcomes[code] = (outcomes[code] ?? 0) + 1;
  };
  const all: Promise<void>[] = [];
  for (let k = 0; k < job.perSocket; k++) {
    for (let i = 0; i < g.sockets.length; i++) all.push(one(i));
  }
  await Promise.all(all);
  return { latencies, outcomes };
}

/** One request at a time with a pause after each: fan-out probes and unloaded join costs. */
async function serial(job: SerialJob): Promise<SerialSend[]> {
  const g = groupOf(job.group);
  const socket = g.sockets[0];
  if (!socket) throw new Error(`group ${job.group} has no sockets`);
  const out: SerialSend[] = [];
  for (let i = 0; i < job.count; i++) {
    const sentAt = now();
    const t0 = performance.now();
    if (job.kind === "fanout") {
      const version = (job.firstVersion ?? 1) + i;
      await (socket as CeilingSocket).timeout(job.timeoutMs).emitWithAck("fanout", version);
      out.push({ version, sentAt, ackMs: performance.now() - t0, no: null });
    } else {
      const reply = await (socket as AppSocket)
        .timeout(job.timeoutMs)
        .emitWithAck("entry:join", joinPayload(job.target, i, sent++));
      if (!reply.ok) throw new Error(`entry:join: ${reply.error.code} ${reply.error.message}`);
      out.push({
        version: reply.data.version,
        sentAt,
        ackMs: performance.now() - t0,
        no: reply.data.entry.no,
      });
    }
    if (job.gapMs > 0) await new Promise((r) => setTimeout(r, job.gapMs));
  }
  return out;
}

/** Resolve once every watcher of the group has `expected` events; false after the timeout. */
async function waitFor(job: { group: string; expected: number; timeoutMs: number }) {
  const g = groupOf(job.group);
  const deadline = performance.now() + job.timeoutMs;
  while (g.watchers.some((w) => w.events < job.expected)) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}

/** Wait until every watcher of the group has `expected` events (or the timeout), then report. */
async function watched(job: WatchJob): Promise<WatchReport> {
  const g = groupOf(job.group);
  const started = performance.now();
  const deadline = started + job.drainTimeoutMs;
  while (performance.now() < deadline && g.watchers.some((w) => w.events < job.expected)) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const drainMs = Math.round(performance.now() - started);
  // Anything beyond `expected` still on its way shows up as extra events.
  await new Promise((r) => setTimeout(r, 50));
  const ws = g.watchers;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const events = ws.map((w) => w.events);
  const summary: WatchSummary = {
    watchers: ws.length,
    eventsMin: Math.min(...events),
    eventsMax: Math.max(...events),
    eventsTotal: sum(events),
    framesTotal: sum(ws.map((w) => w.frames)),
    lost: sum(events.map((n) => Math.max(0, job.expected - n))),
    extra: sum(events.map((n) => Math.max(0, n - job.expected))),
    gaps: sum(ws.map((w) => w.gaps)),
    outOfOrder: sum(ws.map((w) => w.outOfOrder)),
    disconnected: ws.filter((w) => w.disconnect !== null).length,
    disconnectReasons: [...new Set(ws.flatMap((w) => (w.disconnect ? [w.disconnect] : [])))],
    drainMs,
  };
  return { summary, arrivals: [...g.arrivals.entries()], sample: g.sample };
}

/** A closed loop of GETs over keep-alive connections (one request in flight per connection). */
async function httpLoad(job: HttpJob): Promise<HttpResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  let bodyBytes = 0;
  const get = () =>
    new Promise<Outcome>((resolve) => {
      const req = http.get(
        job.url,
        { agent, headers: job.headers, timeout: job.timeoutMs },
        (res) => {
          let n = 0;
          res.on("data", (b: Buffer) => {
            n += b.length;
          });
          res.on("end", () => {
            bodyBytes = n;
            resolve(
              res.statusCode === 200
                ? { ok: true }
                : { ok: false, code: `http_${res.statusCode}`, message: job.url },
            );
          });
          res.on("error", (err) => resolve({ ok: false, code: "exception", message: err.message }));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", (err) => resolve({ ok: false, code: "exception", message: err.message }));
    });
  try {
    const result = await closedLoop({
      callers: job.connections,
      warmupMs: job.warmupMs,
      durationMs: job.durationMs,
      op: get,
    });
    return { ...result, bodyBytes };
  } finally {
    agent.destroy();
  }
}

const LUA = `
local no = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[2], no, ARGV[1])
return redis.call('HGET', KEYS[2], no)
`;

/** The raw Redis ceiling: a three-call Lua script (take a number, store a record, read it). */
async function lua(job: LuaJob) {
  const redis = connectBenchRedis(job.url);
  try {
    const sha = (await redis.script("LOAD", LUA)) as string;
    const target = { chainId: "benchc-benchchain", dropPointIds: ["benchdp1"], itemIds: ["i1"] };
    return await closedLoop({
      callers: job.callers,
      warmupMs: job.warmupMs,
      durationMs: job.durationMs,
      op: async (caller) => {
        const record = JSON.stringify(joinPayload(target, caller));
        const back = await redis.evalsha(sha, 2, "bench:meta", "bench:entries", record);
        return back === record ? { ok: true } : { ok: false, code: "redis_mismatch" };
      },
    });
  } finally {
    redis.disconnect();
  }
}

serve({
  connect: (job: ConnectJob) => connectGroup(job),
  loop: (job: LoopJob) => loop(job),
  burst: (job: BurstJob) => burst(job),
  serial: (job: SerialJob) => serial(job),
  watched: (job: WatchJob) => watched(job),
  waitFor: (job: { group: string; expected: number; timeoutMs: number }) => waitFor(job),
  http: (job: HttpJob) => httpLoad(job),
  lua: (job: LuaJob) => lua(job),
  /** Disconnect a group's sockets (the server sees them leave). */
  disconnect: (group: string) => {
    for (const s of groupOf(group).sockets) s.disconnect();
    groups.delete(group);
    return null;
  },
  /** Disconnect every group (the end of a scenario). */
  reset: () => {
    for (const g of groups.values()) for (const s of g.sockets) s.disconnect();
    groups.clear();
    return null;
  },
  close: exitSoon(() => {
    for (const g of groups.values()) for (const s of g.sockets) s.disconnect();
  }),
});
