/** What the first-run checklist can't read from anything else: that a pickup sheet was printed. */
import type { Ctx } from "../context.js";
import { write } from "./failures.js";

export async function markPrinted({ redis, keys }: Ctx, communityId: string): Promise<void> {
  const key = keys.community(communityId).firstRun;
  await write(redis, () => redis.hsetnx(key, "printedAt", String(Date.now())));
}

export async function readPrinted({ redis, keys }: Ctx, communityId: string): Promise<boolean> {
  return (await redis.hexists(keys.community(communityId).firstRun, "printedAt")) === 1;
}
