/** The bench's knobs, read once from the environment (BENCH_*), with the defaults of a full run. */
import { z } from "zod";

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().min(min).max(max).default(fallback);

const BenchEnv = z.object({
  /** Measured seconds per scenario (after the warm-up). */
  BENCH_SECONDS: seconds(0.5, 600, 5),
  BENCH_WARMUP_SECONDS: seconds(0, 60, 1),
  /** Clients sending commands (and concurrent callers for the Redis ceiling). */
  BENCH_CLIENTS: int(1, 2000, 50),
  /** Requests in flight per client (closed loop). */
  BENCH_INFLIGHT: int(1, 64, 1),
  /** Extra clients watching the chain in the real-app runs. */
  BENCH_WATCHERS: int(0, 5000, 100),
  /** A single command's ack must arrive within this. */
  BENCH_TIMEOUT_MS: int(100, 60_000, 5000),
  /** The broadcast tick of the coalescing run. */
  BENCH_TICK_MS: int(1, 1000, 20),
  /** Where to write the report (relative to the working directory). */
  BENCH_OUT: z.string().min(1).default("BENCHMARKS.md"),
  REDIS_SERVER_BIN: z.string().min(1).default("redis-server"),
});

export interface BenchOptions {
  warmupMs: number;
  durationMs: number;
  clients: number;
  inflight: number;
  watchers: number;
  timeoutMs: number;
  tickMs: number;
  out: string;
  redisBin: string;
}

export function loadOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const known = Object.fromEntries(
    Object.keys(BenchEnv.shape).map((k) => [k, env[k] === "" ? undefined : env[k]] as const),
  );
  const parsed = BenchEnv.safeParse(known);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid bench settings:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  return {
    warmupMs: Math.round(e.BENCH_WARMUP_SECONDS * 1000),
    durationMs: Math.round(e.BENCH_SECONDS * 1000),
    clients: e.BENCH_CLIENTS,
    inflight: e.BENCH_INFLIGHT,
    watchers: e.BENCH_WATCHERS,
    timeoutMs: e.BENCH_TIMEOUT_MS,
    tickMs: e.BENCH_TICK_MS,
    out: e.BENCH_OUT,
    redisBin: e.REDIS_SERVER_BIN,
  };
}
