/**
 * What a bench-owned redis-server says about a scenario: time per script call (INFO
 * commandstats), time per script by SHA or function (SLOWLOG with a 0 µs threshold, only
 * while sampling), memory (INFO memory) and the append-only file's size on disk.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";

/** The commands that run a script: their time includes the calls the script makes. */
const SCRIPT_COMMANDS = ["evalsha", "eval", "evalsha_ro", "eval_ro", "fcall", "fcall_ro"];

export interface CommandStats {
  calls: number;
  usec: number;
}

export interface CommandSample {
  /** e.g. "evalsha 3f2a9c1b", "fcall join_entry", "publish". */
  command: string;
  calls: number;
  usec: number;
}

const BENCH_CLIENT = "jielong-bench";

export function connectBenchRedis(url: string): Redis {
  // Named, so SLOWLOG samples can leave out the bench's own INFO and CONFIG calls.
  const redis = url.startsWith("unix://")
    ? new Redis({ path: url.slice("unix://".length), connectionName: BENCH_CLIENT })
    : new Redis(url, { connectionName: BENCH_CLIENT });
  redis.on("error", () => {});
  return redis;
}

/** Script calls and their total time (µs) since the server started (includes what they call). */
export async function scriptCommandStats(redis: Redis): Promise<CommandStats> {
  const info = await redis.info("commandstats");
  let calls = 0;
  let usec = 0;
  for (const m of info.matchAll(/^cmdstat_([a-z_|]+):calls=(\d+),usec=(\d+)/gm)) {
    if (!SCRIPT_COMMANDS.includes(m[1] ?? "")) continue;
    calls += Number(m[2]);
    usec += Number(m[3]);
  }
  return { calls, usec };
}

export function diffStats(a: CommandStats, b: CommandStats): CommandStats {
  return { calls: b.calls - a.calls, usec: b.usec - a.usec };
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
}

/** Bytes of the append-only file(s): Redis 7 keeps a base and increments in appendonlydir. */
export function aofBytes(dir: string): number {
  const sizeOf = (p: string): number => {
    try {
      const st = statSync(p);
      if (!st.isDirectory()) return st.size;
      return readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0);
    } catch {
      return 0;
    }
  };
  return sizeOf(path.join(dir, "appendonlydir")) || sizeOf(path.join(dir, "appendonly.aof"));
}

/**
 * BGREWRITEAOF and wait until the rewrite is done and in use. A rewrite Redis started by itself
 * (auto-aof-rewrite-percentage, which the app sets) is let finish first: Redis refuses a second
 * one ("already in progress"), and it would not cover the writes made since it began.
 */
export async function rewriteAof(redis: Redis, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const busy = (info: string) =>
    /^aof_rewrite_in_progress:1/m.test(info) || /^aof_rewrite_scheduled:1/m.test(info);
  const rewrites = (info: string) => Number(/^aof_rewrites:(\d+)/m.exec(info)?.[1] ?? -1);
  let startCount: number;
  for (;;) {
    const before = await redis.info("persistence");
    if (!busy(before)) {
      startCount = rewrites(before);
      const started = await redis.bgrewriteaof().then(
        () => true,
        (err: Error) => {
          // Redis began one of its own in between: wait for it, then ask again.
          if (/already in progress/i.test(err.message)) return false;
          throw err;
        },
      );
      if (started) break;
    }
    if (Date.now() > deadline) throw new Error("an automatic AOF rewrite did not finish");
    await new Promise((r) => setTimeout(r, 50));
  }
  for (;;) {
    const info = await redis.info("persistence");
    // aof_rewrites (Redis 7) counts finished rewrites; older servers lack it.
    if (!busy(info) && (startCount < 0 || rewrites(info) > startCount)) return;
    if (Date.now() > deadline) throw new Error("BGREWRITEAOF did not finish");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Log every command while `body` runs (SLOWLOG at 0 µs; Redis 7 also logs the commands a script
 * calls, inside the script's own time), then total them by command, scripts by SHA / function.
 */
export async function sampleCommands(
  redis: Redis,
  body: () => Promise<void>,
): Promise<CommandSample[]> {
  const [, oldThreshold] = (await redis.config("GET", "slowlog-log-slower-than")) as string[];
  const [, oldLen] = (await redis.config("GET", "slowlog-max-len")) as string[];
  await redis.config("SET", "slowlog-max-len", "100000");
  await redis.config("SET", "slowlog-log-slower-than", "0");
  await redis.slowlog("RESET");
  try {
    await body();
  } finally {
    await redis.config("SET", "slowlog-log-slower-than", oldThreshold ?? "10000");
  }
  type Entry = [number, number, number, string[], string, string];
  const log = (await redis.call("SLOWLOG", "GET", "-1")) as Entry[];
  await redis.config("SET", "slowlog-max-len", oldLen ?? "128");
  const byCommand = new Map<string, CommandSample>();
  for (const [, , usec, args, , client] of log) {
    if (client === BENCH_CLIENT) continue;
    const cmd = (args[0] ?? "").toLowerCase();
    const key = !SCRIPT_COMMANDS.includes(cmd)
      ? cmd
      : `${cmd} ${cmd.startsWith("fcall") ? args[1] : (args[1] ?? "?").slice(0, 8)}`;
    const s = byCommand.get(key) ?? { command: key, calls: 0, usec: 0 };
    s.calls++;
    s.usec += usec;
    byCommand.set(key, s);
  }
  return [...byCommand.values()].sort((a, b) => b.usec - a.usec);
}
