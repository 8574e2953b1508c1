/**
 * The abuse cases of issue 9, tried end to end from outside: the real service in its own process
 * (`node --import tsx server/index.ts`, as `npm start` runs it) with its default limits, against
 * a redis-server of this test's own (so that it can be paused), reached only through real
 * sockets (socket.io-client) and plain HTTP (fetch). Only the environment of a production
 * deployment behind a proxy on the same host is set: PUBLIC_URL, TRUST_PROXY=loopback (so each
 * case can come from an address of its own through X-Forwarded-For, as behind nginx). Every limit,
 * and REDIS_COMMAND_TIMEOUT_MS, is the default.
 *
 * Each case says what it tried and what happened; the summary is printed at the end and written
 * to tests/.out/abuse-report.md.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Redis } from "ioredis";
import { io as connect } from "socket.io-client";
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../../server/crypto.js";
import { type ManagedRedis, startRedisServer, tempRedisDir } from "../../server/redis-process.js";
import { makeKeys } from "../../server/store/keys.js";
import { connectRedis, waitReady } from "../../server/store/redis.js";
import type { Ack } from "../../shared/errors.js";
import type { EntryJoin } from "../../shared/schemas.js";
import type { ChainSnapshot, ChainView, OwnEntry } from "../../shared/views.js";
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
  type Reachable,
  record,
  requestId,
  type World,
} from "../helpers/app.js";
import { killProcesses, type ServerProcess, startProcess } from "../helpers/process.js";

const PUBLIC = "https://jielong.example.cn";
const EVIL = "https://evil.example";
const prefix = `abuse${randomBytes(4).toString("hex")}`;
const keys = makeKeys(prefix);

// ---- the report -------------------------------------------------------------------------------

interface Row {
  case: string;
  tried: string;
  happened: string;
  result: string;
}
const rows: Row[] = [];
/** What a case tried and saw; called once its assertions passed. */
function report(c: string, tried: string, happened: string): void {
  rows.push({ case: c, tried, happened, result: "held" });
}

function writeReport(figures: string[]): void {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const md = [
    "# Abuse cases against a running server",
    "",
    `Run at ${new Date().toISOString()}: \`node --import tsx server/index.ts\` with its default limits`,
    `(PUBLIC_URL=${PUBLIC}, TRUST_PROXY=loopback), its own redis-server, socket.io-client and fetch.`,
    "",
    "| Case | Tried | What happened | Result |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (r) => `| ${cell(r.case)} | ${cell(r.tried)} | ${cell(r.happened)} | ${cell(r.result)} |`,
    ),
    "",
    ...(figures.length ? ["Figures (reported, not asserted):", "", ...figures, ""] : []),
  ].join("\n");
  const dir = path.resolve(import.meta.dirname, "../.out");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "abuse-report.md"), md);
  console.log(`\n${md}\n(written to tests/.out/abuse-report.md)`);
}
const figures: string[] = [];

// ---- the running server ----------------------------------------------------------------------

let redis: ManagedRedis;
let redisDir: string;
let admin: Redis;
let server: ServerProcess;
let base: string;
let t: Reachable;
let w: World;
/** The chain the code case filled (606 entries), for the read flood after it. */
let bigChain: ChainView | null = null;

/** fetch against the server; `from` is the client address (X-Forwarded-For, one proxy hop). */
function http(
  pathname: string,
  init: Omit<RequestInit, "headers"> & { from?: string; headers?: Record<string, string> } = {},
) {
  const { from, headers, ...rest } = init;
  return fetch(`${base}${pathname}`, {
    ...rest,
    headers: { ...(from ? { "X-Forwarded-For": from } : {}), ...headers },
  });
}

/** A connected socket from that address. */
function socketFrom(ip: string, auth: { token?: string; deviceKey?: string } = {}) {
  return client(t, auth, { "X-Forwarded-For": ip });
}

