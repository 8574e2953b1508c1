/**
 * Ready for Redis Cluster: a redis-server in cluster mode refuses (CROSSSLOT) every transaction,
 * multi-key command and script whose keys span hash slots, even as a single node owning all 16384
 * slots. So a whole day of use against such a node shows that each write stays in one slot (one
 * community's `{communityId}` keys), and that nothing else groups keys across slots.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ManagedRedis, startRedisServer, tempRedisDir } from "../../server/redis-process.js";
import type {
  ChainSnapshot,
  ChainView,
  DayOverview,
  ImportResult,
  PickupList,
  StaffEntry,
} from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  eventually,
  inMinutes,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

let server: ManagedRedis;
let t: TestApp;
let w: World;

async function startClusterNode(): Promise<ManagedRedis> {
  const dir = tempRedisDir("cluster");
  const node = await startRedisServer({
    dir,
    appendonly: false,
    tcp: true, // the cluster bus needs a port
    extraArgs: ["--cluster-enabled", "yes", "--cluster-config-file", path.join(dir, "nodes.conf")],
  });
  const admin = new Redis(node.url);
  await admin.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
  await eventually(async () => {
    expect(String(await admin.call("CLUSTER", "INFO"))).toContain("cluster_state:ok");
  }, 10_000);
  admin.disconnect();
  return node;
}

beforeAll(async () => {
  server = await startClusterNode();
  t = await startTestApp({ redisUrl: server.url });
  w = await makeWorld(t);
});
afterAll(async () => {
  await t?.close();
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

describe("against a redis-server in cluster mode", () => {
  it("the node refuses a transaction across slots, so what passes below stayed in one", async () => {
    const probe = new Redis(server.url);
    await expect(probe.multi().set("{a}x", "1").set("{b}y", "1").exec()).rejects.toThrow(
      /CROSSSLOT/,
    );
    probe.disconnect();
  });

  it("a day of use works: setup, chains, joins, changes, check-off, weights, import, lists, exports, sweeps, sign-out", async () => {
    const coord = bearer(w.coordinatorToken);
    const grower = bearer(w.growerToken);
    const [east, north] = w.dropPoints;
    if (!east || !north) throw new Error("fixture");
    const chain = await postChain(t, w);
    const date = chain.deliveryDate;

    // Residents join, change, cancel; everything lands on the lists.
    const residents: Client[] = await Promise.all(
      [0, 1, 2].map(() => client(t, { deviceKey: deviceKey() })),
    );
    const joins = [];
    for (const [i, r] of residents.entries()) {
      joins.push(
        ok(
          await call(r, "entry:join", {
            requestId: requestId(),
            chainId: chain.id,
            dropPointId: east.id,
            name: `住户${i}`,
            building: `${i + 1}-101`,
            lines: [
              { itemId: "i1", qty: 1.5 },
              { itemId: "i3", qty: 1 },
            ],
          }),
        ).entry,
      );
    }
    const [a, b, c] = residents;
    if (!a || !b || !c) throw new Error("fixture");
    ok(
      await call(b, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: joins[1]?.no ?? 0,
        dropPointId: north.id,
      }),
    );
    ok(
      await call(c, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: joins[2]?.no ?? 0,
      }),
    );

    // Check-off and weights.
    const staff = await client(t, { token: w.coordinatorToken });
    const no = joins[0]?.no ?? 0;
    ok(
      await call(staff, "entry:mark", {
        requestId: requestId(),
        chainId: chain.id,
        no,
        mark: "paid",
        on: true,
      }),
    );
    ok(
      await call(staff, "entry:weigh", {
        requestId: requestId(),
        chainId: chain.id,
        no,
        lines: [{ itemId: "i1", actualQty: 1.6 }],
      }),
    );

    // A 接龙 imported through the join script.
    const text = "1. 老周 8-101 黄瓜2斤\n2. 小马 9-202 西红柿1斤";
    const preview = (
      await t.http
        .post(`/api/chains/${chain.id}/import/preview`)
        .set(coord)
        .send({ text })
        .expect(200)
    ).body as { entries: { no: number | null }[] };
    const imported = (
      await t.http
        .post(`/api/chains/${chain.id}/import`)
        .set(coord)
        .send({ dropPointId: north.id, entries: preview.entries.map(({ no: _no, ...e }) => e) })
        .expect(200)
    ).body as ImportResult;
    expect(imported.created).toBe(2);

    // The grower edits the listing.
    await t.http
      .patch(`/api/chains/${chain.id}`)
      .set(grower)
      .send({ items: [{ id: "i2", priceFen: 220, stock: 50 }] })
      .expect(200);

    // Lists, overview, harvest and load agree with the entries.
    const entries = (await t.http.get(`/api/chains/${chain.id}/entries`).set(coord).expect(200))
      .body as StaffEntry[];
    const active = entries.filter((e) => e.status === "active");
    expect(active).toHaveLength(4);
    const lists = await Promise.all(
      [east, north].map(
        async (dp) =>
          (
            await t.http
              .get(`/api/communities/${w.communityId}/days/${date}/drop-points/${dp.id}`)
              .set(coord)
              .expect(200)
          ).body as PickupList,
      ),
    );
    expect(lists.map((l) => l.totals.entries)).toEqual([1, 3]);
    const listed = lists.reduce((s, l) => s + l.totals.amountFen, 0);
    expect(listed).toBe(active.reduce((s, e) => s + e.amountFen, 0));
    const day = (
      await t.http.get(`/api/communities/${w.communityId}/days/${date}`).set(coord).expect(200)
    ).body as DayOverview;
    expect(JSON.stringify(day)).toContain(east.id);
    await t.http
      .get(`/api/communities/${w.communityId}/days/${date}/summary`)
      .set(coord)
      .expect(200);
    await t.http.get(`/api/chains/${chain.id}/harvest`).set(grower).expect(200);
    await t.http.get(`/api/chains/${chain.id}/load`).set(grower).expect(200);
    for (const format of ["csv", "xlsx"]) {
      await t.http
        .get(`/api/communities/${w.communityId}/days/${date}/export.${format}`)
        .set(coord)
        .expect(200);
      await t.http.get(`/api/chains/${chain.id}/export.${format}`).set(grower).expect(200);
    }
    await t.http.get(`/api/chains/${chain.id}/text`).set(grower).expect(200);

    // Closing by hand, by the cutoff sweep, and cancelling a chain with entries.
    await t.http.post(`/api/chains/${chain.id}/close`).set(grower).expect(200);
    const soon = await postChain(t, w, { cutoffAt: new Date(Date.now() + 1200).toISOString() });
    await eventually(async () => {
      const snap = (await t.http.get(`/api/chains/${soon.id}`).expect(200)).body as ChainSnapshot;
      expect(snap.chain.status).toBe("closed");
    }, 10_000);
    const doomed = await postChain(t, w, { cutoffAt: inMinutes(60) });
    ok(
      await call(a, "entry:join", {
        requestId: requestId(),
        chainId: doomed.id,
        dropPointId: east.id,
        name: "住户0",
        building: "1-101",
        lines: [{ itemId: "i2", qty: 1 }],
      }),
    );
    const cancelled = (await t.http.post(`/api/chains/${doomed.id}/cancel`).set(grower).expect(200))
      .body as ChainView;
    expect(cancelled.status).toBe("cancelled");

    // Signing out reaches the live socket through the sessions channel.
    const gone = new Promise<string>((resolve) => staff.once("disconnect", resolve));
    await t.http.post("/api/logout").set(coord).expect(204);
    expect(await gone).toBe("io server disconnect");
    for (const r of residents) r.disconnect();
  });
});
