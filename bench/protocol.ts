/**
 * What the bench's main thread and its client worker threads say to each other, and the join
 * payload every scenario sends (the echo ceiling sends the same shape).
 */
import { randomUUID } from "node:crypto";
import type { EntryJoin } from "../shared/schemas.js";
import type { LoopResult } from "./loop.js";

/** The bare echo ceiling's only command: ack the payload as sent. */
export interface EchoClientToServer {
  echo: (payload: EntryJoin, ack: (reply: EntryJoin) => void) => void;
}

export interface LoopJob {
  url: string;
  clients: number;
  inflight: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
}

/** The chain the joiners join (an echo run sends the same shape with made-up ids). */
export interface JoinTarget {
  chainId: string;
  dropPointIds: string[];
  itemIds: string[];
}

export type WorkerJob =
  | ({ kind: "echo"; target: JoinTarget } & LoopJob)
  | ({ kind: "join"; target: JoinTarget } & LoopJob)
  | { kind: "watch"; url: string; watchers: number; chainId: string; timeoutMs: number };

export type ToWorker =
  | { type: "go" }
  /** Watchers: wait until each has `expected` events, or `timeoutMs` passes, then report. */
  | { type: "drain"; expected: number; timeoutMs: number }
  | { type: "close" };

export interface WatchSummary {
  watchers: number;
  /** Events (entry:created etc., batches flattened) received per watcher. */
  eventsMin: number;
  eventsMax: number;
  eventsTotal: number;
  /** Socket.IO frames (one per event name delivery, a chain:batch counts once). */
  framesMin: number;
  framesMax: number;
  framesTotal: number;
  /** Events missing, summed over watchers (each watcher should see every join once). */
  lost: number;
  /** Events beyond the joins made, summed over watchers. */
  extra: number;
  /** Version gaps: an event whose version skips one or more versions. */
  gaps: number;
  /** Events whose version was not above the last seen (duplicates or reordering). */
  outOfOrder: number;
  /** Watchers whose socket disconnected before the end. */
  disconnected: number;
  disconnectReasons: string[];
  /** Largest version any watcher saw, and the snapshot version they started from. */
  lastVersion: number;
  snapshotVersion: number;
  /** Time from the drain request until every watcher had every event (or the timeout). */
  drainMs: number;
}

export type FromWorker =
  | { type: "ready"; connectMs: number }
  | { type: "result"; result: LoopResult }
  | { type: "drained"; summary: WatchSummary }
  | { type: "closed" }
  | { type: "failed"; message: string };

const NAMES = ["张阿姨", "李叔", "小陈", "王奶奶", "赵师傅"];
const BUILDINGS = ["3-201", "12-502", "7-3-101", "5-1-302", "9-602"];

/** An entry:join as a phone sends it: two lines, a phone, a fresh request id. */
export function joinPayload(target: JoinTarget, caller: number): EntryJoin {
  const pick = <T>(list: readonly T[], fallback: T): T => list[caller % list.length] ?? fallback;
  const [first = "i1", second] = target.itemIds;
  return {
    requestId: randomUUID(),
    chainId: target.chainId,
    dropPointId: pick(target.dropPointIds, ""),
    name: pick(NAMES, "张阿姨"),
    building: pick(BUILDINGS, "3-201"),
    phone: "13800001234",
    lines: second
      ? [
          { itemId: first, qty: 2 },
          { itemId: second, qty: 1 },
        ]
      : [{ itemId: first, qty: 1 }],
  };
}
