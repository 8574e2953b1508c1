/**
 * Following one chain live: the one hook every page that shows a chain uses (the resident's
 * chain, the grower's totals, the packing view). It watches the chain, applies each
 * `chain:events` frame with the shared reducer (shared/chain-state.ts), and catches up by version
 * after a gap, a reconnect or a `chain:version` nudge.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { applyEvents, type ChainState, fromSnapshot, GAP } from "../../../shared/chain-state.js";
import type { ChainFrame } from "../../../shared/events.js";
import { type AppSocket, command } from "./socket.js";

export interface ChainWatch {
  state: ChainState | null;
  /** The chain does not exist (or is gone after retention). */
  missing: boolean;
  /** The latest state, for callbacks that must not wait for a render. */
  current(): ChainState | null;
  /** Replace the state (an ack brought something newer). */
  put(next: ChainState): void;
}

export interface ChainWatchOptions {
  /** After each catch-up (first watch and every reconnect), whether or not it succeeded. */
  onCaughtUp?(): void;
  /** After every change of the state (a frame, a snapshot). */
  onChange?(state: ChainState): void;
}

export function useChainWatch(
  socket: AppSocket | null,
  chainId: string,
  opts: ChainWatchOptions = {},
): ChainWatch {
  const [state, setState] = useState<ChainState | null>(null);
  const [missing, setMissing] = useState(false);
  const stateRef = useRef<ChainState | null>(null);
  const syncing = useRef(false);
  const optsRef = useRef(opts);
  optsRef.current = opts;

  const put = useCallback((next: ChainState) => {
    stateRef.current = next;
    setState(next);
    optsRef.current.onChange?.(next);
  }, []);

  /** Catch up from our version (or load a snapshot); also (re)joins the chain's room. */
  const sync = useCallback(async (): Promise<void> => {
    if (!socket || syncing.current) return;
    syncing.current = true;
    try {
      const have = stateRef.current;
      const reply = await command(socket, "chain:watch", {
        chainId,
        ...(have ? { sinceVersion: have.version } : {}),
      });
      if (!reply.ok) {
        if (reply.error.code === "not_found") setMissing(true);
        // Not now (the server or the network is away): look again shortly, not only at reconnect.
        else setTimeout(() => void sync(), 2000);
        return;
      }
      const data = reply.data;
      if (data.kind === "snapshot") put(fromSnapshot(data.snapshot));
      else if (stateRef.current) {
        const next = applyEvents(stateRef.current, data.events);
        if (next !== GAP) put(next);
      }
    } finally {
      syncing.current = false;
    }
  }, [socket, chainId, put]);

  useEffect(() => {
    if (!socket) return;
    const onConnect = () => {
      // A recovered session was replayed what it missed; otherwise catch up by version.
      const catchUp = socket.recovered && stateRef.current ? Promise.resolve() : sync();
      void catchUp.then(() => optsRef.current.onCaughtUp?.());
    };
    const onFrame = (frame: ChainFrame) => {
      const current = stateRef.current;
      if (frame.chainId !== chainId || !current) return;
      const next = applyEvents(current, frame.events);
      if (next === GAP) void sync();
      else if (next !== current) put(next);
    };
    const onVersion = (head: { chainId: string; version: number }) => {
      if (head.chainId !== chainId) return;
      if (!stateRef.current || head.version > stateRef.current.version) void sync();
    };
    socket.on("connect", onConnect);
    socket.on("chain:events", onFrame);
    socket.on("chain:version", onVersion);
    if (socket.connected) onConnect();
    return () => {
      socket.off("connect", onConnect);
      socket.off("chain:events", onFrame);
      socket.off("chain:version", onVersion);
      if (socket.connected) void command(socket, "chain:unwatch", { chainId });
    };
  }, [socket, chainId, sync, put]);

  const current = useCallback(() => stateRef.current, []);
  return { state, missing, current, put };
}
