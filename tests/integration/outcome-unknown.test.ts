import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { type ManagedRedis, startRedisServer, tempRedisDir } from "../../server/redis-process.js";
import type { EntryJoin } from "../../shared/schemas.js";
import type { ChainEvent, ChainSnapshot } from "../../shared/views.js";
import {
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

/**
 * A write that was sent but not answered may still be applied. These tests pause Redis
 * (SIGSTOP): every join sent meanwhile is answered `outcome_unknown`, Redis applies them all when
 * it resumes, and the same request id sent again returns that one entry, never a second one.
 */
describe("writes whose outcome is unknown", () => {
  const dirs: string[] = [];
  const servers: ManagedRedis[] = [];
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const s of servers) {
      try {
        process.kill(s.child.pid ?? 0, "SIGCONT");
      } catch {
        // Already stopped.
      }
    }
    for (const a of apps) await a.close();
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function world(label: string) {
    const dir = tempRedisDir(label);
    dirs.push(dir);
    const redis = await startRedisServer({ dir });
    servers.push(redis);
    // A short command timeout, so a paused Redis is noticed quickly.
    const t = await startTestApp({
      redisUrl: redis.url,
      env: { REDIS_COMMAND_TIMEOUT_MS: "300" },
    });
    apps.push(t);
    const w = await makeWorld(t);
    const chain = await postChain(t, w);
    const pid = redis.child.pid ?? 0;
    return {
      redis,
      t,
      w,
      chain,
      pause: () => process.kill(pid, "SIGSTOP"),
      resume: () => process.kill(pid, "SIGCONT"),
    };
  }

  it("when Redis stalls under joins, then each is outcome_unknown; retried with the same id after, each is one entry, the ack matches the broadcast, totals are exact", async () => {
    const { t, w, chain, pause, resume } = await world("stall");
    const watcher = await client(t, {});
    const events = record(watcher);
    ok(await call(watcher, "chain:watch", { chainId: chain.id }));
    const residents = await Promise.all([1, 2, 3].map(() => client(t, { deviceKey: deviceKey() })));
    // Someone joined before the stall: the chain is in full swing.
    const early = ok(
      await call(residents[2] as never, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "早到的",
        building: "1-101",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      }),
    );
    await eventually(() => expect(events).toHaveLength(1));
    const joins: EntryJoin[] = residents.map((_, i) => ({
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[i]?.id ?? "",
      name: `住户${i}`,
      building: `${i + 1}-201`,
      lines: [{ itemId: chain.items[0]?.id ?? "", qty: i + 1 }],
    }));

    pause();
    let first: Awaited<ReturnType<typeof call<"entry:join">>>[];
    try {
      first = await Promise.all(
        residents.map((s, i) => call(s, "entry:join", joins[i] as EntryJoin)),
      );
    } finally {
      resume();
    }
    // Sent, not answered: the server does not pretend it failed.
    expect(first.map(errorCode)).toEqual(["outcome_unknown", "outcome_unknown", "outcome_unknown"]);

    // Redis applied them when it resumed; the retries (same id, same payload) return those entries.
    const retried = await Promise.all(
      residents.map(async (s, i) =>
        ok(
          await eventually(async () => {
            const r = await call(s, "entry:join", joins[i] as EntryJoin);
            expect(errorCode(r)).not.toBe("outcome_unknown");
            return r;
          }, 10_000),
        ),
      ),
    );
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.entries.map((e) => e.name).sort()).toEqual(["住户0", "住户1", "住户2", "早到的"]);
    expect(snap.chain.items[0]?.sold).toBe(1 + 2 + 3);
    // Each ack is the entry the watcher was told about, once.
    await eventually(() => expect(events).toHaveLength(4));
    expect(events[0]?.version).toBe(early.version);
    const created = new Map(
      events
        .filter(
          (e): e is Extract<ChainEvent, { type: "entry:created" }> => e.type === "entry:created",
        )
        .map((e) => [e.entry.no, e.entry]),
    );
    for (const r of retried) {
      expect(created.get(r.entry.no)).toMatchObject({
        name: r.entry.name,
        building: r.entry.building,
        amountFen: r.entry.amountFen,
        version: r.version,
      });
    }
    // A third send changes nothing either.
    ok(await call(residents[0] as never, "entry:join", joins[0] as EntryJoin));
    const again = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(again.entries).toHaveLength(4);
    expect(again.chain.version).toBe(snap.chain.version);
  });

  it("when the connection to Redis is down, then a write is unavailable, was never sent, and is not applied later", async () => {
    const { t, w, chain, redis } = await world("down");
    const resident = await client(t, { deviceKey: deviceKey() });
    await redis.stop();
    const reply = await call(resident, "entry:join", {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "李叔",
      building: "7-302",
      lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
    });
    expect(errorCode(reply)).toBe("unavailable");
    const back = await startRedisServer({ dir: redis.dir });
    servers.push(back);
    await eventually(
      async () => expect((await t.http.get("/api/health")).status).toBe(200),
      10_000,
    );
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.entries).toEqual([]);
  });

  it("when Redis holds back an HTTP write, then it answers 503 outcome_unknown, and the same Idempotency-Key after makes one chain", async () => {
    const { t, w } = await world("http");
    const body = {
      title: "重试的菜",
      cutoffAt: new Date(Date.now() + 3_600_000).toISOString(),
      dropPointIds: w.dropPoints.map((d) => d.id),
      items: [{ name: "西红柿", unit: "斤", priceFen: 350 }],
    };
    const key = requestId();
    const post = () =>
      t.http
        .post("/api/chains")
        .set({ Authorization: `Bearer ${w.growerToken}`, "Idempotency-Key": key })
        .send(body);
    // Reads go on, writes wait (CLIENT PAUSE … WRITE): the chain's script is sent and not answered
    // within the 300 ms timeout, then applied when the pause ends. (The write counter of the
    // limits waits too, and lets the request through from memory after its own timeout.)
    await t.redis.call("CLIENT", "PAUSE", "4000", "WRITE");
    const stalled = await post();
    expect(stalled.status).toBe(503);
    expect(stalled.body.error.code).toBe("outcome_unknown");
    const retried = await eventually(async () => {
      const r = await post();
      expect(r.status).toBe(201);
      return r;
    }, 10_000);
    const again = await post();
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(retried.body.id);
    const list = await t.http
      .get(`/api/communities/${w.communityId}/chains`)
      .set({ Authorization: `Bearer ${w.growerToken}` })
      .expect(200);
    expect(list.body.filter((c: { title: string }) => c.title === "重试的菜")).toHaveLength(1);
    // The same key with another payload is refused.
    const other = await t.http
      .post("/api/chains")
      .set({ Authorization: `Bearer ${w.growerToken}`, "Idempotency-Key": key })
      .send({ ...body, title: "别的" });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("request_id_conflict");
  });
});
