/**
 * Rate-limit counters shared by every app node through Redis (rate-limiter-flexible). Each counter
 * is one key (`<prefix>:rl:<name>:<ip or device hash>`), so they spread over a Redis Cluster.
 */
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { Ctx } from "../context.js";

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
    storeClient: ctx.redis,
    keyPrefix: ctx.keys.rateLimit(name),
    rejectIfRedisNotReady: true,
    // Once a key is over for this window, this node refuses it from memory until the window
    // ends: a flood costs no Redis calls.
    inMemoryBlockOnConsumed: rate.points + 1,
    insuranceLimiter: new RateLimiterMemory(window),
  });
}
