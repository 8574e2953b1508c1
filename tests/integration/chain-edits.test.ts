import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChainEvent,
  ChainSnapshot,
  HarvestList,
  PickupChange,
  PickupList,
} from "../../shared/views.js";
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
  type World,
} from "../helpers/app.js";

describe("the grower edits an open chain; viewers see it live", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when the price changes, then the entry keeps its price and viewers get chain:updated", async () => {
    const chain = await postChain(t, w);
    const tomato = chain.items[0];
    if (!tomato) throw new Error("fixture");
    const watcher = await client(t, {});
    const events = record(watcher);
    ok(await call(watcher, "chain:watch", { chainId: chain.id }));
    const resident = await client(t, { deviceKey: deviceKey() });
    const joined = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: tomato.id, qty: 2 }],
      }),
    );
    expect(joined.entry.lines[0]?.priceFen).toBe(350);

    await t.http
      .patch(`/api/chains/${chain.id}`)
      .set(bearer(w.growerToken))
      .send({ note: "降价啦", items: [{ id: tomato.id, priceFen: 300, stock: 60 }] })
      .expect(200);
    await eventually(() => {
      const update = events.find(
        (e): e is Extract<ChainEvent, { type: "chain:updated" }> => e.type === "chain:updated",
      );
      expect(update?.chain.note).toBe("降价啦");
      expect(update?.chain.items[0]).toMatchObject({ priceFen: 300, stock: 60, remaining: 58 });
    });

    // Changing the quantity keeps the price the entry was placed at; a new join pays the new price.
    const changed = ok(
      await call(resident, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: joined.entry.no,
        lines: [{ itemId: tomato.id, qty: 3 }],
      }),
    );
    expect(changed.entry.lines[0]).toMatchObject({ priceFen: 350, amountFen: 1050 });
    const other = await client(t, { deviceKey: deviceKey() });
    const fresh = ok(
      await call(other, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "李叔",
        building: "4-101",
        lines: [{ itemId: tomato.id, qty: 1 }],
      }),
    );
    expect(fresh.entry.amountFen).toBe(300);
  });

  it("when stock would drop below what is sold, then stock_below_sold and nothing changes", async () => {
    const chain = await postChain(t, w);
    const eggs = chain.items[2];
    if (!eggs) throw new Error("fixture");
    const resident = await client(t, { deviceKey: deviceKey() });
    ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: eggs.id, qty: 2 }],
      }),
    );
    const before = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    const res = await t.http
      .patch(`/api/chains/${chain.id}`)
      .set(bearer(w.growerToken))
      .send({ note: "x", items: [{ id: eggs.id, stock: 1 }] })
      .expect(409);
    expect(res.body.error.code).toBe("stock_below_sold");
    expect((await t.http.get(`/api/chains/${chain.id}`).expect(200)).body).toEqual(before);
  });

  it("when the last capped item sells out, then the chain closes; a cancel reopens it", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "土鸡", unit: "只", priceFen: 12000, stock: 2 }],
    });
    const item = chain.items[0];
    if (!item) throw new Error("fixture");
    const a = await client(t, { deviceKey: deviceKey() });
    const b = await client(t, { deviceKey: deviceKey() });
    const events = record(a);
    ok(await call(a, "chain:watch", { chainId: chain.id }));
    const join = (s: typeof a, qty: number) =>
      call(s, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: item.id, qty }],
      });
    const first = ok(await join(a, 2));
    const refused = await join(b, 1);
    expect(errorCode(refused)).toBe("sold_out");
    if (refused.ok) throw new Error("expected sold_out");
    expect(refused.error.details).toMatchObject({
      short: [{ itemId: item.id, name: "土鸡", wanted: 1, remaining: 0 }],
      left: [{ itemId: item.id, remaining: 0 }],
    });
    let view = ((await t.http.get(`/api/chains/${chain.id}`)).body as ChainSnapshot).chain;
    expect([view.status, view.closedReason]).toEqual(["closed", "sold_out"]);
    // Viewers learn it from the entry event itself.
    await eventually(() => {
      const created = events.find((e) => e.type === "entry:created");
      expect(
        created && "closedReason" in created ? [created.status, created.closedReason] : null,
      ).toEqual(["closed", "sold_out"]);
    });

    ok(
      await call(a, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: first.entry.no,
      }),
    );
    view = ((await t.http.get(`/api/chains/${chain.id}`)).body as ChainSnapshot).chain;
    expect(view.status).toBe("open");
    ok(await join(b, 1));
  });

  it("when the grower cancels a chain, then its entries leave every list, keeping their numbers", async () => {
    const chain = await postChain(t, w);
    const [east] = w.dropPoints;
    if (!east) throw new Error("fixture");
    const coordinator = await client(t, { token: w.coordinatorToken });
    const changes: PickupChange[] = [];
    coordinator.on("pickup:changed", (c) => changes.push(c));
    ok(await call(coordinator, "pickup:watch", { date: chain.deliveryDate, dropPointId: east.id }));
    const resident = await client(t, { deviceKey: deviceKey() });
    for (const name of ["张阿姨", "李叔"]) {
      ok(
        await call(resident, "entry:join", {
          requestId: requestId(),
          chainId: chain.id,
          dropPointId: east.id,
          name,
          building: "3-201",
          lines: [{ itemId: chain.items[0]?.id ?? "", qty: 1 }],
        }),
      );
    }
    const pickupPath = `/api/communities/${w.communityId}/days/${chain.deliveryDate}/drop-points/${east.id}`;
    // Other tests in this file deliver to the same point on the same day: compare, don't count.
    const ofChain = (l: PickupList) =>
      l.residents.flatMap((r) => r.entries).filter((e) => e.chainId === chain.id);
    const before = (await t.http.get(pickupPath).set(bearer(w.coordinatorToken)).expect(200))
      .body as PickupList;
    expect(ofChain(before)).toHaveLength(2);

    await t.http.post(`/api/chains/${chain.id}/cancel`).set(bearer(w.growerToken)).expect(200);
    const after = (await t.http.get(pickupPath).set(bearer(w.coordinatorToken)).expect(200))
      .body as PickupList;
    expect(ofChain(after)).toEqual([]);
    expect(after.totals.entries).toBe(before.totals.entries - 2);
    expect(after.totals.amountFen).toBe(before.totals.amountFen - 2 * 350);
    expect(after.items.filter((i) => i.chainId === chain.id)).toEqual([]);
    const harvest = (
      await t.http.get(`/api/chains/${chain.id}/harvest`).set(bearer(w.growerToken)).expect(200)
    ).body as HarvestList;
    expect(harvest.totals).toEqual({ entries: 0, amountFen: 0 });
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.chain.status).toBe("cancelled");
    expect(snap.entries.map((e) => [e.no, e.status])).toEqual([
      [1, "cancelled"],
      [2, "cancelled"],
    ]);
    await eventually(() =>
      expect(changes.map((c) => c.change)).toEqual(["upsert", "upsert", "remove", "remove"]),
    );
  });

  it("when a coordinator deactivates a drop point, then open chains stop taking orders for it", async () => {
    const chain = await postChain(t, w);
    const south = w.dropPoints[2];
    if (!south) throw new Error("fixture");
    const resident = await client(t, { deviceKey: deviceKey() });
    const join = () =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: south.id,
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      });
    const kept = ok(await join());
    await t.http
      .patch(`/api/communities/${w.communityId}/drop-points/${south.id}`)
      .set(bearer(w.coordinatorToken))
      .send({ active: false })
      .expect(200);
    expect(errorCode(await join())).toBe("unknown_drop_point");
    // The entry already there stays; reactivating opens the point again.
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.entries.map((e) => e.no)).toEqual([kept.entry.no]);
    await t.http
      .patch(`/api/communities/${w.communityId}/drop-points/${south.id}`)
      .set(bearer(w.coordinatorToken))
      .send({ active: true })
      .expect(200);
    ok(await join());
  });
});
