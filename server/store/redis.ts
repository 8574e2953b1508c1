/**
 * The ioredis connections, made in one place for the three ways Redis can be deployed (config.ts
 * RedisTarget): one server, a Redis Cluster, or a primary found through Sentinels. Whatever the
 * mode: fail fast when Redis is down (no offline queue), reconnect forever, and never send a
 * command twice by itself (see failures.ts for what a failed write means).
 *
 * The rest of the app sees one type, StoreConnection. A Cluster answers the same commands as a
 * single Redis (each key routed to its slot's primary), so it is typed as one; the few places
 * that must tell them apart (subscriber, health, WAIT) ask isCluster().
 */
import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { RedisTarget } from "../config.js";
import { defineScripts } from "./scripts.js";

/** The connection the app is built on (nothing outside server/store imports ioredis). */
export type StoreConnection = Redis;

export interface RedisConnectOptions {
  /** A redis://, rediss:// or unix:// URL (single mode), or any target. */
  url?: string;
  target?: RedisTarget;
  commandTimeoutMs: number;
  /** Load the scripts with the undeclared-key check (tests). */
  checkScriptKeys?: boolean;
}

function fromUrl(url: string): RedisOptions {
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

/** What every connection to a Redis node shares. */
function nodeOptions(commandTimeoutMs: number): RedisOptions {
  return {
    // Writes are never queued to replay later: while disconnected, commands fail at once.
    enableOfflineQueue: false,
    // A command in flight when the connection drops fails at once (outcome unknown) and is not
    // sent again by ioredis: only our callers, with their request ids, may try again.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    // A primary demoted under us answers READONLY: drop the connection (the command is not
    // sent again) so that it reconnects to whatever is primary now (Sentinel asks again).
    reconnectOnError: (err) => (/^READONLY\b/.test(err.message) ? 1 : false),
  };
}

export function connectRedis(opts: RedisConnectOptions): StoreConnection {
  const target: RedisTarget = opts.target ?? { mode: "single", url: opts.url as string };
  if (!opts.target && !opts.url) throw new Error("connectRedis: a url or a target");
  const base = nodeOptions(opts.commandTimeoutMs);
  let redis: StoreConnection;
  if (target.mode === "cluster") {
    const cluster = new Cluster(target.nodes, {
      enableOfflineQueue: false,
      lazyConnect: true,
      // MOVED/ASK are followed at once (the command did not run there); a cluster that is down
      // or failing over is asked a few times, then the call fails as unavailable.
      maxRedirections: 16,
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
      slotsRefreshTimeout: 2000,
      slotsRefreshInterval: 2000,
      clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
      // A node that restarts (as a replica, say) is connected to again.
      clusterNodeRetryStrategy: (times) => Math.min(100 * times, 2000),
      redisOptions: { ...base, username: target.username, password: target.password },
    });
    redis = cluster as unknown as StoreConnection;
  } else if (target.mode === "sentinel") {
    redis = new Redis({
      ...base,
      sentinels: target.sentinels,
      name: target.masterName,
      role: "master",
      username: target.username,
      password: target.password,
      sentinelPassword: target.sentinelPassword,
      // Hear +switch-master from the Sentinels and move to the new primary at once.
      failoverDetector: true,
      sentinelRetryStrategy: (times) => Math.min(100 * times, 1000),
      lazyConnect: true,
    });
  } else {
    redis = new Redis({ ...base, ...fromUrl(target.url), lazyConnect: true });
  }
  // Errors surface on commands; the connection itself just keeps retrying.
  redis.on("error", () => {});
  defineScripts(redis, { checkKeys: opts.checkScriptKeys });
  return redis;
}

export function isCluster(redis: StoreConnection): boolean {
  return (redis as unknown) instanceof Cluster;
}

/** The Cluster behind a StoreConnection made for cluster mode. */
export function asCluster(redis: StoreConnection): Cluster {
  return redis as unknown as Cluster;
}

/**
 * A connection for SUBSCRIBE and SSUBSCRIBE, to the same Redis. On a cluster it keeps one
 * subscriber per primary for the shard channels (ioredis shardedSubscribers) and follows slots
 * as they move; elsewhere it is one connection that resubscribes after each reconnect.
 */
export function subscriberConnection(redis: StoreConnection): StoreConnection {
  if (isCluster(redis)) {
    const sub = asCluster(redis).duplicate(undefined, {
      shardedSubscribers: true,
      enableOfflineQueue: true,
      lazyConnect: false,
    });
    return sub as unknown as StoreConnection;
  }
  // It may queue its SUBSCRIBEs until connected; it never carries writes.
  return redis.duplicate({ enableOfflineQueue: true, lazyConnect: false });
}

/** Resolves once the connection is ready (or rejects after timeoutMs). */
export async function waitReady(redis: StoreConnection, timeoutMs = 10_000): Promise<void> {
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
