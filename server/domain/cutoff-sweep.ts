/**
 * Close chains at their cutoff so viewers see it live. The scripts already refuse late writes by
 * Redis TIME; this only marks the status and broadcasts it. Every instance may run it: closing is
 * idempotent, and only the instance whose script closes the chain publishes the event.
 */
import type { Ctx } from "../context.js";
import { closeIfDue, dueChains } from "../store/chains.js";

export async function sweepCutoffs(ctx: Ctx, now = Date.now()): Promise<number> {
  let closed = 0;
  for (const chainId of await dueChains(ctx, now)) {
    if ((await closeIfDue(ctx, chainId)).closed) closed++;
  }
  return closed;
}

export function startCutoffSweep(ctx: Ctx): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    // Redis may be down; the next tick tries again.
    sweepCutoffs(ctx)
      .catch(() => {})
      .finally(() => {
        running = false;
      });
  }, ctx.config.CUTOFF_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
