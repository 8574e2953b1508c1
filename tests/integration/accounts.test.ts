/**
 * Accounts a coordinator can trust: who is signed in where, signing a person out everywhere,
 * removing a person, open invites and revoking them, who may invite or sign in as coordinators,
 * and live pickup lists that stop at once for a session that ended or expired.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../server/crypto.js";
import { ensureSetupLink } from "../../server/domain/people.js";
import { type ManagedRedis, startRedisServer, tempRedisDir } from "../../server/redis-process.js";
import type {
  ChainSnapshot,
  InviteView,
  OpenInviteView,
  PickupChange,
  SessionEntryView,
  SessionView,
  SetupStatus,
  UserView,
} from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  client,
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
} from "../helpers/app.js";

interface Reply {
  status: number;
  body: { error?: { code?: string } };
}

const expectError = (res: Reply, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error?.code).toBe(code);
};

/** Resolves with the reason when the server drops the socket. */
const dropped = (s: Client) => new Promise<string>((resolve) => s.once("disconnect", resolve));

describe("accounts a coordinator can trust", () => {
  let t: TestApp;
  let w: World;
  /** A second coordinator, invited by the owner (a volunteer). */
  let volunteer: SessionView & { token: string };
  const owner = () => bearer(w.coordinatorToken);
  const base = () => `/api/communities/${w.communityId}`;

  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
    volunteer = await invite(t, w.communityId, w.coordinatorToken, "coordinator", "志愿者小赵");
  });
  afterAll(() => t.close());

  async function signInLink(userId: string, token = w.coordinatorToken): Promise<string> {
    const res = await t.http
      .post(`${base()}/invites`)
      .set(bearer(token))
      .send({ userId })
      .expect(201);
    return (res.body as InviteView).token;
  }

  async function signInAs(userId: string, userAgent: string): Promise<string> {
    const token = await signInLink(userId);
    const res = await t.http
      .post("/api/invites/accept")
      .set("User-Agent", userAgent)
      .send({ token })
      .expect(201);
    return (res.body as SessionView).token ?? "";
  }

  const sessions = async (token = w.coordinatorToken) =>
    (await t.http.get(`${base()}/sessions`).set(bearer(token)).expect(200))
      .body as SessionEntryView[];

  it("when a coordinator lists sessions, then each person's devices show (created, last seen, user agent) and never a token", async () => {
    const grower = await invite(t, w.communityId, w.coordinatorToken, "grower", "陈师傅");
    const phoneToken = await signInAs(grower.user.id, "Mozilla/5.0 (iPhone) chen-phone");
    await t.http.get("/api/me").set(bearer(phoneToken)).expect(200);

    // "Last seen" is written after the answer: wait for it.
    const res = await eventually(async () => {
      const r = await t.http.get(`${base()}/sessions`).set(owner()).expect(200);
      const seen = (r.body as SessionEntryView[]).find((s) => s.userAgent?.includes("chen-phone"));
      expect(seen?.lastSeenAt).not.toBeNull();
      return r;
    });
    const list = res.body as SessionEntryView[];
    const his = list.filter((s) => s.userId === grower.user.id);
    expect(his).toHaveLength(2);
    expect(his.map((s) => s.userName)).toEqual(["陈师傅", "陈师傅"]);
    const phone = his.find((s) => s.userAgent?.includes("chen-phone"));
    expect(phone?.createdAt).toBeGreaterThan(0);
    expect(phone?.lastSeenAt).toBeGreaterThanOrEqual(phone?.createdAt ?? 0);
    expect(list.filter((s) => s.current).map((s) => s.userId)).toEqual([
      (await t.http.get("/api/me").set(owner())).body.user.id,
    ]);
    for (const token of [phoneToken, grower.token, w.coordinatorToken]) {
      expect(res.text).not.toContain(token);
      expect(res.text).not.toContain(sha256(token));
    }
    // Growers don't see it.
    expectError(
      await t.http.get(`${base()}/sessions`).set(bearer(w.growerToken)),
      403,
      "forbidden",
    );
  });

  it("when a coordinator signs a grower out everywhere, then every session of theirs stops and their live socket drops at once", async () => {
    const grower = await invite(t, w.communityId, w.coordinatorToken, "grower", "周大哥");
    const second = await signInAs(grower.user.id, "second phone");
    const live = await client(t, { token: second });
    const gone = dropped(live);

    const res = await t.http
      .post(`${base()}/users/${grower.user.id}/sign-out`)
      .set(owner())
      .send({})
      .expect(200);
    expect(res.body).toEqual({ ended: 2 });
    expect(await gone).toBe("io server disconnect");
    for (const token of [grower.token, second]) {
      expectError(await t.http.get("/api/me").set(bearer(token)), 401, "unauthorized");
    }
    expect((await sessions()).filter((s) => s.userId === grower.user.id)).toEqual([]);
    // They can still be given a new sign-in link.
    const back = await signInAs(grower.user.id, "new phone");
    await t.http.get("/api/me").set(bearer(back)).expect(200);
  });

  it("when a coordinator watching a pickup list is signed out everywhere, then no further pickup:changed reaches them", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0]?.id ?? "";
    const watch = { date: chain.deliveryDate, dropPointId: dp };
    const helper = await invite(t, w.communityId, w.coordinatorToken, "coordinator", "志愿者小钱");
    const watcher = await client(t, { token: helper.token });
    const control = await client(t, { token: w.coordinatorToken });
    const seen: PickupChange[] = [];
    const controlSeen: PickupChange[] = [];
    watcher.on("pickup:changed", (c) => seen.push(c));
    control.on("pickup:changed", (c) => controlSeen.push(c));
    ok(await call(watcher, "pickup:watch", watch));
    ok(await call(control, "pickup:watch", watch));
    const join = async (name: string) =>
      ok(
        await call(await client(t), "entry:join", {
          requestId: requestId(),
          chainId: chain.id,
          dropPointId: dp,
          name,
          building: "3-201",
          lines: [{ itemId: "i1", qty: 1 }],
        }),
      );
    await join("张阿姨");
    await eventually(() => expect(seen).toHaveLength(1));

    const gone = dropped(watcher);
    await t.http
      .post(`${base()}/users/${helper.user.id}/sign-out`)
      .set(owner())
      .send({})
      .expect(200);
    expect(await gone).toBe("io server disconnect");
    await join("李奶奶");
    await eventually(() => expect(controlSeen.map((c) => c.entry.name)).toContain("李奶奶"));
    expect(seen.map((c) => c.entry.name)).toEqual(["张阿姨"]);
  });

  it("when the session of a coordinator watching a pickup list expires, then no further pickup:changed reaches them and they are disconnected", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[1]?.id ?? "";
    const watch = { date: chain.deliveryDate, dropPointId: dp };
    const helper = await invite(t, w.communityId, w.coordinatorToken, "coordinator", "志愿者小孙");
    const watcher = await client(t, { token: helper.token });
    const control = await client(t, { token: w.coordinatorToken });
    const seen: PickupChange[] = [];
    const controlSeen: PickupChange[] = [];
    watcher.on("pickup:changed", (c) => seen.push(c));
    control.on("pickup:changed", (c) => controlSeen.push(c));
    ok(await call(watcher, "pickup:watch", watch));
    ok(await call(control, "pickup:watch", watch));
    const gone = dropped(watcher);

    // The session's key reaches its end of life in Redis (no sign-out message is sent).
    const key = t.app.ctx.keys.session(sha256(helper.token));
    expect(await t.redis.pexpire(key, 1)).toBe(1);
    await eventually(async () => expect(await t.redis.exists(key)).toBe(0));

    const resident = await client(t);
    ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: dp,
        name: "王大爷",
        building: "7-302",
        lines: [{ itemId: "i2", qty: 1 }],
      }),
    );
    await eventually(() => expect(controlSeen.map((c) => c.entry.name)).toEqual(["王大爷"]));
    expect(await gone).toBe("io server disconnect");
    expect(seen).toEqual([]);
  });

  it("when a coordinator removes a grower, then they can't sign in, their sessions and links end, and their open chain stays, marked", async () => {
    const grower = await invite(t, w.communityId, w.coordinatorToken, "grower", "老刘");
    const chain = await postChain(t, w, {}, grower.token);
    const pendingLink = await signInLink(grower.user.id);
    const live = await client(t, { token: grower.token });
    const gone = dropped(live);

    const res = await t.http.delete(`${base()}/users/${grower.user.id}`).set(owner()).send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body as UserView).removed).toBe(true);
    expect(await gone).toBe("io server disconnect");
    expectError(await t.http.get("/api/me").set(bearer(grower.token)), 401, "unauthorized");
    // The link made before is revoked, and no new one can be made.
    expectError(
      await t.http.post("/api/invites/accept").send({ token: pendingLink }),
      404,
      "not_found",
    );
    expectError(
      await t.http.post(`${base()}/invites`).set(owner()).send({ userId: grower.user.id }),
      403,
      "forbidden",
    );
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.chain.status).toBe("open");
    expect(snap.chain.grower).toMatchObject({ id: grower.user.id, name: "老刘", removed: true });
    const users = (await t.http.get(`${base()}/users`).set(owner()).expect(200)).body as UserView[];
    expect(users.find((u) => u.id === grower.user.id)?.removed).toBe(true);
    // Coordinators still manage the chain.
    await t.http.post(`/api/chains/${chain.id}/close`).set(owner()).expect(200);
  });

  it("when a sign-in link of a person is accepted after they were removed, then it is refused", async () => {
    const grower = await invite(t, w.communityId, w.coordinatorToken, "grower", "小马");
    // A link that escaped the revocation (made before invites were listed): the user check holds.
    const token = await signInLink(grower.user.id);
    await t.redis.del(t.app.ctx.keys.community(w.communityId).invites);
    await t.http.delete(`${base()}/users/${grower.user.id}`).set(owner()).send({}).expect(200);
    expectError(await t.http.post("/api/invites/accept").send({ token }), 403, "forbidden");
  });

  it("only the owner invites coordinators, gives a coordinator a sign-in link, or removes one; nobody removes the owner", async () => {
    const ownerId = ((await t.http.get("/api/me").set(owner())).body as SessionView).user.id;
    const v = bearer(volunteer.token);
    expectError(
      await t.http.post(`${base()}/invites`).set(v).send({ role: "coordinator" }),
      403,
      "forbidden",
    );
    for (const userId of [ownerId]) {
      expectError(await t.http.post(`${base()}/invites`).set(v).send({ userId }), 403, "forbidden");
    }
    const other = await invite(t, w.communityId, w.coordinatorToken, "coordinator", "志愿者小李");
    expectError(
      await t.http.post(`${base()}/invites`).set(v).send({ userId: other.user.id }),
      403,
      "forbidden",
    );
    expectError(
      await t.http.delete(`${base()}/users/${other.user.id}`).set(v).send({}),
      403,
      "forbidden",
    );
    expectError(
      await t.http.post(`${base()}/users/${other.user.id}/sign-out`).set(v).send({}),
      403,
      "forbidden",
    );
    expectError(
      await t.http.delete(`${base()}/users/${ownerId}`).set(v).send({}),
      403,
      "forbidden",
    );
    expectError(
      await t.http.delete(`${base()}/users/${ownerId}`).set(owner()).send({}),
      403,
      "forbidden",
    );
    await t.http.get("/api/me").set(bearer(other.token)).expect(200);

    // A coordinator still invites growers and gives growers sign-in links.
    const g = (await t.http.post(`${base()}/invites`).set(v).send({ role: "grower" }).expect(201))
      .body as InviteView;
    expect(g.role).toBe("grower");
    await t.http.post(`${base()}/invites`).set(v).send({ userId: w.growerId }).expect(201);
    // The owner does all of it.
    await t.http.post(`${base()}/invites`).set(owner()).send({ userId: other.user.id }).expect(201);
    const removed = await t.http.delete(`${base()}/users/${other.user.id}`).set(owner()).send({});
    expect(removed.status).toBe(200);
    expectError(await t.http.get("/api/me").set(bearer(other.token)), 401, "unauthorized");
    const users = (await t.http.get(`${base()}/users`).set(owner()).expect(200)).body as UserView[];
    expect(users.filter((u) => u.owner).map((u) => u.id)).toEqual([ownerId]);
  });

  it("when a coordinator lists open invites and revokes one, then it no longer works and the rest do", async () => {
    const make = async (body: object) =>
      (await t.http.post(`${base()}/invites`).set(owner()).send(body).expect(201))
        .body as InviteView;
    const before = (await t.http.get(`${base()}/invites`).set(owner()).expect(200))
      .body as OpenInviteView[];
    const a = await make({ role: "grower" });
    const b = await make({ userId: w.growerId });
    const res = await t.http.get(`${base()}/invites`).set(owner()).expect(200);
    const open = res.body as OpenInviteView[];
    expect(open.length).toBe(before.length + 2);
    expect(open.find((i) => i.id === b.id)).toMatchObject({
      role: "grower",
      userId: w.growerId,
      userName: "李大姐",
      createdBy: { name: "王主任" },
    });
    expect(res.text).not.toContain(a.token);
    expect(res.text).not.toContain(sha256(a.token));

    await t.http.delete(`${base()}/invites/${a.id}`).set(owner()).send({}).expect(204);
    expectError(
      await t.http.post("/api/invites/accept").send({ token: a.token, name: "不该进来" }),
      404,
      "not_found",
    );
    expectError(
      await t.http.delete(`${base()}/invites/${a.id}`).set(owner()).send({}),
      404,
      "not_found",
    );
    await t.http.post("/api/invites/accept").send({ token: b.token }).expect(201);
    const after = (await t.http.get(`${base()}/invites`).set(owner()).expect(200))
      .body as OpenInviteView[];
    expect(after.map((i) => i.id)).not.toContain(a.id);
    expect(after.map((i) => i.id)).not.toContain(b.id);
    expectError(await t.http.get(`${base()}/invites`).set(bearer(w.growerToken)), 403, "forbidden");
  });

  it("when a resident sends entry:join with an import line's computed request id, then the import still creates that line", async () => {
    const chain = await postChain(t, w);
    const line = "1. 王阿姨 9-901 黄瓜2斤";
    const resident = await client(t);
    // The id the import used to give this line: anyone could compute it.
    const oldId = `imp-${sha256(`${chain.id}\n${line}\n0`).slice(0, 40)}`;
    ok(
      await call(resident, "entry:join", {
        requestId: oldId,
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "抢先的人",
        building: "1-101",
        lines: [{ itemId: "i1", qty: 5 }],
      }),
    );
    // The new namespace can't be sent by a client at all.
    const squat = await call(resident, "entry:join", {
      requestId: `imp:${sha256(`${chain.id}\n${line}\n0`).slice(0, 40)}`,
      chainId: chain.id,
      dropPointId: w.dropPoints[0]?.id ?? "",
      name: "抢先的人",
      building: "1-101",
      lines: [{ itemId: "i1", qty: 5 }],
    });
    expect(errorCode(squat)).toBe("validation_failed");

    const res = await t.http
      .post(`/api/chains/${chain.id}/import`)
      .set(owner())
      .send({
        dropPointId: w.dropPoints[0]?.id,
        entries: [
          { raw: line, name: "王阿姨", building: "9-901", lines: [{ itemId: "i2", qty: 2 }] },
        ],
      })
      .expect(200);
    expect(res.body).toMatchObject({ created: 1, already: 0 });
    expect(res.body.results[0]).toMatchObject({
      status: "created",
      entry: { name: "王阿姨", building: "9-901", imported: true },
    });
    // Importing the same text again still makes nothing new.
    const again = await t.http
      .post(`/api/chains/${chain.id}/import`)
      .set(owner())
      .send({
        dropPointId: w.dropPoints[0]?.id,
        entries: [
          { raw: line, name: "王阿姨", building: "9-901", lines: [{ itemId: "i2", qty: 2 }] },
        ],
      })
      .expect(200);
    expect(again.body).toMatchObject({ created: 0, already: 1 });
  });
});

