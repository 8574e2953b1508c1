/**
 * Two app nodes on a real Redis Cluster of 3 primaries + 3 replicas (REDIS_CLUSTER_NODES):
 * setup, the race for the last units, watchers on both nodes, exact pickup lists, cutoff close,
 * WAIT refusing to ack what a replica has not confirmed, and a failover of the community's
 * primary under a stream of joins. Run with `npm run test:cluster`.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChainEvent, PickupList, StaffEntry } from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  ensureSetupLinkFor,
  errorCode,
  eventually,
  makeWorld,
  ok,
  postChain,
  record,
  requestId,
  startTestApp,
  type TestApp,
  type World,
  waitForRedisTime,
} from "../helpers/app.js";
import {
  ask,
  replicaPorts,
  roleOf,
  startCluster,
  type TestCluster,
} from "../helpers/redis-topologies.js";
import {
  check,
  entriesOf,
  pageWatcher,
  recoverySeconds,
  rejoinedAsReplica,
  reportDrill,
  streamJoins,
  waitForAcks,
} from "./failover.js";

let cluster: TestCluster;
let a: TestApp;
let b: TestApp;
let w: World;

beforeAll(async () => {
  cluster = await startCluster();
  const keyPrefix = `t${randomBytes(5).toString("hex")}`;
  const env = {
    REDIS_CLUSTER_NODES: cluster.seeds,
    CUTOFF_SWEEP_MS: "200",
    REDIS_WAIT_TIMEOUT_MS: "1000",
    REDIS_COMMAND_TIMEOUT_MS: "3000",
    LOG_LEVEL: process.env.JIELONG_CLUSTER_LOG ?? "silent",
  };
  a = await startTestApp({ env, keyPrefix });
  b = await startTestApp({ env, keyPrefix });
}, 90_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cluster?.stop();
});

async function primaries(): Promise<number[]> {
  const ports: number[] = [];
  for (const n of cluster.nodes) {
    if (n.child.exitCode === null && n.child.signalCode === null) {
      if ((await roleOf(n.port)) === "master") ports.push(n.port);
    }
  }
  return ports;
}

describe("two app nodes on a Redis Cluster (3 primaries, 3 replicas)", () => {
  it("a setup that fails leaves the setup link working; the next one with it succeeds", async () => {
    const token = new URL((await ensureSetupLinkFor(a)) ?? "").searchParams.get("token") ?? "";
    const body = { token, community: { name: "文兴社区" }, coordinator: { name: "王主任" } };
    // Every primary refuses writes (NOREPLICAS): the setup cannot write anything.
    const ports = await primaries();
    for (const p of ports) await ask(p, "CONFIG", "SET", "min-replicas-to-write", "5");
    try {
      const failed = await a.http.post("/api/setup").send(body);
      expect(failed.status).toBe(503);
      expect(failed.body.error.code).toBe("unavailable");
    } finally {
      for (const p of ports) await ask(p, "CONFIG", "SET", "min-replicas-to-write", "0");
    }
    // The other node takes the same link.
    expect((await b.http.get(`/api/setup?token=${token}`)).body).toMatchObject({ status: "open" });
    w = await makeWorld(b, token);
    expect(w.communityId).toBeTruthy();
  });

  it("health: 200 in cluster mode, every primary with its replica", async () => {
    const res = await a.http.get("/api/health").expect(200);
    expect(res.body.redis.mode).toBe("cluster");
    expect(res.body.redis.primaries).toHaveLength(3);
    expect(res.body.redis.replicas).toBe(3);
    expect(res.body.redis.warnings).toEqual([]);
  });

  it("the race for the last units across both nodes; watchers on both see every join once, in order; pickup lists exact", async () => {
    const STOCK = 30;
    const chain = await postChain(b, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: STOCK, limit: 3 }],
    });
    const item = chain.items[0];
    if (!item) throw new Error("fixture");
    const watchers: Client[] = [await client(a, {}), await client(b, {})];
    const seen = watchers.map((s) => record(s));
    for (const s of watchers) ok(await call(s, "chain:watch", { chainId: chain.id }));

    const residents = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client(i % 2 ? a : b, { deviceKey: deviceKey() })),
    );
    const join = async (s: Client, i: number, qty: number) => {
      const payload = {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[i % w.dropPoints.length]?.id ?? "",
        name: `住户${i}`,
        building: `${(i % 12) + 1}-${100 + i}`,
        lines: [{ itemId: item.id, qty }],
      };
      for (;;) {
        const reply = await call(s, "entry:join", payload);
        if (reply.ok || !["outcome_unknown", "unavailable"].includes(reply.error.code)) {
          return reply;
        }
      }
    };
    const replies = await Promise.all(residents.map((s, i) => join(s, i, (i % 3) + 1)));
    const more = await Promise.all(residents.map((s, i) => join(s, i, 1)));
    for (const r of [...replies, ...more]) {
      if (!r.ok) expect(["sold_out", "limit_exceeded", "chain_closed"]).toContain(r.error.code);
    }
    const entries = (
      await a.http.get(`/api/chains/${chain.id}/entries`).set(bearer(w.growerToken)).expect(200)
    ).body as StaffEntry[];
    const active = entries.filter((e) => e.status === "active");
    expect(active.reduce((s, e) => s + (e.lines[0]?.qty ?? 0), 0)).toBe(STOCK);
    expect([...replies, ...more].filter((r) => r.ok).length).toBe(entries.length);
    expect(entries.map((e) => e.no)).toEqual(
      Array.from({ length: entries.length }, (_, i) => i + 1),
    );

    // Both nodes' watchers: every entry once, in version order.
    for (const events of seen) {
      await eventually(() => {
        const created = events.filter((e) => e.type === "entry:created");
        expect(
          created.map((e) => (e as { entry: { no: number } }).entry.no).sort((x, y) => x - y),
        ).toEqual(entries.map((e) => e.no));
      }, 10_000);
      const versions = events.map((e) => e.version);
      expect(versions).toEqual([...new Set(versions)].sort((x, y) => x - y));
    }

    // Each pickup list (read on either node) holds exactly its active entries.
    for (const [i, dp] of w.dropPoints.entries()) {
      const list = (
        await (i % 2 ? a : b).http
          .get(`/api/communities/${w.communityId}/days/${chain.deliveryDate}/drop-points/${dp.id}`)
          .set(bearer(w.coordinatorToken))
          .expect(200)
      ).body as PickupList;
      const mine = active.filter((e) => e.dropPointId === dp.id);
      expect(
        list.residents.flatMap((r) => r.entries.map((e) => e.no)).sort((x, y) => x - y),
      ).toEqual(mine.map((e) => e.no));
      expect(list.totals.amountFen).toBe(mine.reduce((s, e) => s + e.amountFen, 0));
      const qty = list.items.find((x) => x.itemId === item.id)?.qty ?? 0;
      expect(qty).toBe(mine.reduce((s, e) => s + (e.lines[0]?.qty ?? 0), 0));
    }
    for (const s of [...watchers, ...residents]) s.disconnect();
  });

  it("cutoff: the chain closes once, and watchers on both nodes hear it once", async () => {
    const chain = await postChain(a, w, { cutoffAt: new Date(Date.now() + 1500).toISOString() });
    const watchers = [await client(a, {}), await client(b, {})];
    const seen = watchers.map((s) => record(s));
    for (const s of watchers) ok(await call(s, "chain:watch", { chainId: chain.id }));
    await waitForRedisTime(a, chain.cutoffAt + 500);
    const resident = await client(b, { deviceKey: deviceKey() });
    const late = await call(resident, "entry:join", {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "张阿姨",
      building: "3-201",
      lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
    });
    expect(errorCode(late)).toBe("chain_closed");
    for (const events of seen) {
      await eventually(() => {
        const closed = events.filter(
          (e): e is Extract<ChainEvent, { type: "chain:updated" }> =>
            e.type === "chain:updated" && e.chain.status === "closed",
        );
        expect(closed).toHaveLength(1);
        expect(closed[0]?.chain.closedReason).toBe("cutoff");
      }, 10_000);
    }
    for (const s of [...watchers, resident]) s.disconnect();
  });

  it("a join its replica has not confirmed is outcome_unknown; the retry with the same request id returns it", async () => {
    const chain = await postChain(a, w);
    const key = `${a.app.ctx.keys.community(w.communityId).info}`;
    const primary = await cluster.primaryFor(key);
    const [replica] = await replicaPorts(primary.port);
    if (!replica) throw new Error("the primary has no replica");
    const resident = await client(a, { deviceKey: deviceKey() });
    const payload = {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "李奶奶",
      building: "5-301",
      lines: [{ itemId: chain.items[1]?.id ?? "", qty: 2 }],
    };
    // The replica stops answering for 3 s (longer than REDIS_WAIT_TIMEOUT_MS).
    const sleeping = ask(replica, "DEBUG", "SLEEP", "3");
    await new Promise((r) => setTimeout(r, 100));
    const first = await call(resident, "entry:join", payload);
    expect(errorCode(first)).toBe("outcome_unknown");
    await sleeping;
    const again = ok(await call(resident, "entry:join", payload));
    const entries = await entriesOf(a, w, chain.id);
    expect(entries.map((e) => e.no)).toEqual([again.entry.no]);
    resident.disconnect();
  });

  it("the community's slot moves to another primary under a stream of joins (MOVED, ASK, TRYAGAIN): joins go on, nothing is lost or doubled, and watchers on both nodes follow", async () => {
    const chain = await postChain(a, w, { items: [{ name: "萝卜", unit: "斤", priceFen: 150 }] });
    const item = chain.items[0];
    if (!item) throw new Error("fixture");
    const pages = [await pageWatcher(a, chain.id), await pageWatcher(b, chain.id)];
    const key = a.app.ctx.keys.community(w.communityId).info;
    const slot = Number(await ask(cluster.nodes[0]?.port ?? 0, "CLUSTER", "KEYSLOT", key));
    const source = await cluster.primaryFor(key);
    const targets = [];
    for (const p of await primaries()) if (p !== source.port) targets.push(p);
    const target = targets[0] as number;
    const id = async (port: number) => String(await ask(port, "CLUSTER", "MYID"));
    const [sourceId, targetId] = [await id(source.port), await id(target)];

    const stream = await streamJoins(
      [a, b],
      chain.id,
      item.id,
      w.dropPoints.map((d) => d.id),
    );
    await waitForAcks(stream, 20, 20_000);
    // The slot moves as redis-cli --cluster reshard moves it: importing, migrating, keys by
    // MIGRATE in batches, then the new owner announced.
    await ask(target, "CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceId);
    await ask(source.port, "CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetId);
    for (;;) {
      const keys = (await ask(
        source.port,
        "CLUSTER",
        "GETKEYSINSLOT",
        String(slot),
        "5",
      )) as string[];
      if (keys.length === 0) break;
      await ask(
        source.port,
        "MIGRATE",
        "127.0.0.1",
        String(target),
        "",
        "0",
        "5000",
        "KEYS",
        ...keys,
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const p of [target, source.port, ...(await primaries())]) {
      await ask(p, "CLUSTER", "SETSLOT", String(slot), "NODE", targetId);
    }
    expect((await cluster.primaryFor(key)).port).toBe(target);
    await waitForAcks(stream, 30, 30_000);
    await stream.stop();

    const entries = await entriesOf(b, w, chain.id);
    const result = check(entries, stream.acked);
    process.stdout.write(
      `SLOT MOVE FIGURES ${JSON.stringify({ acked: stream.acked.size, lost: result.lost, duplicated: result.duplicated, retried: stream.retried(), errors: stream.errors().codes })}\n`,
    );
    expect(result.lostNames).toEqual([]);
    expect(result.duplicated).toBe(0);
    // Both nodes' watchers keep following the chain on its new shard.
    for (const { events } of pages) {
      await eventually(() => {
        const nos = new Set(
          events
            .filter((e) => e.type === "entry:created")
            .map((e) => (e as { entry: { no: number } }).entry.no),
        );
        expect(nos.size).toBe(entries.length);
      }, 15_000);
      const versions = events.map((e) => e.version);
      expect(versions).toEqual([...new Set(versions)].sort((x, y) => x - y));
    }
    for (const p of pages) p.socket.disconnect();
  });

  it("failover: kill -9 the community's primary under a stream of joins from both nodes; a replica takes over, nothing acked is lost or doubled, and the old primary comes back as a replica", async () => {
    const chain = await postChain(a, w, {
      items: [{ name: "青菜", unit: "斤", priceFen: 300 }],
    });
    const item = chain.items[0];
    if (!item) throw new Error("fixture");
    // A page's watcher on each node: live events, and catching up after a nudge.
    const pages = [await pageWatcher(a, chain.id), await pageWatcher(b, chain.id)];

    const key = a.app.ctx.keys.community(w.communityId).info;
    const victim = await cluster.primaryFor(key);
    const [promoted] = await replicaPorts(victim.port);
    const stream = await streamJoins(
      [a, b],
      chain.id,
      item.id,
      w.dropPoints.map((d) => d.id),
    );
    await waitForAcks(stream, 30, 20_000);
    const killedAt = Date.now();
    await victim.kill9();
    // Writes come back once the replica is promoted and the app nodes follow.
    await waitForAcks(stream, 30, 30_000);
    const recovery = recoverySeconds(stream, killedAt);
    expect(promoted && (await roleOf(promoted))).toBe("master");
    // Health on both nodes says the new primary runs without a replica.
    await eventually(async () => {
      const h = await a.http.get("/api/health");
      expect(h.status).toBe(200);
      expect(h.body.redis.warnings.join(" ")).toContain("running without a replica");
    }, 10_000);

    // The old primary comes back: as a replica of the promoted one.
    const back = await cluster.restart(victim);
    await rejoinedAsReplica(back.port);
    await waitForAcks(stream, 10, 20_000);
    await stream.stop();

    const entries = await entriesOf(b, w, chain.id);
    reportDrill("cluster", entries, stream, recovery);

    // Watchers on both nodes end up with every entry, once, in version order (after the
    // resubscription the nudge makes them catch up).
    for (const { events } of pages) {
      await eventually(() => {
        const nos = new Set(
          events
            .filter((e) => e.type === "entry:created")
            .map((e) => (e as { entry: { no: number } }).entry.no),
        );
        expect(nos.size).toBe(entries.length);
      }, 15_000);
      const versions = events.map((e) => e.version);
      expect(versions).toEqual([...new Set(versions)].sort((x, y) => x - y));
    }
    for (const p of pages) p.socket.disconnect();
  });
});
