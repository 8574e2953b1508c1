/**
 * `npm run bench:nodes [-- --quick]`: joins/s and CPU per join for 1 app node and 2 app nodes on
 * the same redis-server, and 2 app nodes on a Redis Cluster of 3 primaries + 3 replicas (every
 * join then also waits for its replica: WAIT). Every role is its own process (apps, Redis
 * servers, load generators); the joiners are split evenly over the app nodes. On a small
 * machine compare CPU per join per node rather than expecting a speed-up: the nodes, Redis and
 * the generators share the same cores. Prints a table; writes nothing.
 */
import { randomBytes } from "node:crypto";
import { startCluster } from "../tests/helpers/redis-topologies.js";
import type { CpuWindow, Proc } from "./cpu.js";
import type { LoopResult } from "./loop.js";
import { mergeLoops } from "./loop.js";
import { describeMachine, loadAverage } from "./machine.js";
import { loadOptions } from "./options.js";
import { Resources } from "./resources.js";
import {
  type AppProcess,
  Generators,
  self,
  split,
  startApp,
  startRedis,
  windowed,
} from "./stage.js";
import { makeChain, makeWorld } from "./world.js";

const say = (msg: string) => process.stdout.write(`${msg}\n`);
const o = loadOptions(process.argv.slice(2).filter((a) => a === "--quick"));
const LOADERS = Math.max(2, o.joinerProcs);

interface Row {
  setup: string;
  joinsPerSec: number;
  p99Ms: number;
  errors: number;
  perNode: { label: string; joins: number; cpuShare: number; usPerJoin: number }[];
  redisUsPerJoin: number;
  generatorsCpuShare: number;
}

function cpuMs(cpu: CpuWindow, label: string): number {
  const row = cpu.rows.find((r) => r.label === label);
  return row ? row.userMs + row.sysMs : Number.NaN;
}

async function runCase(
  gens: Generators,
  setup: string,
  start: (res: Resources) => Promise<{ apps: AppProcess[]; redisProcs: Proc[] }>,
): Promise<Row> {
  const res = new Resources();
  try {
    say(`▶ ${setup}`);
    const { apps, redisProcs } = await start(res);
    // The last node started printed the setup link in force (each start makes a fresh one).
    const first = apps[0] as AppProcess;
    const world = await makeWorld(first.baseUrl, apps.at(-1)?.child.hello.setupLink ?? null);
    const { target } = await makeChain(world, { dropPoints: 10 });
    const loaders = gens.take("joiners", 0, LOADERS);
    const counts = split(o.clients, loaders.length);
    const nodeOf = (i: number) => i % apps.length;
    await Promise.all(
      loaders.map((l, i) =>
        l.child.call(
          "connect",
          {
            group: "load",
            server: "app",
            url: (apps[nodeOf(i)] as AppProcess).baseUrl,
            count: counts[i] ?? 0,
            deviceKeys: true,
            timeoutMs: o.timeoutMs,
          },
          300_000,
        ),
      ),
    );
    const procs = [...apps.map((a) => a.proc), ...redisProcs, ...loaders.map((l) => l.proc), self];
    const { value: parts, cpu } = await windowed(procs, o, () =>
      Promise.all(
        loaders.map((l) =>
          l.child.call<LoopResult>(
            "loop",
            {
              group: "load",
              target,
              inflight: o.inflight,
              warmupMs: o.warmupMs,
              durationMs: o.durationMs,
              timeoutMs: o.timeoutMs,
            },
            o.warmupMs + o.durationMs + o.timeoutMs + 60_000,
          ),
        ),
      ),
    );
    const loop = mergeLoops(parts);
    const perNode = apps.map((a, n) => {
      const joins = parts
        .filter((_, i) => nodeOf(i) === n)
        .reduce((sum, p) => sum + p.measuredOps, 0);
      const ms = cpuMs(cpu, a.proc.label);
      return {
        label: a.proc.label,
        joins,
        cpuShare: ms / cpu.wallMs,
        usPerJoin: (ms * 1000) / Math.max(1, joins),
      };
    });
    const redisMs = redisProcs.reduce((sum, p) => sum + cpuMs(cpu, p.label), 0);
    const genMs = loaders.reduce((sum, l) => sum + cpuMs(cpu, l.proc.label), 0);
    const row: Row = {
      setup,
      joinsPerSec: loop.opsPerSec,
      p99Ms: loop.p99Ms,
      errors: loop.totalErrors,
      perNode,
      redisUsPerJoin: (redisMs * 1000) / Math.max(1, loop.measuredOps),
      generatorsCpuShare: genMs / cpu.wallMs,
    };
    say(
      `  ${Math.round(row.joinsPerSec)} joins/s, p99 ${row.p99Ms.toFixed(1)} ms, ${row.errors} errors; ${perNode.map((n) => `${n.label} ${Math.round(n.usPerJoin)} µs/join`).join(", ")}`,
    );
    return row;
  } finally {
    await gens.reset().catch(() => {});
    for (const problem of await res.closeAll()) say(`  ! cleanup: ${problem}`);
  }
}

