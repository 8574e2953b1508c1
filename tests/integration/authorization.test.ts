/**
 * Each role tries what it must not do: no session, a grower on another grower's chain, a grower
 * on coordinator work, a coordinator on another community, a resident on another device's entry.
 * Every refusal is checked for its status and code, and for leaving the data as it was.
 */
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomId, randomToken } from "../../server/crypto.js";
import { ensureSetupLink } from "../../server/domain/people.js";
import { createCommunity } from "../../server/store/communities.js";
import type { UserRecord } from "../../server/store/records.js";
import { saveSession } from "../../server/store/sessions.js";
import type { Ack } from "../../shared/errors.js";
import type { EntryJoin } from "../../shared/schemas.js";
import type {
  ChainEvent,
  ChainSnapshot,
  ChainView,
  PickupChange,
  PickupList,
  SessionView,
  StaffEntry,
} from "../../shared/views.js";
import {
  addDropPoint,
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  eventually,
  inMinutes,
  invite,
  ok,
  postChain,
  record,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

// ---- local helpers ----------------------------------------------------------------------------

interface Community extends World {
  coordinatorId: string;
  coordinatorName: string;
}

interface HttpReply {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

function expectHttpError(res: HttpReply, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const error = (res.body as { error?: { code?: unknown; message?: unknown } }).error;
  expect(error?.code).toBe(code);
  expect(typeof error?.message).toBe("string");
  expect(String(error?.message ?? "").length).toBeGreaterThan(0);
}

function expectAckError(reply: Ack<unknown>, code: string): void {
  expect(reply.ok, JSON.stringify(reply)).toBe(false);
  if (reply.ok) return;
  expect(reply.error.code).toBe(code);
  expect(reply.error.message.length).toBeGreaterThan(0);
}

async function publicSnapshot(t: TestApp, chainId: string): Promise<ChainSnapshot> {
  const res = await t.http.get(`/api/chains/${chainId}`).expect(200);
  return res.body as ChainSnapshot;
}

async function staffEntries(t: TestApp, chainId: string, token: string): Promise<StaffEntry[]> {
  const res = await t.http.get(`/api/chains/${chainId}/entries`).set(bearer(token)).expect(200);
  return res.body as StaffEntry[];
}

/** What a coordinator can read of its community: the community and its chains. */
async function communityState(t: TestApp, c: Community) {
  const [community, chains] = await Promise.all([
    t.http.get(`/api/communities/${c.communityId}`).set(bearer(c.coordinatorToken)).expect(200),
    t.http
      .get(`/api/communities/${c.communityId}/chains`)
      .set(bearer(c.coordinatorToken))
      .expect(200),
  ]);
  return { community: community.body, chains: chains.body };
}

function joinPayload(
  chain: ChainView,
  overrides: Partial<EntryJoin> = {},
  dropPointIndex = 0,
): EntryJoin {
  const dp = chain.dropPoints[dropPointIndex];
  const item = chain.items[1]; // 黄瓜, step 1, no cap
  if (!dp || !item) throw new Error("fixture: chain without drop points or items");
  return {
    requestId: requestId(),
    chainId: chain.id,
    dropPointId: dp.id,
    name: "张阿姨",
    building: "3-201",
    lines: [{ itemId: item.id, qty: 1 }],
    ...overrides,
  };
}

/** A socket that is expected to fail its handshake or be used without the helper's tracking. */
function rawSocket(t: TestApp, opts: Parameters<typeof connect>[1]): Client {
  return connect(t.baseUrl, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    ...opts,
  }) as Client;
}

async function connected(socket: Client): Promise<Client> {
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

// ---- fixture ----------------------------------------------------------------------------------

/** Community 1 through the real setup link, keeping the link's token to try it again later. */
async function firstCommunity(t: TestApp): Promise<Community & { setupToken: string }> {
  const link = await ensureSetupLink(t.app.ctx);
  if (!link) throw new Error("fixture: a community already exists under this prefix");
  const setupToken = new URL(link).searchParams.get("token") ?? "";
  const res = await t.http
    .post("/api/setup")
    .send({ token: setupToken, community: { name: "文兴社区" }, coordinator: { name: "王主任" } })
    .expect(201);
  const view = res.body as SessionView;
  const token = view.token ?? "";
  const communityId = view.community.id;
  const dropPoints = [];
  for (const name of ["3号楼东门", "7号楼北门", "南门岗亭"]) {
    dropPoints.push(await addDropPoint(t, communityId, token, { name }));
  }
  const grower = await invite(t, communityId, token, "grower", "李大姐");
  return {
    setupToken,
    communityId,
    coordinatorToken: token,
    coordinatorId: view.user.id,
    coordinatorName: view.user.name,
    growerToken: grower.token,
    growerId: grower.user.id,
    dropPoints,
  };
}

/**
 * Community 2 in the same store. The setup link works only once per store (server/domain/people.ts
 * completeSetup), so this community and its coordinator's session are written with the store's own
 * createCommunity and saveSession — fixture setup only. Everything after that (drop points, the
 * grower's invite, chains) goes through the public API with that coordinator's token.
 */
async function secondCommunity(t: TestApp): Promise<Community> {
  const ctx = t.app.ctx;
  const now = Date.now();
  const communityId = randomId(8);
  const coordinator: UserRecord = {
    id: randomId(10),
    communityId,
    role: "coordinator",
    name: "赵书记",
    village: null,
    phone: null,
    createdAt: now,
  };
  await createCommunity(
    ctx,
    {
      id: communityId,
      name: "河东社区",
      timezone: ctx.config.DEFAULT_TIMEZONE,
      requirePhone4: false,
      createdAt: now,
    },
    coordinator,
  );
  const token = randomToken();
  await saveSession(ctx, token, {
    userId: coordinator.id,
    communityId,
    role: "coordinator",
    name: coordinator.name,
  });
  const dropPoints = [await addDropPoint(t, communityId, token, { name: "河东广场" })];
  const grower = await invite(t, communityId, token, "grower", "陈师傅");
  return {
    communityId,
    coordinatorToken: token,
    coordinatorId: coordinator.id,
    coordinatorName: coordinator.name,
    growerToken: grower.token,
    growerId: grower.user.id,
    dropPoints,
  };
}

describe("authorization: each role tries what it must not do", () => {
  let t: TestApp;
  let c1: Community & { setupToken: string };
  let c2: Community;
  /** A second grower of community 1. */
  let growerB: { token: string; id: string };
  let chainA: ChainView;
  let chainB: ChainView;
  let chain2: ChainView;

  beforeAll(async () => {
    t = await startTestApp();
    c1 = await firstCommunity(t);
    c2 = await secondCommunity(t);
    const b = await invite(t, c1.communityId, c1.coordinatorToken, "grower", "周大哥");
    growerB = { token: b.token, id: b.user.id };
    chainA = await postChain(t, c1, { title: "李大姐的菜" });
    chainB = await postChain(t, c1, { title: "周大哥的菜" }, growerB.token);
    chain2 = await postChain(t, c2, { title: "河东的菜" });
    // One entry on B's chain, so its lists have something to leak.
    const r = await client(t, { deviceKey: deviceKey() });
    ok(await call(r, "entry:join", joinPayload(chainB, { phone: "13811112222" })));
    const r2 = await client(t, { deviceKey: deviceKey() });
    ok(
      await call(r2, "entry:join", joinPayload(chain2, { name: "河东居民", phone: "13633334444" })),
    );
  });
  afterAll(() => t.close());

  // ---- no session ----

  describe("without a session", () => {
    const routes = (): {
      what: string;
      method: "get" | "post" | "patch";
      path: string;
      body?: object;
    }[] => {
      const c = c1.communityId;
      const dp = c1.dropPoints[0]?.id ?? "";
      const date = chainA.deliveryDate;
      return [
        {
          what: "create a chain",
          method: "post",
          path: "/api/chains",
          body: {
            title: "无主的菜",
            dropPointIds: [dp],
            items: [{ name: "白菜", unit: "斤", priceFen: 100 }],
          },
        },
        { what: "read the community", method: "get", path: `/api/communities/${c}` },
        {
          what: "rename the community",
          method: "patch",
          path: `/api/communities/${c}`,
          body: { name: "黑客社区" },
        },
        {
          what: "add a drop point",
          method: "post",
          path: `/api/communities/${c}/drop-points`,
          body: { name: "后门", window: { start: "07:00", end: "08:00" } },
        },
        {
          what: "patch a drop point",
          method: "patch",
          path: `/api/communities/${c}/drop-points/${dp}`,
          body: { name: "改名" },
        },
        {
          what: "create an invite",
          method: "post",
          path: `/api/communities/${c}/invites`,
          body: { role: "coordinator" },
        },
        { what: "list chains", method: "get", path: `/api/communities/${c}/chains` },
        {
          what: "read the day overview",
          method: "get",
          path: `/api/communities/${c}/days/${date}`,
        },
        {
          what: "read a pickup list",
          method: "get",
          path: `/api/communities/${c}/days/${date}/drop-points/${dp}`,
        },
        { what: "read the harvest list", method: "get", path: `/api/chains/${chainB.id}/harvest` },
        { what: "read the load list", method: "get", path: `/api/chains/${chainB.id}/load` },
        { what: "read the staff entries", method: "get", path: `/api/chains/${chainB.id}/entries` },
        {
          what: "patch a chain",
          method: "patch",
          path: `/api/chains/${chainB.id}`,
          body: { title: "改了" },
        },
        { what: "close a chain", method: "post", path: `/api/chains/${chainB.id}/close` },
        { what: "cancel a chain", method: "post", path: `/api/chains/${chainB.id}/cancel` },
        { what: "read who I am", method: "get", path: "/api/me" },
      ];
    };

    // One made-up token per caller: dozens of different ones from one address would be token
    // guessing, which the limits block (tests/integration/limits.test.ts).
    const unknownBearer = randomToken();
    const unknownCookie = randomToken();
    const credentials: { label: string; headers: () => Record<string, string> }[] = [
      { label: "no credentials", headers: () => ({}) },
      { label: "an unknown bearer token", headers: () => bearer(unknownBearer) },
      {
        label: "an unknown session cookie",
        headers: () => ({ Cookie: `jl_session=${unknownCookie}` }),
      },
      {
        label: "a malformed Authorization header",
        headers: () => ({ Authorization: "Basic Zm9vOmJhcg==" }),
      },
    ];

    for (const cred of credentials) {
      it(`when a caller with ${cred.label} uses member routes, then every one answers 401 unauthorized and nothing changes`, async () => {
        const before = await communityState(t, c1);
        const chainBefore = await publicSnapshot(t, chainB.id);
        for (const r of routes()) {
          const req = t.http[r.method](r.path).set(cred.headers());
          const res = await (r.body ? req.send(r.body) : req);
          expect(res.headers["content-type"], r.what).toMatch(/application\/json/);
          expect({ what: r.what, status: res.status, code: res.body?.error?.code }).toEqual({
            what: r.what,
            status: 401,
            code: "unauthorized",
          });
          expect(res.body.error.message.length, r.what).toBeGreaterThan(0);
        }
        expect(await communityState(t, c1)).toEqual(before);
        expect(await publicSnapshot(t, chainB.id)).toEqual(chainBefore);
      });
    }

    it("when a socket without a session watches a pickup list, then it is refused as unauthorized", async () => {
      const s = await client(t, { deviceKey: deviceKey() });
      const reply = await call(s, "pickup:watch", {
        date: chainA.deliveryDate,
        dropPointId: c1.dropPoints[0]?.id ?? "",
      });
      expectAckError(reply, "unauthorized");
    });

    it("when the public reads a chain, then no session is needed (control)", async () => {
      const res = await t.http.get(`/api/chains/${chainB.id}`).expect(200);
      expect((res.body as ChainSnapshot).chain.id).toBe(chainB.id);
    });
  });

  // ---- grower on another grower's chain ----

  it("when grower A acts on grower B's chain, then every action is 403 forbidden and B's chain is unchanged", async () => {
    const before = await publicSnapshot(t, chainB.id);
    const staffBefore = await staffEntries(t, chainB.id, growerB.token);
    const a = bearer(c1.growerToken);
    const attempts = [
      t.http.patch(`/api/chains/${chainB.id}`).set(a).send({ title: "被A改了" }),
      t.http
        .patch(`/api/chains/${chainB.id}`)
        .set(a)
        .send({ items: [{ id: "i1", priceFen: 1 }] }),
      t.http.post(`/api/chains/${chainB.id}/close`).set(a),
      t.http.post(`/api/chains/${chainB.id}/cancel`).set(a),
      t.http.post(`/api/chains/${chainB.id}/deliver`).set(a),
      t.http.get(`/api/chains/${chainB.id}/harvest`).set(a),
      t.http.get(`/api/chains/${chainB.id}/load`).set(a),
      t.http.get(`/api/chains/${chainB.id}/entries`).set(a),
    ];
    for (const res of await Promise.all(attempts)) {
      expectHttpError(res, 403, "forbidden");
      expect(JSON.stringify(res.body)).not.toContain("13811112222");
    }
    const after = await publicSnapshot(t, chainB.id);
    expect(after).toEqual(before);
    expect(after.chain.title).toBe("周大哥的菜");
    expect(after.chain.status).toBe("open");
    expect(after.chain.items[0]?.priceFen).toBe(350);
    expect(await staffEntries(t, chainB.id, growerB.token)).toEqual(staffBefore);
  });

  it("when grower A lists the community's chains, then only A's own chains are listed", async () => {
    const res = await t.http
      .get(`/api/communities/${c1.communityId}/chains`)
      .set(bearer(c1.growerToken))
      .expect(200);
    const ids = (res.body as ChainView[]).map((c) => c.id);
    expect(ids).toContain(chainA.id);
    expect(ids).not.toContain(chainB.id);
  });

  // ---- grower on coordinator work ----

  it("when a grower does coordinator work, then it is 403 forbidden and the community is unchanged", async () => {
    const before = await communityState(t, c1);
    const g = bearer(c1.growerToken);
    const c = c1.communityId;
    const dp = c1.dropPoints[0]?.id ?? "";
    const date = chainA.deliveryDate;
    const attempts = {
      "invite a grower": t.http
        .post(`/api/communities/${c}/invites`)
        .set(g)
        .send({ role: "grower" }),
      "invite a coordinator": t.http
        .post(`/api/communities/${c}/invites`)
        .set(g)
        .send({ role: "coordinator" }),
      "add a drop point": t.http
        .post(`/api/communities/${c}/drop-points`)
        .set(g)
        .send({ name: "我家门口", window: { start: "07:00", end: "08:00" } }),
      "patch a drop point": t.http
        .patch(`/api/communities/${c}/drop-points/${dp}`)
        .set(g)
        .send({ active: false }),
      "patch the community": t.http
        .patch(`/api/communities/${c}`)
        .set(g)
        .send({ name: "李家社区" }),
      "read a pickup list": t.http
        .get(`/api/communities/${c}/days/${date}/drop-points/${dp}`)
        .set(g),
      "read the day overview": t.http.get(`/api/communities/${c}/days/${date}`).set(g),
    };
    for (const [what, req] of Object.entries(attempts)) {
      const res = await req;
      expect({ what, status: res.status, code: res.body?.error?.code }).toEqual({
        what,
        status: 403,
        code: "forbidden",
      });
      expect(res.body.error.message.length).toBeGreaterThan(0);
    }
    expect(await communityState(t, c1)).toEqual(before);

    // Over the socket too.
    const s = await client(t, { token: c1.growerToken });
    expectAckError(await call(s, "pickup:watch", { date, dropPointId: dp }), "forbidden");
  });

  // ---- coordinator of another community ----

  it("when the coordinator of community 1 reaches into community 2, then every route is 403 and community 2 is unchanged", async () => {
    const before = await communityState(t, c2);
    const chainBefore = await publicSnapshot(t, chain2.id);
    const k = bearer(c1.coordinatorToken);
    const c = c2.communityId;
    const dp = c2.dropPoints[0]?.id ?? "";
    const date = chain2.deliveryDate;
    const attempts = {
      "read community 2": t.http.get(`/api/communities/${c}`).set(k),
      "patch community 2": t.http.patch(`/api/communities/${c}`).set(k).send({ name: "被占了" }),
      "add a drop point": t.http
        .post(`/api/communities/${c}/drop-points`)
        .set(k)
        .send({ name: "外人点", window: { start: "07:00", end: "08:00" } }),
      "patch a drop point": t.http
        .patch(`/api/communities/${c}/drop-points/${dp}`)
        .set(k)
        .send({ name: "改名" }),
      "create an invite": t.http
        .post(`/api/communities/${c}/invites`)
        .set(k)
        .send({ role: "coordinator" }),
      "list chains": t.http.get(`/api/communities/${c}/chains`).set(k),
      "day overview": t.http.get(`/api/communities/${c}/days/${date}`).set(k),
      "pickup list": t.http.get(`/api/communities/${c}/days/${date}/drop-points/${dp}`).set(k),
      harvest: t.http.get(`/api/chains/${chain2.id}/harvest`).set(k),
      load: t.http.get(`/api/chains/${chain2.id}/load`).set(k),
      entries: t.http.get(`/api/chains/${chain2.id}/entries`).set(k),
      "patch the chain": t.http.patch(`/api/chains/${chain2.id}`).set(k).send({ title: "改了" }),
      "close the chain": t.http.post(`/api/chains/${chain2.id}/close`).set(k),
      "cancel the chain": t.http.post(`/api/chains/${chain2.id}/cancel`).set(k),
    };
    for (const [what, req] of Object.entries(attempts)) {
      const res = await req;
      expect({ what, status: res.status, code: res.body?.error?.code }).toEqual({
        what,
        status: 403,
        code: "forbidden",
      });
      expect(res.body.error.message.length).toBeGreaterThan(0);
      const wire = JSON.stringify(res.body);
      expect(wire).not.toContain("河东居民");
      expect(wire).not.toContain("13633334444");
    }
    expect(await communityState(t, c2)).toEqual(before);
    expect(await publicSnapshot(t, chain2.id)).toEqual(chainBefore);
  });

  it("when the coordinator of community 1 asks its own community for a community-2 drop point, then it is 404 with nothing of community 2", async () => {
    const dp = c2.dropPoints[0]?.id ?? "";
    const res = await t.http
      .get(`/api/communities/${c1.communityId}/days/${chain2.deliveryDate}/drop-points/${dp}`)
      .set(bearer(c1.coordinatorToken));
    expectHttpError(res, 404, "not_found");
    expect(JSON.stringify(res.body)).not.toContain("河东");
    const patch = await t.http
      .patch(`/api/communities/${c1.communityId}/drop-points/${dp}`)
      .set(bearer(c1.coordinatorToken))
      .send({ name: "偷来的点" });
    expectHttpError(patch, 404, "not_found");
    const community2 = (await communityState(t, c2)).community as {
      dropPoints: { name: string }[];
    };
    expect(community2.dropPoints.map((d) => d.name)).toEqual(["河东广场"]);
  });

  it("when the coordinator of community 1 watches a community-2 pickup list over the socket, then it gets an error and none of community 2's changes", async () => {
    const dp2 = c2.dropPoints[0]?.id ?? "";
    const date = chain2.deliveryDate;
    const spy = await client(t, { token: c1.coordinatorToken });
    const spied: PickupChange[] = [];
    spy.on("pickup:changed", (c) => spied.push(c));
    const reply = await call(spy, "pickup:watch", { date, dropPointId: dp2 });
    expectAckError(reply, "not_found");
    expect(JSON.stringify(reply)).not.toContain("河东");

    // The rightful coordinator watches the same list and sees a new entry arrive.
    const owner = await client(t, { token: c2.coordinatorToken });
    const own = ok(await call(owner, "pickup:watch", { date, dropPointId: dp2 })) as PickupList;
    expect(own.communityId).toBe(c2.communityId);
    const seen: PickupChange[] = [];
    owner.on("pickup:changed", (c) => seen.push(c));
    const resident = await client(t, { deviceKey: deviceKey() });
    ok(
      await call(
        resident,
        "entry:join",
        joinPayload(chain2, { name: "河东新人", phone: "13655556666" }),
      ),
    );
    await eventually(() => expect(seen.map((c) => c.entry.name)).toContain("河东新人"));
    // A round trip on the spy's socket after the change went out: anything sent to it before
    // would have arrived first (one socket keeps its order).
    await call(spy, "chain:unwatch", { chainId: chain2.id });
    expect(spied).toEqual([]);
  });

  // ---- residents and devices ----

  it("when a resident with another device key changes or cancels an entry, then it is forbidden and the entry is unchanged", async () => {
    const x = await client(t, { deviceKey: deviceKey() });
    const mine = ok(await call(x, "entry:join", joinPayload(chainA, { name: "甲" })));
    const no = mine.entry.no;
    const before = await publicSnapshot(t, chainA.id);

    const y = await client(t, { deviceKey: deviceKey() });
    expectAckError(
      await call(y, "entry:update", { requestId: requestId(), chainId: chainA.id, no, name: "乙" }),
      "forbidden",
    );
    expectAckError(
      await call(y, "entry:cancel", { requestId: requestId(), chainId: chainA.id, no }),
      "forbidden",
    );

    // No device key and no session: cannot order or touch anything.
    const nobody = await client(t, {});
    expectAckError(await call(nobody, "entry:join", joinPayload(chainA)), "unauthorized");
    expectAckError(
      await call(nobody, "entry:update", {
        requestId: requestId(),
        chainId: chainA.id,
        no,
        name: "丙",
      }),
      "unauthorized",
    );
    expectAckError(
      await call(nobody, "entry:cancel", { requestId: requestId(), chainId: chainA.id, no }),
      "unauthorized",
    );

    // A grower is not staff for entries: without a device key it cannot order, with one it is a resident.
    const grower = await client(t, { token: c1.growerToken });
    expectAckError(await call(grower, "entry:join", joinPayload(chainA)), "unauthorized");
    const growerWithKey = await client(t, { token: c1.growerToken, deviceKey: deviceKey() });
    expectAckError(
      await call(growerWithKey, "entry:cancel", { requestId: requestId(), chainId: chainA.id, no }),
      "forbidden",
    );

    const after = await publicSnapshot(t, chainA.id);
    expect(after).toEqual(before);
    expect(after.entries.find((e) => e.no === no)).toMatchObject({ name: "甲", status: "active" });
  });

  it("when a resident changes an entry a coordinator added, then it is forbidden", async () => {
    const staff = await client(t, { token: c1.coordinatorToken });
    const added = ok(await call(staff, "entry:join", joinPayload(chainA, { name: "代下单" })));
    const before = await publicSnapshot(t, chainA.id);
    const someone = await client(t, { deviceKey: deviceKey() });
    expectAckError(
      await call(someone, "entry:cancel", {
        requestId: requestId(),
        chainId: chainA.id,
        no: added.entry.no,
      }),
      "forbidden",
    );
    expect(await publicSnapshot(t, chainA.id)).toEqual(before);
  });

  it("when a coordinator changes and cancels a resident's entry, then it works and the entry is marked as staff", async () => {
    const x = await client(t, { deviceKey: deviceKey() });
    const mine = ok(await call(x, "entry:join", joinPayload(chainA, { name: "丁" })));
    const no = mine.entry.no;
    expect(mine.entry.byStaff).toBe(false);

    const staff = await client(t, { token: c1.coordinatorToken });
    const changed = ok(
      await call(staff, "entry:update", {
        requestId: requestId(),
        chainId: chainA.id,
        no,
        building: "9-909",
      }),
    );
    expect(changed.entry.building).toBe("9-909");
    let pub = (await publicSnapshot(t, chainA.id)).entries.find((e) => e.no === no);
    expect(pub).toMatchObject({ building: "9-909", byStaff: true, status: "active" });
    let staffView = (await staffEntries(t, chainA.id, c1.coordinatorToken)).find(
      (e) => e.no === no,
    );
    expect(staffView?.addedBy).toBeNull();
    expect(staffView?.changedBy).toEqual({
      userId: c1.coordinatorId,
      name: c1.coordinatorName,
      at: expect.any(Number),
    });

    ok(await call(staff, "entry:cancel", { requestId: requestId(), chainId: chainA.id, no }));
    pub = (await publicSnapshot(t, chainA.id)).entries.find((e) => e.no === no);
    expect(pub).toMatchObject({ status: "cancelled", byStaff: true });
    staffView = (await staffEntries(t, chainA.id, c1.growerToken)).find((e) => e.no === no);
    expect(staffView?.changedBy?.userId).toBe(c1.coordinatorId);
  });

  it("when the cutoff has passed, then a resident is refused and a coordinator still joins, changes and cancels on a resident's behalf", async () => {
    const cutoffAt = Date.now() + 2500;
    const late = await postChain(t, c1, {
      title: "马上截止",
      cutoffAt: new Date(cutoffAt).toISOString(),
    });
    const x = await client(t, { deviceKey: deviceKey() });
    const early = ok(await call(x, "entry:join", joinPayload(late, { name: "早到" })));
    // Closed by the sweep (a version of its own), not only shown closed past the cutoff: the
    // snapshot below must not change under the test.
    await eventually(async () => {
      expect(Date.now()).toBeGreaterThan(cutoffAt + 50);
      const chain = (await publicSnapshot(t, late.id)).chain;
      expect(chain.status).toBe("closed");
      expect(chain.version).toBeGreaterThan(early.version);
    }, 10_000);

    const before = await publicSnapshot(t, late.id);
    expectAckError(
      await call(x, "entry:join", joinPayload(late, { name: "迟到" })),
      "chain_closed",
    );
    expectAckError(
      await call(x, "entry:update", {
        requestId: requestId(),
        chainId: late.id,
        no: early.entry.no,
        name: "改晚了",
      }),
      "chain_closed",
    );
    expect(await publicSnapshot(t, late.id)).toEqual(before);

    const staff = await client(t, { token: c1.coordinatorToken });
    const added = ok(
      await call(
        staff,
        "entry:join",
        joinPayload(late, { name: "电话下单", phone: "13900001111" }),
      ),
    );
    expect(added.entry.byStaff).toBe(true);
    const pub = (await publicSnapshot(t, late.id)).entries.find((e) => e.no === added.entry.no);
    expect(pub).toMatchObject({ name: "电话下单", byStaff: true, status: "active" });
    for (const token of [c1.coordinatorToken, c1.growerToken]) {
      const view = (await staffEntries(t, late.id, token)).find((e) => e.no === added.entry.no);
      expect(view?.addedBy).toEqual({
        userId: c1.coordinatorId,
        name: c1.coordinatorName,
        at: expect.any(Number),
      });
      expect(view?.addedBy?.at).toBeGreaterThanOrEqual(cutoffAt);
    }
    ok(
      await call(staff, "entry:update", {
        requestId: requestId(),
        chainId: late.id,
        no: early.entry.no,
        name: "帮改",
      }),
    );
    ok(
      await call(staff, "entry:cancel", {
        requestId: requestId(),
        chainId: late.id,
        no: early.entry.no,
      }),
    );
    const final = (await publicSnapshot(t, late.id)).entries.find((e) => e.no === early.entry.no);
    expect(final).toMatchObject({ name: "帮改", status: "cancelled", byStaff: true });
  });

  it("when a coordinator of another community writes entries, then it is treated as a plain resident", async () => {
    const x = await client(t, { deviceKey: deviceKey() });
    const victim = ok(await call(x, "entry:join", joinPayload(chainA, { name: "戊" })));
    const before = await publicSnapshot(t, chainA.id);

    const outsider = await client(t, { token: c2.coordinatorToken });
    expectAckError(await call(outsider, "entry:join", joinPayload(chainA)), "unauthorized");
    expectAckError(
      await call(outsider, "entry:update", {
        requestId: requestId(),
        chainId: chainA.id,
        no: victim.entry.no,
        name: "外人改",
      }),
      "unauthorized",
    );
    expect(await publicSnapshot(t, chainA.id)).toEqual(before);

    const outsiderWithKey = await client(t, { token: c2.coordinatorToken, deviceKey: deviceKey() });
    expectAckError(
      await call(outsiderWithKey, "entry:update", {
        requestId: requestId(),
        chainId: chainA.id,
        no: victim.entry.no,
        name: "外人改",
      }),
      "forbidden",
    );
    expectAckError(
      await call(outsiderWithKey, "entry:cancel", {
        requestId: requestId(),
        chainId: chainA.id,
        no: victim.entry.no,
      }),
      "forbidden",
    );
    expect(await publicSnapshot(t, chainA.id)).toEqual(before);

    // With its own device key it may order like anyone, but not as staff.
    const own = ok(
      await call(outsiderWithKey, "entry:join", joinPayload(chainA, { name: "外人" })),
    );
    expect(own.entry.byStaff).toBe(false);
    const view = (await staffEntries(t, chainA.id, c1.coordinatorToken)).find(
      (e) => e.no === own.entry.no,
    );
    expect(view?.addedBy).toBeNull();
    expect(view?.changedBy).toBeNull();
  });

  // ---- invites, setup, sessions ----

  it("when an invite is accepted twice, then the second time is 404 and no second user is made", async () => {
    const inv = await t.http
      .post(`/api/communities/${c1.communityId}/invites`)
      .set(bearer(c1.coordinatorToken))
      .send({ role: "grower" })
      .expect(201);
    const first = await t.http
      .post("/api/invites/accept")
      .send({ token: inv.body.token, name: "第一位" });
    expect(first.status).toBe(201);
    expect((first.body as SessionView).user.role).toBe("grower");
    const second = await t.http
      .post("/api/invites/accept")
      .send({ token: inv.body.token, name: "第二位" });
    expectHttpError(second, 404, "not_found");
    expect(second.headers["set-cookie"]).toBeUndefined();
  });

  it("when the setup link is used again, then it is refused with 409 setup_done", async () => {
    const again = await t.http.post("/api/setup").send({
      token: c1.setupToken,
      community: { name: "第二个社区" },
      coordinator: { name: "冒充者" },
    });
    expectHttpError(again, 409, "setup_done");
    const guessed = await t.http.post("/api/setup").send({
      token: randomToken(),
      community: { name: "第二个社区" },
      coordinator: { name: "冒充者" },
    });
    expectHttpError(guessed, 409, "setup_done");
    expect(await ensureSetupLink(t.app.ctx)).toBeNull();
    const me = await t.http.get("/api/me").set(bearer(c1.coordinatorToken)).expect(200);
    expect((me.body as SessionView).community.name).toBe("文兴社区");
  });

  it("when a session comes from the httpOnly cookie, then it works until logout and not after", async () => {
    const inv = await t.http
      .post(`/api/communities/${c1.communityId}/invites`)
      .set(bearer(c1.coordinatorToken))
      .send({ role: "grower" })
      .expect(201);
    const accepted = await t.http
      .post("/api/invites/accept")
      .send({ token: inv.body.token, name: "饼干" })
      .expect(201);
    const setCookie = ([] as string[]).concat(accepted.headers["set-cookie"] ?? []);
    const sessionCookie = setCookie.find((c) => c.startsWith("jl_session="));
    expect(sessionCookie).toBeDefined();
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie).toMatch(/Path=\//);
    const cookie = (sessionCookie ?? "").split(";")[0] ?? "";
    expect(cookie.slice("jl_session=".length)).toBe((accepted.body as SessionView).token);

    const me = await t.http.get("/api/me").set("Cookie", cookie).expect(200);
    expect((me.body as SessionView).user.name).toBe("饼干");
    expect((me.body as SessionView).token).toBeUndefined();
    const posted = await t.http
      .post("/api/chains")
      .set("Cookie", cookie)
      .send({
        title: "饼干的菜",
        // An explicit cutoff: the default (20:00 the evening before) has passed in the evening.
        cutoffAt: inMinutes(60),
        dropPointIds: [c1.dropPoints[0]?.id],
        items: [{ name: "萝卜", unit: "斤", priceFen: 150 }],
      });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);

    // As the web app sends it: a cookie-authenticated write is JSON (see origins.test.ts).
    const out = await t.http.post("/api/logout").set("Cookie", cookie).send({}).expect(204);
    const cleared = ([] as string[]).concat(out.headers["set-cookie"] ?? []);
    expect(
      cleared.some((c) => /^jl_session=;/.test(c) && /Expires=Thu, 01 Jan 1970/i.test(c)),
    ).toBe(true);
    expectHttpError(await t.http.get("/api/me").set("Cookie", cookie), 401, "unauthorized");
    expectHttpError(
      await t.http.get(`/api/chains/${posted.body.id}/harvest`).set("Cookie", cookie),
      401,
      "unauthorized",
    );
  });

  it("when a session comes from the socket handshake, then it works (auth token or cookie header) until logout", async () => {
    const coord = await invite(t, c1.communityId, c1.coordinatorToken, "coordinator", "钱会计");
    const dp = c1.dropPoints[0]?.id ?? "";
    const date = chainA.deliveryDate;

    const byToken = await client(t, { token: coord.token });
    const list = ok(await call(byToken, "pickup:watch", { date, dropPointId: dp })) as PickupList;
    expect(list.communityId).toBe(c1.communityId);
    // As staff it can order without a device key.
    const staffJoin = ok(await call(byToken, "entry:join", joinPayload(chainA, { name: "代订" })));
    expect(staffJoin.entry.byStaff).toBe(true);

    const byCookie = await connected(
      rawSocket(t, { extraHeaders: { cookie: `jl_session=${coord.token}` } }),
    );
    ok(await call(byCookie, "pickup:watch", { date, dropPointId: dp }));
    byCookie.disconnect();

    const droppedByServer = new Promise<string>((resolve) =>
      byToken.once("disconnect", (r) => resolve(r)),
    );
    await t.http.post("/api/logout").set(bearer(coord.token)).expect(204);
    // A socket that connected before the logout is disconnected at once: no more staff rights.
    expect(await droppedByServer).toBe("io server disconnect");
    expectHttpError(await t.http.get("/api/me").set(bearer(coord.token)), 401, "unauthorized");
    expectHttpError(
      await t.http.get(`/api/communities/${c1.communityId}`).set(bearer(coord.token)),
      401,
      "unauthorized",
    );

    const afterToken = await client(t, { token: coord.token });
    expectAckError(
      await call(afterToken, "pickup:watch", { date, dropPointId: dp }),
      "unauthorized",
    );
    expectAckError(await call(afterToken, "entry:join", joinPayload(chainA)), "unauthorized");
    const afterCookie = await connected(
      rawSocket(t, { extraHeaders: { cookie: `jl_session=${coord.token}` } }),
    );
    expectAckError(
      await call(afterCookie, "pickup:watch", { date, dropPointId: dp }),
      "unauthorized",
    );
    afterCookie.disconnect();
  });

  it("when the socket handshake carries a malformed token, then the connection is refused", async () => {
    const s = rawSocket(t, { auth: { token: "not a token!" } });
    const err = await new Promise<Error>((resolve, reject) => {
      s.once("connect", () => reject(new Error("connected with a malformed token")));
      s.once("connect_error", resolve);
    });
    expect(err.message).toBe("invalid handshake auth");
    s.disconnect();
  });

  // ---- phone numbers ----

  it("when a resident gives a phone number, then only the resident, the coordinator and the chain's grower ever see it", async () => {
    const phone = "13912345678";
    const newPhone = "13798765432";
    const watcher = await client(t, { deviceKey: deviceKey() });
    const seen = record(watcher);
    const start = ok(await call(watcher, "chain:watch", { chainId: chainA.id }));
    if (start.kind !== "snapshot") throw new Error("expected a snapshot");
    const fromVersion = start.snapshot.version;
    const coordWatcher = await client(t, { token: c1.coordinatorToken });
    const coordSeen = record(coordWatcher);
    ok(await call(coordWatcher, "chain:watch", { chainId: chainA.id }));

    const x = await client(t, { deviceKey: deviceKey() });
    const joined = ok(await call(x, "entry:join", joinPayload(chainA, { name: "有电话", phone })));
    expect(joined.entry.phone).toBe(phone);
    ok(
      await call(x, "entry:update", {
        requestId: requestId(),
        chainId: chainA.id,
        no: joined.entry.no,
        phone: newPhone,
      }),
    );
    const no = joined.entry.no;
    const hasEntry = (events: ChainEvent[], type: string) =>
      events.some((e) => e.type === type && "entry" in e && e.entry.no === no);
    await eventually(() => {
      expect(hasEntry(seen, "entry:created")).toBe(true);
      expect(hasEntry(seen, "entry:updated")).toBe(true);
      expect(hasEntry(coordSeen, "entry:updated")).toBe(true);
    });

    // Public: broadcasts (to residents and even to a coordinator's watch), the REST snapshot,
    // a fresh socket snapshot and the catch-up events.
    for (const wire of [
      JSON.stringify(seen),
      JSON.stringify(coordSeen),
      (await t.http.get(`/api/chains/${chainA.id}`).expect(200)).text,
      JSON.stringify(await call(watcher, "chain:watch", { chainId: chainA.id })),
      JSON.stringify(
        await call(watcher, "chain:watch", { chainId: chainA.id, sinceVersion: fromVersion }),
      ),
    ]) {
      expect(wire).toContain("有电话");
      expect(wire).not.toContain(phone);
      expect(wire).not.toContain(newPhone);
    }
    const listed = await t.http
      .get(`/api/communities/${c1.communityId}/chains`)
      .set(bearer(c1.coordinatorToken))
      .expect(200);
    expect(listed.text).not.toContain(phone);
    expect(listed.text).not.toContain(newPhone);

    // The resident's own device sees it.
    const own = ok(await call(x, "chain:watch", { chainId: chainA.id }));
    if (own.kind !== "snapshot") throw new Error("expected a snapshot");
    expect(own.snapshot.mine.find((e) => e.no === no)?.phone).toBe(newPhone);

    // Staff: the coordinator and the chain's grower; not another grower.
    for (const token of [c1.coordinatorToken, c1.growerToken]) {
      const entry = (await staffEntries(t, chainA.id, token)).find((e) => e.no === no);
      expect(entry?.phone).toBe(newPhone);
    }
    const other = await t.http.get(`/api/chains/${chainA.id}/entries`).set(bearer(growerB.token));
    expectHttpError(other, 403, "forbidden");
    expect(other.text).not.toContain(newPhone);
  });
});
