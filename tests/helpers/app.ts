/**
 * Start the real app on port 0 against a real redis-server, with a fresh key prefix, and talk to
 * it with supertest and socket.io-client.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { io as connect, type Socket } from "socket.io-client";
import request from "supertest";
import { inject } from "vitest";
import { type App, createApp } from "../../server/app.js";
import { loadConfig } from "../../server/config.js";
import { ensureSetupLink } from "../../server/domain/people.js";
import { connectRedis, waitReady } from "../../server/store/redis.js";
import type { Ack } from "../../shared/errors.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events.js";
import type { ChainCreateInput, DropPointInput } from "../../shared/schemas.js";
import type { ChainView, SessionView } from "../../shared/views.js";

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestApp {
  app: App;
  redis: Redis;
  baseUrl: string;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startTestApp(
  opts: {
    redisUrl?: string;
    env?: Record<string, string>;
    sweepCutoffs?: boolean;
    /** Share one key prefix between app nodes (default: a fresh one). */
    keyPrefix?: string;
  } = {},
): Promise<TestApp> {
  // REDIS_CLUSTER_NODES or REDIS_SENTINELS in env name the Redis instead of a URL.
  const elsewhere = Boolean(opts.env?.REDIS_CLUSTER_NODES || opts.env?.REDIS_SENTINELS);
  const config = loadConfig({
    ...(elsewhere ? {} : { REDIS_URL: opts.redisUrl ?? inject("redisUrl") }),
    KEY_PREFIX: opts.keyPrefix ?? `t${randomBytes(5).toString("hex")}`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    REDIS_COMMAND_TIMEOUT_MS: "1000",
    // JIELONG_TEST_TIMEZONE=Etc/GMT-11 npm test runs the suite at another local hour (see README).
    ...(process.env.JIELONG_TEST_TIMEZONE
      ? { DEFAULT_TIMEZONE: process.env.JIELONG_TEST_TIMEZONE }
      : {}),
    ...opts.env,
  });
  // Scripts run with the undeclared-key check: a key a script names itself fails every test.
  const redis = connectRedis({
    target: config.REDIS ?? undefined,
    commandTimeoutMs: Number(opts.env?.REDIS_COMMAND_TIMEOUT_MS ?? 1000),
    checkScriptKeys: true,
  });
  await waitReady(redis, 20_000);
  const app = createApp({ config, redis, sweepCutoffs: opts.sweepCutoffs ?? true });
  const port = await app.listen(0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${port}`;
  const clients: Client[] = [];
  trackClients.set(baseUrl, clients);
  return {
    app,
    redis,
    baseUrl,
    http: request(app.httpServer),
    async close() {
      for (const c of clients) c.disconnect();
      await app.close();
      redis.disconnect();
    },
  };
}

const trackClients = new Map<string, Client[]>();

/**
 * What the helpers below need of a server: its address, and supertest on it. A TestApp is one;
 * so is a server running in its own process (`{baseUrl, http: request(baseUrl)}`), which has no
 * `app` to read the setup link from, and passes the link it printed instead.
 */
export type Reachable = Pick<TestApp, "baseUrl" | "http"> & { app?: App };

export function deviceKey(): string {
  return randomBytes(16).toString("base64url");
}

export function requestId(): string {
  return randomUUID();
}

/**
 * A real socket.io-client, connected (websocket only, like a phone after upgrade). `headers` go
 * on the handshake (e.g. X-Forwarded-For, to come from another address behind TRUST_PROXY).
 */
export async function client(
  t: Reachable,
  auth: { token?: string; deviceKey?: string } = { deviceKey: deviceKey() },
  headers?: Record<string, string>,
): Promise<Client> {
  const socket: Client = connect(t.baseUrl, {
    auth,
    transports: ["websocket"],
    forceNew: true,
    reconnection: true,
    extraHeaders: headers,
  });
  trackClients.get(t.baseUrl)?.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Reply<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0];

/** Send a command and wait for its ack. */
export function call<E extends keyof ClientToServerEvents>(
  socket: Client,
  event: E,
  payload: Payload<E>,
  timeoutMs = 10_000,
): Promise<Reply<E>> {
  // biome-ignore lint/suspicious/noExplicitAny: the typed overloads of emitWithAck do not resolve for a generic event name
  return (socket.timeout(timeoutMs) as any).emitWithAck(event, payload) as Promise<Reply<E>>;
}

/** The data of a successful ack, or a thrown error with the ack's error. */
export function ok<T>(reply: Ack<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

export function errorCode(reply: Ack<unknown>): string | null {
  return reply.ok ? null : reply.error.code;
}

// ---- people and chains ----------------------------------------------------------------------

export interface World {
  communityId: string;
  coordinatorToken: string;
  growerToken: string;
  growerId: string;
  dropPoints: { id: string; name: string }[];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export { bearer };

/** A fresh one-time setup link (null once a community exists). */
export function ensureSetupLinkFor(t: TestApp): Promise<string | null> {
  return ensureSetupLink(t.app.ctx);
}

export async function setupCommunity(
  t: Reachable,
  name = "文兴社区",
  /** A setup link or its token; by default a fresh link from the app in this process. */
  setup?: string,
): Promise<{ communityId: string; token: string }> {
  const link = setup ?? (t.app ? await ensureSetupLink(t.app.ctx) : null);
  if (!link) throw new Error("a community already exists under this prefix");
  const token = link.includes("token=") ? (new URL(link).searchParams.get("token") ?? "") : link;
  const res = await t.http
    .post("/api/setup")
    .send({ token, community: { name }, coordinator: { name: "王主任" } })
    .expect(201);
  const view = res.body as SessionView;
  return { communityId: view.community.id, token: view.token ?? "" };
}

export async function addDropPoint(
  t: Reachable,
  communityId: string,
  token: string,
  input: Partial<DropPointInput> & { name: string },
): Promise<{ id: string; name: string }> {
  const res = await t.http
    .post(`/api/communities/${communityId}/drop-points`)
    .set(bearer(token))
    .send({ window: { start: "07:30", end: "09:00" }, ...input })
    .expect(201);
  return res.body;
}

export async function invite(
  t: Reachable,
  communityId: string,
  coordinatorToken: string,
  role: "grower" | "coordinator",
  name: string,
): Promise<SessionView & { token: string }> {
  const inv = await t.http
    .post(`/api/communities/${communityId}/invites`)
    .set(bearer(coordinatorToken))
    .send({ role })
    .expect(201);
  const res = await t.http
    .post("/api/invites/accept")
    .send({ token: inv.body.token, name, village: "河西村" })
    .expect(201);
  return res.body;
}

/** A community with a coordinator, three drop points and one grower. */
export async function makeWorld(t: Reachable, setup?: string): Promise<World> {
  const { communityId, token } = await setupCommunity(t, undefined, setup);
  const dropPoints = [];
  for (const name of ["3号楼东门", "7号楼北门", "南门岗亭"]) {
    dropPoints.push(await addDropPoint(t, communityId, token, { name }));
  }
  const grower = await invite(t, communityId, token, "grower", "李大姐");
  return {
    communityId,
    coordinatorToken: token,
    growerToken: grower.token,
    growerId: grower.user.id,
    dropPoints,
  };
}

export function inMinutes(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

export async function postChain(
  t: Reachable,
  w: World,
  overrides: Partial<ChainCreateInput> = {},
  token = w.growerToken,
): Promise<ChainView> {
  const body = {
    title: "河西村新鲜蔬菜",
    note: "早上现摘",
    cutoffAt: inMinutes(60),
    dropPointIds: w.dropPoints.map((d) => d.id),
    items: [
      { name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, stock: 100, limit: 5 },
      { name: "黄瓜", unit: "斤", priceFen: 200 },
      { name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 20, limit: 2 },
    ],
    ...overrides,
  };
  const res = await t.http.post("/api/chains").set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`postChain ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as ChainView;
}

/** Record every chain event a client receives, flattened from its frames, in arrival order. */
export function record(socket: Client) {
  const events: import("../../shared/views.js").ChainEvent[] = [];
  socket.on("chain:events", (frame) => {
    // A frame says which versions it carries; check it holds to that.
    if (frame.from !== frame.events[0]?.version || frame.to !== frame.events.at(-1)?.version) {
      throw new Error(`frame ${frame.from}–${frame.to} does not match its events`);
    }
    events.push(...frame.events);
  });
  return events;
}

/** Milliseconds by Redis's clock, which the scripts use for cutoffs. */
export async function redisNow(t: TestApp): Promise<number> {
  const [s, us] = await t.redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/** Wait until Redis's clock has passed `at` (a cutoff the scripts will then see as passed). */
export async function waitForRedisTime(t: TestApp, at: number): Promise<void> {
  while ((await redisNow(t)) < at) await new Promise((r) => setTimeout(r, 50));
}

/** Poll until `check` passes (for live updates that arrive asynchronously). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
