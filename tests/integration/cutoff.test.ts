import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TIMEZONE, dateIn, zonedTime } from "../../shared/dates.js";
import type { ChainEvent, ChainSnapshot, StaffEntry } from "../../shared/views.js";
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
  waitForRedisTime,
} from "../helpers/app.js";

describe("the cutoff, by Redis TIME", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: { CUTOFF_SWEEP_MS: "200" } });
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when a resident joins one second after the cutoff, then chain_closed; a coordinator can still add, marked", async () => {
    const chain = await postChain(t, w, { cutoffAt: new Date(Date.now() + 1500).toISOString() });
    const watcher = await client(t, {});
    const events = record(watcher);
    ok(await call(watcher, "chain:watch", { chainId: chain.id }));

    const resident = await client(t, { deviceKey: deviceKey() });
    const line = { itemId: chain.items[1]?.id ?? "", qty: 1 };
    const base = {
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "张阿姨",
      building: "3-201",
      lines: [line],
    };
    const before = ok(await call(resident, "entry:join", { ...base, requestId: requestId() }));

    await waitForRedisTime(t, chain.cutoffAt + 1000);
    const late = await call(resident, "entry:join", { ...base, requestId: requestId() });
    expect(errorCode(late)).toBe("chain_closed");
    const lateChange = await call(resident, "entry:update", {
      requestId: requestId(),
      chainId: chain.id,
      no: before.entry.no,
      lines: [{ ...line, qty: 2 }],
    });
    expect(errorCode(lateChange)).toBe("chain_closed");
    const lateCancel = await call(resident, "entry:cancel", {
      requestId: requestId(),
      chainId: chain.id,
      no: before.entry.no,
    });
    expect(errorCode(lateCancel)).toBe("chain_closed");

    // The sweep closes the chain and every viewer hears of it.
    await eventually(() => {
      const closed = events.find(
        (e): e is Extract<ChainEvent, { type: "chain:updated" }> => e.type === "chain:updated",
      );
      expect(closed?.chain.status).toBe("closed");
      expect(closed?.chain.closedReason).toBe("cutoff");
    });

    // A coordinator adds an entry for an elderly neighbour after the cutoff.
    const coordinator = await client(t, { token: w.coordinatorToken });
    const added = ok(
      await call(coordinator, "entry:join", {
        ...base,
        requestId: requestId(),
        name: "刘奶奶",
        building: "5-102",
      }),
    );
    expect(added.entry.byStaff).toBe(true);
    const staffView = (
      await t.http
        .get(`/api/chains/${chain.id}/entries`)
        .set(bearer(w.coordinatorToken))
        .expect(200)
    ).body as StaffEntry[];
    const marked = staffView.find((e) => e.no === added.entry.no);
    expect(marked?.addedBy?.name).toBe("王主任");
    expect(marked?.addedBy?.at).toBeGreaterThanOrEqual(chain.cutoffAt);

    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.entries.map((e) => [e.name, e.status])).toEqual([
      ["张阿姨", "active"],
      ["刘奶奶", "active"],
    ]);
  });

  it("when a grower sets a cutoff at or after the delivery's first pickup window, then validation_failed, on posting and on editing", async () => {
    // The drop points open at 07:30 (makeWorld); the delivery is in three days.
    const tz = process.env.JIELONG_TEST_TIMEZONE ?? DEFAULT_TIMEZONE;
    const date = dateIn(tz, Date.now() + 3 * 86_400_000);
    const at = (hh: number, mm: number) => new Date(zonedTime(date, hh, mm, tz)).toISOString();
    const refused = await t.http
      .post("/api/chains")
      .set(bearer(w.growerToken))
      .send({
        title: "晚截单",
        cutoffAt: at(7, 30),
        deliveryDate: date,
        dropPointIds: w.dropPoints.map((d) => d.id),
        items: [{ name: "黄瓜", unit: "斤", priceFen: 200 }],
      })
      .expect(400);
    expect(refused.body.error.code).toBe("validation_failed");
    expect(refused.body.error.message).toMatch(/before the first pickup window/);
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({ path: ["cutoffAt"], rule: "cutoff_before_pickup" }),
    ]);
    // One minute earlier is fine; moving it past the pickup later is refused the same way.
    const chain = await postChain(t, w, { deliveryDate: date, cutoffAt: at(7, 29) });
    const patch = await t.http
      .patch(`/api/chains/${chain.id}`)
      .set(bearer(w.growerToken))
      .send({ cutoffAt: at(8, 0) })
      .expect(400);
    expect(patch.body.error.details[0].rule).toBe("cutoff_before_pickup");
  });

  it("when the grower closes early, then joins are refused; a cancelled chain refuses everyone", async () => {
    const chain = await postChain(t, w);
    const resident = await client(t, { deviceKey: deviceKey() });
    const join = () =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "李叔",
        building: "9-101",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      });
    ok(await join());
    await t.http.post(`/api/chains/${chain.id}/close`).set(bearer(w.growerToken)).expect(200);
    expect(errorCode(await join())).toBe("chain_closed");
    await t.http.post(`/api/chains/${chain.id}/cancel`).set(bearer(w.growerToken)).expect(200);
    const coordinator = await client(t, { token: w.coordinatorToken });
    const staff = await call(coordinator, "entry:join", {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "刘奶奶",
      building: "5-102",
      lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
    });
    expect(errorCode(staff)).toBe("chain_closed");
  });
});
