/**
 * Two app nodes on a primary + replica watched by 3 Sentinels (REDIS_SENTINELS +
 * REDIS_SENTINEL_MASTER): the app follows a promotion without a restart, nothing acked is lost or
 * doubled, and the old primary, restarted, comes back as a replica without taking a write.
 * Run with `npm run test:cluster`.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  client,
  errorCode,
  eventually,
  makeWorld,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { ask, roleOf, startSentinels, type TestSentinels } from "../helpers/redis-topologies.js";
import {
  entriesOf,
  pageWatcher,
  recoverySeconds,
  rejoinedAsReplica,
  reportDrill,
  streamJoins,
  waitForAcks,
} from "./failover.js";

let set: TestSentinels;
let a: TestApp;
let b: TestApp;
let w: World;

beforeAll(async () => {
  set = await startSentinels();
  const keyPrefix = `t${randomBytes(5).toString("hex")}`;
  const env = {
    REDIS_SENTINELS: set.addresses,
    REDIS_SENTINEL_MASTER: set.masterName,
    REDIS_WAIT_TIMEOUT_MS: "1000",
    REDIS_COMMAND_TIMEOUT_MS: "3000",
    LOG_LEVEL: process.env.JIELONG_CLUSTER_LOG ?? "silent",
  };
  a = await startTestApp({ env, keyPrefix });
  b = await startTestApp({ env, keyPrefix });
  w = await makeWorld(a);
}, 90_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await set?.stop();
});

describe("two app nodes on Sentinel (1 primary, 1 replica, 3 Sentinels)", () => {
  it("health: 200 in sentinel mode with one replica attached", async () => {
    const res = await b.http.get("/api/health").expect(200);
    expect(res.body.redis).toMatchObject({ mode: "sentinel", replicas: 1, warnings: [] });
  });

  it("a primary that refuses writes (min-replicas-to-write unmet): health 503 with NOREPLICAS, a join unavailable", async () => {
    await ask(set.primary.port, "CONFIG", "SET", "min-replicas-to-write", "3");
    try {
      const health = await a.http.get("/api/health");
      expect(health.status).toBe(503);
      expect(health.body.redis.reason).toMatch(/NOREPLICAS/);
      const chain = await postChain(b, w).catch(() => null);
      expect(chain).toBeNull(); // posting a chain is a write too: refused
    } finally {
      await ask(set.primary.port, "CONFIG", "SET", "min-replicas-to-write", "0");
    }
    await a.http.get("/api/health").expect(200);
  });

  it("an app node pointed at the replica: health 503 with the reason, and a join is unavailable (READONLY), never an internal error", async () => {
    const stray = await startTestApp({
      redisUrl: set.replica.url,
      keyPrefix: a.app.ctx.config.KEY_PREFIX,
      env: { LOG_LEVEL: "silent" },
    });
    try {
      const health = await stray.http.get("/api/health");
      expect(health.status).toBe(503);
      expect(health.body.redis.reason).toMatch(/replica, not a primary.*READONLY/);
      const chain = await postChain(a, w);
      const resident = await client(stray);
      const reply = await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      });
      expect(errorCode(reply)).toBe("unavailable");
      expect((await entriesOf(a, w, chain.id)).length).toBe(0);
      resident.disconnect();
    } finally {
      await stray.close();
    }
  });

  it("failover: kill -9 the primary under a stream of joins; the app follows the promotion, nothing acked is lost or doubled, and the old primary comes back as a replica", async () => {
    const chain = await postChain(a, w, { items: [{ name: "青菜", unit: "斤", priceFen: 300 }] });
    const item = chain.items[0];
    if (!item) throw new Error("fixture");
    // A page's watcher on each node: live events, and catching up after a nudge.
    const pages = [await pageWatcher(a, chain.id), await pageWatcher(b, chain.id)];

    const victim = set.primary;
    const stream = await streamJoins(
      [a, b],
      chain.id,
      item.id,
      w.dropPoints.map((d) => d.id),
    );
    await waitForAcks(stream, 30, 20_000);
    const killedAt = Date.now();
    await victim.kill9();
    await waitForAcks(stream, 30, 30_000).catch(async (err) => {
      // What the Sentinels and the replica say, for the failure message.
      const said = await set.primaryPort().catch((e) => String(e));
      const role = await roleOf(set.replica.port).catch((e) => String(e));
      throw new Error(
        `${(err as Error).message}; Sentinels name ${said} as primary; the replica is ${role}`,
      );
    });
    const recovery = recoverySeconds(stream, killedAt);
    expect(await set.primaryPort()).toBe(set.replica.port);
    await eventually(async () => {
      const h = await b.http.get("/api/health");
      expect(h.status).toBe(200);
      expect(h.body.redis.warnings).toEqual(["running without a replica"]);
    }, 10_000);

    // The old primary restarts with its own data, and the Sentinels make it a replica.
    const back = await set.restart(victim);
    await rejoinedAsReplica(back.port, () => set.explain());
    await waitForAcks(stream, 10, 20_000);
    await stream.stop();

    const entries = await entriesOf(a, w, chain.id);
    reportDrill("sentinel", entries, stream, recovery);
    // The old primary, now a replica, holds every acked join too.
    const health = await a.http.get("/api/health").expect(200);
    expect(health.body.redis.replicas).toBe(1);

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
