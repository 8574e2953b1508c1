import { rmSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { type ManagedRedis, startRedisServer, tempRedisDir } from "../../server/redis-process.js";
import type { ChainSnapshot, PickupList } from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  errorCode,
  eventually,
  makeWorld,
  ok,
  postChain,
  record,
  requestId,
  startTestApp,
  type TestApp,
} from "../helpers/app.js";

/** These tests own their redis-server: they stop it, kill it and start it again on the same data. */
describe("faults", () => {
  const dirs: string[] = [];
  const servers: ManagedRedis[] = [];
  const apps: TestApp[] = [];
  const ownRedis = async (dir: string) => {
    const r = await startRedisServer({ dir });
    servers.push(r);
    return r;
  };
  /** An app on a redis-server of its own (in a fresh directory), and its world. */
  const ownApp = async (label: string) => {
    const dir = tempRedisDir(label);
    dirs.push(dir);
    const redis = await ownRedis(dir);
    const t = await startTestApp({ redisUrl: redis.url });
    apps.push(t);
    return { dir, redis, t, w: await makeWorld(t) };
  };
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("when Redis is down, then health is 503 and commands answer unavailable; it recovers by itself, with nothing replayed", async () => {
    const own = await ownApp("down");
    const { dir, t, w } = own;
    let redis = own.redis;
    const chain = await postChain(t, w);
    const resident = await client(t, { deviceKey: deviceKey() });
    const join = (name: string) =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name,
        building: "3-201",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      });
    ok(await join("张阿姨"));

    await redis.stop();
    const health = await t.http.get("/api/health");
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("unavailable");
    // In words an operator reads, not ioredis's state name ("connection is connect").
    expect(health.body.redis.reason).toMatch(
      /(connecting|reconnecting) to Redis|connection to Redis/,
    );
    const refused = await join("李叔");
    expect(errorCode(refused)).toBe("unavailable");
    const watch = await call(resident, "chain:watch", { chainId: chain.id });
    expect(errorCode(watch)).toBe("unavailable");
    const httpRead = await t.http.get(`/api/chains/${chain.id}`);
    expect(httpRead.status).toBe(503);
    expect(httpRead.body.error.code).toBe("unavailable");

    redis = await ownRedis(dir);
    await eventually(
      async () => expect((await t.http.get("/api/health")).status).toBe(200),
      10_000,
    );
    ok(await join("王奶奶"));
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    // The refused join was not queued and replayed: only the two acked joins exist.
    expect(snap.entries.map((e) => e.name)).toEqual(["张阿姨", "王奶奶"]);
  });

  it("when Redis is full (maxmemory reached), then reads still answer — the chain page, a pickup sheet, the day's lists — and a join is refused with nothing written", async () => {
    const { redis, t, w } = await ownApp("full");
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0]?.id ?? "";
    const resident = await client(t, { deviceKey: deviceKey() });
    const join = (name: string) =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: dp,
        name,
        building: "3-201",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      });
    ok(await join("张阿姨"));
    const day = `/api/communities/${w.communityId}/days/${chain.deliveryDate}`;
    const staff = bearer(w.coordinatorToken);
    const paths = [
      `/api/chains/${chain.id}`,
      `${day}/drop-points/${dp}`,
      day,
      `${day}/summary`,
      `/api/chains/${chain.id}/harvest`,
      `/api/chains/${chain.id}/load`,
    ];
    const read = (path: string) => t.http.get(path).set(staff);
    const admin = new Redis(redis.url);
    try {
      await admin.config("SET", "maxmemory", "1");
      // Redis refuses every command queued in a MULTI now: consistent reads are a read-only script.
      for (const path of paths) expect([path, (await read(path)).status]).toEqual([path, 200]);
      const list = (await read(paths[1] ?? "")).body as PickupList;
      expect(list.residents.map((r) => r.name)).toEqual(["张阿姨"]);
      const refused = await join("李叔");
      expect(refused.ok).toBe(false);
    } finally {
      await admin.config("SET", "maxmemory", "0");
      admin.disconnect();
    }
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.entries.map((e) => e.name)).toEqual(["张阿姨"]);
    ok(await join("王奶奶"));
    resident.disconnect();
  });

  it("when the managed redis-server is killed with -9 and restarted, then every acked entry is there", async () => {
    const own = await ownApp("kill9");
    const { dir, t, w } = own;
    let redis = own.redis;
    const chain = await postChain(t, w);
    const residents = await Promise.all(
      Array.from({ length: 10 }, () => client(t, { deviceKey: deviceKey() })),
    );
    const acked = await Promise.all(
      residents.flatMap((s, i) =>
        [1, 2, 3].map((k) =>
          call(s, "entry:join", {
            requestId: requestId(),
            chainId: chain.id,
            dropPointId: w.dropPoints[i % 3]?.id ?? "",
            name: `住户${i}-${k}`,
            building: `${i + 1}-10${k}`,
            lines: [{ itemId: chain.items[1]?.id ?? "", qty: k }],
          }),
        ),
      ),
    );
    const ackedEntries = acked.map((r) => ok(r).entry);

    await redis.kill9();
    redis = await ownRedis(dir);
    await eventually(
      async () => expect((await t.http.get("/api/health")).status).toBe(200),
      10_000,
    );

    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    const stored = new Map(snap.entries.map((e) => [e.no, e]));
    for (const e of ackedEntries) {
      expect(stored.get(e.no)).toMatchObject({
        name: e.name,
        building: e.building,
        amountFen: e.amountFen,
      });
    }
    expect(snap.chain.items[1]?.sold).toBe(10 * (1 + 2 + 3));
  });

  it("when the pub/sub connection drops, then watchers are told the current version so they can resync", async () => {
    const { t, w } = await ownApp("pubsub");
    const chain = await postChain(t, w);
    const watcher = await client(t, {});
    const events = record(watcher);
    ok(await call(watcher, "chain:watch", { chainId: chain.id }));

    const heads: { chainId: string; version: number }[] = [];
    watcher.on("chain:version", (h) => heads.push(h));
    await t.redis.call("CLIENT", "KILL", "TYPE", "pubsub");
    await eventually(
      () => expect(heads).toEqual([{ chainId: chain.id, version: chain.version }]),
      10_000,
    );
    // The nudge is not an event: nothing was applied from it.
    expect(events).toEqual([]);
    // And live events flow again.
    const resident = await client(t, { deviceKey: deviceKey() });
    const joined = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      }),
    );
    await eventually(() => expect(events.at(-1)?.version).toBe(joined.version));
  });
});
