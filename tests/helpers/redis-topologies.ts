/**
 * Real Redis topologies for the scale-out tests, on loopback with random free ports, each server
 * in its own temporary directory, stopped by PID:
 * - a Redis Cluster of 3 primaries + 3 replicas (redis-server --cluster-enabled yes, joined by
 *   `redis-cli --cluster create … --cluster-replicas 1 --cluster-yes`);
 * - 1 primary + 1 replica + 3 Sentinels (redis-server --sentinel).
 * Timings are short (node timeout 1.5 s, Sentinel down-after 1 s) so that failovers happen in a
 * few seconds. No min-replicas-to-write: a lone new primary must take writes (docs/operations.md).
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import {
  freePort,
  type ManagedRedis,
  type ManagedSentinel,
  startRedisServer,
  startSentinel,
  tempRedisDir,
} from "../../server/redis-process.js";

const run = promisify(execFile);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A port whose cluster-bus port (+10000) is free too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
}

export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One command on one server, on a connection of its own. */
export async function ask(port: number, ...args: string[]): Promise<unknown> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on("error", () => {});
  try {
    await r.connect();
    return await r.call(args[0] as string, ...args.slice(1));
  } finally {
    r.disconnect();
  }
}

export async function roleOf(port: number): Promise<string> {
  return String(((await ask(port, "ROLE")) as unknown[])[0]);
}

/** The ports of the replicas a primary lists as online. */
export async function replicaPorts(port: number): Promise<number[]> {
  const role = (await ask(port, "ROLE")) as unknown[];
  if (role[0] !== "master") return [];
  return ((role[2] as unknown[][]) ?? []).map((r) => Number(r[1]));
}

// ---- Redis Cluster -------------------------------------------------------------------------

export interface TestCluster {
  nodes: ManagedRedis[];
  /** REDIS_CLUSTER_NODES */
  seeds: string;
  /** The node serving a key's slot as primary now. */
  primaryFor(key: string): Promise<ManagedRedis>;
  /** Start a stopped node again where it was (same port, directory and nodes.conf). */
  restart(node: ManagedRedis): Promise<ManagedRedis>;
  stop(): Promise<void>;
}

function clusterArgs(dir: string): string[] {
  return [
    "--cluster-enabled",
    "yes",
    "--cluster-config-file",
    path.join(dir, "nodes.conf"),
    "--cluster-node-timeout",
    "1500",
    // Each node announces itself on loopback.
    "--cluster-announce-ip",
    "127.0.0.1",
    // DEBUG SLEEP stands in for a replica that stops answering (tests only, loopback only).
    "--enable-debug-command",
    "local",
  ];
}

