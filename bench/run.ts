/**
 * `npm run bench`: measure the two ceilings (bare Socket.IO echo, raw Redis Lua) and the real
 * entry:join path with watchers, at BROADCAST_TICK_MS=0 and with coalescing, then print a table
 * and write BENCHMARKS.md. Every server, redis-server, client and temp dir it starts is stopped
 * before it returns; the process then exits on its own.
 */
import path from "node:path";
import { log, setLogLevel } from "../server/log.js";
import { startRedisServer } from "../server/redis-process.js";
import { type AppRunResult, runApp } from "./app-run.js";
import { startEchoServer } from "./echo.js";
import type { LoopResult } from "./loop.js";
import { describeMachine, loadAverage } from "./machine.js";
import { loadOptions } from "./options.js";
import { measureWindow } from "./probe.js";
import { runRedisCeiling } from "./redis-ceiling.js";
import {
  consoleReport,
  findings,
  type Measured,
  markdownReport,
  type Outcome,
  type Report,
} from "./report.js";
import { Resources } from "./resources.js";
import { writeSection } from "./sections.js";
import { ClientWorker } from "./workers.js";

const opts = loadOptions();
setLogLevel("error");

let current: Resources | null = null;
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping what the bench started…\n`);
    void (current?.closeAll() ?? Promise.resolve([])).finally(() => process.exit(130));
  });
}

const say = (msg: string) => process.stdout.write(`${msg}\n`);

/** Run one scenario in its own scope: whatever it started is stopped before the next begins. */
async function phase<T>(name: string, body: (res: Resources) => Promise<T>): Promise<Outcome<T>> {
  if (interrupted) return { ok: false, error: "interrupted" };
  say(`▶ ${name}`);
  const res = new Resources();
  current = res;
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: await body(res) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`${name} failed`, err);
    outcome = { ok: false, error: message };
  }
  const problems = await res.closeAll();
  current = null;
  for (const p of problems) say(`  ! cleanup: ${p}`);
  return outcome;
}

const loopLine = (r: LoopResult) =>
  `  ${Math.round(r.opsPerSec)} ops/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ${r.totalErrors} errors`;

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = describeMachine(opts.redisBin);
  const loadStart = loadAverage();
  const defaults =
    opts.durationMs === 5000 &&
    opts.warmupMs === 1000 &&
    opts.clients === 50 &&
    opts.inflight === 1 &&
    opts.watchers === 100 &&
    opts.tickMs === 20;
  say(
    `Jielong bench — ${machine.cpuModel} × ${machine.cpus}, node ${machine.node}, ${machine.redis.split(" ").slice(0, 3).join(" ")}`,
  );
  say(
    `clients ${opts.clients} (in flight each ${opts.inflight}), watchers ${opts.watchers}, warm-up ${opts.warmupMs / 1000} s, measured ${opts.durationMs / 1000} s; load average ${loadStart}`,
  );
  const loopJob = {
    clients: opts.clients,
    inflight: opts.inflight,
    warmupMs: opts.warmupMs,
    durationMs: opts.durationMs,
    timeoutMs: opts.timeoutMs,
  };
  const runBound = opts.warmupMs + opts.durationMs + opts.timeoutMs + 60_000;

  const ceilingA = await phase("Ceiling A: bare Socket.IO echo", async (res) => {
    const echo = await startEchoServer();
    res.add("echo server", () => echo.close());
    const target = {
      chainId: "benchc-benchchain",
      dropPointIds: ["benchdp1"],
      itemIds: ["i1", "i2"],
    };
    const w = new ClientWorker("echo clients", { kind: "echo", url: echo.url, target, ...loopJob });
    res.add("echo clients", () => w.close());
    await w.next("ready", 60_000);
    w.send({ type: "go" });
    const usage = measureWindow({
      startInMs: opts.warmupMs,
      lengthMs: opts.durationMs,
      threads: [{ label: "clients", elu: () => w.eventLoopUtilization() }],
      redis: null,
    });
    const { result } = await w.next("result", runBound);
    say(loopLine(result));
    const measured: Measured = { result, usage: await usage, scriptUs: null };
    return measured;
  });

  let ceilingBRedis = "appendonly yes, appendfsync everysec";
  const ceilingB = await phase("Ceiling B: raw Redis Lua (HINCRBY + HSET + HGET)", async (res) => {
    const dir = res.tempDir("bench-ceiling");
    const managed = await res.redisServer(() =>
      startRedisServer({ bin: opts.redisBin, dir, appendonly: true }),
    );
    ceilingBRedis += managed.url.startsWith("unix:") ? ", unix socket" : ", TCP 127.0.0.1";
    const measured = await runRedisCeiling({
      url: managed.url,
      callers: opts.clients * opts.inflight,
      warmupMs: opts.warmupMs,
      durationMs: opts.durationMs,
      timeoutMs: opts.timeoutMs,
    });
    say(loopLine(measured.result));
    return measured;
  });

  const apps: { tickMs: number; run: Outcome<AppRunResult> }[] = [];
  for (const tickMs of [0, opts.tickMs]) {
    const run = await phase(
      `entry:join on the real app, BROADCAST_TICK_MS=${tickMs}`,
      async (res) => {
        const r = await runApp(opts, tickMs, res);
        say(loopLine(r.join));
        if (r.watch) {
          say(
            `  watchers: ${r.watch.eventsMin}–${r.watch.eventsMax} events each for ${r.joinsMade} joins, ${(r.watch.framesTotal / Math.max(1, r.watch.watchers)).toFixed(1)} frames each`,
          );
        }
        return r;
      },
    );
    apps.push({ tickMs, run });
  }

  const report: Report = {
    startedAt,
    finishedAt: new Date(),
    machine,
    opts,
    defaults,
    loadStart,
    loadEnd: loadAverage(),
    ceilingA,
    ceilingB,
    ceilingBRedis,
    apps,
  };
  say(consoleReport(report));
  if (interrupted) return;
  const out = path.resolve(opts.out);
  writeSection(out, "realtime", markdownReport(report));
  say(`Wrote ${out}`);
  if (findings(report).length) process.exitCode = 1;
}

main()
  .catch((err) => {
    log.error("bench failed", err);
    process.exitCode = 1;
  })
  .finally(() => {
    // Everything has been stopped; if something still holds the loop open, say what and stop.
    const watchdog = setTimeout(() => {
      process.stderr.write(
        `bench: still running 5 s after finishing; open resources: ${process.getActiveResourcesInfo().join(", ")}\n`,
      );
      process.exit(1);
    }, 5000);
    watchdog.unref();
  });
