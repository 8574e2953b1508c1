/**
 * Can the store take a write right now? What /api/health answers (load balancers use it).
 *
 * Healthy means connected to a primary (ROLE says master) that takes a write (one small SET with
 * a TTL: min-replicas-to-write unmet answers NOREPLICAS) — on a cluster, to the primary of every
 * slot, with the cluster's state ok (there ROLE only: a probe key per shard is not kept). Connected to a demoted primary (now a replica), or to a
 * cluster with a shard down, is unhealthy with the reason. The replicas attached to each primary
 * are reported; a primary without one is healthy (it accepts writes) with the warning "running
 * without a replica".
 */
import type { Ctx } from "../context.js";
import { asCluster, isCluster, type StoreConnection } from "./redis.js";
import { onlineReplicas } from "./replication.js";

export interface PrimaryHealth {
  /** host:port as the app reaches it (absent for a single connection). */
  node?: string;
  replicas: number;
}

export type StoreHealth =
  | {
      ok: true;
      mode: "single" | "cluster" | "sentinel";
      latencyMs: number;
      primaries: PrimaryHealth[];
      warnings: string[];
    }
  | { ok: false; mode: "single" | "cluster" | "sentinel"; status: string; reason: string };

function modeOf(ctx: Ctx): "single" | "cluster" | "sentinel" {
  return ctx.config.REDIS?.mode ?? "single";
}

async function primaryOf(redis: StoreConnection, node?: string): Promise<PrimaryHealth> {
  const role = (await redis.role()) as unknown[];
  if (role[0] !== "master") {
    throw new Error(
      `${node ? `${node} is` : "connected to"} a ${String(role[0]) === "slave" ? "replica" : String(role[0])}, not a primary: writes would fail (READONLY)`,
    );
  }
  return { ...(node ? { node } : {}), replicas: onlineReplicas(role) };
}

/** ioredis's connection states, in words for the health answer. */
function notReady(status: string): string {
  switch (status) {
    case "wait":
    case "connecting":
      return "connecting to Redis";
    case "connect":
      // Connected, not ready: Redis is loading its data (a restart) or the handshake is under way.
      return "connected to Redis, waiting for it to be ready (loading its data?)";
    case "reconnecting":
      return "lost the connection to Redis; reconnecting";
    default:
      return `the connection to Redis is ${status}`;
  }
}

export async function checkStore(ctx: Ctx): Promise<StoreHealth> {
  const started = performance.now();
  const mode = modeOf(ctx);
  try {
    if (ctx.redis.status !== "ready") throw new Error(notReady(ctx.redis.status));
    let primaries: PrimaryHealth[];
    if (isCluster(ctx.redis)) {
      const cluster = asCluster(ctx.redis);
      const info = String(await cluster.cluster("INFO"));
      const state = /cluster_state:(\w+)/.exec(info)?.[1];
      if (state !== "ok") throw new Error(`cluster_state is ${state ?? "unknown"}`);
      const masters = cluster.nodes("master");
      if (masters.length === 0) throw new Error("no primary known");
      primaries = await Promise.all(
        masters.map((n) =>
          primaryOf(n as unknown as StoreConnection, `${n.options.host}:${n.options.port}`),
        ),
      );
    } else {
      primaries = [await primaryOf(ctx.redis)];
      // A primary may still refuse writes (min-replicas-to-write unmet: NOREPLICAS; out of
      // memory: OOM): one small write says for sure.
      await ctx.redis.set(ctx.keys.healthProbe, String(Date.now()), "PX", 60_000);
    }
    const warnings = primaries
      .filter((p) => p.replicas === 0)
      .map((p) => `running without a replica${p.node ? ` (${p.node})` : ""}`);
    return {
      ok: true,
      mode,
      latencyMs: Math.round(performance.now() - started),
      primaries,
      warnings,
    };
  } catch (err) {
    const said = (err as Error).message;
    // ioredis's own words for a command that got no answer within REDIS_COMMAND_TIMEOUT_MS.
    const reason = /^Command timed out/.test(said)
      ? `Redis did not answer within ${ctx.config.REDIS_COMMAND_TIMEOUT_MS} ms (paused, overloaded or unreachable)`
      : said;
    return { ok: false, mode, status: ctx.redis.status, reason };
  }
}
