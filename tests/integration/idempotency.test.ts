import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEntryScript } from "../../server/store/chains.js";
import type { ChainSnapshot } from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  errorCode,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

describe("request ids make writes idempotent", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  const snapshot = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}`).expect(200)).body as ChainSnapshot;

  it("when one join is sent 5 times at once and again after a reconnect, then there is one entry", async () => {
    const chain = await postChain(t, w);
    const key = deviceKey();
    const join = {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "张阿姨",
      building: "3-201",
      lines: [{ itemId: chain.items[0]?.id ?? "", qty: 1.5 }],
    };
    const first = await client(t, { deviceKey: key });
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => call(first, "entry:join", join)),
    );
    const entries = replies.map((r) => ok(r).entry);
    expect(new Set(entries.map((e) => e.no))).toEqual(new Set([1]));
    expect(new Set(entries.map((e) => e.pickupCode)).size).toBe(1);

    first.disconnect();
    const again = await client(t, { deviceKey: key });
    const replay = ok(await call(again, "entry:join", join));
    expect(replay.entry).toEqual(entries[0]);

    const snap = await snapshot(chain.id);
    expect(snap.entries).toHaveLength(1);
    expect(snap.chain.items[0]?.sold).toBe(1.5);
    // One creation event only: version 1 (chain created) + 1 join.
    expect(snap.version).toBe(2);
  });

  it("when the same request id comes with a different payload, then it is refused and nothing changes", async () => {
    const chain = await postChain(t, w);
    const s = await client(t, { deviceKey: deviceKey() });
    const base = {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "李叔",
      building: "5-101",
      lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
    };
    ok(await call(s, "entry:join", base));
    const before = await snapshot(chain.id);
    const conflict = await call(s, "entry:join", {
      ...base,
      lines: [{ itemId: chain.items[1]?.id ?? "", qty: 2 }],
    });
    expect(errorCode(conflict)).toBe("request_id_conflict");
    // The same id from another device is a different request too.
    const other = await client(t, { deviceKey: deviceKey() });
    expect(errorCode(await call(other, "entry:join", base))).toBe("request_id_conflict");
    expect(await snapshot(chain.id)).toEqual(before);
  });

  it("when a script call is re-sent as ioredis does after a lost reply, then it changes nothing", async () => {
    const chain = await postChain(t, w);
    const input = {
      dp: w.dropPoints[1]?.id ?? "",
      name: "王奶奶",
      bld: "8-402",
      lines: [[chain.items[0]?.id ?? "", 1000] as [string, number]],
      dh: "device-hash-for-this-test",
    };
    const a = await runEntryScript(t.app.ctx, "join", chain.id, "resend-1234", "hash-1", input);
    const b = await runEntryScript(t.app.ctx, "join", chain.id, "resend-1234", "hash-1", input);
    expect(b).toEqual(a);
    const snap = await snapshot(chain.id);
    expect(snap.entries).toHaveLength(1);
    expect(snap.version).toBe(2);
  });

  it("updates and cancels are idempotent too", async () => {
    const chain = await postChain(t, w);
    const s = await client(t, { deviceKey: deviceKey() });
    const joined = ok(
      await call(s, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "赵姐",
        building: "2-301",
        lines: [{ itemId: chain.items[2]?.id ?? "", qty: 1 }],
      }),
    );
    const update = {
      requestId: requestId(),
      chainId: chain.id,
      no: joined.entry.no,
      lines: [{ itemId: chain.items[2]?.id ?? "", qty: 2 }],
    };
    const u = await Promise.all([call(s, "entry:update", update), call(s, "entry:update", update)]);
    expect(ok(u[0]).version).toBe(ok(u[1]).version);
    const cancel = { requestId: requestId(), chainId: chain.id, no: joined.entry.no };
    const c1 = ok(await call(s, "entry:cancel", cancel));
    const c2 = ok(await call(s, "entry:cancel", cancel));
    expect(c2).toEqual(c1);
    const snap = await snapshot(chain.id);
    expect(snap.version).toBe(4);
    expect(snap.chain.items[2]?.sold).toBe(0);
  });
});

describe("HTTP writes with an Idempotency-Key", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when a drop point is created twice with one key, then there is one; another body under it is refused", async () => {
    const key = requestId();
    const add = (name: string) =>
      t.http
        .post(`/api/communities/${w.communityId}/drop-points`)
        .set({ ...bearer(w.coordinatorToken), "Idempotency-Key": key })
        .send({ name, window: { start: "07:30", end: "09:00" } });
    const first = await add("西门菜站");
    const second = await add("西门菜站");
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    const community = await t.http
      .get(`/api/communities/${w.communityId}`)
      .set(bearer(w.coordinatorToken))
      .expect(200);
    expect(
      community.body.dropPoints.filter((d: { name: string }) => d.name === "西门菜站"),
    ).toHaveLength(1);
    const other = await add("北门菜站");
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("request_id_conflict");
  });

  it("when a chain is closed twice with one key, then the second answers as the first; without a key it is refused", async () => {
    const chain = await postChain(t, w);
    const key = requestId();
    const close = (k?: string) =>
      t.http
        .post(`/api/chains/${chain.id}/close`)
        .set({ ...bearer(w.growerToken), ...(k ? { "Idempotency-Key": k } : {}) });
    const first = await close(key);
    expect(first.status).toBe(200);
    const again = await close(key);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("closed");
    expect(again.body.version).toBe(first.body.version);
    expect((await close()).body.error.code).toBe("invalid_state");
  });

  it("when a coordinator sends a grower's key with the same patch, then it is the coordinator's own write, not a replay of the grower's", async () => {
    const chain = await postChain(t, w);
    const key = requestId();
    const patch = (token: string, title: string) =>
      t.http
        .patch(`/api/chains/${chain.id}`)
        .set({ ...bearer(token), "Idempotency-Key": key })
        .send({ title });
    const grower = await patch(w.growerToken, "第一次");
    expect(grower.status).toBe(200);
    // The grower's retry: a replay, nothing applied again.
    const retry = await patch(w.growerToken, "第一次");
    expect(retry.body.version).toBe(grower.body.version);
    // The coordinator, same key and body: applied as a write of its own (a new version).
    const coordinator = await patch(w.coordinatorToken, "第一次");
    expect(coordinator.status).toBe(200);
    expect(coordinator.body.version).toBeGreaterThan(grower.body.version);
    // The coordinator's own key, another body: its own retry rules apply.
    const other = await patch(w.coordinatorToken, "第二次");
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("request_id_conflict");
  });

  it("refuses a malformed Idempotency-Key and changes nothing", async () => {
    const res = await t.http
      .post(`/api/communities/${w.communityId}/drop-points`)
      .set({ ...bearer(w.coordinatorToken), "Idempotency-Key": "no spaces!" })
      .send({ name: "坏钥匙", window: { start: "07:30", end: "09:00" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
  });
});
