/** Can the store take a write right now? What /api/health answers (load balancers use it). */
import type { Ctx } from "../context.js";

export type StoreHealth =
  | { ok: true; latencyMs: number }
  | { ok: false; status: string; reason: string };

export async function checkStore(ctx: Ctx): Promise<StoreHealth> {
  const started = performance.now();
  try {
    await ctx.redis.ping();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, status: ctx.redis.status, reason: (err as Error).message };
  }
}
