/**
 * A chain write is acked only once every replica attached to the primary has it.
 *
 * The script goes out pipelined with ROLE (same node, same connection): ROLE lists the replicas
 * online at that primary. With n > 0 of them, `WAIT n timeout` follows on the same connection;
 * fewer than n confirming in time means the write may or may not survive a failover, so the
 * caller gets outcome_unknown and retries with the same request id (the scripts answer a repeated
 * request with its first result, and write a no-op so that this WAIT covers the first write).
 * With no replica attached (a lone primary, say just after a failover) writes are accepted, and
 * the logs and /api/health say that it runs without a replica.
 *
 * WAIT is not consensus: a confirmed write is on every replica that was attached, so any one of
 * them promoted has it; a write on a primary cut off from its replicas is still lost when another
 * is promoted (docs/operations.md).
 */
import type { Ctx } from "../context.js";
import { log } from "../log.js";
import { StoreOutcomeUnknown, write } from "./failures.js";
import type { ScriptName } from "./scripts.js";

/** Replicas each community's primary had at its last write (logged when it changes to 0 or back). */
const lastSeen = new Map<string, number>();

function noteReplicas(where: string, replicas: number): void {
  const before = lastSeen.get(where);
  if (before === replicas) return;
  lastSeen.set(where, replicas);
  if (replicas === 0) {
    log.error(
      `running without a replica: the primary for ${where} has no replica attached; writes are accepted but live on one machine until a replica returns`,
    );
  } else if (before === 0) {
    log.info(`the primary for ${where} has ${replicas} replica(s) attached again`);
  }
}

/** `routeKey` is any key of the script's slot (the WAIT must reach the node the script ran on). */
export async function runScript(
  ctx: Ctx,
  name: ScriptName,
  routeKey: string,
  args: (string | number)[],
): Promise<string> {
  const redis = ctx.redis;
  return write(redis, async () => {
    const p = redis.pipeline();
    (p as unknown as Record<ScriptName, (...a: (string | number)[]) => unknown>)[name](...args);
    p.role();
    const res = await p.exec();
    const [scriptErr, reply] = res?.[0] ?? [new Error("Connection is closed.")];
    if (scriptErr) throw scriptErr;
    const [roleErr, role] = res?.[1] ?? [new Error("no answer to ROLE")];
    if (roleErr) {
      throw new StoreOutcomeUnknown(
        `the write ran; its replication is unknown: ${roleErr.message}`,
      );
    }
    const replicas = onlineReplicas(role);
    // One Redis on its own is expected to have none; a cluster or a Sentinel primary is not.
    if (ctx.config.REDIS && ctx.config.REDIS.mode !== "single") {
      noteReplicas(slotName(routeKey), replicas);
    }
    if (replicas > 0) await waitReplicas(ctx, routeKey, replicas);
    return reply as string;
  });
}

async function waitReplicas(ctx: Ctx, routeKey: string, replicas: number): Promise<void> {
  const timeout = ctx.config.REDIS_WAIT_TIMEOUT_MS;
  let acked: number;
  try {
    // EXISTS only routes the pipeline to the script's node on a cluster.
    const res = await ctx.redis.pipeline().exists(routeKey).wait(replicas, timeout).exec();
    const [err, n] = res?.[1] ?? [new Error("no answer to WAIT")];
    if (err) throw err;
    acked = Number(n);
  } catch (err) {
    throw new StoreOutcomeUnknown(
      `the write ran; no replica confirmation came back: ${(err as Error).message}`,
    );
  }
  if (acked < replicas) {
    log.error(
      `WAIT: ${acked} of ${replicas} replica(s) confirmed a write within ${timeout} ms; answered outcome_unknown`,
    );
    throw new StoreOutcomeUnknown(
      `${acked} of ${replicas} replica(s) confirmed the write within ${timeout} ms`,
    );
  }
}

/** ROLE on a primary: ["master", offset, [[ip, port, offset], …]] (online replicas only). */
export function onlineReplicas(role: unknown): number {
  if (!Array.isArray(role) || role[0] !== "master") return 0;
  return Array.isArray(role[2]) ? role[2].length : 0;
}

function slotName(key: string): string {
  const m = /\{([^}]*)\}/.exec(key);
  return m ? `community ${m[1]}` : "the global keys";
}
