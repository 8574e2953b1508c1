/**
 * Everything live about one chain: watch it, apply events in version order, resync after gaps or
 * reconnects, and send joins, changes and cancels (offline joins wait in the pending queue).
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ErrorBody } from "../../shared/errors.js";
import type { EntryCancel, EntryJoin, EntryUpdate } from "../../shared/schemas.js";
import type { ChainEvent, EntryResult } from "../../shared/views.js";
import { addMine, applyEvents, type ChainState, fromSnapshot, GAP } from "./chain-state.js";
import { addPending, pendingJoins, removePending } from "./pending.js";
import { type AppSocket, command, connectSocket } from "./socket.js";

export type Outcome =
  | { ok: true; result: EntryResult }
  | { ok: false; pending: true }
  | { ok: false; pending?: false; error: ErrorBody | { code: string; message: string } };

export interface LiveChain {
  state: ChainState | null;
  missing: boolean;
  online: boolean;
  pending: EntryJoin[];
  join(p: EntryJoin): Promise<Outcome>;
  update(p: EntryUpdate): Promise<Outcome>;
  cancel(p: EntryCancel): Promise<Outcome>;
}

export function useChain(chainId: string): LiveChain {
  const [state, setState] = useState<ChainState | null>(null);
  const [missing, setMissing] = useState(false);
  const [online, setOnline] = useState(true);
  const [pending, setPending] = useState(() => pendingJoins(chainId));
  const socketRef = useRef<AppSocket | null>(null);
  const stateRef = useRef<ChainState | null>(null);
  const syncing = useRef(false);

  const put = useCallback((next: ChainState) => {
    stateRef.current = next;
    setState(next);
  }, []);

  /** Catch up from our version (or load a snapshot); also (re)joins the chain's room. */
  const sync = useCallback(async () => {
    const socket = socketRef.current;
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
  }, [chainId, put]);

  const onEvents = useCallback(
    (events: ChainEvent[]) => {
      const current = stateRef.current;
      if (!current) return;
      const next = applyEvents(current, events);
      if (next === GAP) void sync();
      else put(next);
    },
    [put, sync],
  );

  const flushPending = useCallback(async () => {
    const socket = socketRef.current;
    if (!socket) return;
    for (const p of pendingJoins(chainId)) {
      const reply = await command(socket, "entry:join", p);
      if (
        !reply.ok &&
        (reply.error.code === "offline" ||
          reply.error.code === "timeout" ||
          reply.error.code === "unavailable" ||
          reply.error.code === "rate_limited")
      ) {
        break; // Still can't reach it: try again at the next connect.
      }
      removePending(chainId, p.requestId);
      if (reply.ok && stateRef.current) put(addMine(stateRef.current, reply.data.entry));
    }
    setPending(pendingJoins(chainId));
  }, [chainId, put]);

  useEffect(() => {
    const socket = connectSocket();
    socketRef.current = socket;
    socket.on("connect", () => {
      setOnline(true);
      // A recovered session was replayed what it missed; otherwise catch up by version.
      const catchUp = socket.recovered && stateRef.current ? Promise.resolve() : sync();
      void catchUp.then(flushPending);
    });
    socket.on("disconnect", () => setOnline(false));
    socket.on("entry:created", (e) => onEvents([e]));
    socket.on("entry:updated", (e) => onEvents([e]));
    socket.on("entry:cancelled", (e) => onEvents([e]));
    socket.on("chain:updated", (e) => onEvents([e]));
    socket.on("chain:batch", (b) => onEvents(b.events));
    socket.on("chain:version", (h) => {
      if (stateRef.current && h.version > stateRef.current.version) void sync();
    });
    // The phone knows it lost its network before the socket does: drop the transport now, so
    // writes go to the pending queue at once and Socket.IO starts reconnecting.
    const goneOffline = () => {
      setOnline(false);
      socket.io.engine?.close();
    };
    window.addEventListener("offline", goneOffline);
    return () => {
      window.removeEventListener("offline", goneOffline);
      socket.disconnect();
    };
  }, [sync, onEvents, flushPending]);

  const afterWrite = useCallback(
    (reply: Awaited<ReturnType<typeof command<"entry:join">>>): Outcome => {
      if (!reply.ok) return { ok: false, error: reply.error };
      if (stateRef.current) put(addMine(stateRef.current, reply.data.entry));
      return { ok: true, result: reply.data };
    },
    [put],
  );

  const join = useCallback(
    async (p: EntryJoin): Promise<Outcome> => {
      const socket = socketRef.current;
      const reply = socket ? await command(socket, "entry:join", p) : null;
      if (
        !reply ||
        (!reply.ok && (reply.error.code === "offline" || reply.error.code === "timeout"))
      ) {
        // Keep it on the device; it goes out with the same request id when we're back.
        addPending(p);
        setPending(pendingJoins(chainId));
        return { ok: false, pending: true };
      }
      return afterWrite(reply);
    },
    [chainId, afterWrite],
  );

  const update = useCallback(
    async (p: EntryUpdate): Promise<Outcome> => {
      const socket = socketRef.current;
      if (!socket) return { ok: false, error: { code: "offline", message: "" } };
      return afterWrite(await command(socket, "entry:update", p));
    },
    [afterWrite],
  );

  const cancel = useCallback(
    async (p: EntryCancel): Promise<Outcome> => {
      const socket = socketRef.current;
      if (!socket) return { ok: false, error: { code: "offline", message: "" } };
      return afterWrite(await command(socket, "entry:cancel", p));
    },
    [afterWrite],
  );

  return { state, missing, online, pending, join, update, cancel };
}