describe("the setup link", () => {
  const apps: TestApp[] = [];
  const servers: ManagedRedis[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const app = async (opts: Parameters<typeof startTestApp>[0] = {}) => {
    const t = await startTestApp(opts);
    apps.push(t);
    return t;
  };
  const link = async (t: TestApp) =>
    new URL((await ensureSetupLink(t.app.ctx)) ?? "").searchParams.get("token") ?? "";
  const body = (token: string) => ({
    token,
    community: { name: "文兴社区" },
    coordinator: { name: "王主任" },
  });
  const status = async (t: TestApp, token: string) =>
    ((await t.http.get(`/api/setup?token=${token}`).expect(200)).body as SetupStatus).status;

  it("when the link is older than SETUP_TOKEN_TTL_HOURS, then it no longer works; the page tells open, expired and done apart", async () => {
    const t = await app({ env: { SETUP_TOKEN_TTL_HOURS: "2" } });
    const token = await link(t);
    const ttl = await t.redis.pttl(t.app.ctx.keys.setup);
    expect(ttl).toBeGreaterThan(3_600_000);
    expect(ttl).toBeLessThanOrEqual(2 * 3_600_000);
    expect(await status(t, token)).toBe("open");

    await t.redis.pexpire(t.app.ctx.keys.setup, 1);
    await eventually(async () => expect(await t.redis.exists(t.app.ctx.keys.setup)).toBe(0));
    expect(await status(t, token)).toBe("invalid");
    const refused = await t.http.post("/api/setup").send(body(token));
    expectError(refused, 403, "forbidden");
    expect(JSON.stringify(refused.body)).toContain("npm run setup-link");

    const fresh = await link(t);
    await t.http.post("/api/setup").send(body(fresh)).expect(201);
    // A used link opened again: the page says it is done (and offers to sign in).
    expect(await status(t, fresh)).toBe("done");
    expectError(await t.http.post("/api/setup").send(body(fresh)), 409, "setup_done");
  });

  it("when setup fails half-way because Redis refuses writes, then the same link still works afterwards", async () => {
    // Its own redis-server: running out of memory must not touch the other tests.
    const dir = tempRedisDir("setup-oom");
    dirs.push(dir);
    const redis = await startRedisServer({ dir, appendonly: false });
    servers.push(redis);
    const t = await app({ redisUrl: redis.url });
    const token = await link(t);

    // Reads still work, every write is refused (OOM): the token check passes, the setup can't.
    await t.redis.config("SET", "maxmemory", "1");
    const failed = await t.http.post("/api/setup").send(body(token));
    expect(failed.status).toBeGreaterThanOrEqual(500);
    await t.redis.config("SET", "maxmemory", "0");

    expect(await status(t, token)).toBe("open");
    const done = await t.http.post("/api/setup").send(body(token));
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect((done.body as SessionView).user).toMatchObject({ name: "王主任", owner: true });
  });

  it("when two setups run at once with the link, then exactly one community is made", async () => {
    const t = await app();
    const token = await link(t);
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.http.post("/api/setup").send({ ...body(token), community: { name: `社区${i}` } }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of replies.filter((r) => r.status === 409)) {
      expect(r.body.error.code).toBe("setup_done");
    }
    expect(await t.redis.scard(t.app.ctx.keys.communities)).toBe(1);
  });
});
