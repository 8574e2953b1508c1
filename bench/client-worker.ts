/**
 * A worker thread full of socket.io-client clients, so the load (and the watchers' decoding)
 * runs beside the server's event loop instead of on it. One job per worker: drive the echo
 * ceiling, drive entry:join, or watch a chain and count what arrives.
 */
import { randomBytes } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../shared/events.js";
import type { ChainEvent } from "../shared/views.js";
import { closedLoop, type Outcome } from "./loop.js";
import {
  type EchoClientToServer,
  type FromWorker,
  joinPayload,
  type LoopJob,
  type ToWorker,
  type WatchSummary,
  type WorkerJob,
} from "./protocol.js";

type AppClient = Socket<ServerToClientEvents, ClientToServerEvents>;
// biome-ignore lint/complexity/noBannedTypes: the echo server sends no events of its own
type EchoClient = Socket<{}, EchoClientToServer>;

const parent = parentPort;
if (!parent) throw new Error("client-worker.ts must run in a worker thread");
const port = parent;
const job = workerData as WorkerJob;

const sockets: Socket[] = [];
const inbox: ToWorker[] = [];
let wake: (() => void) | null = null;
port.on("message", (m: ToWorker) => {
  inbox.push(m);
  wake?.();
});

const post = (m: FromWorker) => port.postMessage(m);

/** The next message from the main thread (the main thread bounds every exchange by a timeout). */
async function next<T extends ToWorker["type"]>(type: T): Promise<Extract<ToWorker, { type: T }>> {
  for (;;) {
    const i = inbox.findIndex((m) => m.type === type || m.type === "close");
    const m = i >= 0 ? inbox.splice(i, 1)[0] : undefined;
    if (m) {
      if (m.type !== type) throw new Closed();
      return m as Extract<ToWorker, { type: T }>;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = null;
  }
}

class Closed extends Error {}

/** Open one websocket-only client; rejects on a failed handshake or after timeoutMs. */
function open<S extends Socket>(url: string, auth: Record<string, string>, timeoutMs: number) {
  const socket = connect(url, {
    auth,
    transports: ["websocket"],
    forceNew: true,
    // A dropped socket is a finding, not something to paper over with a reconnect.
    reconnection: false,
    timeout: timeoutMs,
  }) as unknown as S;
  sockets.push(socket);
  return new Promise<S>((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err: Error) => reject(err));
  });
}

/** Open `count` clients, a few at a time so the handshakes do not all land at once. */
async function openMany<S extends Socket>(
  make: (i: number) => Promise<S>,
  count: number,
): Promise<S[]> {
  const out: S[] = [];
  const batch = 20;
  for (let i = 0; i < count; i += batch) {
    const size = Math.min(batch, count - i);
    out.push(...(await Promise.all(Array.from({ length: size }, (_, j) => make(i + j)))));
  }
  return out;
}

const deviceKey = () => randomBytes(16).toString("base64url");

async function runLoop(j: LoopJob, op: (caller: number) => Promise<Outcome>) {
  post({ type: "ready", connectMs: connectMs() });
  await next("go");
  const result = await closedLoop({
    callers: j.clients * j.inflight,
    warmupMs: j.warmupMs,
    durationMs: j.durationMs,
    op,
  });
  post({ type: "result", result });
}

let connectStarted = performance.now();
const connectMs = () => Math.round(performance.now() - connectStarted);

async function echo(j: Extract<WorkerJob, { kind: "echo" }>) {
  connectStarted = performance.now();
  const clients = await openMany((_) => open<EchoClient>(j.url, {}, j.timeoutMs), j.clients);
  await runLoop(j, async (caller) => {
    const socket = clients[caller % clients.length] as EchoClient;
    const payload = joinPayload(j.target, caller);
    const reply = await socket.timeout(j.timeoutMs).emitWithAck("echo", payload);
    return reply.requestId === payload.requestId
      ? { ok: true }
      : { ok: false, code: "echo_mismatch", message: `sent ${payload.requestId}` };
  });
}

