/**
 * The real thing: createApp on a fresh redis-server (append-only, as in production), one chain,
 * N joiners sending entry:join in a closed loop, and W watchers counting what is broadcast.
 */
import { randomBytes } from "node:crypto";
import { type App, createApp } from "../server/app.js";
import { loadConfig } from "../server/config.js";
import { startRedisServer } from "../server/redis-process.js";
import { connectRedis, waitReady } from "../server/store/redis.js";
import type { LoopResult } from "./loop.js";
import type { BenchOptions } from "./options.js";
import { measureWindow, scriptMicros, type ThreadProbe, type Usage } from "./probe.js";
import type { WatchSummary } from "./protocol.js";
import type { Resources } from "./resources.js";
import { ClientWorker } from "./workers.js";
import { makeChain } from "./world.js";

export interface AppRunResult {
  tickMs: number;
  join: LoopResult;
  /** Null when the run had no watchers. */
  watch: WatchSummary | null;
  /** The Broadcaster's own counters (frames sent to the chain room, events carried). */
  server: { frames: number; events: number };
  /** entry:join acks that came back ok (warm-up and tail included): what watchers should see. */
  joinsMade: number;
  redisInfo: string;
  usage: Usage;
  /** Mean redis-server µs per script call over the run. */
  scriptUs: number | null;
  /**
   * Broadcast packets Socket.IO's in-memory adapter holds for connection-state recovery at the
   * end of the run (it keeps each one for maxDisconnectionDuration), or null if not visible.
   */
  recoveryPackets: number | null;
  /** Their size as JSON, MB: a floor for the memory they pin. */
  recoveryMB: number | null;
}

export async function runApp(
  opts: BenchOptions,
  tickMs: number,
  res: Resources,
): Promise<AppRunResult> {
  const dir = res.tempDir(`bench-app-t${tickMs}`);
  const managed = await res.redisServer(() =>
    startRedisServer({ bin: opts.redisBin, dir, appendonly: true }),
  );
  const config = loadConfig({
    REDIS_URL: managed.url,
    KEY_PREFIX: `b${randomBytes(4).toString("hex")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "error",
    BROADCAST_TICK_MS: String(tickMs),
    // Thousands of joins a second from one address and a few sockets: that is what the limits
    // exist to refuse, and the bench measures the service's ceiling, not the limits.
    RATE_LIMITS: "off",
  });
  const redis = connectRedis({
    url: managed.url,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
  });
  res.add("app redis connection", async () => redis.disconnect());
  await waitReady(redis);
  const app: App = createApp({ config, redis });
  res.add("app", () => app.close());
  const port = await app.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  const target = await makeChain(app, url);

  const setupTimeout = 60_000;
  let watchers: ClientWorker | null = null;
  if (opts.watchers > 0) {
    const w = new ClientWorker(`watchers (tick ${tickMs})`, {
      kind: "watch",
      url,
      watchers: opts.watchers,
      chainId: target.chainId,
      timeoutMs: opts.timeoutMs,
    });
    watchers = w;
    res.add("watcher clients", () => w.close());
    await w.next("ready", setupTimeout);
  }

  const joiners = new ClientWorker(`joiners (tick ${tickMs})`, {
    kind: "join",
    url,
    clients: opts.clients,
    inflight: opts.inflight,
    warmupMs: opts.warmupMs,
    durationMs: opts.durationMs,
    timeoutMs: opts.timeoutMs,
    target,
  });
  res.add("joiner clients", () => joiners.close());
  await joiners.next("ready", setupTimeout);
  joiners.send({ type: "go" });
  const threads: ThreadProbe[] = [{ label: "joiners", elu: () => joiners.eventLoopUtilization() }];
  if (watchers) {
    const w = watchers;
    threads.push({ label: "watchers", elu: () => w.eventLoopUtilization() });
  }
  const usage = measureWindow({
    startInMs: opts.warmupMs,
    lengthMs: opts.durationMs,
    threads,
    redis,
  });
  const runBound = opts.warmupMs + opts.durationMs + opts.timeoutMs + setupTimeout;
  const { result: join } = await joiners.next("result", runBound);
  const used = await usage;

  let watch: WatchSummary | null = null;
  if (watchers) {
    // Watchers may lag behind the joins; give them time to catch up, but not forever.
    const drainMs = Math.max(10_000, 2 * (opts.warmupMs + opts.durationMs));
    watchers.send({ type: "drain", expected: join.totalOk, timeoutMs: drainMs });
    ({ summary: watch } = await watchers.next("drained", drainMs + 30_000));
  }
  const server = { ...app.broadcaster.stats };
  // Not public API: the session-aware adapter's list of stored packets (socket.io-adapter).
  const stored = (app.io.of("/").adapter as unknown as { packets?: unknown }).packets;
  const packets = Array.isArray(stored) ? (stored as { data?: unknown }[]) : null;
  const persistence = await redis.info("persistence");
  const aof =
    /aof_enabled:(\d)/.exec(persistence)?.[1] === "1" ? "appendonly yes" : "appendonly no";
  const fsync = (await redis.config("GET", "appendfsync")) as string[];
  return {
    tickMs,
    join,
    watch,
    server,
    joinsMade: join.totalOk,
    usage: used,
    scriptUs: await scriptMicros(redis),
    recoveryPackets: packets ? packets.length : null,
    recoveryMB: packets
      ? packets.reduce((n, p) => n + (JSON.stringify(p.data)?.length ?? 0), 0) / 1024 ** 2
      : null,
    redisInfo: `${aof}, appendfsync ${fsync[1] ?? "?"}, ${managed.url.startsWith("unix:") ? "unix socket" : "TCP 127.0.0.1"}`,
  };
}