async function main() {
  const machine = describeMachine(o.redisBin);
  say(
    `Jielong bench: app nodes — ${machine.cpuModel} × ${machine.cpus}; load average ${loadAverage()}`,
  );
  say(
    `${o.clients} joiners over ${LOADERS} generators, ${o.inflight} in flight each, ${o.durationMs / 1000} s measured after ${o.warmupMs / 1000} s`,
  );
  const gens = await Generators.start(LOADERS);
  const rows: Row[] = [];
  try {
    rows.push(
      await runCase(gens, "1 app node, one redis-server", async (res) => {
        const r = await startRedis(o, res, "nodes-1");
        return { apps: [await startApp(res, r.managed.url, {}, "app 1")], redisProcs: [r.proc] };
      }),
    );
    rows.push(
      await runCase(gens, "2 app nodes, one redis-server", async (res) => {
        const r = await startRedis(o, res, "nodes-2");
        const env = { KEY_PREFIX: `b${randomBytes(4).toString("hex")}` };
        const apps = [
          await startApp(res, r.managed.url, env, "app 1"),
          await startApp(res, r.managed.url, env, "app 2"),
        ];
        return { apps, redisProcs: [r.proc] };
      }),
    );
    rows.push(
      await runCase(gens, "2 app nodes, Redis Cluster 3+3 (WAIT 1)", async (res) => {
        const cluster = await startCluster("bench-nodes");
        res.add("redis cluster", () => cluster.stop());
        const env = {
          REDIS_URL: "",
          REDIS_CLUSTER_NODES: cluster.seeds,
          KEY_PREFIX: `b${randomBytes(4).toString("hex")}`,
        };
        const apps = [await startApp(res, "", env, "app 1"), await startApp(res, "", env, "app 2")];
        const redisProcs = cluster.nodes.map((n, i) => ({
          label: `redis ${i + 1}`,
          pid: n.child.pid ?? -1,
        }));
        return { apps, redisProcs };
      }),
    );
  } finally {
    await gens.close();
  }

  say("");
  say(
    "| setup | joins/s | p99 ms | errors | app CPU µs per join, per node | app CPU per node (share of a core) | Redis CPU µs per join (all servers) |",
  );
  say("| --- | ---: | ---: | ---: | --- | --- | ---: |");
  for (const r of rows) {
    say(
      `| ${r.setup} | ${Math.round(r.joinsPerSec)} | ${r.p99Ms.toFixed(1)} | ${r.errors} | ${r.perNode.map((n) => `${n.label}: ${Math.round(n.usPerJoin)}`).join(", ")} | ${r.perNode.map((n) => `${n.label}: ${n.cpuShare.toFixed(2)}`).join(", ")} | ${Math.round(r.redisUsPerJoin)} |`,
    );
  }
  say(`\nload average at the end ${loadAverage()}`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
