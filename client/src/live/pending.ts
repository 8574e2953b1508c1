/**
 * Writes that have no definite answer yet wait here (on the device, so a reload keeps them) and
 * are sent again with the same request id until one comes:
 * - `queued`: never sent (offline); it goes out when the connection returns;
 * - `confirming`: sent, but the answer was lost or Redis said `outcome_unknown`. It may already
 *   be applied; sending the same request id again returns that result, never a second entry.
 */
import type { EntryCancel, EntryJoin, EntryUpdate } from "../../../shared/schemas.js";

export type PendingWrite =
  | { kind: "join"; payload: EntryJoin; state: PendingState }
  | { kind: "update"; payload: EntryUpdate; state: PendingState }
  | { kind: "cancel"; payload: EntryCancel; state: PendingState };

export type PendingState = "queued" | "confirming";

const key = (chainId: string) => `jl:pending:${chainId}`;

/** Stored before writes had kinds: a bare join payload. */
type Stored = PendingWrite | EntryJoin;

export function pendingWrites(chainId: string): PendingWrite[] {
  try {
    const list = JSON.parse(localStorage.getItem(key(chainId)) ?? "[]") as Stored[];
    return list.map((p) =>
      "kind" in p ? p : { kind: "join", payload: p, state: "queued" as PendingState },
    );
  } catch {
    return [];
  }
}

function save(chainId: string, list: PendingWrite[]): void {
  try {
    if (list.length) localStorage.setItem(key(chainId), JSON.stringify(list));
    else localStorage.removeItem(key(chainId));
  } catch {
    // Private mode: the write still waits in memory for this visit.
  }
}

/** Keep a write until it has a definite answer (a write already kept just changes state). */
export function keepPending(write: PendingWrite): void {
  const chainId = write.payload.chainId;
  const list = pendingWrites(chainId);
  const at = list.findIndex((p) => p.payload.requestId === write.payload.requestId);
  if (at >= 0) list[at] = write;
  else list.push(write);
  save(chainId, list);
}

export function removePending(chainId: string, requestId: string): void {
  save(
    chainId,
    pendingWrites(chainId).filter((p) => p.payload.requestId !== requestId),
  );
}
