/**
 * Reads that must see one moment (a chain and its entries at one version), sent as one read-only
 * script (scripts/read.lua) instead of MULTI/EXEC. Redis refuses every command queued in a MULTI
 * while it is out of memory (`maxmemory` reached), so with MULTI a full Redis stopped the reads
 * too — pickup sheets, the chain page, the day overview — not only the writes. A script flagged
 * `no-writes` still runs then. Every key is in KEYS (one community's hash slot on a cluster).
 *
 * The builder answers as ioredis's `multi().…exec()` does — `[error, value]` per command, a hash
 * from HGETALL as an object — so a call site changes only where it starts.
 */
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type { Ctx } from "../context.js";

const READ_LUA = readFileSync(new URL("./scripts/read.lua", import.meta.url), "utf8");

type ReadScript = (numKeys: number, ...keysAndArgs: string[]) => Promise<unknown[]>;

declare module "ioredis" {
  interface RedisCommander {
    jlRead: ReadScript;
  }
}

/** Defined with the other scripts on every connection (store/redis.ts). */
export function defineReadScript(redis: Redis): void {
  redis.defineCommand("jlRead", { lua: READ_LUA });
}

type ReadCommand = "hget" | "hmget" | "hgetall" | "hvals" | "exists" | "smembers" | "xrange";

export class ReadTx {
  private readonly keys: string[] = [];
  private readonly commands: { name: ReadCommand; key: number; args: string[] }[] = [];

  constructor(private readonly redis: Redis) {}

  private add(name: ReadCommand, key: string, ...args: (string | number)[]): this {
    let at = this.keys.indexOf(key);
    if (at < 0) at = this.keys.push(key) - 1;
    this.commands.push({ name, key: at + 1, args: args.map(String) });
    return this;
  }

  hget(key: string, field: string) {
    return this.add("hget", key, field);
  }
  hmget(key: string, ...fields: string[]) {
    return this.add("hmget", key, ...fields);
  }
  hgetall(key: string) {
    return this.add("hgetall", key);
  }
  hvals(key: string) {
    return this.add("hvals", key);
  }
  exists(key: string) {
    return this.add("exists", key);
  }
  smembers(key: string) {
    return this.add("smembers", key);
  }
  xrange(key: string, start: string, end: string) {
    return this.add("xrange", key, start, end);
  }

  /** Every answer, in order, as `[null, value]` (MULTI's shape); a failure rejects as a whole. */
  async exec(): Promise<[null, unknown][]> {
    const argv: string[] = [String(this.commands.length)];
    for (const c of this.commands)
      argv.push(c.name, String(c.key), String(c.args.length), ...c.args);
    const answers = await this.redis.jlRead(this.keys.length, ...this.keys, ...argv);
    return this.commands.map((c, i) => {
      const value = answers[i] ?? null;
      return [null, c.name === "hgetall" ? pairs(value as string[] | null) : value];
    });
  }
}

/** HGETALL's flat [field, value, …] as an object, as ioredis gives it. */
function pairs(flat: string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!flat) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

/** Reads at one moment: `readTx(ctx).hgetall(a).hget(b, "f").exec()`. */
export const readTx = (ctx: Pick<Ctx, "redis">) => new ReadTx(ctx.redis as Redis);
