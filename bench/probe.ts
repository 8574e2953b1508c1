/**
 * Where the time went during a measured window: how busy the main thread's event loop (the
 * server under test) and each client worker thread were, and how much CPU redis-server used.
 * On a small machine this tells whether a figure is the server's limit or the harness's.
 */
import { type EventLoopUtilization, performance } from "node:perf_hooks";
import type { Redis } from "ioredis";

export interface Usage {
  /** Share of the window the main thread's event loop was busy, 0–1. */
  main: number;
  threads: { label: string; busy: number }[];
  /** redis-server CPU (user + sys) in cores over the window, or null if it could not be read. */
  redisCores: number | null;
}

export interface ThreadProbe {
  label: string;
  elu: () => EventLoopUtilization;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function redisCpuSeconds(redis: Redis | null): Promise<number | null> {
  if (!redis) return null;
  try {
    const info = await redis.info("cpu");
    const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]);
    const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]);
    return Number.isFinite(user + sys) ? user + sys : null;
  } catch {
    return null;
  }
}

/** Sample from `startInMs` from now for `lengthMs` (the closed loop's measured window). */
export async function measureWindow(opts: {
  startInMs: number;
  lengthMs: number;
  threads: ThreadProbe[];
  redis: Redis | null;
}): Promise<Usage> {
  await sleep(opts.startInMs);
  const t0 = performance.now();
  const main0 = performance.eventLoopUtilization();
  const threads0 = opts.threads.map((t) => t.elu());
  const cpu0 = await redisCpuSeconds(opts.redis);
  await sleep(opts.lengthMs);
  const cpu1 = await redisCpuSeconds(opts.redis);
  const seconds = (performance.now() - t0) / 1000;
  return {
    main: performance.eventLoopUtilization(performance.eventLoopUtilization(), main0).utilization,
    threads: opts.threads.map((t, i) => {
      const before = threads0[i];
      let busy = Number.NaN;
      try {
        if (before) busy = performance.eventLoopUtilization(t.elu(), before).utilization;
      } catch {
        // The worker has gone; its figure stays unknown.
      }
      return { label: t.label, busy };
    }),
    redisCores: cpu0 !== null && cpu1 !== null && seconds > 0 ? (cpu1 - cpu0) / seconds : null,
  };
}

/** Mean microseconds per EVALSHA in redis-server since it started (the app's scripts run so). */
export async function scriptMicros(redis: Redis): Promise<number | null> {
  try {
    const info = await redis.info("commandstats");
    const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(info);
    return m ? Number(m[2]) / Math.max(1, Number(m[1])) : null;
  } catch {
    return null;
  }
}
