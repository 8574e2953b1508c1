/** Which community `npm run demo` made, so a second run reuses it (a global key of its own). */
import type { Ctx } from "../context.js";

export interface DemoIds {
  communityId: string;
  coordinatorId: string;
  growerId: string;
}

export async function readDemoIds(ctx: Ctx): Promise<DemoIds | null> {
  const saved = await ctx.redis.get(ctx.keys.demo);
  return saved ? (JSON.parse(saved) as DemoIds) : null;
}

export async function saveDemoIds(ctx: Ctx, ids: DemoIds): Promise<void> {
  await ctx.redis.set(ctx.keys.demo, JSON.stringify(ids));
}
