/**
 * Communities, their drop points and their people. Every change to them bumps the community's
 * `mv` (in its info hash), which the cached pickup lists and sheets are tagged with.
 */

import type { Ctx } from "../context.js";
import { write } from "./failures.js";
import { readTx } from "./read-tx.js";
import type { CommunityRecord, DropPointRecord, UserRecord } from "./records.js";

export async function hasAnyCommunity({ redis, keys }: Ctx): Promise<boolean> {
  return (await redis.scard(keys.communities)) > 0;
}

/** Every community's id (a small set: one per install, plus a demo one at most). */
export async function listCommunityIds({ redis, keys }: Ctx): Promise<string[]> {
  return redis.smembers(keys.communities);
}

export async function createCommunity(
  { redis, keys }: Ctx,
  community: CommunityRecord,
  coordinator: UserRecord,
): Promise<void> {
  const k = keys.community(community.id);
  await write(redis, () =>
    redis
      .multi()
      .hset(k.info, {
        ...community,
        requirePhone4: community.requirePhone4 ? "1" : "0",
        createdAt: String(community.createdAt),
      })
      .hset(k.users, coordinator.id, JSON.stringify(coordinator))
      .exec(),
  );
  // The list of communities is outside every community's hash slot, so it can't join the
  // transaction under Redis Cluster. Listed last: a community is only listed once it exists.
  await write(redis, () => redis.sadd(keys.communities, community.id));
}

export async function readCommunity(
  { redis, keys }: Ctx,
  communityId: string,
): Promise<{ community: CommunityRecord; dropPoints: DropPointRecord[] } | null> {
  const k = keys.community(communityId);
  const res = await readTx({ redis }).hgetall(k.info).hvals(k.dropPoints).exec();
  const info = res?.[0]?.[1] as Record<string, string> | undefined;
  if (!info?.id) return null;
  const dps = ((res?.[1]?.[1] as string[]) ?? []).map((s) => JSON.parse(s) as DropPointRecord);
  dps.sort((a, b) => a.name.localeCompare(b.name, "zh-CN", { numeric: true }));
  return {
    community: {
      id: info.id,
      name: info.name ?? "",
      timezone: info.timezone ?? "",
      requirePhone4: info.requirePhone4 === "1",
      createdAt: Number(info.createdAt),
    },
    dropPoints: dps,
  };
}

export async function updateCommunityInfo(
  { redis, keys }: Ctx,
  communityId: string,
  fields: Partial<Pick<CommunityRecord, "name" | "timezone" | "requirePhone4">>,
): Promise<void> {
  const set = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, typeof v === "boolean" ? (v ? "1" : "0") : v] as [string, string]);
  if (set.length) {
    const k = keys.community(communityId);
    await write(redis, () =>
      redis.multi().hset(k.info, Object.fromEntries(set)).hincrby(k.info, "mv", 1).exec(),
    );
  }
}

export async function saveDropPoint(
  { redis, keys }: Ctx,
  communityId: string,
  dp: DropPointRecord,
): Promise<void> {
  const k = keys.community(communityId);
  await write(redis, () =>
    redis.multi().hset(k.dropPoints, dp.id, JSON.stringify(dp)).hincrby(k.info, "mv", 1).exec(),
  );
}

/** Add a drop point unless its id exists; returns the one already there, or null when added. */
export async function addDropPointOnce(
  { redis, keys }: Ctx,
  communityId: string,
  dp: DropPointRecord,
): Promise<DropPointRecord | null> {
  const k = keys.community(communityId);
  const key = k.dropPoints;
  const res = await write(redis, () =>
    redis.multi().hsetnx(key, dp.id, JSON.stringify(dp)).hincrby(k.info, "mv", 1).exec(),
  );
  if (res?.[0]?.[1] === 1) return null;
  const raw = await redis.hget(key, dp.id);
  return raw ? (JSON.parse(raw) as DropPointRecord) : null;
}

export async function readDropPoint(
  { redis, keys }: Ctx,
  communityId: string,
  dropPointId: string,
): Promise<DropPointRecord | null> {
  const raw = await redis.hget(keys.community(communityId).dropPoints, dropPointId);
  return raw ? (JSON.parse(raw) as DropPointRecord) : null;
}

export async function saveUser({ redis, keys }: Ctx, user: UserRecord): Promise<void> {
  const k = keys.community(user.communityId);
  await write(redis, () =>
    redis.multi().hset(k.users, user.id, JSON.stringify(user)).hincrby(k.info, "mv", 1).exec(),
  );
}

export async function readUser(
  { redis, keys }: Ctx,
  communityId: string,
  userId: string,
): Promise<UserRecord | null> {
  const raw = await redis.hget(keys.community(communityId).users, userId);
  return raw ? (JSON.parse(raw) as UserRecord) : null;
}

export async function readUsers({ redis, keys }: Ctx, communityId: string): Promise<UserRecord[]> {
  const all = await redis.hvals(keys.community(communityId).users);
  return all.map((s) => JSON.parse(s) as UserRecord).sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * What a kept day view was built from: the version of each (date, drop point) it shows (the
 * scripts bump it on every change there: joins, changes, moves, cancels, check-off marks, weights,
 * edits of a chain delivering there) and the community's `mv` (drop points, people, settings).
 * One round trip. One drop point: `<v>.<mv>`; several: `<v1>-<v2>-….<mv>`.
 */
export async function readDayTag(
  { redis, keys }: Ctx,
  communityId: string,
  date: string,
  dropPointIds: readonly string[],
): Promise<string> {
  const k = keys.community(communityId);
  const m = readTx({ redis });
  for (const id of dropPointIds) m.hget(k.dayTotals(date, id), "v");
  m.hget(k.info, "mv");
  const res = (await m.exec()) ?? [];
  const v = (i: number) => String(res[i]?.[1] ?? 0);
  return `${dropPointIds.map((_, i) => v(i)).join("-")}.${v(dropPointIds.length)}`;
}
