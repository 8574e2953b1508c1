import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChainSnapshot,
  DaySummary,
  HarvestList,
  PickupChange,
  PickupList,
  StaffEntry,
} from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  errorCode,
  eventually,
  invite,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
  waitForRedisTime,
} from "../helpers/app.js";

describe("delivery day: check-off, weights, no-shows, late changes, the day's record", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  const coord = () => bearer(w.coordinatorToken);
  const list = async (date: string, dropPointId: string) =>
    (
      await t.http
        .get(`/api/communities/${w.communityId}/days/${date}/drop-points/${dropPointId}`)
        .set(coord())
        .expect(200)
    ).body as PickupList;
  const entryOf = (l: PickupList, chainId: string, no: number) =>
    l.residents.flatMap((r) => r.entries).find((e) => e.chainId === chainId && e.no === no);

  async function joined(
    chainId: string,
    dropPointId: string,
    lines: { itemId: string; qty: number }[],
    name = "张阿姨",
  ) {
    const resident = await client(t, { deviceKey: deviceKey() });
    const r = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId,
        dropPointId,
        name,
        building: "3-201",
        lines,
      }),
    );
    return { resident, entry: r.entry };
  }

  it("when two volunteers tick at the same drop point, then each sees the other's ticks live, and undo works", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0]?.id ?? "";
    const { entry } = await joined(chain.id, dp, [{ itemId: "i3", qty: 1 }]);
    const second = await invite(t, w.communityId, w.coordinatorToken, "coordinator", "志愿者小赵");
    const a = await client(t, { token: w.coordinatorToken });
    const b = await client(t, { token: second.token });
    const seenByB: PickupChange[] = [];
    b.on("pickup:changed", (c) => seenByB.push(c));
    ok(await call(a, "pickup:watch", { date: chain.deliveryDate, dropPointId: dp }));
    ok(await call(b, "pickup:watch", { date: chain.deliveryDate, dropPointId: dp }));

    const mark = (mark: "collected" | "paid" | "noShow", on: boolean) =>
      call(a, "entry:mark", { requestId: requestId(), chainId: chain.id, no: entry.no, mark, on });
    const collected = ok(await mark("collected", true));
    expect(collected.entry.checks.collected?.name).toBe("王主任");
    ok(await mark("paid", true));
    await eventually(() =>
      expect(seenByB.at(-1)?.entry.checks).toMatchObject({
        collected: { name: "王主任" },
        paid: { name: "王主任" },
      }),
    );
    let l = await list(chain.deliveryDate, dp);
    expect(entryOf(l, chain.id, entry.no)?.checks.collected).not.toBeNull();
    const before = l.checkOff;

    const undone = ok(await mark("collected", false));
    await eventually(() => expect(seenByB.at(-1)?.entry.checks.collected).toBeNull());
    // Each change stamps the entry with the chain's version of that change, in the ack, the live
    // change and the list alike, so screens keep the newer copy even within one millisecond.
    expect(undone.entry.version).toBe(undone.version);
    expect(undone.version).toBe(collected.version + 2);
    expect(seenByB.map((c) => c.entry.version)).toEqual([
      collected.version,
      collected.version + 1,
      undone.version,
    ]);
    l = await list(chain.deliveryDate, dp);
    expect(entryOf(l, chain.id, entry.no)?.version).toBe(undone.version);
    expect(l.checkOff.collected).toBe(before.collected - 1);
    expect(l.checkOff.waiting).toBe(before.waiting + 1);
    expect(l.checkOff.paidFen + l.checkOff.unpaidFen).toBe(l.totals.amountFen);
  });

  it("when a weight is recorded, then the amount follows it exactly (half up to the fen) everywhere", async () => {
    const chain = await postChain(t, w, {
      items: [
        { name: "五花肉", unit: "斤", priceFen: 333, step: 0.5 },
        { name: "土鸡蛋", unit: "盒", priceFen: 2500 },
      ],
    });
    const dp = w.dropPoints[1]?.id ?? "";
    const { entry } = await joined(chain.id, dp, [
      { itemId: "i1", qty: 2 },
      { itemId: "i2", qty: 1 },
    ]);
    expect(entry.amountFen).toBe(666 + 2500);
    const grower = await client(t, { token: w.growerToken });
    const weigh = (actualQty: number | null, itemId = "i1") =>
      call(grower, "entry:weigh", {
        requestId: requestId(),
        chainId: chain.id,
        no: entry.no,
        lines: [{ itemId, actualQty }],
      });

    const r = ok(await weigh(1.5));
    // 333 × 1.5 = 499.5 fen → 500.
    expect(r.entry.lines[0]).toMatchObject({ qty: 2, actualQty: 1.5, amountFen: 500 });
    expect(r.entry.amountFen).toBe(500 + 2500);
    expect(r.entry.weighedBy?.name).toBe("李大姐");

    const l = await list(chain.deliveryDate, dp);
    expect(entryOf(l, chain.id, entry.no)?.amountFen).toBe(3000);
    expect(l.items.find((i) => i.chainId === chain.id && i.itemId === "i1")).toMatchObject({
      qty: 2,
      amountFen: 500,
    });
    const harvest = (
      await t.http.get(`/api/chains/${chain.id}/harvest`).set(bearer(w.growerToken)).expect(200)
    ).body as HarvestList;
    expect(harvest.totals.amountFen).toBe(3000);

    // Changing another line keeps this line's weight.
    const coordinator = await client(t, { token: w.coordinatorToken });
    const kept = ok(
      await call(coordinator, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: entry.no,
        lines: [
          { itemId: "i1", qty: 2 },
          { itemId: "i2", qty: 2 },
        ],
      }),
    );
    expect(kept.entry.lines[0]).toMatchObject({ actualQty: 1.5, amountFen: 500 });
    expect(kept.entry.amountFen).toBe(500 + 5000);
    // An item the entry doesn't have says so.
    const missing = await call(grower, "entry:weigh", {
      requestId: requestId(),
      chainId: chain.id,
      no: (await joined(chain.id, dp, [{ itemId: "i2", qty: 1 }])).entry.no,
      lines: [{ itemId: "i1", actualQty: 1 }],
    });
    expect(missing.ok ? "" : missing.error.message).toBe("this entry has no item i1");

    // Clearing goes back to the ordered amount; a box is not weighed.
    expect(ok(await weigh(null)).entry.amountFen).toBe(666 + 5000);
    expect(errorCode(await weigh(1, "i2"))).toBe("validation_failed");
    expect(errorCode(await weigh(0.0001))).toBe("validation_failed");
  });

  it("when a resident changes after the cutoff it is refused; a coordinator's change is accepted and marked late", async () => {
    const chain = await postChain(t, w, { cutoffAt: new Date(Date.now() + 1500).toISOString() });
    const dp = w.dropPoints[0]?.id ?? "";
    const { resident, entry } = await joined(chain.id, dp, [{ itemId: "i2", qty: 1 }]);
    await waitForRedisTime(t, chain.cutoffAt + 200);
    const change = { chainId: chain.id, no: entry.no, lines: [{ itemId: "i2", qty: 2 }] };
    expect(
      errorCode(await call(resident, "entry:update", { requestId: requestId(), ...change })),
    ).toBe("chain_closed");
    const coordinator = await client(t, { token: w.coordinatorToken });
    ok(await call(coordinator, "entry:update", { requestId: requestId(), ...change }));
    const staff = (await t.http.get(`/api/chains/${chain.id}/entries`).set(coord()).expect(200))
      .body as StaffEntry[];
    expect(staff[0]).toMatchObject({ late: true, changedBy: { name: "王主任" } });
    expect(staff[0]?.changedBy?.at).toBeGreaterThanOrEqual(chain.cutoffAt);
  });

  it("a no-show keeps its entry and its stock, and the day's record counts it", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[2]?.id ?? "";
    const { entry } = await joined(chain.id, dp, [{ itemId: "i3", qty: 2 }], "没来的人");
    const paid = await joined(chain.id, dp, [{ itemId: "i3", qty: 1 }], "付了的人");
    const coordinator = await client(t, { token: w.coordinatorToken });
    const mark = (no: number, m: "collected" | "paid" | "noShow") =>
      call(coordinator, "entry:mark", {
        requestId: requestId(),
        chainId: chain.id,
        no,
        mark: m,
        on: true,
      });
    ok(await mark(entry.no, "noShow"));
    ok(await mark(paid.entry.no, "collected"));
    ok(await mark(paid.entry.no, "paid"));

    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.chain.items[2]?.sold).toBe(3);
    expect(snap.entries.map((e) => e.status)).toEqual(["active", "active"]);

    const summary = (
      await t.http
        .get(`/api/communities/${w.communityId}/days/${chain.deliveryDate}/summary`)
        .set(coord())
        .expect(200)
    ).body as DaySummary;
    const point = summary.dropPoints.find((d) => d.dropPoint.id === dp);
    const l = await list(chain.deliveryDate, dp);
    expect(point).toMatchObject(l.checkOff);
    expect(l.checkOff.noShow).toBeGreaterThanOrEqual(1);
    expect(l.checkOff.paidFen).toBeGreaterThanOrEqual(2500);
    const grower = summary.growers.find((g) => g.growerName === "李大姐");
    expect(grower?.entries).toBe(summary.dropPoints.reduce((s, d) => s + d.entries, 0));
  });

  it("only the chain's grower or a coordinator may tick or weigh", async () => {
    const chain = await postChain(t, w);
    const { resident, entry } = await joined(chain.id, w.dropPoints[0]?.id ?? "", [
      { itemId: "i1", qty: 1 },
    ]);
    const tick = {
      requestId: requestId(),
      chainId: chain.id,
      no: entry.no,
      mark: "paid" as const,
      on: true,
    };
    expect(errorCode(await call(resident, "entry:mark", tick))).toBe("unauthorized");
    const other = await invite(t, w.communityId, w.coordinatorToken, "grower", "别的种植户");
    const otherGrower = await client(t, { token: other.token });
    expect(errorCode(await call(otherGrower, "entry:mark", tick))).toBe("forbidden");
    const weigh = {
      requestId: requestId(),
      chainId: chain.id,
      no: entry.no,
      lines: [{ itemId: "i1", actualQty: 1 }],
    };
    expect(errorCode(await call(otherGrower, "entry:weigh", weigh))).toBe("forbidden");
    expect(errorCode(await call(resident, "entry:weigh", weigh))).toBe("unauthorized");
  });
});