export async function startCluster(label = "cluster"): Promise<TestCluster> {
  const taken = new Set<number>();
  const nodes: ManagedRedis[] = [];
  const dirs: string[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const dir = `${tempRedisDir(label)}-${i}`;
      dirs.push(dir);
      const port = await freeClusterPort(taken);
      nodes.push(
        await startRedisServer({ dir, port, appendonly: true, extraArgs: clusterArgs(dir) }),
      );
    }
    await run("redis-cli", [
      "--cluster",
      "create",
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      "--cluster-replicas",
      "1",
      "--cluster-yes",
    ]);
    for (const n of nodes) {
      await until(
        async () => String(await ask(n.port, "CLUSTER", "INFO")).includes("cluster_state:ok"),
        20_000,
        `cluster_state:ok on ${n.port}`,
      );
    }
    // Every replica is attached before the tests start.
    await until(
      async () => {
        const roles = await Promise.all(nodes.map((n) => ask(n.port, "ROLE")));
        const primaries = roles.filter((r) => (r as unknown[])[0] === "master");
        return primaries.every((r) => ((r as unknown[])[2] as unknown[]).length === 1);
      },
      20_000,
      "every primary to have its replica",
    );
  } catch (err) {
    for (const n of nodes) await n.kill9();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    throw err;
  }

  const cluster: TestCluster = {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(","),
    async primaryFor(key) {
      for (const n of cluster.nodes) {
        if (n.child.exitCode !== null || n.child.signalCode !== null) continue;
        const slot = Number(await ask(n.port, "CLUSTER", "KEYSLOT", key));
        const shards = (await ask(n.port, "CLUSTER", "SLOTS")) as [number, number, ...unknown[]][];
        for (const [from, to, primary] of shards) {
          if (slot >= from && slot <= to) {
            const port = Number((primary as unknown[])[1]);
            const node = cluster.nodes.find((m) => m.port === port);
            if (node) return node;
          }
        }
      }
      throw new Error(`no primary found for ${key}`);
    },
    async restart(node) {
      const again = await startRedisServer({
        dir: node.dir,
        port: node.port,
        appendonly: true,
        extraArgs: clusterArgs(node.dir),
      });
      cluster.nodes = cluster.nodes.map((n) => (n === node ? again : n));
      return again;
    },
    async stop() {
      for (const n of cluster.nodes) await n.kill9();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
  return cluster;
}

// ---- Sentinel ------------------------------------------------------------------------------

export interface TestSentinels {
  primary: ManagedRedis;
  replica: ManagedRedis;
  sentinels: ManagedSentinel[];
  masterName: string;
  /** REDIS_SENTINELS */
  addresses: string;
  /** The port Sentinel names as primary now. */
  primaryPort(): Promise<number>;
  restart(node: ManagedRedis): Promise<ManagedRedis>;
  /** Each Sentinel's TILT flag and what it says of the replicas, for a failure message. */
  explain(): Promise<string>;
  stop(): Promise<void>;
}

export async function startSentinels(label = "sentinel"): Promise<TestSentinels> {
  const masterName = "jielong";
  const started: ManagedRedis[] = [];
  const dirs: string[] = [];
  const dir = (name: string) => {
    const d = `${tempRedisDir(label)}-${name}`;
    dirs.push(d);
    return d;
  };
  try {
    const primary = await startRedisServer({ dir: dir("a"), tcp: true, appendonly: true });
    started.push(primary);
    const replicaPort = await freePort();
    const replica = await startRedisServer({
      dir: dir("b"),
      port: replicaPort,
      appendonly: true,
      extraArgs: ["--replicaof", "127.0.0.1", String(primary.port)],
    });
    started.push(replica);
    await until(
      async () =>
        String(await ask(replica.port, "INFO", "replication")).includes("master_link_status:up"),
      20_000,
      "the replica to sync",
    );
    const sentinels: ManagedSentinel[] = [];
    for (const name of ["s1", "s2", "s3"]) {
      const s = await startSentinel({
        dir: dir(name),
        masterName,
        masterPort: primary.port,
        quorum: 2,
        downAfterMs: 1000,
        failoverTimeoutMs: 5000,
      });
      sentinels.push(s);
      started.push(s);
    }
    // The Sentinels know each other and the replica before anything fails.
    await until(
      async () => {
        const info = (await ask(
          sentinels[0]?.port ?? 0,
          "SENTINEL",
          "MASTER",
          masterName,
        )) as string[];
        const field = (k: string) => Number(info[info.indexOf(k) + 1]);
        return field("num-other-sentinels") === 2 && field("num-slaves") === 1;
      },
      20_000,
      "the Sentinels to find each other and the replica",
    );
    const set: TestSentinels = {
      primary,
      replica,
      sentinels,
      masterName,
      addresses: sentinels.map((s) => `127.0.0.1:${s.port}`).join(","),
      async primaryPort() {
        for (const s of sentinels) {
          const addr = (await ask(s.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).catch(
            () => null,
          )) as string[] | null;
          if (addr) return Number(addr[1]);
        }
        throw new Error("no Sentinel answered");
      },
      async restart(node) {
        const again = await startRedisServer({ dir: node.dir, port: node.port, appendonly: true });
        if (node === set.primary) set.primary = again;
        if (node === set.replica) set.replica = again;
        return again;
      },
      async explain() {
        const said: string[] = [];
        for (const s of sentinels) {
          const info = String(await ask(s.port, "INFO", "sentinel").catch((e) => String(e)));
          const tilt = /sentinel_tilt:(\d)/.exec(info)?.[1] ?? "?";
          const replicas = (await ask(s.port, "SENTINEL", "REPLICAS", masterName).catch(
            () => [],
          )) as string[][];
          const rows = replicas.map((r) => {
            const f = (k: string) => r[r.indexOf(k) + 1];
            return `${f("port")} ${f("flags")} role ${f("role-reported")}`;
          });
          said.push(`Sentinel ${s.port}: tilt ${tilt}; replicas ${rows.join(", ") || "none"}`);
        }
        return said.join("; ");
      },
      async stop() {
        for (const s of [...set.sentinels, set.primary, set.replica]) await s.kill9();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      },
    };
    return set;
  } catch (err) {
    for (const s of started) await s.kill9();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    throw err;
  }
}
