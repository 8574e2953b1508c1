/**
 * The closed-loop driver shared by every scenario: `callers` loops, each with one request in
 * flight, run for a warm-up and then a measured window. Only requests that complete inside the
 * window count towards ops/s; latencies are those of requests started inside the window.
 */

/** What one request came to: ok, or an error code (ack error, timeout, exception). */
export type Outcome = { ok: true } | { ok: false; code: string; message?: string };

export interface LoopResult {
  /** Measured window, in ms (as run, not as asked). */
  windowMs: number;
  /** Requests completed ok inside the measured window. */
  measuredOps: number;
  opsPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Every request that completed ok, warm-up and tail included. */
  totalOk: number;
  totalErrors: number;
  /** Error code → count, for every request of the run. */
  errors: Record<string, number>;
  /** The first few error messages, as evidence. */
  errorSamples: string[];
  /** Latencies of the requests started inside the window, ascending (to merge processes). */
  latencies: number[];
}

export interface LoopOptions {
  callers: number;
  warmupMs: number;
  durationMs: number;
  /** Run one request for caller `i`; must settle (use a timeout). */
  op: (caller: number) => Promise<Outcome>;
  /** Stop once this many requests were ok (a fill rather than a timed run). */
  stopAfterOk?: number;
}

const MAX_ERROR_SAMPLES = 5;

export async function closedLoop(opts: LoopOptions): Promise<LoopResult> {
  const start = performance.now();
  const windowStart = start + opts.warmupMs;
  const windowEnd = windowStart + opts.durationMs;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const errorSamples: string[] = [];
  let measuredOps = 0;
  let totalOk = 0;
  let totalErrors = 0;
  let running = 0;

  const fail = (code: string, message: string) => {
    totalErrors++;
    errors[code] = (errors[code] ?? 0) + 1;
    if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(`${code}: ${message}`);
  };

  const caller = async (i: number) => {
    // Bounded by time: every op settles (each has its own timeout), and the loop stops at the end
    // of the window.
    const stopAt = opts.stopAfterOk ?? Number.POSITIVE_INFINITY;
    while (performance.now() < windowEnd && totalOk + running < stopAt) {
      const sent = performance.now();
      let outcome: Outcome;
      running++;
      try {
        outcome = await opts.op(i);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        outcome = { ok: false, code: /timed out/i.test(e.message) ? "timeout" : "exception" };
        fail(outcome.code, e.message);
        continue;
      } finally {
        running--;
      }
      const done = performance.now();
      if (!outcome.ok) {
        fail(outcome.code, outcome.message ?? "error reply");
        continue;
      }
      totalOk++;
      if (done >= windowStart && done <= windowEnd) measuredOps++;
      if (sent >= windowStart) latencies.push(done - sent);
    }
  };

  await Promise.all(Array.from({ length: opts.callers }, (_, i) => caller(i)));

  const windowMs = Math.min(performance.now(), windowEnd) - windowStart;
  latencies.sort((a, b) => a - b);
  return {
    windowMs,
    measuredOps,
    opsPerSec: windowMs > 0 ? (measuredOps * 1000) / windowMs : 0,
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    totalOk,
    totalErrors,
    errors,
    errorSamples,
    latencies,
  };
}

/** One result for loops that ran side by side in several processes over the same window. */
export function mergeLoops(parts: LoopResult[]): LoopResult {
  const latencies = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const windowMs = Math.max(0, ...parts.map((p) => p.windowMs));
  const measuredOps = parts.reduce((n, p) => n + p.measuredOps, 0);
  const errors: Record<string, number> = {};
  for (const p of parts) {
    for (const [code, n] of Object.entries(p.errors)) errors[code] = (errors[code] ?? 0) + n;
  }
  return {
    windowMs,
    measuredOps,
    opsPerSec: windowMs > 0 ? (measuredOps * 1000) / windowMs : 0,
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    totalOk: parts.reduce((n, p) => n + p.totalOk, 0),
    totalErrors: parts.reduce((n, p) => n + p.totalErrors, 0),
    errors,
    errorSamples: parts.flatMap((p) => p.errorSamples).slice(0, MAX_ERROR_SAMPLES),
    latencies,
  };
}

/** Nearest-rank percentile of an ascending list (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}
