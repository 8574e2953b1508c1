/**
 * Joins made offline wait here (on the device) and are sent when the connection returns, with
 * the same request id, so a join that did reach the server cannot become two entries.
 */
import type { EntryJoin } from "../../shared/schemas.js";

const key = (chainId: string) => `jl:pending:${chainId}`;

export function pendingJoins(chainId: string): EntryJoin[] {
  try {
    return JSON.parse(localStorage.getItem(key(chainId)) ?? "[]") as EntryJoin[];
  } catch {
    return [];
  }
}

function save(chainId: string, list: EntryJoin[]): void {
  if (list.length) localStorage.setItem(key(chainId), JSON.stringify(list));
  else localStorage.removeItem(key(chainId));
}

export function addPending(join: EntryJoin): void {
  const list = pendingJoins(join.chainId).filter((p) => p.requestId !== join.requestId);
  save(join.chainId, [...list, join]);
}

export function removePending(chainId: string, requestId: string): void {
  save(
    chainId,
    pendingJoins(chainId).filter((p) => p.requestId !== requestId),
  );
}