async function snapshot(chainId: string): Promise<ChainSnapshot> {
  const res = await http(`/api/chains/${chainId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ChainSnapshot;
}

const soldOf = async (chainId: string, itemId: string) =>
  (await snapshot(chainId)).chain.items.find((i) => i.id === itemId)?.sold;

function joinOf(chain: ChainView, dropPointId: string, i: number): EntryJoin {
  return {
    requestId: requestId(),
    chainId: chain.id,
    dropPointId,
    name: `住户${i}`,
    building: `${1 + (i % 30)}-${100 + i}`,
    lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
  };
}

type JoinAck = Ack<{ entry: OwnEntry }>;
/** Sends that had no definite answer (outcome_unknown, unavailable, no ack) and were sent again. */
let resent = 0;

/**
 * Join as the web app does (docs/api.md §9): while the answer is not definite — outcome_unknown,
 * unavailable or no ack — send the same command with the same request id again, with backoff.
 * On a busy machine a join can outlast REDIS_COMMAND_TIMEOUT_MS without any fault.
 */
async function join(s: Client, j: EntryJoin): Promise<JoinAck> {
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    const r = (await call(s, "entry:join", j, 15_000).catch(() => null)) as JoinAck | null;
    const code = r ? errorCode(r) : "no ack";
    if (r && code !== "outcome_unknown" && code !== "unavailable") return r;
    resent++;
    await new Promise((res) => setTimeout(res, wait));
  }
}

/** Send joins on a socket without waiting between them; every definite ack. */
function joinAll(s: Client, joins: EntryJoin[]): Promise<JoinAck[]> {
  return Promise.all(joins.map((j) => join(s, j)));
}

function tally(codes: (string | null)[]): string {
  const n = new Map<string, number>();
  for (const c of codes) n.set(c ?? "ok", (n.get(c ?? "ok") ?? 0) + 1);
  return [...n].map(([c, k]) => `${k} ${c}`).join(", ");
}

/** Channels of this deployment the server is subscribed to: plain ones and shard channels. */
const channels = async () =>
  [
    ...((await admin.call("PUBSUB", "CHANNELS", `${prefix}:*`)) as string[]),
    ...((await admin.call("PUBSUB", "SHARDCHANNELS", `${prefix}:*`)) as string[]),
  ].sort();

beforeAll(async () => {
  redisDir = tempRedisDir("abuse");
  redis = await startRedisServer({ dir: redisDir, appendonly: false });
  admin = connectRedis({ url: redis.url, commandTimeoutMs: 10_000 });
  await waitReady(admin);
  server = startProcess({
    REDIS_URL: redis.url,
    KEY_PREFIX: prefix,
    HOST: "127.0.0.1",
    PORT: "0",
    PUBLIC_URL: PUBLIC,
    TRUST_PROXY: "loopback",
  });
  const [, port] = await server.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30_000);
  const [link] = await server.waitFor(/https:\/\/\S+\/setup\?token=[\w-]+/);
  base = `http://127.0.0.1:${port}`;
  t = { baseUrl: base, http: request(base) };
  w = await makeWorld(t, link);
}, 60_000);

// A case that failed says so in the report, with what it saw.
afterEach(({ task }) => {
  if (task.result?.state !== "fail") return;
  const error = task.result.errors?.[0];
  rows.push({
    case: task.name,
    tried: "see the test",
    happened: `${error?.message ?? "failed"}`.slice(0, 500),
    result: "FAILED",
  });
});

afterAll(async () => {
  figures.push(
    `- Joins sent again (same request id) because an answer was not definite, over the whole run: ${resent}.`,
  );
  writeReport(figures);
  if (redis?.child.pid) process.kill(redis.child.pid, "SIGCONT");
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
  killProcesses();
  admin?.disconnect();
  await redis?.stop();
  if (redisDir) rmSync(redisDir, { recursive: true, force: true });
});

