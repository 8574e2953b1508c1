import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChainFrame } from "../../shared/events.js";
import type { PickupChange, WatchResult } from "../../shared/views.js";
import {
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

const joinPayload = (chainId: string, w: World, itemId: string, name: string) => ({
  requestId: requestId(),
  chainId,
  dropPointId: w.dropPoints[0]?.id ?? "",
  name,
  building: "3-201",
  lines: [{ itemId, qty: 1 }],
});

describe("live chain: versions, resync, coalescing, fan-out across instances, pickup watch", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when a client re-watches with sinceVersion, then it gets exactly the missed events", async () => {
    const chain = await postChain(t, w);
    const viewer = await client(t, {});
    const snap = ok(await call(viewer, "chain:watch", { chainId: chain.id })) as WatchResult;
    if (snap.kind !== "snapshot") throw new Error("expected snapshot");
    const seenVersion = snap.snapshot.version;
    ok(await call(viewer, "chain:unwatch", { chainId: chain.id }));

    const resident = await client(t, { deviceKey: deviceKey() });
    const itemId = chain.items[1]?.id ?? "";
    for (const name of ["甲", "乙", "丙"])
      ok(await call(resident, "entry:join", joinPayload(chain.id, w, itemId, name)));

    const resync = ok(
      await call(viewer, "chain:watch", { chainId: chain.id, sinceVersion: seenVersion }),
    );
    if (resync.kind !== "events") throw new Error("expected events");
    expect(resync.events.map((e) => e.version)).toEqual([
      seenVersion + 1,
      seenVersion + 2,
      seenVersion + 3,
    ]);
    expect(resync.events.map((e) => (e.type === "entry:created" ? e.entry.name : ""))).toEqual([
      "甲",
      "乙",
      "丙",
    ]);
    expect(resync.version).toBe(seenVersion + 3);

    // Up to date: no events. From the future: a snapshot.
    const none = ok(
      await call(viewer, "chain:watch", { chainId: chain.id, sinceVersion: resync.version }),
    );
    expect(none).toMatchObject({ kind: "events", events: [] });
    const future = ok(await call(viewer, "chain:watch", { chainId: chain.id, sinceVersion: 999 }));
    expect(future.kind).toBe("snapshot");
  });

  it("when the event log no longer reaches back, then the client gets a snapshot", async () => {
    // One device makes all 250 entries here, far past the cap a real phone has.
    const small = await startTestApp({
      env: { EVENT_LOG_MAX: "100", MAX_ENTRIES_PER_DEVICE: "0" },
    });
    try {
      const sw = await makeWorld(small);
      const chain = await postChain(small, sw, {
        items: [{ name: "葱", unit: "把", priceFen: 100 }],
      });
      const resident = await client(small, { deviceKey: deviceKey() });
      const itemId = chain.items[0]?.id ?? "";
      for (let i = 0; i < 250; i++) {
        ok(await call(resident, "entry:join", joinPayload(chain.id, sw, itemId, `住户${i}`)));
      }
      const r = ok(await call(resident, "chain:watch", { chainId: chain.id, sinceVersion: 1 }));
      expect(r.kind).toBe("snapshot");
      // The latest 200 (SNAPSHOT_ENTRIES), and the count of all.
      if (r.kind === "snapshot") {
        expect(r.snapshot.entries).toHaveLength(200);
        expect(r.snapshot.entriesFrom).toBe(51);
        expect(r.snapshot.activeEntries).toBe(250);
      }
    } finally {
      await small.close();
    }
  });

  it("when events arrive within one tick, then watchers get them in fewer chain:events frames, versions in order", async () => {
    const slow = await startTestApp({ env: { BROADCAST_TICK_MS: "100" } });
    try {
      const sw = await makeWorld(slow);
      const chain = await postChain(slow, sw);
      const viewer = await client(slow, {});
      const batches: ChainFrame[] = [];
      viewer.on("chain:events", (b) => batches.push(b));
      const events = record(viewer);
      ok(await call(viewer, "chain:watch", { chainId: chain.id }));
      const resident = await client(slow, { deviceKey: deviceKey() });
      const itemId = chain.items[1]?.id ?? "";
      await Promise.all(
        ["甲", "乙", "丙", "丁"].map((n) =>
          call(resident, "entry:join", joinPayload(chain.id, sw, itemId, n)),
        ),
      );
      await eventually(() => expect(events).toHaveLength(4));
      expect(batches.length).toBeGreaterThanOrEqual(1);
      expect(batches.length).toBeLessThan(4);
      const versions = events.map((e) => e.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(slow.app.broadcaster.stats.frames).toBeLessThan(slow.app.broadcaster.stats.events);
    } finally {
      await slow.close();
    }
  });

  it("when two instances share one Redis, then a join on one reaches watchers on the other", async () => {
    const other = await startTestApp({ env: { KEY_PREFIX: t.app.ctx.config.KEY_PREFIX } });
    try {
      const chain = await postChain(t, w);
      const remote = await client(other, {});
      const events = record(remote);
      ok(await call(remote, "chain:watch", { chainId: chain.id }));
      const resident = await client(t, { deviceKey: deviceKey() });
      const joined = ok(
        await call(
          resident,
          "entry:join",
          joinPayload(chain.id, w, chain.items[1]?.id ?? "", "远方"),
        ),
      );
      await eventually(() => expect(events.map((e) => e.version)).toEqual([joined.version]));
    } finally {
      await other.close();
    }
  });

  it("when a coordinator watches a drop point's pickup list, then joins, moves and cancels arrive live", async () => {
    const chain = await postChain(t, w);
    const [east, north] = w.dropPoints;
    if (!east || !north) throw new Error("fixture");
    const coordinator = await client(t, { token: w.coordinatorToken });
    const changes: PickupChange[] = [];
    coordinator.on("pickup:changed", (c) => changes.push(c));
    const list = ok(
      await call(coordinator, "pickup:watch", { date: chain.deliveryDate, dropPointId: east.id }),
    );
    expect(list.dropPoint.id).toBe(east.id);

    const resident = await client(t, { deviceKey: deviceKey() });
    const joined = ok(
      await call(resident, "entry:join", {
        ...joinPayload(chain.id, w, chain.items[1]?.id ?? "", "张阿姨"),
        phone: "13900001111",
      }),
    );
    await eventually(() => expect(changes.map((c) => c.change)).toEqual(["upsert"]));
    expect(changes[0]?.entry).toMatchObject({
      no: joined.entry.no,
      phone: "13900001111",
      chainTitle: chain.title,
    });

    ok(
      await call(resident, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: joined.entry.no,
        dropPointId: north.id,
      }),
    );
    await eventually(() => expect(changes.map((c) => c.change)).toEqual(["upsert", "remove"]));
    expect(changes[1]?.dropPointId).toBe(east.id);

    // Signing out disconnects the coordinator's sockets: no more staff broadcasts with phones.
    const gone = new Promise<string>((resolve) =>
      coordinator.once("disconnect", (reason) => resolve(reason)),
    );
    await t.http
      .post("/api/logout")
      .set("Authorization", `Bearer ${w.coordinatorToken}`)
      .expect(204);
    expect(await gone).toBe("io server disconnect");
  });

  it("a resident's watch returns their own entries with pickup codes; others see none", async () => {
    const chain = await postChain(t, w);
    const key = deviceKey();
    const resident = await client(t, { deviceKey: key });
    const joined = ok(
      await call(
        resident,
        "entry:join",
        joinPayload(chain.id, w, chain.items[1]?.id ?? "", "张阿姨"),
      ),
    );
    const again = await client(t, { deviceKey: key });
    const mine = ok(await call(again, "chain:watch", { chainId: chain.id }));
    if (mine.kind !== "snapshot") throw new Error("expected snapshot");
    expect(mine.snapshot.mine.map((e) => e.pickupCode)).toEqual([joined.entry.pickupCode]);
    const stranger = await client(t, { deviceKey: deviceKey() });
    const theirs = ok(await call(stranger, "chain:watch", { chainId: chain.id }));
    if (theirs.kind !== "snapshot") throw new Error("expected snapshot");
    expect(theirs.snapshot.mine).toEqual([]);
    expect(JSON.stringify(theirs.snapshot)).not.toContain("pickupCode");
  });
});

