/**
 * The ioredis connection: fail fast when Redis is down (no offline queue), reconnect forever,
 * and never send a command twice by itself (see failures.ts for what a failed write means).
 */
import { Redis, type RedisOptions } from "ioredis";
import { defineScripts } from "./scripts.js";

/** The connection the app is built on (nothing outside server/store imports ioredis). */
export type StoreConnection = Redis;

export interface RedisConnectOptions {
  url: string;
  commandTimeoutMs: number;
  /** Load the scripts with the undeclared-key check (tests). */
  checkScriptKeys?: boolean;
}

function target(url: string): RedisOptions {
  if (url.startsWith("unix://")) return { path: url.slice("unix://".length) };
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === "rediss:" ? {} : undefined,
  };
}

export function connectRedis(opts: RedisConnectOptions): Redis {
  const redis = new Redis({
    ...target(opts.url),
    // Writes are never queued to replay later: while disconnected, commands fail at once.
    enableOfflineQueue: false,
    // A command in flight when the connection drops fails at once (outcome unknown) and is not
    // sent again by ioredis: only our callers, with their request ids, may try again.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: true,
  });
  // Errors surface on commands; the connection itself just keeps retrying.
  redis.on("error", () => {});
  defineScripts(redis, { checkKeys: opts.checkScriptKeys });
  return redis;
}

/** Resolves once the connection is ready (or rejects after timeoutMs). */
export async function waitReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === "wait") await redis.connect().catch(() => {});
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error("Redis did not become ready"));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}
