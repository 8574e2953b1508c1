/**
 * Rate-limit counters shared by every app node through Redis (rate-limiter-flexible). Each counter
 * is one key (`<prefix>:rl:<name>:<ip or device hash>`), so they spread over a Redis Cluster.
 */
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { Ctx } from "../context.js";
import { waitReady } from "./redis.js";

/**
 * The counters have a connection of their own: a counter stuck behind a stalled Redis must not
 * hold up the app's own reads and writes on the same connection (Redis answers one connection's
 * commands in order), nor the other way round.
 */
const connections = new WeakMap<Ctx, Redis>();

function counterConnection(ctx: Ctx): Redis {
  let redis = connections.get(ctx);
  if (!redis) {
    redis = ctx.redis.duplicate();
    redis.on("error", () => {});
    void redis.connect().catch(() => {});
    connections.set(ctx, redis);
  }
  return redis;
}

/**
 * Wait (a bounded time) for the counters' connection before taking requests. Points taken before
 * it is ready go to this node's memory, and a check read from Redis once it is ready would not see
 * them: the first wrong tokens after a start would not count.
 */
export async function countersReady(ctx: Ctx, timeoutMs = 5_000): Promise<void> {
  const redis = connections.get(ctx);
  if (redis) await waitReady(redis, timeoutMs).catch(() => {});
}

/** Close the counters' connection (the app is closing). */
export function closeCounters(ctx: Ctx): void {
  connections.get(ctx)?.disconnect();
  connections.delete(ctx);
}

export interface Rate {
  points: number;
  seconds: number;
}

/**
 * A fixed-window counter in Redis. While Redis is down or not ready, each node counts in its own
 * memory instead (the insurance limiter): limits keep holding per node, and a Redis outage never
 * turns into limiter errors.
 */
export function sharedLimiter(ctx: Ctx, name: string, rate: Rate): RateLimiterRedis {
  const window = { points: rate.points, duration: rate.seconds };
  return new RateLimiterRedis({
    ...window,
    storeClient: counterConnection(ctx),
    keyPrefix: ctx.keys.rateLimit(name),
    rejectIfRedisNotReady: true,
    // Once a key is over for this window, this node refuses it from memory until the window
    // ends: a flood costs no Redis calls.
    inMemoryBlockOnConsumed: rate.points + 1,
    insuranceLimiter: new RateLimiterMemory(window),
  });
}