describe("connection state recovery", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when a watcher's connection drops and comes back, then it is replayed what it missed, even if it was the room's only watcher", async () => {
    const chain = await postChain(t, w);
    const watcher = await client(t, {});
    const events = record(watcher);
    ok(await call(watcher, "chain:watch", { chainId: chain.id }));
    const resident = await client(t, { deviceKey: deviceKey() });
    // Socket.IO can only recover a session that has received at least one broadcast.
    const first = ok(
      await call(
        resident,
        "entry:join",
        joinPayload(chain.id, w, chain.items[1]?.id ?? "", "在线时"),
      ),
    );
    await eventually(() => expect(events.map((e) => e.version)).toEqual([first.version]));

    const reconnected = new Promise<void>((resolve) =>
      watcher.io.once("reconnect", () => resolve()),
    );
    watcher.io.engine.close(); // the phone loses its network for a moment
    // Wait until the server has noticed: the chain's room is empty now.
    await eventually(() =>
      expect(t.app.io.of("/").adapter.rooms.has(`chain:${chain.id}`)).toBe(false),
    );
    const joined = ok(
      await call(
        resident,
        "entry:join",
        joinPayload(chain.id, w, chain.items[1]?.id ?? "", "断线时"),
      ),
    );
    await reconnected;
    await eventually(() => expect(watcher.recovered).toBe(true));
    await eventually(() =>
      expect(events.map((e) => e.version)).toEqual([first.version, joined.version]),
    );
  });
});

describe("signing out", () => {
  it("disconnects that session's sockets even when they watch nothing", async () => {
    const t = await startTestApp();
    try {
      const w = await makeWorld(t);
      const idle = await client(t, { token: w.growerToken });
      const gone = new Promise<string>((resolve) => idle.once("disconnect", (r) => resolve(r)));
      await t.http.post("/api/logout").set("Authorization", `Bearer ${w.growerToken}`).expect(204);
      expect(await gone).toBe("io server disconnect");
    } finally {
      await t.close();
    }
  });
});
