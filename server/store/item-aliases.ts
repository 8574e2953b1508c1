/**
 * The words a community's residents use for an item (白菜 for 小白菜), taught by a coordinator in
 * the import review and used by every later import. One hash per community, alias → item name.
 */
import type { Ctx } from "../context.js";
import { write } from "./failures.js";
import { runScript } from "./replication.js";

export interface ItemAliasRecord {
  alias: string;
  item: string;
}

export async function readItemAliases(
  { redis, keys }: Ctx,
  communityId: string,
): Promise<ItemAliasRecord[]> {
  const all = await redis.hgetall(keys.community(communityId).itemAliases);
  return Object.entries(all)
    .map(([alias, item]) => ({ alias, item }))
    .sort((a, b) => a.alias.localeCompare(b.alias, "zh-CN"));
}

/** Add or replace one alias; false when the community already has `max` others. */
export async function saveItemAlias(
  ctx: Ctx,
  communityId: string,
  alias: ItemAliasRecord,
  max: number,
): Promise<boolean> {
  const key = ctx.keys.community(communityId).itemAliases;
  // Count and save in one script (store/scripts/save-item-alias.lua): racing posts can't pass the cap.
  const reply = await runScript(ctx, "jlSaveItemAlias", key, [
    1,
    key,
    alias.alias,
    alias.item,
    max,
  ]);
  return (JSON.parse(reply) as { saved: boolean }).saved;
}

/** Forget one alias; false if there was none. */
export async function deleteItemAlias(
  { redis, keys }: Ctx,
  communityId: string,
  alias: string,
): Promise<boolean> {
  const key = keys.community(communityId).itemAliases;
  return (await write(redis, () => redis.hdel(key, alias))) > 0;
}
