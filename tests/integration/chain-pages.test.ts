import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryJoin } from "../../shared/schemas.js";
import type { ChainSnapshot, ChainView, EntryPage } from "../../shared/views.js";
import {
  call,
  client,
  deviceKey,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

/** A long chain's snapshot carries its latest entries and the counts; older ones come by page. */
describe("long chains by page", () => {
  let t: TestApp;
  let w: World;
  let chain: ChainView;
  let mineEarly: number;
  beforeAll(async () => {
    t = await startTestApp({ env: { SNAPSHOT_ENTRIES: "50" } });
    w = await makeWorld(t);
    chain = await postChain(t, w);
    const me = await client(t, { deviceKey: "my-phone-key-0123456789" });
    const join = (name: string): EntryJoin => ({
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name,
      building: "5-501",
      lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
    });
    mineEarly = ok(await call(me, "entry:join", join("我"))).entry.no;
    const others = await Promise.all(
      Array.from({ length: 10 }, () => client(t, { deviceKey: deviceKey() })),
    );
    for (let i = 0; i < 129; i++)
      ok(await call(others[i % 10] as never, "entry:join", join(`住户${i}`)));
  });
  afterAll(() => t.close());

  it("when a chain has 130 entries, then its snapshot holds the latest 50, the counts, and the device's own entries however old", async () => {
    const me = await client(t, { deviceKey: "my-phone-key-0123456789" });
    const watch = ok(await call(me, "chain:watch", { chainId: chain.id }));
    if (watch.kind !== "snapshot") throw new Error("expected a snapshot");
    const snap = watch.snapshot;
    expect(snap.entries.map((e) => e.no)).toEqual(Array.from({ length: 50 }, (_, i) => 81 + i));
    expect(snap.entriesFrom).toBe(81);
    expect(snap.activeEntries).toBe(130);
    expect(snap.mine.map((e) => e.no)).toEqual([mineEarly]);
    const http = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(http.entries).toHaveLength(50);
    expect(http.mine).toEqual([]);
  });

  it("older entries come a page at a time, by socket and by HTTP, down to number 1", async () => {
    const s = await client(t, { deviceKey: deviceKey() });
    const page = ok(await call(s, "chain:entries", { chainId: chain.id, before: 81, limit: 50 }));
    expect(page.from).toBe(31);
    expect(page.entries.map((e) => e.no)).toEqual(Array.from({ length: 50 }, (_, i) => 31 + i));
    const last = (await t.http.get(`/api/chains/${chain.id}/page?before=31`).expect(200))
      .body as EntryPage;
    expect(last.from).toBe(1);
    expect(last.entries.map((e) => e.no)).toEqual(Array.from({ length: 30 }, (_, i) => 1 + i));
    // A public page: no pickup codes, phones or device hashes.
    expect(Object.keys(last.entries[0] ?? {})).not.toContain("pickupCode");
    await t.http.get(`/api/chains/${chain.id}/page?before=0`).expect(400);
    const missing = await t.http.get(`/api/chains/${w.communityId}-nochain1/page?before=5`);
    expect(missing.status).toBe(404);
  });
});
