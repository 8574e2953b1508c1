/** The ioredis connection: fail fast when Redis is down (no offline queue), reconnect forever. */
import { Redis, type RedisOptions } from "ioredis";
import { defineScripts } from "./scripts.js";

export interface RedisConnectOptions {
  url: string;
  commandTimeoutMs: number;
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
    maxRetriesPerRequest: 1,
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: true,
  });
  // Errors surface on commands; the connection itself just keeps retrying.
  redis.on("error", () => {});
  defineScripts(redis);
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
