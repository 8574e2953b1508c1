import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PickupList, StaffEntry } from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  makeWorld,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

const RESIDENTS = 200;
const STOCK = 50;
const LIMIT = 3;

describe("a race: 200 residents for an item with stock 50", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("sells exactly the stock, keeps limits, numbers and pickup totals exact", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: STOCK, limit: LIMIT }],
    });
    const item = chain.items[0];
    if (!item) throw new Error("fixture");
    const residents: Client[] = await Promise.all(
      Array.from({ length: RESIDENTS }, () => client(t, { deviceKey: deviceKey() })),
    );
    // As the resident page does: without a definite answer (the machine may be too busy for
    // Redis to answer within the test's 1 s), the same request goes again until it has one.
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

    // Everyone sends two joins at once with mixed quantities, so limits race too.
    const first = await Promise.all(
      residents.flatMap((s, i) => [join(s, i, (i % 3) + 1), join(s, i, ((i + 1) % 3) + 1)]),
    );
    // Then those who were refused try for one box, which fills any remainder exactly.
    const second = await Promise.all(residents.map((s, i) => join(s, i, 1)));
    const replies = [...first, ...second];
    const codes = new Set(replies.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.error.code)));
    for (const code of codes)
      expect(["sold_out", "limit_exceeded", "chain_closed"]).toContain(code);

    const entries = (
      await t.http.get(`/api/chains/${chain.id}/entries`).set(bearer(w.growerToken)).expect(200)
    ).body as StaffEntry[];
    const active = entries.filter((e) => e.status === "active");
    const sold = active.reduce((s, e) => s + (e.lines[0]?.qty ?? 0), 0);
    expect(sold).toBe(STOCK);
    expect(replies.filter((r) => r.ok).length).toBe(entries.length);

    // Chain numbers run 1..N with no gaps or duplicates.
    expect(entries.map((e) => e.no)).toEqual(
      Array.from({ length: entries.length }, (_, i) => i + 1),
    );

    // No resident over the limit (residents are told apart by name here: one device each).
    const perResident = new Map<string, number>();
    for (const e of active)
      perResident.set(e.name, (perResident.get(e.name) ?? 0) + (e.lines[0]?.qty ?? 0));
    for (const qty of perResident.values()) expect(qty).toBeLessThanOrEqual(LIMIT);

    // The chain closes itself: its only (capped) item sold out.
    const view = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body;
    expect(view.chain.status).toBe("closed");
    expect(view.chain.closedReason).toBe("sold_out");
    expect(view.chain.items[0]).toMatchObject({ sold: STOCK, remaining: 0, soldOut: true });

    // Each pickup list's totals equal the sum of its active entries.
    let listed = 0;
    for (const dp of w.dropPoints) {
      const list = (
        await t.http
          .get(`/api/communities/${w.communityId}/days/${chain.deliveryDate}/drop-points/${dp.id}`)
          .set(bearer(w.coordinatorToken))
          .expect(200)
      ).body as PickupList;
      const mine = active.filter((e) => e.dropPointId === dp.id);
      const listEntries = list.residents.flatMap((r) => r.entries);
      expect(listEntries.map((e) => e.no).sort((a, b) => a - b)).toEqual(mine.map((e) => e.no));
      expect(list.totals.entries).toBe(mine.length);
      expect(list.totals.amountFen).toBe(mine.reduce((s, e) => s + e.amountFen, 0));
      expect(list.residents.reduce((s, r) => s + r.amountFen, 0)).toBe(list.totals.amountFen);
      const qty = list.items.find((i) => i.chainId === chain.id && i.itemId === item.id)?.qty ?? 0;
      expect(qty).toBe(mine.reduce((s, e) => s + (e.lines[0]?.qty ?? 0), 0));
      listed += qty;
    }
    expect(listed).toBe(STOCK);
  });
});
