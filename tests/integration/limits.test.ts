/**
 * Throttling and caps (docs/api.md "Limits"): socket commands per socket, device key and address,
 * HTTP writes per address, token guessing per address, sockets per address, and a socket that
 * keeps sending after being refused. Limits are set low through the environment so that counts,
 * not timings, show them; TRUST_PROXY=1 lets X-Forwarded-For stand for many addresses.
 */
import { rmSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { randomToken } from "../../server/crypto.js";
import { type ManagedRedis, startRedisServer, tempRedisDir } from "../../server/redis-process.js";
import { connectRedis, waitReady } from "../../server/store/redis.js";
import type { Ack } from "../../shared/errors.js";
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
} from "../helpers/app.js";

const from = (ip: string) => ({ "X-Forwarded-For": ip });

/** Send n commands at once without waiting between them; resolves with every ack. */
function flood(socket: Client, n: number, payload: (i: number) => Parameters<typeof call>[2]) {
  return Promise.all(
    Array.from({ length: n }, (_, i) => call(socket, "entry:join", payload(i) as never)),
  ) as Promise<Ack<unknown>[]>;
}

function joinPayload(chainId: string, w: World, itemId: string) {
  return (i: number) => ({
    requestId: requestId(),
    chainId,
    dropPointId: w.dropPoints[0]?.id ?? "",
    name: `住户${i}`,
    building: `3-${100 + i}`,
    lines: [{ itemId, qty: 1 }],
  });
}

function throttled(replies: Ack<unknown>[]) {
  const refused = replies.filter((r) => !r.ok && r.error.code === "rate_limited");
  for (const r of refused) {
    if (r.ok) continue;
    const details = r.error.details as { retryAfterMs: number };
    expect(details.retryAfterMs).toBeGreaterThan(0);
  }
  return { ok: replies.filter((r) => r.ok).length, refused: refused.length };
}

const apps: TestApp[] = [];
async function app(env: Record<string, string>): Promise<TestApp> {
  const t = await startTestApp({ env: { TRUST_PROXY: "1", ...env } });
  apps.push(t);
  return t;
}
afterEach(async () => {
  for (const t of apps.splice(0)) await t.close();
});

describe("socket commands", () => {
  /** A tight socket limit, a chain, and two sockets from one address: one to flood, one calm. */
  async function abuserBesideCalm(ip: string) {
    const t = await app({ RATE_SOCKET_COMMANDS: "10/600s", RATE_SOCKET_THROTTLED: "20/600s" });
    const chain = await postChain(t, await makeWorld(t));
    const abuser = await client(t, { deviceKey: deviceKey() }, from(ip));
    const calm = await client(t, { deviceKey: deviceKey() }, from(ip));
    return { t, chain, abuser, calm };
  }

  it("when one socket floods entry:join, then it gets rate_limited with retryAfterMs past its limit, and a resident on another device is not affected", async () => {
    const t = await app({ RATE_SOCKET_COMMANDS: "20/600s", RATE_SOCKET_THROTTLED: "1000/600s" });
    const w = await makeWorld(t);
    const chain = await postChain(t, w);
    const item = chain.items[1]?.id ?? "";
    const flooder = await client(t, { deviceKey: deviceKey() });
    const neighbour = await client(t, { deviceKey: deviceKey() });

    const counts = throttled(await flood(flooder, 200, joinPayload(chain.id, w, item)));
    expect(counts.ok).toBe(20);
    expect(counts.refused).toBe(180);
    ok(await call(neighbour, "entry:join", joinPayload(chain.id, w, item)(999)));

    const entries = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body.entries;
    expect(entries).toHaveLength(21);
  });

  it("when one device key floods over many sockets and addresses, then the device limit holds across them", async () => {
    // The cap on a device's entries (20) is not what this test is about.
    const t = await app({
      RATE_DEVICE_COMMANDS: "30/600s",
      RATE_SOCKET_THROTTLED: "1000/600s",
      MAX_ENTRIES_PER_DEVICE: "0",
    });
    const w = await makeWorld(t);
    const chain = await postChain(t, w);
    const key = deviceKey();
    const sockets = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => client(t, { deviceKey: key }, from(`10.0.1.${i}`))),
    );
    const replies = (
      await Promise.all(
        sockets.map((s) => flood(s, 20, joinPayload(chain.id, w, chain.items[1]?.id ?? ""))),
      )
    ).flat();
    expect(throttled(replies)).toEqual({ ok: 30, refused: 70 });
    const other = await client(t, { deviceKey: deviceKey() }, from("10.0.1.1"));
    ok(await call(other, "chain:watch", { chainId: chain.id }));
  });

  it("when many device keys flood from one address, then the address limit holds, and another address is not affected", async () => {
    const t = await app({ RATE_IP_COMMANDS: "50/600s", RATE_SOCKET_THROTTLED: "1000/600s" });
    const w = await makeWorld(t);
    const chain = await postChain(t, w);
    const sockets = await Promise.all(
      Array.from({ length: 10 }, () => client(t, { deviceKey: deviceKey() }, from("10.0.2.1"))),
    );
    const replies = (
      await Promise.all(
        sockets.map((s) => flood(s, 20, joinPayload(chain.id, w, chain.items[1]?.id ?? ""))),
      )
    ).flat();
    expect(throttled(replies)).toEqual({ ok: 50, refused: 150 });

    const elsewhere = await client(t, { deviceKey: deviceKey() }, from("10.0.2.2"));
    ok(await call(elsewhere, "entry:join", joinPayload(chain.id, w, chain.items[1]?.id ?? "")(0)));
  });

  it("when a socket keeps sending after being refused, then it is disconnected, and others from its address are not", async () => {
    const { t, chain, abuser, calm } = await abuserBesideCalm("10.0.3.1");
    for (let i = 0; i < 10; i++) ok(await call(abuser, "chain:watch", { chainId: chain.id }));

    const gone = new Promise<string>((resolve) => abuser.once("disconnect", resolve));
    const codes: string[] = [];
    for (let i = 0; i < 100; i++) {
      abuser.emit("chain:watch", { chainId: chain.id }, (r: Ack<unknown>) =>
        codes.push(r.ok ? "ok" : r.error.code),
      );
    }
    expect(await gone).toBe("io server disconnect");
    // Every answer was a refusal, and it took more than the 20 allowed ones to be sent away.
    expect(new Set(codes)).toEqual(new Set(["rate_limited"]));
    expect(codes.length).toBeGreaterThan(20);
    expect(t.app.io.of("/").sockets.size).toBe(1);
    ok(await call(calm, "chain:watch", { chainId: chain.id }));
  });

  it("when a socket floods an event name the server does not know, then it counts like any command: never answered, and disconnected", async () => {
    const { t, chain, abuser, calm } = await abuserBesideCalm("10.0.3.2");
    const gone = new Promise<string>((resolve) => abuser.once("disconnect", resolve));
    let answered = 0;
    const raw = abuser as unknown as { emit(event: string, ...args: unknown[]): void };
    for (let i = 0; i < 200; i++) raw.emit("no:such-event", { i }, () => answered++);
    expect(await gone).toBe("io server disconnect");
    expect(answered).toBe(0);
    expect(t.app.io.of("/").sockets.size).toBe(1);
    ok(await call(calm, "chain:watch", { chainId: chain.id }));
  });
});

