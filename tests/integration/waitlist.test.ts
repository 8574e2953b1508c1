import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEvents, type ChainState, fromSnapshot, GAP } from "../../shared/chain-state.js";
import type {
  ChainSnapshot,
  ChainView,
  HarvestList,
  LoadList,
  PickupList,
  StaffEntry,
  WaitlistChangedEvent,
} from "../../shared/views.js";
import {
  bearer,
  type Client,
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

/** The waitlist (issue 15): sold out → wait in line → units that come back go in order. */
describe("the waitlist", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  const dp = (i = 0) => w.dropPoints[i % w.dropPoints.length]?.id ?? "";
  const itemOf = (chain: ChainView, i: number) => chain.items[i]?.id ?? "";

  const joinEntry = async (s: Client, chain: ChainView, itemId: string, qty: number, i = 0) =>
    call(s, "entry:join", {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: dp(i),
      name: `住户${i}`,
      building: `${i + 1}-101`,
      lines: [{ itemId, qty }],
    });

  const waitPayload = (chain: ChainView, itemId: string, qty: number, i = 0) => ({
    requestId: requestId(),
    chainId: chain.id,
    itemId,
    qty,
    dropPointId: dp(i),
    name: `候补${i}`,
    building: `${i + 1}-202`,
  });

  const staffEntries = async (chain: ChainView) =>
    (await t.http.get(`/api/chains/${chain.id}/entries`).set(bearer(w.growerToken)).expect(200))
      .body as StaffEntry[];

  const setStock = (chain: ChainView, itemId: string, stock: number) =>
    t.http
      .patch(`/api/chains/${chain.id}`)
      .set(bearer(w.growerToken))
      .send({ items: [{ id: itemId, stock }] })
      .expect(200);

  const snapshot = async (s: Client, chainId: string): Promise<ChainSnapshot> => {
    const r = ok(await call(s, "chain:watch", { chainId }));
    if (r.kind !== "snapshot") throw new Error("expected a snapshot");
    return r.snapshot;
  };

  it("when someone cancels, the head of the line becomes an entry; a request that doesn't fit stops the line", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: 3 }],
    });
    const item = itemOf(chain, 0);
    const [a, b, c, d, watcher] = await Promise.all(
      Array.from({ length: 5 }, () => client(t, { deviceKey: deviceKey() })),
    );
    if (!a || !b || !c || !d || !watcher) throw new Error("fixture");
    const events = record(watcher);
    const start = await snapshot(watcher, chain.id);

    const ea = ok(await joinEntry(a, chain, item, 2, 0));
    const eb = ok(await joinEntry(b, chain, item, 1, 1));
    // Sold out: a join is refused, and then the same resident waits in line.
    expect(errorCode(await joinEntry(c, chain, item, 2, 2))).toBe("sold_out");
    const wc = ok(await call(c, "waitlist:join", waitPayload(chain, item, 2, 2)));
    expect(wc.position).toBe(1);
    expect(wc.waiter.status).toBe("waiting");
    const wd = ok(await call(d, "waitlist:join", waitPayload(chain, item, 1, 3)));
    expect(wd.position).toBe(2);

    // One unit back: c wants 2, so nobody moves (d must not go before c).
    ok(
      await call(b, "entry:cancel", { requestId: requestId(), chainId: chain.id, no: eb.entry.no }),
    );
    let entries = await staffEntries(chain);
    expect(entries.filter((e) => e.fromWaitlist)).toEqual([]);
    const waitingNow = await snapshot(d, chain.id);
    expect(waitingNow.waitlist).toEqual([
      {
        itemId: item,
        waiting: [
          { id: wc.waiter.id, qty: 2 },
          { id: wd.waiter.id, qty: 1 },
        ],
      },
    ]);
    expect(waitingNow.myWaits.map((x) => x.status)).toEqual(["waiting"]);

    // Two more back: three free, c (2) then d (1) become entries, in that order.
    ok(
      await call(a, "entry:cancel", { requestId: requestId(), chainId: chain.id, no: ea.entry.no }),
    );
    entries = await staffEntries(chain);
    const promoted = entries.filter((e) => e.fromWaitlist);
    expect(promoted.map((e) => [e.name, e.lines[0]?.qty, e.waiterId])).toEqual([
      ["候补2", 2, wc.waiter.id],
      ["候补3", 1, wd.waiter.id],
    ]);
    expect(promoted.every((e) => e.status === "active" && /^\d{4}$/.test(e.pickupCode))).toBe(true);
    expect(promoted[0]?.dropPointId).toBe(dp(2));
    const active = entries.filter((e) => e.status === "active");
    expect(active.reduce((s, e) => s + (e.lines[0]?.qty ?? 0), 0)).toBe(3);

    // The resident who waited sees it: the snapshot (by device key) and waitlist:mine.
    const seen = await snapshot(c, chain.id);
    expect(seen.myWaits).toMatchObject([
      { id: wc.waiter.id, status: "promoted", entryNo: promoted[0]?.no },
    ]);
    expect(seen.mine.map((e) => [e.no, e.pickupCode, e.fromWaitlist])).toEqual([
      [promoted[0]?.no, promoted[0]?.pickupCode, true],
    ]);
    expect(seen.waitlist).toEqual([]);
    const mine = ok(await call(c, "waitlist:mine", { chainId: chain.id }));
    expect(mine.entries.map((e) => e.pickupCode)).toEqual([promoted[0]?.pickupCode]);
    expect(seen.chain.items[0]?.soldOut).toBe(true);
    expect(seen.chain.status).toBe("closed");

    // Every watcher's reducer, fed the broadcasts, ends where the server is.
    await eventually(() => expect(events.at(-1)?.version).toBe(seen.version));
    const folded = applyEvents(fromSnapshot(start), events) as ChainState;
    expect(folded).not.toBe(GAP);
    expect(folded.waitlist).toEqual([]);
    expect(folded.entries.filter((e) => e.fromWaitlist).map((e) => e.no)).toEqual(
      promoted.map((e) => e.no),
    );
    expect(folded.chain.items[0]?.remaining).toBe(0);
    const changes = events.filter((e): e is WaitlistChangedEvent => e.type === "waitlist:changed");
    expect(changes.map((e) => e.queues[0]?.waiting.length)).toEqual([1, 2, 0]);
  });

  it("waitlist:join is refused when the item isn't sold out, over the limit, twice for one item, or without a device key", async () => {
    const chain = await postChain(t, w, {
      items: [
        { name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 2, limit: 2 },
        { name: "黄瓜", unit: "斤", priceFen: 200 },
      ],
    });
    const eggs = itemOf(chain, 0);
    const [a, b] = await Promise.all([client(t), client(t)]);
    if (!a || !b) throw new Error("fixture");
    expect(errorCode(await call(b, "waitlist:join", waitPayload(chain, eggs, 1)))).toBe(
      "not_sold_out",
    );
    expect(errorCode(await call(b, "waitlist:join", waitPayload(chain, itemOf(chain, 1), 1)))).toBe(
      "not_sold_out",
    );
    ok(await joinEntry(a, chain, eggs, 2));
    // More than the per-person limit could never become an entry.
    const over = await call(b, "waitlist:join", waitPayload(chain, eggs, 3));
    expect(errorCode(over)).toBe("limit_exceeded");
    expect(errorCode(await call(a, "waitlist:join", waitPayload(chain, eggs, 1)))).toBe(
      "limit_exceeded",
    );
    const first = ok(await call(b, "waitlist:join", waitPayload(chain, eggs, 1)));
    // The waitlist's key expires with the chain's other keys.
    const keys = t.app.ctx.keys.community(w.communityId).chain(chain.id);
    const expiry = await t.redis.pexpiretime(keys.wait);
    expect(expiry).toBeGreaterThan(0);
    expect(expiry).toBe(await t.redis.pexpiretime(keys.meta));
    const again = await call(b, "waitlist:join", waitPayload(chain, eggs, 2));
    expect(errorCode(again)).toBe("already_waiting");
    if (!again.ok) expect(again.error.details).toEqual({ itemId: eggs, waiterId: first.waiter.id });
    const staff = await client(t, { token: w.coordinatorToken });
    expect(errorCode(await call(staff, "waitlist:join", waitPayload(chain, eggs, 1)))).toBe(
      "unauthorized",
    );
    // Leaving: only the device that waits; twice answers the same.
    const leave = { requestId: requestId(), chainId: chain.id, waiterId: first.waiter.id };
    expect(errorCode(await call(a, "waitlist:leave", leave))).toBe("forbidden");
    const left = ok(await call(b, "waitlist:leave", leave));
    expect([left.waiter.status, left.position]).toEqual(["left", 0]);
    const leftAgain = ok(await call(b, "waitlist:leave", { ...leave, requestId: requestId() }));
    expect(leftAgain.waiter.status).toBe("left");
    expect((await snapshot(b, chain.id)).waitlist).toEqual([]);
  });

  it("a request for more than the whole stock is refused, so it can't hold up the line; one whose stock was lowered under it is passed over", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 3 }],
    });
    const eggs = itemOf(chain, 0);
    const [a, b, c, d] = await Promise.all([client(t), client(t), client(t), client(t)]);
    if (!a || !b || !c || !d) throw new Error("fixture");
    const bought = ok(await joinEntry(a, chain, eggs, 3));
    const never = await call(b, "waitlist:join", waitPayload(chain, eggs, 9999, 1));
    expect(errorCode(never)).toBe("more_than_stock");
    if (!never.ok) expect(never.error.details).toEqual({ itemId: eggs, stock: 3 });
    // (Drop points 0 and 1 only: another test counts a pickup list at drop point 2.)
    const big = ok(await call(b, "waitlist:join", waitPayload(chain, eggs, 3, 1)));
    const small = ok(await call(c, "waitlist:join", waitPayload(chain, eggs, 1, 4)));
    ok(
      await call(a, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: bought.entry.no,
      }),
    );
    // The cancel freed 3: the request for 3 was first in line and fits, so it got them.
    const afterCancel = ok(await call(b, "waitlist:mine", { chainId: chain.id }));
    expect(afterCancel.waiters.find((x) => x.id === big.waiter.id)?.status).toBe("promoted");
    expect(small.position).toBe(2);
    // Again, with the stock lowered under the head of the line.
    const chain2 = await postChain(t, w, {
      items: [{ name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 3 }],
    });
    const eggs2 = itemOf(chain2, 0);
    const first = ok(await joinEntry(a, chain2, eggs2, 2));
    ok(await joinEntry(d, chain2, eggs2, 1, 3));
    ok(await call(b, "waitlist:join", waitPayload(chain2, eggs2, 3, 1)));
    const behind = ok(await call(c, "waitlist:join", waitPayload(chain2, eggs2, 1, 4)));
    // 2 free: the request for 3 doesn't fit and stops the line (nobody skips ahead of it).
    ok(
      await call(a, "entry:cancel", {
        requestId: requestId(),
        chainId: chain2.id,
        no: first.entry.no,
      }),
    );
    const still = ok(await call(c, "waitlist:mine", { chainId: chain2.id }));
    expect(still.waiters.find((x) => x.id === behind.waiter.id)?.status).toBe("waiting");
    // The grower lowers the stock to 2: the request for 3 can never fit now, so it no longer
    // holds up the one behind it.
    await setStock(chain2, eggs2, 2);
    const mine = ok(await call(c, "waitlist:mine", { chainId: chain2.id }));
    expect(mine.waiters.find((x) => x.id === behind.waiter.id)?.status).toBe("promoted");
    const sold = (await snapshot(d, chain2.id)).chain.items[0];
    expect([sold?.sold, sold?.remaining]).toEqual([2, 0]);
  });

  it("a waiter held back only by the per-person limit keeps its place while the next one fits", async () => {
    const chain = await postChain(t, w, {
      items: [
        { name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 2, limit: 2 },
        { name: "黄瓜", unit: "斤", priceFen: 200 },
      ],
    });
    const eggs = itemOf(chain, 0);
    const [x, y, z] = await Promise.all([client(t), client(t), client(t)]);
    if (!x || !y || !z) throw new Error("fixture");
    ok(await joinEntry(x, chain, eggs, 2, 0));
    const yEntry = ok(await joinEntry(y, chain, itemOf(chain, 1), 1, 1));
    const wy = ok(await call(y, "waitlist:join", waitPayload(chain, eggs, 2, 1)));
    const wz = ok(await call(z, "waitlist:join", waitPayload(chain, eggs, 1, 2)));
    // One more box: y wants two, so the line stops at y.
    await setStock(chain, eggs, 3);
    expect((await staffEntries(chain)).filter((e) => e.fromWaitlist)).toEqual([]);
    // y takes that box by changing their own order: now y holds 1 of a limit of 2.
    ok(
      await call(y, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: yEntry.entry.no,
        lines: [
          { itemId: itemOf(chain, 1), qty: 1 },
          { itemId: eggs, qty: 1 },
        ],
      }),
    );
    // Two more boxes: y's 2 would fit the stock but not y's limit; y keeps its place, z goes.
    await setStock(chain, eggs, 5);
    const promoted = (await staffEntries(chain)).filter((e) => e.fromWaitlist);
    expect(promoted.map((e) => e.waiterId)).toEqual([wz.waiter.id]);
    const ys = await snapshot(y, chain.id);
    expect(ys.waitlist).toEqual([{ itemId: eggs, waiting: [{ id: wy.waiter.id, qty: 2 }] }]);
    expect(ys.chain.items[0]?.remaining).toBe(1);
    // The grower sees what is still wanted.
    const harvest = (
      await t.http.get(`/api/chains/${chain.id}/harvest`).set(bearer(w.growerToken)).expect(200)
    ).body as HarvestList;
    expect(harvest.unmet).toEqual([
      { itemId: eggs, name: "土鸡蛋", unit: "盒", requests: 1, qty: 2 },
    ]);
  });

  it("a smaller order frees units for the line; the entry is on its drop point's pickup list; removing the cap lets everyone in", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 4 }],
    });
    const eggs = itemOf(chain, 0);
    const [a, b, c] = await Promise.all([client(t), client(t), client(t)]);
    if (!a || !b || !c) throw new Error("fixture");
    const ea = ok(await joinEntry(a, chain, eggs, 4, 0));
    const wb = ok(await call(b, "waitlist:join", waitPayload(chain, eggs, 1, 2)));
    const wc = ok(await call(c, "waitlist:join", waitPayload(chain, eggs, 3, 1)));
    // a keeps 3 of 4: one box for b (at another drop point than a's).
    ok(
      await call(a, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: ea.entry.no,
        lines: [{ itemId: eggs, qty: 3 }],
      }),
    );
    const seenB = await snapshot(b, chain.id);
    const made = seenB.mine[0];
    expect(made).toMatchObject({ fromWaitlist: true, waiterId: wb.waiter.id, dropPointId: dp(2) });
    const list = (
      await t.http
        .get(`/api/communities/${w.communityId}/days/${chain.deliveryDate}/drop-points/${dp(2)}`)
        .set(bearer(w.coordinatorToken))
        .expect(200)
    ).body as PickupList;
    const onList = list.residents.flatMap((r) => r.entries).find((e) => e.no === made?.no);
    expect(onList?.pickupCode).toBe(made?.pickupCode);
    expect(list.items.find((i) => i.chainId === chain.id && i.itemId === eggs)?.qty).toBe(1);
    // c wants 3 and none is free; the grower removes the cap: c is in.
    expect((await snapshot(c, chain.id)).waitlist[0]?.waiting).toEqual([
      { id: wc.waiter.id, qty: 3 },
    ]);
    await t.http
      .patch(`/api/chains/${chain.id}`)
      .set(bearer(w.growerToken))
      .send({ items: [{ id: eggs, stock: null }] })
      .expect(200);
    const seenC = await snapshot(c, chain.id);
    expect(seenC.myWaits[0]?.status).toBe("promoted");
    expect(seenC.mine.map((e) => e.lines[0]?.qty)).toEqual([3]);
    expect(seenC.waitlist).toEqual([]);
    expect(seenC.chain.items[0]?.sold).toBe(7);
  });

  it("a repeated request id answers the same waiter, later with the entry it became; another payload under it is refused", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: 1 }],
    });
    const item = itemOf(chain, 0);
    const [a, b] = await Promise.all([client(t), client(t)]);
    if (!a || !b) throw new Error("fixture");
    const ea = ok(await joinEntry(a, chain, item, 1));
    const payload = waitPayload(chain, item, 1, 1);
    const first = ok(await call(b, "waitlist:join", payload));
    const replay = ok(await call(b, "waitlist:join", payload));
    expect(replay.waiter.id).toBe(first.waiter.id);
    expect(replay.position).toBe(1);
    expect(errorCode(await call(b, "waitlist:join", { ...payload, qty: 2 }))).toBe(
      "request_id_conflict",
    );
    expect((await snapshot(b, chain.id)).waitlist[0]?.waiting).toHaveLength(1);

    // b's phone loses the connection; a cancels meanwhile; b comes back.
    b.disconnect();
    ok(
      await call(a, "entry:cancel", { requestId: requestId(), chainId: chain.id, no: ea.entry.no }),
    );
    b.connect();
    await new Promise<void>((resolve) => b.once("connect", () => resolve()));
    const after = ok(await call(b, "waitlist:join", payload));
    expect(after.waiter.status).toBe("promoted");
    expect(after.position).toBe(0);
    expect(after.entry?.pickupCode).toMatch(/^\d{4}$/);
    expect(after.entry?.fromWaitlist).toBe(true);
    const seen = await snapshot(b, chain.id);
    expect(seen.mine.map((e) => e.pickupCode)).toEqual([after.entry?.pickupCode]);
    expect(seen.myWaits[0]?.entryNo).toBe(after.entry?.no);
  });

  it("a resident catching up by version learns of the promotion from the events", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: 1 }],
    });
    const item = itemOf(chain, 0);
    const [a, b] = await Promise.all([client(t), client(t)]);
    if (!a || !b) throw new Error("fixture");
    const ea = ok(await joinEntry(a, chain, item, 1));
    const wb = ok(await call(b, "waitlist:join", waitPayload(chain, item, 1, 1)));
    const held = fromSnapshot(await snapshot(b, chain.id));
    expect(held.myWaits.map((x) => x.id)).toEqual([wb.waiter.id]);
    ok(
      await call(a, "entry:cancel", { requestId: requestId(), chainId: chain.id, no: ea.entry.no }),
    );
    const since = ok(
      await call(b, "chain:watch", { chainId: chain.id, sinceVersion: held.version }),
    );
    if (since.kind !== "events") throw new Error("expected events");
    expect(since.events.map((e) => e.type)).toEqual([
      "entry:cancelled",
      "entry:created",
      "waitlist:changed",
    ]);
    const next = applyEvents(held, since.events);
    if (next === GAP) throw new Error("gap");
    expect(next.myWaits[0]).toMatchObject({ status: "promoted", entryNo: ea.entry.no + 1 });
    expect(next.waitlist).toEqual([]);
  });

  it("at the cutoff the waitlist closes: no joins, and a late cancel by staff promotes nobody", async () => {
    const chain = await postChain(t, w, {
      cutoffAt: new Date(Date.now() + 1500).toISOString(),
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: 1 }],
    });
    const item = itemOf(chain, 0);
    const [a, b, c] = await Promise.all([client(t), client(t), client(t)]);
    if (!a || !b || !c) throw new Error("fixture");
    const ea = ok(await joinEntry(a, chain, item, 1));
    ok(await call(b, "waitlist:join", waitPayload(chain, item, 1, 1)));
    await waitForRedisTime(t, chain.cutoffAt + 500);
    expect(errorCode(await call(c, "waitlist:join", waitPayload(chain, item, 1, 2)))).toBe(
      "chain_closed",
    );
    const staff = await client(t, { token: w.coordinatorToken });
    ok(
      await call(staff, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: ea.entry.no,
      }),
    );
    const entries = await staffEntries(chain);
    expect(entries.filter((e) => e.fromWaitlist)).toEqual([]);
    expect(entries.filter((e) => e.status === "active")).toEqual([]);
    // What is left is unmet demand.
    const harvest = (
      await t.http.get(`/api/chains/${chain.id}/harvest`).set(bearer(w.growerToken)).expect(200)
    ).body as HarvestList;
    expect(harvest.unmet.map((u) => [u.itemId, u.requests, u.qty])).toEqual([[item, 1, 1]]);
    // The load list has it by drop point, and the chain's export as its own column.
    const load = (
      await t.http.get(`/api/chains/${chain.id}/load`).set(bearer(w.growerToken)).expect(200)
    ).body as LoadList;
    expect(load.dropPoints.map((p) => p.unmet.map((u) => u.qty))).toEqual([[], [1], []]);
    const csv = (
      await t.http
        .get(`/api/chains/${chain.id}/export.csv`)
        .set(bearer(w.growerToken))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => done(null, Buffer.concat(chunks)));
        })
        .expect(200)
    ).body as Buffer;
    const records = csv
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .filter(Boolean)
      .map((r) => r.split(","));
    const head = records[0] ?? [];
    expect(head.at(-1)).toBe("候补未满足");
    const at = (r: string[] | undefined, h: string) => r?.[head.indexOf(h)];
    // No active entries are left; one waitlist record, then the totals.
    expect(records).toHaveLength(3);
    const unmet = records[1];
    expect([
      at(unmet, "自提点"),
      at(unmet, "商品"),
      at(unmet, "单位"),
      at(unmet, "候补未满足"),
    ]).toEqual([w.dropPoints[1]?.name, "草莓", "盒", "1"]);
    expect(at(unmet, "接龙号")).toBe("");
    expect(records[2]?.[0]).toBe("总计（0 单）");
  });

  it("a race: cancels and waitlist joins at once sell exactly the stock, to the line in order", async () => {
    const STOCK = 24;
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: STOCK }],
    });
    const item = itemOf(chain, 0);
    const holders = await Promise.all(Array.from({ length: STOCK }, () => client(t)));
    const held = await Promise.all(holders.map((s, i) => joinEntry(s, chain, item, 1, i)));
    const waiters = await Promise.all(Array.from({ length: 40 }, () => client(t)));
    // As the page does: without a definite answer, the same request goes again.
    const persist = async <R extends { ok: boolean }>(send: () => Promise<R>): Promise<R> => {
      for (;;) {
        const reply = await send();
        const code = reply.ok ? null : (reply as unknown as { error: { code: string } }).error.code;
        if (!code || !["outcome_unknown", "unavailable"].includes(code)) return reply;
      }
    };
    // Twenty wait first, one at a time (a known order), wanting 1 or 2.
    const qtyOf = (i: number) => (i % 3 === 0 ? 2 : 1);
    for (let i = 0; i < 20; i++) {
      const s = waiters[i] as Client;
      ok(await call(s, "waitlist:join", waitPayload(chain, item, qtyOf(i), i)));
    }
    // Then at once: 16 holders cancel while 20 more join the line.
    const cancels = held.slice(0, 16).map((r, i) => {
      const entry = ok(r).entry;
      const payload = { requestId: requestId(), chainId: chain.id, no: entry.no };
      return persist(() => call(holders[i] as Client, "entry:cancel", payload));
    });
    const joins = waiters.slice(20).map((s, j) => {
      const payload = waitPayload(chain, item, qtyOf(20 + j), 20 + j);
      return persist(() => call(s, "waitlist:join", payload));
    });
    const [cancelled, joined] = await Promise.all([Promise.all(cancels), Promise.all(joins)]);
    expect(cancelled.every((r) => r.ok)).toBe(true);
    // A late join may find units free for a moment only if it wants more than is free.
    for (const r of joined) if (!r.ok) expect(["not_sold_out"]).toContain(errorCode(r));

    const entries = await staffEntries(chain);
    const active = entries.filter((e) => e.status === "active");
    const sold = active.reduce((s, e) => s + (e.lines[0]?.qty ?? 0), 0);
    const seen = await snapshot(holders[0] as Client, chain.id);
    const free = STOCK - sold;
    expect(seen.chain.items[0]?.remaining).toBe(free);
    expect(sold).toBeLessThanOrEqual(STOCK);
    // Promoted: a prefix of the line, in the line's order, and chain numbers follow it.
    const promoted = entries.filter((e) => e.fromWaitlist);
    const ids = promoted.map((e) => e.waiterId ?? 0);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const line = seen.waitlist[0]?.waiting ?? [];
    const firstWaiting = line[0];
    if (firstWaiting) {
      expect(Math.max(...ids)).toBeLessThan(firstWaiting.id);
      // Never a unit left over that the head of the line could have had.
      expect(firstWaiting.qty).toBeGreaterThan(free);
    }
    // Every waiter is either promoted or still in line, exactly once.
    const joinedIds = [
      ...Array.from({ length: 20 }, (_, i) => i + 1),
      ...joined.flatMap((r) => (r.ok ? [r.data.waiter.id] : [])),
    ].sort((a, b) => a - b);
    expect([...ids, ...line.map((x) => x.id)].sort((a, b) => a - b)).toEqual(joinedIds);
    // The first twenty waited before any unit came back: all 16 freed units went to them.
    expect(sold).toBe(STOCK - free);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id <= 20)).toBe(true);
  });
});

