/**
 * A chain write is acked only once every replica attached to the primary has it.
 *
 * The script goes out pipelined with ROLE (same node, same connection; scripts asked for together
 * share one ROLE, ScriptBatch): ROLE lists the replicas online at that primary. With n > 0 of
 * them, `WAIT n timeout` follows on the same connection;
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
import { scriptStep } from "../trace.js";
import { StoreOutcomeUnknown, write } from "./failures.js";
import { isCluster } from "./redis.js";
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
    const sent = isCluster(redis)
      ? sendAlone(ctx, name, routeKey, args)
      : batchOf(ctx).add(name, routeKey, args);
    const { reply, replicated } = await sent;
    await replicated;
    return reply;
  });
}

interface Sent {
  reply: string;
  /** Settles once the replicas attached have the write (or says it is unknown whether they do). */
  replicated: Promise<void>;
}

/** A script asked for, and its caller waiting for the answer. */
interface PendingScript {
  name: ScriptName;
  args: (string | number)[];
  resolve: (sent: Sent) => void;
  reject: (err: unknown) => void;
}

/**
 * These scripts, then ROLE, in one pipeline; each caller gets its script's answer or error, and
 * the wait for the replicas ROLE listed (one WAIT covers every write before it on the connection).
 */
async function sendWithRole(ctx: Ctx, routeKey: string, calls: PendingScript[]): Promise<void> {
  try {
    const p = ctx.redis.pipeline();
    for (const { name, args } of calls) {
      (p as unknown as Record<ScriptName, (...a: (string | number)[]) => unknown>)[name](...args);
    }
    p.role();
    scriptStep("sent", calls.length);
    const res = await p.exec();
    scriptStep("replied", calls.length);
    const replicated = afterRole(ctx, routeKey, res?.[calls.length]);
    // A caller that fails on its own script never looks at this: keep it from going unhandled.
    replicated.catch(() => {});
    calls.forEach((c, i) => {
      const [err, reply] = res?.[i] ?? [new Error("Connection is closed."), null];
      if (err) c.reject(err);
      else c.resolve({ reply: reply as string, replicated });
    });
  } catch (err) {
    for (const c of calls) c.reject(err);
  }
}

/** One script on its own pipeline (a cluster: scripts of different communities, different nodes). */
function sendAlone(
  ctx: Ctx,
  name: ScriptName,
  routeKey: string,
  args: (string | number)[],
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    void sendWithRole(ctx, routeKey, [{ name, args, resolve, reject }]);
  });
}

/** What ROLE answered after a write: wait for that many replicas (or none). */
function afterRole(ctx: Ctx, routeKey: string, answer: [Error | null, unknown] | undefined) {
  const [roleErr, role] = answer ?? [new Error("no answer to ROLE")];
  if (roleErr) {
    return Promise.reject(
      new StoreOutcomeUnknown(`the write ran; its replication is unknown: ${roleErr.message}`),
    );
  }
  const replicas = onlineReplicas(role);
  // One Redis on its own is expected to have none; a cluster or a Sentinel primary is not.
  if (ctx.config.REDIS && ctx.config.REDIS.mode !== "single") {
    // Without a cluster, one primary holds every community: said once for it.
    noteReplicas(isCluster(ctx.redis) ? slotName(routeKey) : "every community", replicas);
  }
  return replicas > 0 ? waitReplicas(ctx, routeKey, replicas) : Promise.resolve();
}

/**
 * The scripts asked for in one turn of the event loop go out together (sendWithRole): one write
 * to Redis, one read of the answers, one ROLE, and one WAIT when replicas are attached. Each
 * script still runs on its own, atomically, in the order asked; each caller gets its own answer
 * or error. Under load this is most of a join's syscalls (BENCHMARKS.md, app CPU per join). One
 * connection, so not on a cluster (sendAlone).
 */
class ScriptBatch {
  private queue: PendingScript[] = [];
  private routeKey = "";

  constructor(private readonly ctx: Ctx) {}

  add(name: ScriptName, routeKey: string, args: (string | number)[]): Promise<Sent> {
    if (this.queue.length === 0) {
      this.routeKey = routeKey;
      setImmediate(() => this.flush());
    }
    const sent = new Promise<Sent>((resolve, reject) =>
      this.queue.push({ name, args, resolve, reject }),
    );
    // A burst read in one long turn goes out in slices: Redis works through the first while the
    // app still reads the rest.
    if (this.queue.length >= BATCH_MAX) this.flush();
    return sent;
  }

  private flush(): void {
    if (this.queue.length === 0) return;
    const queue = this.queue;
    this.queue = [];
    void sendWithRole(this.ctx, this.routeKey, queue);
  }
}

/**
 * Scripts in one pipeline at most. A burst's 2,000 joins were read in one turn and sent as one
 * pipeline of ~1,800: Redis idled while the app read them, then the app while Redis ran them
 * (P2 p99, same machine back to back: 540 ms in one pipeline, 430–530 ms in slices of 64).
 */
const BATCH_MAX = 64;

const batches = new WeakMap<Ctx, ScriptBatch>();

function batchOf(ctx: Ctx): ScriptBatch {
  let b = batches.get(ctx);
  if (!b) {
    b = new ScriptBatch(ctx);
    batches.set(ctx, b);
  }
  return b;
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
