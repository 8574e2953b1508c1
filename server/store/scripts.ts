/**
 * The Lua scripts, loaded with ioredis defineCommand. Each script is lib.lua followed by its body,
 * so the invariants (cutoff by Redis TIME, stock, limits, aggregates, versions) live in one file.
 * Scripts return a JSON string: either a result or { err: code, ...details }.
 */
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

const dir = new URL("./scripts/", import.meta.url);
const lib = readFileSync(new URL("lib.lua", dir), "utf8");
const load = (name: string) => `${lib}\n${readFileSync(new URL(`${name}.lua`, dir), "utf8")}`;

const SCRIPTS = {
  jlJoinEntry: { file: "join-entry", keys: 8 },
  jlUpdateEntry: { file: "update-entry", keys: 8 },
  jlCancelEntry: { file: "cancel-entry", keys: 8 },
  jlMarkEntry: { file: "mark-entry", keys: 8 },
  jlWeighEntry: { file: "weigh-entry", keys: 8 },
  jlCreateChain: { file: "create-chain", keys: 11 },
  jlUpdateChain: { file: "update-chain", keys: 8 },
  jlCloseDue: { file: "close-due", keys: 2 },
} as const;

export type ScriptName = keyof typeof SCRIPTS;

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<string>;

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
  }
}

const sources = Object.fromEntries(
  Object.entries(SCRIPTS).map(([name, s]) => [name, load(s.file)]),
) as Record<ScriptName, string>;

export function defineScripts(redis: Redis): void {
  for (const [name, s] of Object.entries(SCRIPTS)) {
    redis.defineCommand(name, { numberOfKeys: s.keys, lua: sources[name as ScriptName] });
  }
}

/** Script failures come back as { err, ...details }. */
export interface ScriptFailure {
  err: string;
  [detail: string]: unknown;
}

export function parseScriptReply<T>(reply: string): T | ScriptFailure {
  return JSON.parse(reply) as T | ScriptFailure;
}

export function isFailure(x: unknown): x is ScriptFailure {
  return typeof x === "object" && x !== null && "err" in x;
}
