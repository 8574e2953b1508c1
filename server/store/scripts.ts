/**
 * The Lua scripts, loaded with ioredis defineCommand. Each script is lib.lua followed by its body,
 * so the invariants (cutoff by Redis TIME, stock, limits, aggregates, versions) live in one file.
 * Scripts return a JSON string: either a result or { err: code, ...details }.
 *
 * Every key a script touches arrives in KEYS (Redis Cluster routes a script by its keys). With
 * `checkKeys`, scripts are loaded with a `call` that refuses any key not in KEYS; the tests run
 * that way, so a script that builds a key name of its own fails there.
 */

import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import { defineReadScript } from "./read-tx.js";

const dir = new URL("./scripts/", import.meta.url);
const lib = readFileSync(new URL("lib.lua", dir), "utf8");

/** lib.lua's first line of code; checkKeys swaps it for the checking `call` below. */
const PLAIN_CALL = "local call = redis.call\n";

/**
 * Redis commands our scripts use whose keys are not (only) the first argument. Everything else
 * takes one key, first; TIME takes none. SPUBLISH's shard channel counts as a key: it must be
 * declared, so that a cluster routes the script to the shard that owns the channel.
 */
const CHECKING_CALL = `local call
do
  local declared = {}
  for _, k in ipairs(KEYS) do declared[k] = true end
  local keyless = { TIME = true }
  local every_arg = { DEL = true, EXISTS = true, UNLINK = true, MGET = true, TOUCH = true }
  local function check(key, cmd)
    if not declared[key] then
      error('undeclared key ' .. tostring(key) .. ' in ' .. cmd, 2)
    end
  end
  call = function(cmd, ...)
    local c = string.upper(cmd)
    if every_arg[c] then
      for i = 1, select('#', ...) do check((select(i, ...)), c) end
    elseif not keyless[c] then
      check((...), c)
    end
    return redis.call(cmd, ...)
  end
end
`;

const SCRIPTS = {
  jlJoinEntry: "join-entry",
  jlUpdateEntry: "update-entry",
  jlCancelEntry: "cancel-entry",
  jlMarkEntry: "mark-entry",
  jlWeighEntry: "weigh-entry",
  jlCreateChain: "create-chain",
  jlUpdateChain: "update-chain",
  jlCloseDue: "close-due",
  jlWaitlistJoin: "waitlist-join",
  jlWaitlistLeave: "waitlist-leave",
  jlSaveItemAlias: "save-item-alias",
} as const;

export type ScriptName = keyof typeof SCRIPTS;
export const SCRIPT_NAMES = Object.keys(SCRIPTS) as ScriptName[];

/** numKeys, then the keys, then the arguments. */
type ScriptCommand = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<string>;

declare module "ioredis" {
  interface RedisCommander {
    jlJoinEntry: ScriptCommand;
    jlUpdateEntry: ScriptCommand;
    jlCancelEntry: ScriptCommand;
    jlMarkEntry: ScriptCommand;
    jlWeighEntry: ScriptCommand;
    jlCreateChain: ScriptCommand;
    jlUpdateChain: ScriptCommand;
    jlCloseDue: ScriptCommand;
    jlWaitlistJoin: ScriptCommand;
    jlWaitlistLeave: ScriptCommand;
    jlSaveItemAlias: ScriptCommand;
  }
}

/** The source of a script as Redis runs it. */
export function scriptSource(name: ScriptName, checkKeys = false): string {
  if (!lib.includes(PLAIN_CALL)) throw new Error("lib.lua must define `local call = redis.call`");
  const prelude = checkKeys ? lib.replace(PLAIN_CALL, CHECKING_CALL) : lib;
  return `${prelude}\n${readFileSync(new URL(`${SCRIPTS[name]}.lua`, dir), "utf8")}`;
}

export function defineScripts(redis: Redis, opts: { checkKeys?: boolean } = {}): void {
  for (const name of SCRIPT_NAMES) {
    // numberOfKeys is given per call: an entry script takes the keys of one or two drop points.
    redis.defineCommand(name, { lua: scriptSource(name, opts.checkKeys) });
  }
  defineReadScript(redis);
}

/**
 * How a script refuses: { err, ...details } with quantities in thousandths (lib.lua fail()).
 * domain/script-errors.ts turns each into the error the client gets (shared/errors.ts).
 */
export type ScriptFailure =
  | { err: "not_found"; what?: "chain" | "entry" | "waiter" }
  | { err: "chain_closed"; editing?: boolean }
  | { err: "unknown_drop_point"; dropPointId: string }
  | { err: "unknown_item"; itemId: string; where?: "entry" }
  | { err: "bad_quantity"; itemId: string; step: number; qty: number }
  | {
      err: "sold_out";
      short: { itemId: string; wanted: number; remaining: number }[];
      /** remaining -1: no cap. */
      left: { itemId: string; remaining: number }[];
    }
  | {
      err: "limit_exceeded";
      itemId: string;
      limit: number;
      already: number;
      by?: "device" | "phone";
    }
  | { err: "phone_required" }
  | { err: "too_many_entries"; max: number }
  | { err: "codes_exhausted"; dropPointId: string }
  | { err: "request_id_conflict" }
  | { err: "entry_cancelled" }
  | { err: "forbidden"; what?: "waiter" }
  | { err: "stock_below_sold"; itemId: string; sold: number }
  | { err: "invalid_state"; from?: string; to?: string; message?: string }
  | { err: "validation_failed"; message: string }
  /** waitlist:join for an item the stock can still meet (remaining -1: no cap). */
  | { err: "not_sold_out"; itemId: string; remaining: number }
  | { err: "already_waiting"; itemId: string; waiterId: number }
  | { err: "more_than_stock"; itemId: string; stock: number }
  | { err: "waitlist_full"; itemId: string; max: number }
  /** The keys sent were not all the script needs; nothing was written (store/chains.ts retries). */
  | { err: "retry"; dp?: string; date?: string };

export function isFailure(x: unknown): x is ScriptFailure {
  return typeof x === "object" && x !== null && "err" in x;
}
