import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChainEvent,
  DayOverview,
  HarvestList,
  LoadList,
  PickupList,
  WatchResult,
} from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  eventually,
  makeWorld,
  ok,
  postChain,
  record,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

describe("the full flow: setup → invite → post → three residents join live → change, cancel → lists", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("keeps every viewer in step and every list exact", async () => {
    const chain = await postChain(t, w);
    const [tomato, cucumber, eggs] = chain.items;
    const [east, north, south] = w.dropPoints;
    if (!tomato || !cucumber || !eggs || !east || !north || !south) throw new Error("fixture");

    const residents: Client[] = [];
    for (let i = 0; i < 3; i++) residents.push(await client(t, { deviceKey: deviceKey() }));
    const watcher = await client(t, {});
    const seen = [...residents, watcher].map(record);
    for (const s of [...residents, watcher]) {
      const snap = ok(await call(s, "chain:watch", { chainId: chain.id })) as WatchResult;
      expect(snap.kind).toBe("snapshot");
    }
    const [a, b, c] = residents as [Client, Client, Client];

    const joinA = ok(
      await call(a, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: east.id,
        name: "张阿姨",
        building: "3-201",
        phone: "13800001234",
        lines: [
          { itemId: tomato.id, qty: 2 },
          { itemId: cucumber.id, qty: 1 },
        ],
      }),
    );
    const joinB = ok(
      await call(b, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: east.id,
        name: "李叔",
        building: "12-502",
        lines: [{ itemId: eggs.id, qty: 1 }],
      }),
    );
    const joinC = ok(
      await call(c, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: north.id,
        name: "小陈",
        building: "7-3-101",
        lines: [{ itemId: tomato.id, qty: 1.5 }],
      }),
    );
    expect([joinA.entry.no, joinB.entry.no, joinC.entry.no]).toEqual([1, 2, 3]);
    expect(joinA.entry.amountFen).toBe(2 * 350 + 200);
    expect(joinA.entry.pickupCode).toMatch(/^\d{4}$/);
    expect(joinC.entry.amountFen).toBe(525);

    // B moves to the north gate and adds cucumbers; C cancels.
    const changed = ok(
      await call(b, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: 2,
        dropPointId: north.id,
        lines: [
          { itemId: eggs.id, qty: 2 },
          { itemId: cucumber.id, qty: 3 },
        ],
      }),
    );
    expect(changed.entry.amountFen).toBe(2 * 2500 + 3 * 200);
    const cancelled = ok(
      await call(c, "entry:cancel", { requestId: requestId(), chainId: chain.id, no: 3 }),
    );
    expect(cancelled.entry.status).toBe("cancelled");

    // Everyone saw the same five events, in version order.
    const expected = [
      "entry:created",
      "entry:created",
      "entry:created",
      "entry:updated",
      "entry:cancelled",
    ];
    for (const events of seen) {
      await eventually(() => expect(events.map((e) => e.type)).toEqual(expected));
      const versions = events.map((e) => e.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(new Set(versions).size).toBe(versions.length);
      expect((events[0] as Extract<ChainEvent, { type: "entry:created" }>).entry.name).toBe(
        "张阿姨",
      );
      // An open chain has no closed reason: null on the wire, never false.
      expect(events.map((e) => ("closedReason" in e ? e.closedReason : null))).toEqual([
        null,
        null,
        null,
        null,
        null,
      ]);
    }
    // Public broadcasts never carry a phone or pickup code.
    const wire = JSON.stringify(seen[3]);
    expect(wire).not.toContain("13800001234");
    expect(wire).not.toContain("pickupCode");

    // Stock of tomatoes seen live: 2 (A) + 1.5 (C) − 1.5 (C cancelled) = 2 sold.
    const tomatoes = seen[3]
      ?.flatMap((e) => ("items" in e ? e.items : []))
      .filter((s) => s.itemId === tomato.id)
      .at(-1);
    expect(tomatoes).toMatchObject({ sold: 2, remaining: 98, soldOut: false });

    const auth = bearer(w.coordinatorToken);
    const date = chain.deliveryDate;
    const eastList = (
      await t.http
        .get(`/api/communities/${w.communityId}/days/${date}/drop-points/${east.id}`)
        .set(auth)
        .expect(200)
    ).body as PickupList;
    expect(eastList.residents.map((r) => r.name)).toEqual(["张阿姨"]);
    expect(eastList.residents[0]?.phone).toBe("13800001234");
    expect(eastList.totals).toEqual({ entries: 1, residents: 1, amountFen: 900 });
    expect(eastList.items.map((i) => [i.name, i.qty, i.amountFen])).toEqual([
      ["西红柿", 2, 700],
      ["黄瓜", 1, 200],
    ]);

    const northList = (
      await t.http
        .get(`/api/communities/${w.communityId}/days/${date}/drop-points/${north.id}`)
        .set(auth)
        .expect(200)
    ).body as PickupList;
    expect(northList.residents.map((r) => [r.name, r.building])).toEqual([["李叔", "12-502"]]);
    expect(northList.totals).toEqual({ entries: 1, residents: 1, amountFen: 5600 });
    expect(northList.items.map((i) => [i.name, i.qty])).toEqual([
      ["黄瓜", 3],
      ["土鸡蛋", 2],
    ]);

    const harvest = (
      await t.http.get(`/api/chains/${chain.id}/harvest`).set(bearer(w.growerToken)).expect(200)
    ).body as HarvestList;
    expect(harvest.items.map((i) => [i.name, i.qty, i.amountFen])).toEqual([
      ["西红柿", 2, 700],
      ["黄瓜", 4, 800],
      ["土鸡蛋", 2, 5000],
    ]);
    expect(harvest.totals).toEqual({ entries: 2, amountFen: 6500 });

    const load = (
      await t.http.get(`/api/chains/${chain.id}/load`).set(bearer(w.growerToken)).expect(200)
    ).body as LoadList;
    const byName = Object.fromEntries(
      load.dropPoints.map((d) => [
        d.dropPoint.name,
        {
          bags: d.bags,
          amount: d.amountFen,
          items: d.items.filter((i) => i.qty > 0).map((i) => `${i.name}${i.qty}`),
        },
      ]),
    );
    expect(byName).toEqual({
      "3号楼东门": { bags: 1, amount: 900, items: ["西红柿2", "黄瓜1"] },
      "7号楼北门": { bags: 1, amount: 5600, items: ["黄瓜3", "土鸡蛋2"] },
      南门岗亭: { bags: 0, amount: 0, items: [] },
    });

    const overview = (
      await t.http.get(`/api/communities/${w.communityId}/days/${date}`).set(auth).expect(200)
    ).body as DayOverview;
    expect(overview.totals).toEqual({ entries: 2, amountFen: 6500 });

    // A late viewer's snapshot shows the cancelled entry struck through, number kept.
    const late = await client(t, {});
    const snap = ok(await call(late, "chain:watch", { chainId: chain.id }));
    if (snap.kind !== "snapshot") throw new Error("expected snapshot");
    expect(snap.snapshot.entries.map((e) => [e.no, e.status])).toEqual([
      [1, "active"],
      [2, "active"],
      [3, "cancelled"],
    ]);
    expect(JSON.stringify(snap.snapshot)).not.toContain("13800001234");
  });
});
