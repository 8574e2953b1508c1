/** Watching a chain: a snapshot, or the events since a version the client already has. */
import type { ChainEvent, ChainView, WatchResult } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { notFound } from "../errors.js";
import { readChainVersion, readEventsSince } from "../store/chains.js";
import { getChainView, getSnapshot } from "./chains.js";
import { presentEvent } from "./presenters.js";

/** Before a watcher joins a chain's room: the chain exists (every chain is public). */
export async function ensureWatchable(ctx: Ctx, chainId: string): Promise<void> {
  if ((await readChainVersion(ctx, chainId)) === null) throw notFound("chain");
}

export async function watchChain(
  ctx: Ctx,
  chainId: string,
  sinceVersion: number | undefined,
  deviceHash: string | null,
): Promise<WatchResult> {
  if (sinceVersion !== undefined) {
    const since = await readEventsSince(ctx, chainId, sinceVersion);
    if (since && since !== "gap") {
      const needsView = since.events.some(
        (e) => e.t === "chain:updated" || e.t === "chain:created",
      );
      // Chain events carry the chain as it is now, which supersedes every earlier state.
      const view: ChainView | undefined = needsView ? await getChainView(ctx, chainId) : undefined;
      const events = since.events
        .map((raw) => presentEvent(raw, view))
        .filter((e): e is ChainEvent => e !== null);
      return { kind: "events", chainId, events, version: since.version };
    }
  }
  return { kind: "snapshot", snapshot: await getSnapshot(ctx, chainId, deviceHash) };
}