describe("abuse, end to end against a running server", () => {
  // First: nothing in the community is watched yet, so any subscription would show.
  it("unknown chain:watch: an error ack, and no Redis subscription left behind", async () => {
    const chain = await postChain(t, w);
    const before = await channels();
    expect(before).toEqual([keys.sessionsChannel]);
    const s = await socketFrom("198.51.100.50");
    const ids = [
      ...Array.from({ length: 40 }, (_, i) => `${w.communityId}-nope${i}x`), // our community
      ...Array.from({ length: 40 }, (_, i) => `zz${i}zzzzz-nope${i}x`), // no such community
    ];
    const codes = [];
    for (const chainId of ids) codes.push(errorCode(await call(s, "chain:watch", { chainId })));
    const bad = errorCode(await call(s, "chain:watch", { chainId: "../../etc" }));
    expect(new Set(codes)).toEqual(new Set(["not_found"]));
    expect(bad).toBe("validation_failed");
    // A round trip on the same socket after the last watch: anything it started has happened.
    ok(await call(s, "chain:unwatch", { chainId: chain.id }));
    const after = await channels();
    const numsub = (await admin.call(
      "PUBSUB",
      "SHARDNUMSUB",
      keys.community(w.communityId).channel,
    )) as [string, number];
    expect(after).toEqual([keys.sessionsChannel]);
    expect(Number(numsub[1])).toBe(0);
    // The check can see a subscription: a real watch makes one.
    ok(await call(s, "chain:watch", { chainId: chain.id }));
    await eventually(async () =>
      expect(await channels()).toEqual(
        [keys.sessionsChannel, keys.community(w.communityId).channel].sort(),
      ),
    );
    s.disconnect();
    report(
      "unknown chain:watch",
      `${ids.length} chain:watch for chains that don't exist (40 under the real community id, 40 under none) and 1 malformed id, from one socket`,
      `acks: ${tally(codes)}; malformed: ${bad}. Subscribed channels before [${before.length}], after [${after.length}] (only ${keys.sessionsChannel.replace(prefix, "<prefix>")}); SHARDNUMSUB of the community channel ${numsub[1]}. A real watch then subscribed the community channel, as it should.`,
    );
  });

  it("flood: one socket sending hundreds of joins is refused then disconnected; a neighbour behind the same address still joins", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0]?.id ?? "";
    const ip = "198.51.100.10";
    const flooderKey = deviceKey();
    const flooder = await socketFrom(ip, { deviceKey: flooderKey });
    const neighbour = await socketFrom(ip, { deviceKey: deviceKey() });
    const sent = 500;
    const acks: Ack<unknown>[] = [];
    const gone = new Promise<string>((resolve) => flooder.once("disconnect", resolve));
    for (let i = 0; i < sent; i++) {
      flooder.emit("entry:join", joinOf(chain, dp, i), (r: Ack<unknown>) => acks.push(r));
    }
    // Meanwhile, someone else behind the same address (the same NAT) joins.
    const resentBefore = resent;
    const theirs = await join(neighbour, joinOf(chain, dp, 9999));
    const neighbourResent = resent - resentBefore;
    const reason = await gone;
    const codes = acks.map(errorCode);
    const limited = acks.filter((a) => !a.ok && a.error.code === "rate_limited");
    const waits = limited.map((a) =>
      a.ok ? 0 : (a.error.details as { retryAfterMs: number }).retryAfterMs,
    );

    ok(theirs);
    expect(reason).toBe("io server disconnect");
    // The per-socket window (300) is used up, then it is told to wait until it is sent away.
    // Refusals come from memory and overtake the joins still running in Redis, so the socket can
    // be gone before some of its accepted joins are acked: those were written all the same.
    expect(limited.length).toBeGreaterThanOrEqual(100);
    expect(Math.min(...waits)).toBeGreaterThan(0);
    // Whether the last admitted joins are acked before the socket is sent away depends on timing
    // (how the flood arrives in reads, how fast Redis answers): what holds either way is that no
    // more than the per-socket window (RATE_SOCKET_COMMANDS 300/60s) got past the limits.
    expect(acks.length - limited.length).toBeLessThanOrEqual(300);
    expect(codes.filter((c) => c === null).length).toBeLessThanOrEqual(20);
    const snap = await snapshot(chain.id);
    // MAX_ENTRIES_PER_DEVICE (20) of the flooder's, and the neighbour's.
    expect(snap.activeEntries).toBe(21);
    // Reconnecting with the same device key gets no more entries.
    const again = await socketFrom(ip, { deviceKey: flooderKey });
    const retry = errorCode(await call(again, "entry:join", joinOf(chain, dp, 10_000)));
    expect(retry).toBe("too_many_entries");
    again.disconnect();
    neighbour.disconnect();
    report(
      "flood (socket)",
      `one socket (one device key) emitted ${sent} entry:join at once; a neighbour on another device behind the same address joined meanwhile`,
      `${acks.length} acks before the server disconnected it ("${reason}"): ${tally(codes)}; retryAfterMs ${Math.min(...waits)}–${Math.max(...waits)}. The neighbour's join: ok${neighbourResent ? ` (after ${neighbourResent} resend(s) of an outcome_unknown/unavailable answer)` : " at once"}. The chain holds ${snap.activeEntries} entries (20 of the flooder's device, the cap, + 1). Reconnecting with the same device key: ${retry}.`,
    );
  });

  it("flood: sockets per address are capped at 1,000; another address still connects", async () => {
    const ip = "198.51.100.20";
    const open: Client[] = [];
    for (let batch = 0; batch < 10; batch++) {
      open.push(...(await Promise.all(Array.from({ length: 100 }, () => socketFrom(ip)))));
    }
    const refused = await socketFrom(ip).then(
      (s) => {
        open.push(s);
        return null;
      },
      (err: Error & { data?: { code: string } }) => err,
    );
    const elsewhere = await socketFrom("198.51.100.21");
    const fine = elsewhere.connected;
    open[0]?.disconnect();
    const after = await eventually(() => socketFrom(ip));
    expect(refused?.message).toBe("too many connections from this address");
    expect(refused?.data?.code).toBe("rate_limited");
    expect(fine).toBe(true);
    expect(after.connected).toBe(true);
    for (const s of [...open, elsewhere, after]) s.disconnect();
    report(
      "flood (sockets per address)",
      "opened 1,000 sockets from one address, then one more; one from another address; closed one and tried again",
      `the 1,001st: connect_error "${refused?.message}" (${refused?.data?.code}); another address: connected; after one closed: connected again.`,
    );
  });

  it("flood: HTTP writes from one address get 429 with Retry-After; its reads and other addresses' writes go through", async () => {
    const ip = "198.51.100.30";
    const sent = 650;
    const statuses: number[] = [];
    let refusal: {
      retryAfter: string | null;
      body: { error: { code: string; details: { retryAfterMs: number } } };
    } | null = null;
    for (let i = 0; i < sent; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => http("/api/logout", { method: "POST", from: ip })),
      );
      for (const res of batch) {
        statuses.push(res.status);
        if (res.status === 429 && !refusal)
          refusal = { retryAfter: res.headers.get("retry-after"), body: await res.json() };
        else await res.arrayBuffer();
      }
    }
    const chain = await postChain(t, w);
    const read = await http(`/api/chains/${chain.id}`, { from: ip });
    const other = await http(`/api/chains/${chain.id}/close`, {
      method: "POST",
      from: "198.51.100.31",
      headers: bearer(w.growerToken),
    });
    const count = (s: number) => statuses.filter((x) => x === s).length;
    expect(count(204)).toBe(600); // RATE_IP_HTTP_WRITES 600/60s
    expect(count(429)).toBe(sent - 600);
    expect(Number(refusal?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refusal?.body.error.code).toBe("rate_limited");
    expect(refusal?.body.error.details.retryAfterMs).toBeGreaterThan(0);
    expect(read.status).toBe(200);
    expect(other.status).toBe(200);
    report(
      "flood (HTTP writes)",
      `${sent} POST /api/logout from one address, 50 at a time; then a read from it and a write from another address`,
      `${count(204)} × 204, ${count(429)} × 429 (Retry-After: ${refusal?.retryAfter} s, ${refusal?.body.error.code}, retryAfterMs ${refusal?.body.error.details.retryAfterMs}); its read: ${read.status}; the other address's close: ${other.status}.`,
    );
  });

  it("code exhaustion: many entries at one drop point keep unique codes that grow a digit, and a full day is a clear error", async () => {
    const chain = await postChain(t, w);
    bigChain = chain;
    const dp = w.dropPoints[1]?.id ?? "";
    const totalsKey = keys.community(w.communityId).dayTotals(chain.deliveryDate, dp);
    const ip = "198.51.100.40";
    // Every join's Redis time, from the slow log.
    await admin.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
    await admin.call("CONFIG", "SET", "slowlog-max-len", "100000");
    const joinTimes = async () => {
      const log = (await admin.call("SLOWLOG", "GET", "-1")) as [
        number,
        number,
        number,
        string[],
      ][];
      await admin.call("SLOWLOG", "RESET");
      return log
        .filter(([, , , args]) => /^evalsha$/i.test(args[0] ?? ""))
        .filter(([, , , args]) => args.some((a) => a.includes(`:chain:${chain.id}:`)))
        .map(([, , us]) => us)
        .sort((a, b) => a - b);
    };
    const summary = (us: number[]) =>
      `${us.length} join scripts: median ${us[us.length >> 1]} µs, p99 ${us[Math.floor(us.length * 0.99)]} µs, max ${us.at(-1)} µs`;

    /** n joins over n/20 devices (20 is the per-device cap), each device on its own socket. */
    const joins = async (n: number, from: number) => {
      const devices = await Promise.all(
        Array.from({ length: Math.ceil(n / 20) }, () => socketFrom(ip, { deviceKey: deviceKey() })),
      );
      const acks = (
        await Promise.all(
          devices.map((s, d) =>
            joinAll(
              s,
              Array.from({ length: Math.min(20, n - d * 20) }, (_, i) =>
                joinOf(chain, dp, from + d * 20 + i),
              ),
            ),
          ),
        )
      ).flat();
      for (const s of devices) s.disconnect();
      return acks;
    };
    const codesOf = (acks: Ack<{ entry: OwnEntry }>[]) => acks.map((a) => ok(a).entry.pickupCode);

    await admin.call("SLOWLOG", "RESET");
    const first = codesOf(await joins(300, 0));
    const early = await joinTimes();
    // The 301st to the 8,900th bag of the day, skipped: the counter the codes are drawn from.
    await admin.hset(totalsKey, "cn", 8900);
    const late = codesOf(await joins(300, 300));
    const lateTimes = await joinTimes();
    await admin.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
    const all = [...first, ...late];
    expect(new Set(all).size).toBe(600);
    for (const c of first) expect(c).toMatch(/^[1-9]\d{3}$/);
    expect(late.filter((c) => c.length === 4)).toHaveLength(100);
    expect(late.filter((c) => c.length === 5)).toHaveLength(200);
    for (const c of late) expect(c).toMatch(/^[1-9]\d{3,4}$/);

    // The day's last codes (999,000 in all: 9,000 of 4 digits, 90,000 of 5, 900,000 of 6).
    await admin.hset(totalsKey, "cn", 999_000 - 5);
    const lastAcks = await joins(20, 600);
    const lastCodes = lastAcks.map(errorCode);
    const refused = lastAcks.find((a) => !a.ok);
    expect(lastCodes.filter((c) => c === null)).toHaveLength(5);
    expect(lastCodes.filter((c) => c === "codes_exhausted")).toHaveLength(15);
    expect(refused?.ok).toBe(false);
    if (refused && !refused.ok) {
      expect(refused.error.details).toEqual({ dropPointId: dp });
      expect(refused.error.message.length).toBeGreaterThan(0);
    }
    const six = lastAcks.filter((a) => a.ok).map((a) => ok(a).entry.pickupCode);
    for (const c of six) expect(c).toMatch(/^[1-9]\d{5}$/);
    expect(new Set([...all, ...six]).size).toBe(605);
    // Nothing of the refused ones was written, and the next drop point is not held up.
    expect(await soldOf(chain.id, chain.items[1]?.id ?? "")).toBe(605);
    expect(await admin.hget(totalsKey, "cn")).toBe("999000");
    const s = await socketFrom(ip, { deviceKey: deviceKey() });
    const elsewhere = ok(await call(s, "entry:join", joinOf(chain, w.dropPoints[2]?.id ?? "", 0)));
    s.disconnect();
    figures.push(
      `- Redis time per join (SLOWLOG, threshold 0): bags 1–300 of the day: ${summary(early)}; bags 8,901–9,200: ${summary(lateTimes)}.`,
    );
    report(
      "code exhaustion",
      "300 joins at one drop point (15 devices × 20), the day's counter moved to 8,900 in Redis, 300 more; then moved to 998,995 and 20 more; then one at another drop point",
      `600 codes, all different: the first 300 and the next 100 of 4 digits, then 200 of 5 (e.g. ${late.at(-1)}). At the end of the day: 5 six-digit codes (${six.join(", ")}), then 15 × codes_exhausted ("${refused && !refused.ok ? refused.error.message : ""}", details ${JSON.stringify(refused && !refused.ok ? refused.error.details : null)}), nothing written for them (sold 605, counter 999,000). The other drop point: ok (${elsewhere.entry.pickupCode}). Redis time per join, median: ${early[early.length >> 1]} µs early, ${lateTimes[lateTimes.length >> 1]} µs near 9,000 (not asserted).`,
    );
  });

  it("token guessing: wrong tokens from one address are refused after 30; the right token from another address works", async () => {
    const ip = "198.51.100.70";
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      const res = await http("/api/me", { from: ip, headers: bearer(randomToken()) });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    const right = await http("/api/me", { from: ip, headers: bearer(w.coordinatorToken) });
    const elsewhere = await http("/api/me", {
      from: "198.51.100.71",
      headers: bearer(w.coordinatorToken),
    });
    const count = (s: number) => statuses.filter((x) => x === s).length;
    expect(count(401)).toBe(30); // RATE_IP_TOKEN_FAILURES 30/600s
    expect(count(429)).toBe(5);
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(elsewhere.status).toBe(200);
    report(
      "token guessing",
      "35 GET /api/me with random Bearer tokens from one address, then the coordinator's real token from it and from another address",
      `${count(401)} × 401, then ${count(429)} × 429; the real token from that address: ${right.status} (Retry-After ${right.headers.get("retry-after")} s); from another address: ${elsewhere.status}.`,
    );
  });

  it("read flood: anonymous reads of a big chain (its text built once per change) leave a neighbour's commands working, and the text shows the neighbour's joins at once", async () => {
    // The chain the code case filled: 606 entries.
    const chain = bigChain ?? (await postChain(t, w));
    const ip = "198.51.100.80";
    const neighbour = await socketFrom("198.51.100.81", { deviceKey: deviceKey() });
    const watchTimes = async (n: number) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const at = performance.now();
        ok(await call(neighbour, "chain:watch", { chainId: chain.id }));
        ms.push(performance.now() - at);
      }
      return ms.sort((a, b) => a - b);
    };
    const before = await watchTimes(5);
    const served = new Map<string, number>();
    let stop = false;
    const flood = Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const what = i % 2 ? "/text" : "";
        while (!stop) {
          const res = await http(`/api/chains/${chain.id}${what}`, { from: ip });
          await res.arrayBuffer();
          const k = `${what || "snapshot"} ${res.status}`;
          served.set(k, (served.get(k) ?? 0) + 1);
        }
      }),
    );
    let during: number[];
    const joined: JoinAck[] = [];
    let joinResent = 0;
    try {
      await new Promise((r) => setTimeout(r, 300));
      during = await watchTimes(5);
      const resentBefore = resent;
      // Three joins, each sent again (same request id) until its answer is definite.
      for (let i = 0; i < 3; i++)
        joined.push(await join(neighbour, joinOf(chain, w.dropPoints[0]?.id ?? "", 7000 + i)));
      joinResent = resent - resentBefore;
    } finally {
      stop = true;
      await flood;
    }
    neighbour.disconnect();
    expect(joined).toHaveLength(3);
    for (const j of joined) ok(j);
    // The text is shared between readers, never stale: the neighbour's joins are in it at once.
    const text = await (await http(`/api/chains/${chain.id}/text`, { from: ip })).text();
    for (const j of joined) expect(text).toMatch(new RegExp(`^\\s*${ok(j).entry.no}[.、]`, "mu"));
    const p50 = (ms: number[]) => ms[ms.length >> 1]?.toFixed(0);
    const tally429 = [...served].filter(([k]) => k.endsWith(" 429")).length;
    figures.push(
      `- Neighbour's chain:watch round trip (${chain.id}, 606 entries) before the read flood: p50 ${p50(before)} ms, max ${before.at(-1)?.toFixed(0)} ms; during it: p50 ${p50(during)} ms, max ${during.at(-1)?.toFixed(0)} ms.`,
    );
    report(
      "read flood",
      "20 loops of GET /api/chains/:id (snapshot) and GET …/text (the whole chain as WeChat text) on a 606-entry chain from one anonymous address, while a neighbour watched and joined",
      `served: ${[...served].map(([k, n]) => `${n} × ${k}`).join(", ")}${tally429 ? "" : " — reads are not throttled (§12); the text is built once per change of the chain and shared"}. The neighbour's 5 watches and 3 joins: ok (${joinResent} join send(s) answered outcome_unknown/unavailable first and were sent again); its watch round trip p50 ${p50(before)} ms before, ${p50(during)} ms during (not asserted).`,
    );
  });

  it("foreign Origin: the handshake and an HTTP write from another site are 403 forbidden_origin and change nothing", async () => {
    const chain = await postChain(t, w);
    const cookie = `jl_session=${w.coordinatorToken}`;
    // The handshake, both transports, riding on the session cookie.
    const handshake = (transport: "websocket" | "polling") =>
      new Promise<string>((resolve) => {
        const s = connect(base, {
          transports: [transport],
          forceNew: true,
          reconnection: false,
          extraHeaders: { Origin: EVIL, Cookie: cookie },
        });
        s.once("connect", () => {
          s.disconnect();
          resolve("connected");
        });
        s.once("connect_error", (err) => {
          s.disconnect();
          resolve(`connect_error: ${err.message}`);
        });
      });
    const ws = await handshake("websocket");
    const polling = await handshake("polling");
    // The engine.io handshake itself, as a browser would send it.
    const raw = await http("/socket.io/?EIO=4&transport=polling", {
      headers: { Origin: EVIL, Cookie: cookie },
    });
    const rawBody = await raw.text();

    const writes = [
      [
        "POST",
        `/api/chains/${chain.id}/cancel`,
        { Cookie: cookie, "Content-Type": "text/plain" },
        "x=1",
      ],
      [
        "POST",
        `/api/chains/${chain.id}/cancel`,
        { Cookie: cookie, "Content-Type": "application/json" },
        "{}",
      ],
      [
        "PATCH",
        `/api/chains/${chain.id}`,
        { ...bearer(w.growerToken), "Content-Type": "application/json" },
        '{"title":"被改了"}',
      ],
    ] as const;
    const answers: string[] = [];
    for (const origin of [EVIL, "null"]) {
      for (const [method, url, headers, body] of writes) {
        const res = await http(url, { method, headers: { ...headers, Origin: origin }, body });
        const json = (await res.json()) as { error?: { code: string } };
        answers.push(`${res.status} ${json.error?.code}`);
      }
    }
    const after = await snapshot(chain.id);
    expect(ws).toMatch(/^connect_error/);
    expect(polling).toMatch(/^connect_error/);
    expect(raw.status).toBe(403);
    expect(rawBody).toContain("forbidden_origin");
    expect(new Set(answers)).toEqual(new Set(["403 forbidden_origin"]));
    expect(after.chain.status).toBe("open");
    expect(after.chain.title).toBe(chain.title);
    // From our own origin the same cookie write works: the refusal was the Origin.
    const own = await http(`/api/chains/${chain.id}/cancel`, {
      method: "POST",
      headers: { Origin: PUBLIC, Cookie: cookie, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(own.status).toBe(200);
    report(
      "foreign Origin",
      `Socket.IO handshake with Origin ${EVIL} and the session cookie (websocket, polling, and the raw engine.io GET); cancel (form text/plain and JSON, cookie) and PATCH title (Bearer) from Origin ${EVIL} and null`,
      `websocket: ${ws}; polling: ${polling}; raw: ${raw.status} ${rawBody}. Writes: ${tally(answers)}. The chain stayed open with its title; the same cancel from ${PUBLIC}: ${own.status}.`,
    );
  });

  it("text/plain form POST with the cookie: refused json_required, nothing changed", async () => {
    const chain = await postChain(t, w);
    const cookie = `jl_session=${w.coordinatorToken}`;
    const tries: Record<string, string>[] = [
      { Cookie: cookie, "Content-Type": "text/plain" },
      { Cookie: cookie, "Content-Type": "text/plain", Origin: PUBLIC },
      { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=b" },
    ];
    const answers: string[] = [];
    for (const headers of tries) {
      const res = await http(`/api/chains/${chain.id}/cancel`, {
        method: "POST",
        headers,
        body: headers["Content-Type"]?.startsWith("multipart") ? "--b--\r\n" : '{"x":1}',
      });
      const json = (await res.json()) as { error?: { code: string } };
      answers.push(`${res.status} ${json.error?.code}`);
    }
    const after = await snapshot(chain.id);
    expect(new Set(answers)).toEqual(new Set(["415 json_required"]));
    expect(after.chain.status).toBe("open");
    report(
      "text/plain form POST",
      "POST …/cancel with the session cookie as text/plain (no Origin, and our own Origin), urlencoded and multipart",
      `${tally(answers)}; the chain stayed ${after.chain.status}.`,
    );
  });

  it("paused Redis: joins answer outcome_unknown or unavailable; retried with the same request id, one entry each, totals exact, server alive", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[2]?.id ?? "";
    const item = chain.items[1]?.id ?? "";
    const ip = "198.51.100.60";
    const watcher = await socketFrom(ip);
    const events = record(watcher);
    ok(await call(watcher, "chain:watch", { chainId: chain.id }));
    const residents = await Promise.all(
      Array.from({ length: 6 }, () => socketFrom(ip, { deviceKey: deviceKey() })),
    );
    const joins = residents.map((_, i) => ({
      ...joinOf(chain, dp, i),
      lines: [{ itemId: item, qty: i + 1 }],
    }));
    const pid = redis.child.pid ?? 0;

    // An HTTP write too: a grower posts a chain with an Idempotency-Key.
    const key = requestId();
    const chainBody = JSON.stringify({
      title: "暂停时发的菜",
      cutoffAt: new Date(Date.now() + 3_600_000).toISOString(),
      dropPointIds: [dp],
      items: [{ name: "西红柿", unit: "斤", priceFen: 350 }],
    });
    const postKeyed = () =>
      http("/api/chains", {
        method: "POST",
        from: "198.51.100.61",
        headers: {
          ...bearer(w.growerToken),
          "Idempotency-Key": key,
          "Content-Type": "application/json",
        },
        body: chainBody,
      });
    const send = (i: number) =>
      call(residents[i] as Client, "entry:join", joins[i] as EntryJoin, 15_000).then(
        (r) => errorCode(r) ?? "ok",
        () => "no ack",
      );

    process.kill(pid, "SIGSTOP");
    let first: string[];
    let healthDuring: number;
    let healthReason: string;
    let postDuring: string;
    try {
      // Three joins now, three more a second later while the first ones wait, and the post.
      const early = [0, 1, 2].map(send);
      await new Promise((r) => setTimeout(r, 1000));
      const later = [3, 4, 5].map(send);
      const posting = postKeyed().then(async (r) => `${r.status} ${(await r.json()).error?.code}`);
      const during = await http("/api/health");
      healthDuring = during.status;
      healthReason = String((await during.json()).redis?.reason);
      // Paused for a few seconds, and at least until every first answer is in.
      [first, postDuring] = await Promise.all([
        Promise.all([...early, ...later]),
        posting,
        new Promise((r) => setTimeout(r, 3000)),
      ]);
    } finally {
      process.kill(pid, "SIGCONT");
    }

    // Each resident sends the same command again, with backoff, until a definite answer.
    const resentBefore = resent;
    const final = await Promise.all(residents.map((s, i) => join(s, joins[i] as EntryJoin)));
    const retries = resent - resentBefore;
    const entries = final.map((r) => ok(r).entry);
    const snap = await snapshot(chain.id);
    await eventually(() =>
      expect(events.filter((e) => e.type === "entry:created")).toHaveLength(6),
    );
    const created = events.filter((e) => e.type === "entry:created");
    const health = await http("/api/health");

    for (const code of first) expect(["outcome_unknown", "unavailable"]).toContain(code);
    expect(new Set(entries.map((e) => e.no)).size).toBe(6);
    expect(snap.activeEntries).toBe(6);
    expect(snap.chain.items.find((i) => i.id === item)?.sold).toBe(1 + 2 + 3 + 4 + 5 + 6);
    expect(created.map((e) => (e.type === "entry:created" ? e.entry.no : 0)).sort()).toEqual(
      entries.map((e) => e.no).sort(),
    );
    expect(health.status).toBe(200);
    // Said in words, not ioredis's "Command timed out".
    expect([healthDuring, healthReason]).toEqual([
      503,
      expect.stringMatching(/^Redis did not answer within \d+ ms/),
    ]);
    expect(server.child.exitCode).toBeNull();
    // The post, sent again with its key until it is definite: one chain.
    const posted = await eventually(async () => {
      const r = await postKeyed();
      expect(r.status).toBe(201);
      return (await r.json()) as ChainView;
    }, 10_000);
    const list = await http(`/api/communities/${w.communityId}/chains`, {
      headers: bearer(w.growerToken),
    });
    const sameTitle = ((await list.json()) as ChainView[]).filter(
      (c) => c.title === "暂停时发的菜",
    );
    // unavailable when the session read timed out first (the write was never sent).
    expect(["503 outcome_unknown", "503 unavailable"]).toContain(postDuring);
    expect(sameTitle.map((c) => c.id)).toEqual([posted.id]);
    // A third send changes nothing.
    ok(await call(residents[0] as Client, "entry:join", joins[0] as EntryJoin));
    expect((await snapshot(chain.id)).activeEntries).toBe(6);
    for (const s of [watcher, ...residents]) s.disconnect();
    report(
      "paused Redis",
      "SIGSTOP of redis-server (≥3 s) while 6 residents joined (one request id each; 3 at once, 3 a second later) and a grower posted a chain with an Idempotency-Key, health asked meanwhile; SIGCONT once every answer was in; each resident resent the same command with backoff until a definite answer, the grower the same post",
      `first acks: ${tally(first)}; the post: ${postDuring}; health during the pause: ${healthDuring}. After resuming, ${retries} more sends answered outcome_unknown/unavailable before every one was ok: 6 entries (nos ${entries.map((e) => e.no).join(", ")}), sold ${snap.chain.items.find((i) => i.id === item)?.sold} = 1+…+6, 6 entry:created broadcast matching the acks; a third send: still 6. The post's retry: 201, and the grower has exactly 1 chain of that title. Health after: ${health.status}; server process alive.`,
    );
  });
});
