/**
 * Ceiling B: raw Redis. A three-call Lua script (HINCRBY + HSET + HGET: take a number, store a
 * join-sized record, read it back) through ioredis defineCommand, on one connection made the
 * way the app makes its own, driven by the same closed loop as the socket scenarios.
 */
import type { Redis } from "ioredis";
import { connectRedis, waitReady } from "../server/store/redis.js";
import { closedLoop } from "./loop.js";
import { measureWindow, scriptMicros } from "./probe.js";
import { joinPayload } from "./protocol.js";
import type { Measured } from "./report.js";

const LUA = `
local no = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[2], no, ARGV[1])
return redis.call('HGET', KEYS[2], no)
`;

type BenchScript = (meta: string, entries: string, record: string) => Promise<string | null>;

export interface RedisCeilingOptions {
  url: string;
  callers: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
}

export async function runRedisCeiling(opts: RedisCeilingOptions): Promise<Measured> {
  const redis = connectRedis({ url: opts.url, commandTimeoutMs: opts.timeoutMs });
  try {
    await waitReady(redis);
    redis.defineCommand("benchJoin", { numberOfKeys: 2, lua: LUA });
    const run = (redis as Redis & { benchJoin: BenchScript }).benchJoin.bind(redis);
    const target = { chainId: "benchc-benchchain", dropPointIds: ["benchdp1"], itemIds: ["i1"] };
    const meta = "bench:ceiling:meta";
    const entries = "bench:ceiling:entries";
    const usage = measureWindow({
      startInMs: opts.warmupMs,
      lengthMs: opts.durationMs,
      threads: [],
      redis,
    });
    const result = await closedLoop({
      callers: opts.callers,
      warmupMs: opts.warmupMs,
      durationMs: opts.durationMs,
      op: async (caller) => {
        const record = JSON.stringify(joinPayload(target, caller));
        const back = await run(meta, entries, record);
        return back === record
          ? { ok: true }
          : { ok: false, code: "redis_mismatch", message: String(back) };
      },
    });
    return { result, usage: await usage, scriptUs: await scriptMicros(redis) };
  } finally {
    redis.disconnect();
  }
}