async function join(j: Extract<WorkerJob, { kind: "join" }>) {
  connectStarted = performance.now();
  const clients = await openMany(
    (_) => open<AppClient>(j.url, { deviceKey: deviceKey() }, j.timeoutMs),
    j.clients,
  );
  await runLoop(j, async (caller) => {
    const socket = clients[caller % clients.length] as AppClient;
    const reply = await socket
      .timeout(j.timeoutMs)
      .emitWithAck("entry:join", joinPayload(j.target, caller));
    return reply.ok
      ? { ok: true }
      : { ok: false, code: reply.error.code, message: reply.error.message };
  });
}

interface WatchState {
  events: number;
  frames: number;
  last: number | null;
  gaps: number;
  outOfOrder: number;
  disconnect: string | null;
}

async function watch(j: Extract<WorkerJob, { kind: "watch" }>) {
  connectStarted = performance.now();
  const states: WatchState[] = [];
  let snapshotVersion = 0;
  await openMany(async () => {
    const socket = await open<AppClient>(j.url, {}, j.timeoutMs);
    const s: WatchState = {
      events: 0,
      frames: 0,
      last: null,
      gaps: 0,
      outOfOrder: 0,
      disconnect: null,
    };
    states.push(s);
    const seen = (e: ChainEvent) => {
      s.events++;
      if (s.last !== null) {
        if (e.version > s.last + 1) s.gaps++;
        else if (e.version <= s.last) s.outOfOrder++;
      }
      s.last = Math.max(s.last ?? e.version, e.version);
    };
    socket.on("chain:events", (b) => {
      s.frames++;
      for (const e of b.events) seen(e);
    });
    socket.on("disconnect", (reason) => {
      s.disconnect = reason;
    });
    const reply = await socket.timeout(j.timeoutMs).emitWithAck("chain:watch", {
      chainId: j.chainId,
    });
    if (!reply.ok) throw new Error(`chain:watch failed: ${reply.error.code}`);
    const version =
      reply.data.kind === "snapshot" ? reply.data.snapshot.version : reply.data.version;
    snapshotVersion = version;
    s.last ??= version;
    return socket;
  }, j.watchers);
  post({ type: "ready", connectMs: connectMs() });

  const { expected, timeoutMs } = await next("drain");
  const started = performance.now();
  const deadline = started + timeoutMs;
  while (performance.now() < deadline && states.some((s) => s.events < expected)) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const drainMs = Math.round(performance.now() - started);
  // Anything beyond `expected` that was still on its way would show up as extra events.
  await new Promise((r) => setTimeout(r, 50));
  const events = states.map((s) => s.events);
  const frames = states.map((s) => s.frames);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const summary: WatchSummary = {
    watchers: states.length,
    eventsMin: Math.min(...events),
    eventsMax: Math.max(...events),
    eventsTotal: sum(events),
    framesMin: Math.min(...frames),
    framesMax: Math.max(...frames),
    framesTotal: sum(frames),
    lost: sum(events.map((n) => Math.max(0, expected - n))),
    extra: sum(events.map((n) => Math.max(0, n - expected))),
    gaps: sum(states.map((s) => s.gaps)),
    outOfOrder: sum(states.map((s) => s.outOfOrder)),
    disconnected: states.filter((s) => s.disconnect !== null).length,
    disconnectReasons: [...new Set(states.flatMap((s) => (s.disconnect ? [s.disconnect] : [])))],
    lastVersion: Math.max(...states.map((s) => s.last ?? 0)),
    snapshotVersion,
    drainMs,
  };
  post({ type: "drained", summary });
}

async function main() {
  try {
    if (job.kind === "echo") await echo(job);
    else if (job.kind === "join") await join(job);
    else await watch(job);
    await next("close");
  } catch (err) {
    if (!(err instanceof Closed)) {
      post({ type: "failed", message: err instanceof Error ? err.message : String(err) });
      await next("close").catch(() => {});
    }
  } finally {
    for (const s of sockets) s.disconnect();
    post({ type: "closed" });
    port.close();
  }
}

void main();
