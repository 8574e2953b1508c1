/**
 * What the orchestrator asks a load generator (load-child.ts) to do, what comes back, and the
 * join payload every scenario sends (the echo ceiling sends the same shape).
 */
import { randomUUID } from "node:crypto";
import type { EntryJoin } from "../shared/schemas.js";
import type { LoopResult } from "./loop.js";

/** The bare Socket.IO ceiling's commands (ceiling-child.ts). */
export interface CeilingClientToServer {
  echo: (payload: EntryJoin, ack: (reply: EntryJoin) => void) => void;
  watch: (ack: (ok: boolean) => void) => void;
  fanout: (version: number, ack: (ok: boolean) => void) => void;
}

/** A broadcast as a watcher of the app received it, for the bare server to send the same. */
export interface FanoutTemplate {
  event: string;
  payload: { version?: number; events?: { version: number }[] } & Record<string, unknown>;
}

/** The chain the joiners join (an echo run sends the same shape with made-up ids). */
export interface JoinTarget {
  chainId: string;
  dropPointIds: string[];
  itemIds: string[];
}

/** Which server a group of sockets talks to: the app, or the bare Socket.IO ceiling. */
export type Server = "app" | "ceiling";

export interface ConnectJob {
  /** A name for this set of sockets inside the child (a child may hold several). */
  group: string;
  server: Server;
  url: string;
  count: number;
  /** App sockets that order carry a device key of their own; watchers carry nothing. */
  deviceKeys: boolean;
  /** Watch a chain (app) or join the broadcast room (ceiling) once connected. */
  watchChainId?: string;
  watchRoom?: boolean;
  /** Keep every event's arrival time (fan-out latency); otherwise only count and check. */
  arrivals?: boolean;
  timeoutMs: number;
}

export interface LoopJob {
  group: string;
  target: JoinTarget;
  inflight: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  /** Stop once this many requests were acked ok (a fill, not a timed run). */
  stopAfterOk?: number;
}

export interface BurstJob {
  group: string;
  target: JoinTarget;
  perSocket: number;
  timeoutMs: number;
}

export interface BurstResult {
  /** send → ack of every request, ms, whatever the answer. */
  latencies: number[];
  /** ok, or the error code, → count. */
  outcomes: Record<string, number>;
}

export interface SerialJob {
  group: string;
  /** join: entry:join to the app; fanout: ask the bare server to broadcast. */
  kind: "join" | "fanout";
  target: JoinTarget;
  count: number;
  /** Pause after each ack, so fan-outs do not overlap. */
  gapMs: number;
  timeoutMs: number;
  /** For fanout: the version to give the first broadcast. */
  firstVersion?: number;
}

export interface SerialSend {
  version: number;
  /** Wall-clock ms (performance.timeOrigin + now), comparable across processes. */
  sentAt: number;
  ackMs: number;
  /** The entry number, for joins. */
  no: number | null;
}

export interface WatchJob {
  group: string;
  /** Each watcher should end up with this many events; wait for it up to drainTimeoutMs. */
  expected: number;
  drainTimeoutMs: number;
}

export interface WatchSummary {
  watchers: number;
  /** Chain events received per watcher (frames flattened). */
  eventsMin: number;
  eventsMax: number;
  eventsTotal: number;
  /** Socket.IO frames (a chain:events frame counts once). */
  framesTotal: number;
  /** Events missing, summed over watchers (each watcher should see every join once). */
  lost: number;
  /** Events beyond those expected, summed over watchers. */
  extra: number;
  /** Version gaps: an event whose version skips one or more versions. */
  gaps: number;
  /** Events whose version was not above the last seen (duplicates or reordering). */
  outOfOrder: number;
  /** Watchers whose socket disconnected before the end. */
  disconnected: number;
  disconnectReasons: string[];
  /** Time from the request until every watcher had every event (or the timeout). */
  drainMs: number;
}

export interface WatchReport {
  summary: WatchSummary;
  /** [version, arrival wall-clock ms of each watcher]… when the group keeps arrivals. */
  arrivals: [number, number[]][];
  /** The first broadcast received, as the bare server should repeat it. */
  sample: FanoutTemplate | null;
}

export interface HttpJob {
  url: string;
  headers: Record<string, string>;
  connections: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
}

export interface HttpResult extends LoopResult {
  /** Body bytes of the last response (as sent: compressed or not). */
  bodyBytes: number;
}

export interface LuaJob {
  url: string;
  callers: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
}

export const now = () => performance.timeOrigin + performance.now();

const NAMES = ["张阿姨", "李叔", "王奶奶", "小陈", "赵大爷", "孙老师", "刘姐", "周师傅"];

/**
 * An entry:join as a phone sends it: one or two lines, a phone, a fresh request id. The drop
 * point follows the caller; the name and building follow `seq`, so a pickup list holds many
 * residents (as a compound's does), not a handful.
 */
export function joinPayload(target: JoinTarget, caller: number, seq = caller): EntryJoin {
  const [first = "i1", second] = target.itemIds;
  return {
    requestId: randomUUID(),
    chainId: target.chainId,
    dropPointId: target.dropPointIds[caller % target.dropPointIds.length] ?? "",
    name: NAMES[seq % NAMES.length] ?? "张阿姨",
    building: `${1 + (seq % 24)}-${1 + (Math.floor(seq / 24) % 6)}0${1 + (seq % 4)}`,
    phone: "13800001234",
    lines: second
      ? [
          { itemId: first, qty: 2 },
          { itemId: second, qty: 1 },
        ]
      : [{ itemId: first, qty: 1 }],
  };
}
