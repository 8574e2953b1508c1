/**
 * The failover drill both topologies run: residents stream joins (each retried with the same
 * request id until it has a definite answer, as the resident page does), the primary that owns the
 * community is killed with SIGKILL, a replica is promoted, and the stream goes on. What it
 * measures: joins acked, acked joins missing afterwards (lost), entries present more than once
 * (duplicated), and the seconds from the kill to the first join acked after it (recovery).
 */
import { expect } from "vitest";
import type { ChainEvent, StaffEntry, WatchResult } from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  requestId,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { ask, roleOf, until } from "../helpers/redis-topologies.js";

export interface Stream {
  /** Names acked so far (each join's name is unique). */
  acked: Set<string>;
  /** When each ack came, and when the attempt that got it was sent. */
  ackedAt: { sentAt: number; at: number }[];
  stop(): Promise<void>;
  retried(): number;
  errors(): {
    codes: Record<string, number>;
    lastError: string;
    refused: number;
    lastRefusal: string;
  };
  refused(): number;
}

/** `workers` residents, spread over the app nodes, each joining one line at a time. */
export async function streamJoins(
  apps: TestApp[],
  chainId: string,
  itemId: string,
  dropPointIds: string[],
  workers = 6,
): Promise<Stream> {
  const acked = new Set<string>();
  const ackedAt: { sentAt: number; at: number }[] = [];
  let stopping = false;
  let retried = 0;
  let refused = 0;
  const codes = new Map<string, number>();
  let lastError = "";
  let lastRefusal = "";
  const sockets: Client[] = [];
  for (let i = 0; i < workers; i++) {
    sockets.push(await client(apps[i % apps.length] as TestApp, { deviceKey: deviceKey() }));
  }
  const loops = sockets.map(async (first, w) => {
    let s = first;
    for (let n = 0; !stopping; n++) {
      // A device holds at most MAX_ENTRIES_PER_DEVICE (20) entries of a chain: a new resident
      // (a new device key) every 15 joins.
      if (n > 0 && n % 15 === 0) {
        s.disconnect();
        s = await client(apps[(w + n) % apps.length] as TestApp, { deviceKey: deviceKey() });
        sockets[w] = s;
      }
      const name = `住户${w}-${n}`;
      const payload = {
        requestId: requestId(),
        chainId,
        dropPointId: dropPointIds[n % dropPointIds.length] ?? "",
        name,
        building: `${w + 1}-${100 + n}`,
        lines: [{ itemId, qty: 1 }],
      };
      // The same request id until a definite answer (or the drill ends and it is abandoned:
      // then it is not counted as acked, whatever happened to it).
      for (;;) {
        const sentAt = Date.now();
        const reply = await call(s, "entry:join", payload, 20_000).catch(() => null);
        if (reply?.ok) {
          acked.add(name);
          ackedAt.push({ sentAt, at: Date.now() });
          // About 30 joins/s per resident: a steady stream, under the per-address limits.
          await new Promise((r) => setTimeout(r, 30));
          break;
        }
        if (reply && !["outcome_unknown", "unavailable"].includes(reply.error.code)) {
          refused++;
          lastRefusal = `${reply.error.code}: ${reply.error.message}`;
          await new Promise((r) => setTimeout(r, 100));
          break;
        }
        retried++;
        const code = reply ? reply.error.code : "no answer";
        codes.set(code, (codes.get(code) ?? 0) + 1);
        lastError =
          reply && !reply.ok ? `${reply.error.code}: ${reply.error.message}` : "no answer";
        if (stopping) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  return {
    acked,
    ackedAt,
    retried: () => retried,
    errors: () => ({ codes: Object.fromEntries(codes), lastError, refused, lastRefusal }),
    refused: () => refused,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      for (const s of sockets) s.disconnect();
    },
  };
}

export async function waitForAcks(stream: Stream, more: number, timeoutMs: number): Promise<void> {
  const target = stream.acked.size + more;
  const deadline = Date.now() + timeoutMs;
  while (stream.acked.size < target) {
    if (Date.now() > deadline) {
      throw new Error(
        `only ${stream.acked.size} of ${target} joins acked in ${timeoutMs} ms; retried answers: ${JSON.stringify(stream.errors())}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The chain's entries as the grower reads them (retrying while the store recovers). */
export async function entriesOf(t: TestApp, w: World, chainId: string): Promise<StaffEntry[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await t.http.get(`/api/chains/${chainId}/entries`).set(bearer(w.growerToken));
    if (res.status === 200) return res.body as StaffEntry[];
    if (Date.now() > deadline)
      throw new Error(`entries: ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function check(entries: StaffEntry[], acked: Set<string>) {
  const names = entries.map((e) => e.name);
  const present = new Set(names);
  const lost = [...acked].filter((n) => !present.has(n));
  const duplicated = names.length - present.size;
  // Chain numbers stay 1..N without a gap or a repeat.
  expect(entries.map((e) => e.no).sort((a, b) => a - b)).toEqual(
    Array.from({ length: entries.length }, (_, i) => i + 1),
  );
  return { lost: lost.length, duplicated, lostNames: lost };
}

export function recoverySeconds(stream: Stream, killedAt: number): number {
  // The first join sent after the kill and acked: writes are accepted again.
  const first = stream.ackedAt.find((a) => a.sentAt > killedAt);
  return first === undefined ? Number.POSITIVE_INFINITY : (first.at - killedAt) / 1000;
}

/**
 * A watcher as the resident page keeps one (client/src/live/chain-watch.ts): it applies events
 * in version order, and on a gap or a `chain:version` nudge ahead of it asks for what it missed
 * (chain:watch with sinceVersion). `events` is what it applied: each version once, in order.
 */
export async function pageWatcher(t: TestApp, chainId: string) {
  const s = await client(t, {});
  const events: ChainEvent[] = [];
  let last = 0;
  let syncing = false;
  let again = false;
  const apply = (evs: ChainEvent[]) => {
    for (const e of evs) {
      if (e.version <= last) continue;
      if (e.version !== last + 1) {
        void resync();
        return;
      }
      events.push(e);
      last = e.version;
    }
  };
  const resync = async () => {
    if (syncing) {
      again = true;
      return;
    }
    syncing = true;
    try {
      do {
        again = false;
        const r = await call(s, "chain:watch", { chainId, sinceVersion: last }).catch(() => null);
        if (r?.ok && r.data.kind === "events") apply(r.data.events);
        else if (r?.ok) throw new Error("a snapshot instead of the events missed");
        else again = true;
        if (again) await new Promise((res) => setTimeout(res, 200));
      } while (again);
    } finally {
      syncing = false;
    }
  };
  s.on("chain:events", (frame) => {
    if (frame.chainId === chainId) apply(frame.events);
  });
  s.on("chain:version", (head) => {
    if (head.chainId === chainId && head.version > last) void resync();
  });
  const first = await call(s, "chain:watch", { chainId });
  if (!first.ok || first.data.kind !== "snapshot") throw new Error("expected a snapshot");
  last = (first.data as Extract<WatchResult, { kind: "snapshot" }>).snapshot.chain.version;
  return {
    events,
    socket: s,
    /** Catch up to the chain's version now (as the page does on reconnect). */
    sync: resync,
  };
}

/**
 * The old primary, restarted with its own data, has become a replica and caught up.
 * Sentinel waits 8 s after the instance is back before it sends REPLICAOF, and a Sentinel that
 * was stalled for more than 2 s (a busy CI box) enters TILT mode and does nothing for 30 s, so
 * the wait is 60 s. `explain` adds what the Sentinels say to the failure message.
 */
export async function rejoinedAsReplica(
  port: number,
  explain?: () => Promise<string>,
): Promise<void> {
  const started = Date.now();
  try {
    await until(async () => (await roleOf(port)) === "slave", 60_000, "old primary as replica");
    await until(
      async () => String(await ask(port, "INFO", "replication")).includes("master_link_status:up"),
      30_000,
      "old primary synced",
    );
  } catch (err) {
    const said = explain ? await explain().catch((e) => String(e)) : "";
    throw new Error(`${(err as Error).message} after ${Date.now() - started} ms. ${said}`);
  }
  process.stdout.write(`OLD PRIMARY REJOINED after ${Date.now() - started} ms\n`);
}

/**
 * The drill's outcome, printed as FAILOVER FIGURES and checked: every acked join is there once,
 * the chain numbers have no gap, and writes came back within 15 s of the kill.
 */
export function reportDrill(
  topology: "cluster" | "sentinel",
  entries: StaffEntry[],
  stream: Stream,
  recovery: number,
): void {
  const result = check(entries, stream.acked);
  const figures = {
    topology,
    acked: stream.acked.size,
    lost: result.lost,
    duplicated: result.duplicated,
    recoverySeconds: recovery,
    retried: stream.retried(),
    entries: entries.length,
  };
  process.stdout.write(`FAILOVER FIGURES ${JSON.stringify(figures)}\n`);
  expect(result.lostNames).toEqual([]);
  expect(result.duplicated).toBe(0);
  expect(recovery).toBeLessThan(15);
  // Entries that landed without an ack (abandoned at the end) may exist; acked ones all do.
  expect(entries.length).toBeGreaterThanOrEqual(stream.acked.size);
}