describe("HTTP writes", () => {
  it("when one address floods writes, then it gets 429 with Retry-After, while its reads and other addresses' writes go through", async () => {
    const t = await app({ RATE_IP_HTTP_WRITES: "20/600s" });
    const w = await makeWorld(t);
    const chain = await postChain(t, w);
    const statuses: number[] = [];
    let refused: { status: number; retryAfter?: string; body: unknown } | null = null;
    for (let i = 0; i < 60; i++) {
      const res = await t.http.post("/api/logout").set(from("10.1.0.1"));
      statuses.push(res.status);
      if (res.status === 429)
        refused = { status: 429, retryAfter: res.headers["retry-after"], body: res.body };
    }
    expect(statuses.filter((s) => s === 204)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(Number(refused?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused?.body).toMatchObject({
      error: { code: "rate_limited", details: { retryAfterMs: expect.any(Number) } },
    });
    const body = refused?.body as { error: { details: { retryAfterMs: number } } };
    expect(body.error.details.retryAfterMs).toBeGreaterThan(0);

    await t.http.get(`/api/chains/${chain.id}`).set(from("10.1.0.1")).expect(200);
    await t.http.post("/api/logout").set(from("10.1.0.2")).expect(204);
    await t.http
      .post(`/api/chains/${chain.id}/close`)
      .set({ ...bearer(w.growerToken), ...from("10.1.0.3") })
      .expect(200);
  });
});

describe("token guessing", () => {
  const env = { RATE_IP_TOKEN_FAILURES: "5/600s" };

  it("when one address tries wrong session tokens, then after 5 it is refused even with a right one, while the right token from another address works", async () => {
    const t = await app(env);
    const w = await makeWorld(t);
    for (let i = 0; i < 5; i++) {
      await t.http
        .get("/api/me")
        .set({ ...bearer(randomToken()), ...from("10.2.0.1") })
        .expect(401);
    }
    const blocked = await t.http
      .get("/api/me")
      .set({ ...bearer(w.coordinatorToken), ...from("10.2.0.1") })
      .expect(429);
    expect(blocked.body.error.code).toBe("rate_limited");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // A cookie is a token too.
    await t.http
      .get("/api/me")
      .set({ Cookie: `jl_session=${w.coordinatorToken}`, ...from("10.2.0.1") })
      .expect(429);
    await t.http
      .get("/api/me")
      .set({ ...bearer(w.coordinatorToken), ...from("10.2.0.2") })
      .expect(200);
    // Anonymous reads from the blocked address still work: residents behind it are not hurt.
    const chain = await postChain(t, w);
    await t.http.get(`/api/chains/${chain.id}`).set(from("10.2.0.1")).expect(200);
  });

  it("when one stale token is sent again and again, then it counts once and the address is not blocked", async () => {
    const t = await app(env);
    const w = await makeWorld(t);
    const stale = randomToken();
    for (let i = 0; i < 20; i++) {
      await t.http
        .get("/api/me")
        .set({ Cookie: `jl_session=${stale}`, ...from("10.2.1.1") })
        .expect(401);
    }
    await t.http
      .get("/api/me")
      .set({ ...bearer(w.coordinatorToken), ...from("10.2.1.1") })
      .expect(200);
  });

  it("when one address guesses invite tokens, then after 5 a real invite is refused there and accepted from another address", async () => {
    const t = await app(env);
    const w = await makeWorld(t);
    const invite = async () =>
      (
        await t.http
          .post(`/api/communities/${w.communityId}/invites`)
          .set(bearer(w.coordinatorToken))
          .send({ role: "grower" })
          .expect(201)
      ).body.token as string;
    for (let i = 0; i < 5; i++) {
      const res = await t.http
        .post("/api/invites/accept")
        .set(from("10.3.0.1"))
        .send({ token: randomToken(), name: "猜" });
      expect(res.status).toBe(404);
    }
    const real = await invite();
    const refused = await t.http
      .post("/api/invites/accept")
      .set(from("10.3.0.1"))
      .send({ token: real, name: "老周" })
      .expect(429);
    expect(refused.body.error.code).toBe("rate_limited");
    // Refused before it was looked at: the invite is still good.
    await t.http
      .post("/api/invites/accept")
      .set(from("10.3.0.2"))
      .send({ token: real, name: "老周" })
      .expect(201);
  });

  it("when one address guesses the setup token, then after 5 the real one is refused there and works from another address", async () => {
    const t = await app(env);
    const { ensureSetupLink } = await import("../../server/domain/people.js");
    const link = await ensureSetupLink(t.app.ctx);
    const token = new URL(link ?? "").searchParams.get("token") ?? "";
    const setup = (tok: string, ip: string) =>
      t.http
        .post("/api/setup")
        .set(from(ip))
        .send({ token: tok, community: { name: "文兴社区" }, coordinator: { name: "王主任" } });
    for (let i = 0; i < 5; i++) expect((await setup(randomToken(), "10.4.0.1")).status).toBe(403);
    expect((await setup(token, "10.4.0.1")).status).toBe(429);
    expect((await setup(token, "10.4.0.2")).status).toBe(201);
  });

  it("when sockets from one address try wrong session tokens, then after 5 a right token is refused there and works from another address", async () => {
    const t = await app(env);
    const w = await makeWorld(t);
    const pickup = { date: "2030-01-01", dropPointId: w.dropPoints[0]?.id ?? "" };
    for (let i = 0; i < 5; i++) {
      const s = await client(t, { token: randomToken() }, from("10.5.0.1"));
      expect(errorCode(await call(s, "pickup:watch", pickup))).toBe("unauthorized");
      s.disconnect();
    }
    const here = await client(t, { token: w.coordinatorToken }, from("10.5.0.1"));
    expect(errorCode(await call(here, "pickup:watch", pickup))).toBe("rate_limited");
    const there = await client(t, { token: w.coordinatorToken }, from("10.5.0.2"));
    ok(await call(there, "pickup:watch", pickup));
  });
});

describe("sockets per address", () => {
  it("when one address opens more sockets than allowed, then the next is refused until one closes, and other addresses connect", async () => {
    const t = await app({ MAX_SOCKETS_PER_IP: "5" });
    const open = await Promise.all(
      Array.from({ length: 5 }, () => client(t, { deviceKey: deviceKey() }, from("10.6.0.1"))),
    );
    const refused = await client(t, { deviceKey: deviceKey() }, from("10.6.0.1")).then(
      () => null,
      (err: Error & { data?: { code: string } }) => err,
    );
    expect(refused?.message).toBe("too many connections from this address");
    expect(refused?.data?.code).toBe("rate_limited");
    await client(t, { deviceKey: deviceKey() }, from("10.6.0.2"));

    open[0]?.disconnect();
    await eventually(() => client(t, { deviceKey: deviceKey() }, from("10.6.0.1")));
  });
});

describe("RATE_LIMITS=off", () => {
  it("when limits are off, then nothing is throttled or capped", async () => {
    const t = await app({
      RATE_LIMITS: "off",
      RATE_SOCKET_COMMANDS: "5/600s",
      RATE_DEVICE_COMMANDS: "5/600s",
      RATE_IP_COMMANDS: "5/600s",
      RATE_IP_HTTP_WRITES: "5/600s",
      RATE_IP_TOKEN_FAILURES: "2/600s",
      RATE_SOCKET_THROTTLED: "1/600s",
      MAX_SOCKETS_PER_IP: "2",
    });
    expect(t.app.ctx.config.RATE_LIMITS_OFF).toBe(true);
    expect(t.app.ctx.config.MAX_ENTRIES_PER_DEVICE).toBe(0);
    const w = await makeWorld(t);
    const chain = await postChain(t, w);
    const sockets = await Promise.all(
      [1, 2, 3, 4].map(() => client(t, { deviceKey: deviceKey() }, from("10.7.0.1"))),
    );
    const replies = await flood(
      sockets[0] as Client,
      100,
      joinPayload(chain.id, w, chain.items[1]?.id ?? ""),
    );
    expect(throttled(replies)).toEqual({ ok: 100, refused: 0 });
    for (let i = 0; i < 10; i++) {
      await t.http.post("/api/logout").set(from("10.7.0.1")).expect(204);
      await t.http
        .get("/api/me")
        .set({ ...bearer(randomToken()), ...from("10.7.0.1") })
        .expect(401);
    }
    await t.http
      .get("/api/me")
      .set({ ...bearer(w.coordinatorToken), ...from("10.7.0.1") })
      .expect(200);
  });
});

describe("watching", () => {
  it("when a socket watches 100 chains that do not exist, then no room and no Redis subscription is left behind", async () => {
    const t = await app({});
    const w = await makeWorld(t);
    const chain = await postChain(t, w);
    const s = await client(t, {});
    for (let i = 0; i < 100; i++) {
      const reply = await call(s, "chain:watch", { chainId: `nope${i}x-chain${i}x` });
      expect(errorCode(reply)).toBe("not_found");
    }
    // A real watch afterwards: once its subscription shows, any earlier one would show too.
    ok(await call(s, "chain:watch", { chainId: chain.id }));
    const { keys } = t.app.ctx;
    // Community channels are shard channels (SSUBSCRIBE); the sessions one is ordinary.
    const channels = async () =>
      [
        ...((await t.redis.call("PUBSUB", "CHANNELS", `${keys.prefix}:*`)) as string[]),
        ...((await t.redis.call("PUBSUB", "SHARDCHANNELS", `${keys.prefix}:*`)) as string[]),
      ].sort();
    const expected = [keys.community(w.communityId).channel, keys.sessionsChannel].sort();
    await eventually(async () => expect(await channels()).toEqual(expected));
    expect(t.app.broadcaster.subscribedCommunities()).toEqual([w.communityId]);
    const rooms = [...t.app.io.of("/").adapter.rooms.keys()].filter((r) => r.startsWith("chain:"));
    expect(rooms).toEqual([`chain:${chain.id}`]);
  });
});

describe("subscriptions", () => {
  const dirs: string[] = [];
  const servers: ManagedRedis[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("when subscribing to a community's channel fails, then it is retried, and events reach the watcher once it works", async () => {
    // Its own redis-server: it changes the default user's channel permissions.
    const dir = tempRedisDir("subscribe");
    dirs.push(dir);
    const server = await startRedisServer({ dir, appendonly: false });
    servers.push(server);
    const t = await startTestApp({ redisUrl: server.url });
    apps.push(t);
    const admin = connectRedis({ url: server.url, commandTimeoutMs: 2000 });
    await waitReady(admin);
    try {
      const w = await makeWorld(t);
      const chain = await postChain(t, w);
      const { keys } = t.app.ctx;
      const channel = keys.community(w.communityId).channel;

      // SUBSCRIBE to the community's channel now fails with NOPERM (the sessions one stays).
      await admin.call("ACL", "SETUSER", "default", "resetchannels", `&${keys.sessionsChannel}`);
      const watcher = await client(t, {});
      const seen = record(watcher);
      ok(await call(watcher, "chain:watch", { chainId: chain.id }));
      await admin.call("ACL", "SETUSER", "default", "allchannels");

      await eventually(async () =>
        expect(await admin.call("PUBSUB", "SHARDCHANNELS", channel)).toEqual([channel]),
      );
      const resident = await client(t, { deviceKey: deviceKey() });
      ok(await call(resident, "entry:join", joinPayload(chain.id, w, chain.items[1]?.id ?? "")(1)));
      await eventually(() => expect(seen.map((e) => e.type)).toContain("entry:created"));
    } finally {
      admin.disconnect();
    }
  });
});
