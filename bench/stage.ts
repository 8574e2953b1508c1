/**
 * Starting a scenario's processes (a bench-owned redis-server, the app or a ceiling, load
 * generators) inside a Resources scope, and measuring a window of their CPU.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { type ManagedRedis, startRedisServer } from "../server/redis-process.js";
import type { AppHello } from "./app-child.js";
import type { CeilingHello } from "./ceiling-child.js";
import { type CpuWindow, cpuWindow, type Proc } from "./cpu.js";
import { Child } from "./ipc.js";
import type { BenchOptions } from "./options.js";
import { connectBenchRedis } from "./redis-stats.js";
import type { Resources } from "./resources.js";

export interface BenchRedis {
  managed: ManagedRedis;
  /** The bench's own connection, for INFO and friends (never used by the app). */
  redis: Redis;
  proc: Proc;
}

/** A fresh redis-server set up like the app's own (unix socket, appendonly yes, everysec). */
export async function startRedis(
  o: BenchOptions,
  res: Resources,
  label: string,
): Promise<BenchRedis> {
  const dir = res.tempDir(`bench-${label}`);
  const managed = await res.redisServer(() =>
    startRedisServer({ bin: o.redisBin, dir, appendonly: true }),
  );
  const redis = connectBenchRedis(managed.url);
  res.add("bench redis connection", async () => redis.disconnect());
  return { managed, redis, proc: { label: "redis-server", pid: managed.child.pid ?? -1 } };
}

export interface AppProcess {
  child: Child<AppHello>;
  baseUrl: string;
  proc: Proc;
}

/** The app in its own process (bench/app-child.ts) on that redis-server, on a free port. */
export async function startApp(
  res: Resources,
  redisUrl: string,
  /** More environment: a shared KEY_PREFIX for several app nodes, REDIS_CLUSTER_NODES, … */
  env: Record<string, string> = {},
  label = "app",
): Promise<AppProcess> {
  const child = await Child.start<AppHello>(label, "./app-child.ts", {
    execArgv: ["--expose-gc"],
    env: {
      REDIS_URL: redisUrl,
      KEY_PREFIX: `b${randomBytes(4).toString("hex")}`,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "silent",
      // Per-client rate limits would throttle the load generators, not measure the app.
      RATE_LIMITS: "off",
      REDIS_COMMAND_TIMEOUT_MS: "10000",
      ...env,
    },
  });
  res.add(label, () => child.close());
  return {
    child,
    baseUrl: `http://127.0.0.1:${child.hello.port}`,
    proc: { label, pid: child.pid },
  };
}

export interface CeilingProcess {
  child: Child<CeilingHello>;
  url: string;
  proc: Proc;
}

export async function startCeiling(
  res: Resources,
  mode: "socket" | "http",
): Promise<CeilingProcess> {
  const label = mode === "socket" ? "bare Socket.IO" : "Express hello-world";
  const child = await Child.start<CeilingHello>(label, "./ceiling-child.ts", {
    execArgv: ["--expose-gc"],
    args: [mode],
  });
  res.add(label, () => child.close());
  return { child, url: `http://127.0.0.1:${child.hello.port}`, proc: { label, pid: child.pid } };
}

export interface Loader {
  child: Child;
  proc: Proc;
}

/**
 * The load-generator processes (bench/load-child.ts), started once for the whole run; each
 * scenario borrows some under a role name (its CPU rows say "joiners 1", "watchers 2", …) and
 * every socket they opened is closed when the scenario ends.
 */
export class Generators {
  private constructor(private readonly all: Child[]) {}

  static async start(n: number): Promise<Generators> {
    const all = await Promise.all(
      Array.from({ length: n }, (_, i) => Child.start(`generator ${i + 1}`, "./load-child.ts")),
    );
    return new Generators(all);
  }

  get size(): number {
    return this.all.length;
  }

  /** Generators from..from+count-1, labelled `${role} 1`, `${role} 2`, … */
  take(role: string, from: number, count: number): Loader[] {
    if (from + count > this.all.length) {
      throw new Error(`asked for generators ${from}–${from + count - 1} of ${this.all.length}`);
    }
    return this.all.slice(from, from + count).map((child, i) => ({
      child,
      proc: { label: `${role} ${i + 1}`, pid: child.pid },
    }));
  }

  /** Close every socket of every generator (between scenarios). */
  async reset(): Promise<void> {
    await Promise.all(this.all.map((c) => c.call("reset", null, 60_000)));
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((c) => c.close()));
  }
}

/** `total` split into `n` near-equal parts (none empty unless total < n). */
export function split(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

export const self: Proc = { label: "bench orchestrator", pid: process.pid };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `work` (a closed loop started now, with its own warm-up) and measure every process's CPU
 * over the loop's measured window; `around` reads other counters at the window's two ends.
 */
export async function windowed<T, S>(
  procs: Proc[],
  o: { warmupMs: number; durationMs: number },
  work: () => Promise<T>,
  around: { start: () => Promise<S>; end: (s: S) => Promise<void> } | null = null,
): Promise<{ value: T; cpu: CpuWindow }> {
  const running = work();
  const measure = (async () => {
    await sleep(o.warmupMs);
    const s = around ? await around.start() : (null as S);
    const w = cpuWindow(procs);
    await sleep(o.durationMs);
    const cpu = w.stop();
    if (around) await around.end(s);
    return cpu;
  })();
  const [value, cpu] = await Promise.all([running, measure]);
  return { value, cpu };
}

/** Run `work` and measure every process's CPU over all of it. */
export async function measured<T>(
  procs: Proc[],
  work: () => Promise<T>,
): Promise<{ value: T; cpu: CpuWindow }> {
  const w = cpuWindow(procs);
  const value = await work();
  return { value, cpu: w.stop() };
}