describe("the waitlist's length", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: { WAITLIST_MAX_PER_ITEM: "3" } });
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("at WAITLIST_MAX_PER_ITEM waiting, the next join is waitlist_full; a place that frees up can be taken", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: 1 }],
    });
    const item = chain.items[0]?.id ?? "";
    const dropPointId = w.dropPoints[0]?.id ?? "";
    const buyer = await client(t);
    ok(
      await call(buyer, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId,
        name: "张阿姨",
        building: "1-101",
        lines: [{ itemId: item, qty: 1 }],
      }),
    );
    const wait = (s: Client, i: number) =>
      call(s, "waitlist:join", {
        requestId: requestId(),
        chainId: chain.id,
        itemId: item,
        qty: 1,
        dropPointId,
        name: `候补${i}`,
        building: `${i}-202`,
      });
    const phones = await Promise.all(Array.from({ length: 5 }, () => client(t)));
    const waiting = [];
    for (const [i, s] of phones.slice(0, 3).entries()) waiting.push(ok(await wait(s, i)));
    const full = await wait(phones[3] as Client, 3);
    expect(errorCode(full)).toBe("waitlist_full");
    if (!full.ok) expect(full.error.details).toEqual({ itemId: item, max: 3 });
    const first = waiting[0];
    if (!first) throw new Error("fixture");
    ok(
      await call(phones[0] as Client, "waitlist:leave", {
        requestId: requestId(),
        chainId: chain.id,
        waiterId: first.waiter.id,
      }),
    );
    const joined = ok(await wait(phones[4] as Client, 4));
    expect(joined.position).toBe(3);
  });
});
