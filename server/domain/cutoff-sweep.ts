/**
 * Close chains at their cutoff so viewers see it live. The scripts already refuse late writes by
 * Redis TIME; this only marks the status and broadcasts it. Every app node runs it: closing is
 * idempotent (the script closes an open chain once, by Redis time, and publishes only then), so
 * two nodes sweeping the same chain close it once. Expiry needs no job: every key a chain has
 * carries its PEXPIREAT from creation, and Redis removes them on every node.
 *
 * A failure is never silent: it is logged (once per run of failures, with the count when it
 * clears), the chain stays in the cutoff schedule, and the next tick tries it again; one chain
 * failing does not hold up the others.
 */
import type { Ctx } from "../context.js";
import { log } from "../log.js";
import { closeIfDue, dueChains } from "../store/chains.js";

export interface SweepResult {
  closed: number;
  failed: number;
  /** The first failure's message, when any. */
  error?: string;
}

export async function sweepCutoffs(ctx: Ctx, now = Date.now()): Promise<SweepResult> {
  const result: SweepResult = { closed: 0, failed: 0 };
  let due: string[];
  try {
    due = await dueChains(ctx, now);
  } catch (err) {
    return {
      closed: 0,
      failed: 1,
      error: `reading the cutoff schedule: ${(err as Error).message}`,
    };
  }
  for (const chainId of due) {
    try {
      if ((await closeIfDue(ctx, chainId)).closed) result.closed++;
    } catch (err) {
      result.failed++;
      result.error ??= `closing ${chainId}: ${(err as Error).message}`;
    }
  }
  return result;
}

export function startCutoffSweep(ctx: Ctx): () => void {
  let running = false;
  /** Failed ticks in a row (logged at the first, then every 60th, and when it recovers). */
  let failing = 0;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepCutoffs(ctx)
      .then(
        (r) => {
          if (r.failed === 0) {
            if (failing > 0) log.info(`cutoff sweep recovered after ${failing} failed tick(s)`);
            failing = 0;
            return;
          }
          if (failing % 60 === 0) {
            log.error(
              `cutoff sweep: ${r.failed} failure(s), retrying every ${ctx.config.CUTOFF_SWEEP_MS} ms: ${r.error}`,
            );
          }
          failing++;
        },
        (err) => log.error("cutoff sweep failed", err),
      )
      .finally(() => {
        running = false;
      });
  }, ctx.config.CUTOFF_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
