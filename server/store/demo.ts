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

/** The communities of this install other than the demo's: real ones. */
export async function otherCommunityIds(ctx: Ctx, demoId: string): Promise<string[]> {
  return (await ctx.redis.smembers(ctx.keys.communities)).filter((id) => id !== demoId);
}

/**
 * Delete the demo community: its sessions and links (global keys, found through its own lists
 * first), every key of its hash slot, its chains' cutoffs, its place in the community list and
 * the demo's own key. Returns how many keys went.
 */
export async function removeDemoCommunity(ctx: Ctx, communityId: string): Promise<number> {
  const { redis, keys } = ctx;
  let deleted = 0;
  const k = keys.community(communityId);
  for (const hash of await redis.hkeys(k.sessions)) deleted += await redis.del(keys.session(hash));
  for (const raw of await redis.hvals(k.invites)) {
    const hash = (JSON.parse(raw) as { tokenHash?: string }).tokenHash;
    if (hash) deleted += await redis.del(keys.invite(hash));
  }
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${k.base}*`, "COUNT", "500");
    cursor = next;
    for (const key of found) deleted += await redis.del(key);
  } while (cursor !== "0");
  const cutoffs = await redis.zrange(keys.cutoffs, "0", "-1");
  const mine = cutoffs.filter((id) => id.startsWith(`${communityId}-`));
  if (mine.length) await redis.zrem(keys.cutoffs, ...mine);
  await redis.srem(keys.communities, communityId);
  await redis.del(keys.demo);
  return deleted;
}
