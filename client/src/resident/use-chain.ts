/**
 * The resident's chain: followed live with useChainWatch, plus joins, changes and cancels, which
 * wait on the phone (pending.ts) until they have a definite answer.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { addMine, addOlder, type ChainState } from "../../../shared/chain-state.js";
import type { ErrorBody } from "../../../shared/errors.js";
import type { EntryCancel, EntryJoin, EntryUpdate } from "../../../shared/schemas.js";
import type { EntryResult, OwnEntry } from "../../../shared/views.js";
import { useChainWatch } from "../live/chain-watch.js";
import {
  keepPending,
  type PendingState,
  type PendingWrite,
  pendingWrites,
  removePending,
} from "../live/pending.js";
import { type AppSocket, command, connectSocket } from "../live/socket.js";

export type Outcome =
  | { ok: true; result: EntryResult }
  /** No definite answer yet: it waits on the device and is sent again with its request id. */
  | { ok: false; pending: PendingState }
  | { ok: false; pending?: undefined; error: ErrorBody | { code: string; message: string } };

/** A waiting write that got its definite answer (the page says so, wherever it was sent from). */
export interface Resolution {
  requestId: string;
  kind: PendingWrite["kind"];
  outcome: Outcome;
}

export interface LiveChain {
  state: ChainState | null;
  missing: boolean;
  online: boolean;
  pending: PendingWrite[];
  /** The last waiting write that got its answer. */
  resolved: Resolution | null;
  /** Bring the next page of older entries into the list. */
  loadOlder(): Promise<void>;
  join(p: EntryJoin): Promise<Outcome>;
  update(p: EntryUpdate): Promise<Outcome>;
  cancel(p: EntryCancel): Promise<Outcome>;
  /** For the waitlist (waitlist.tsx): its own commands, and their answers into the state. */
  socket: AppSocket | null;
  put(next: ChainState): void;
  current(): ChainState | null;
  /** Try to connect again now (the offline page's 重试). */
  retry(): void;
  /** An entry found by its personal key: shown and followed as this phone's own. */
  adopt(entry: OwnEntry): void;
}

/** Answers that say nothing about whether the write was applied: ask again with the same id. */
const UNKNOWN = new Set(["timeout", "outcome_unknown"]);
/** Answers that say it was not applied and can't be now: try again later. */
const NOT_NOW = new Set(["offline", "unavailable", "rate_limited"]);

const EVENT = { join: "entry:join", update: "entry:update", cancel: "entry:cancel" } as const;

export function useChain(chainId: string): LiveChain {
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  const [pending, setPending] = useState(() => pendingWrites(chainId));
  const [resolved, setResolved] = useState<Resolution | null>(null);
  const socketRef = useRef<AppSocket | null>(null);
  const flushing = useRef(false);
  const retry = useRef<{ timer: ReturnType<typeof setTimeout> | null; attempt: number }>({
    timer: null,
    attempt: 0,
  });
  // Waiting writes go out again once the chain is caught up after each (re)connect.
  const flushRef = useRef<() => void>(() => {});
  const watch = useChainWatch(socket, chainId, { onCaughtUp: () => flushRef.current() });
  const { state, missing, put } = watch;

  const send = useCallback(
    (socket: AppSocket, w: PendingWrite) =>
      // biome-ignore lint/suspicious/noExplicitAny: the three events share one reply shape
      command(socket, EVENT[w.kind], w.payload as any) as Promise<
        Awaited<ReturnType<typeof command<"entry:join">>>
      >,
    [],
  );

  /** Send every waiting write again, in order, until one has no definite answer yet. */
  const flushPending = useCallback(async () => {
    const socket = socketRef.current;
    if (!socket || flushing.current) return;
    flushing.current = true;
    const r = retry.current;
    if (r.timer) clearTimeout(r.timer);
    r.timer = null;
    try {
      for (const w of pendingWrites(chainId)) {
        const reply = await send(socket, w);
        if (!reply.ok && (UNKNOWN.has(reply.error.code) || NOT_NOW.has(reply.error.code))) {
          if (UNKNOWN.has(reply.error.code)) keepPending({ ...w, state: "confirming" });
          // Again later, further apart each time (1 s, 2 s, 4 s … 30 s), and at the next connect.
          r.timer = setTimeout(() => void flushPending(), Math.min(1000 * 2 ** r.attempt, 30_000));
          r.attempt++;
          break;
        }
        r.attempt = 0;
        removePending(chainId, w.payload.requestId);
        const held = watch.current();
        if (reply.ok && held) put(addMine(held, reply.data.entry));
        setResolved({
          requestId: w.payload.requestId,
          kind: w.kind,
          outcome: reply.ok ? { ok: true, result: reply.data } : { ok: false, error: reply.error },
        });
      }
    } finally {
      flushing.current = false;
      setPending(pendingWrites(chainId));
    }
  }, [chainId, put, send]);

  flushRef.current = () => {
    retry.current.attempt = 0;
    void flushPending();
  };

  useEffect(() => {
    const socket = connectSocket();
    socketRef.current = socket;
    setSocket(socket);
    socket.on("connect", () => setOnline(true));
    socket.on("disconnect", () => setOnline(false));
    // Could not connect at all (no network on the first load): say so instead of loading forever.
    socket.on("connect_error", () => setOnline(false));
    // The phone knows it lost its network before the socket does: drop the transport now, so
    // writes go to the pending queue at once and Socket.IO starts reconnecting.
    const goneOffline = () => {
      setOnline(false);
      socket.io.engine?.close();
    };
    window.addEventListener("offline", goneOffline);
    // The network is back: connect now rather than at the next backoff step.
    const back = () => {
      if (!socket.connected) socket.connect();
    };
    window.addEventListener("online", back);
    const r = retry.current;
    return () => {
      window.removeEventListener("offline", goneOffline);
      window.removeEventListener("online", back);
      if (r.timer) clearTimeout(r.timer);
      socket.disconnect();
    };
  }, []);

  const afterWrite = useCallback(
    (reply: Awaited<ReturnType<typeof command<"entry:join">>>): Outcome => {
      if (!reply.ok) return { ok: false, error: reply.error };
      const held = watch.current();
      if (held) put(addMine(held, reply.data.entry));
      return { ok: true, result: reply.data };
    },
    [put],
  );

  /**
   * Send a write. No answer, or `outcome_unknown`: it may be applied, so it waits as
   * `confirming` and goes again with the same request id. A join made offline waits as `queued`.
   */
  const write = useCallback(
    async (w: PendingWrite): Promise<Outcome> => {
      const socket = socketRef.current;
      const reply = socket ? await send(socket, w) : null;
      const code = reply && !reply.ok ? reply.error.code : null;
      if (!reply || (w.kind === "join" && code === "offline")) {
        keepPending({ ...w, state: "queued" });
        setPending(pendingWrites(chainId));
        return { ok: false, pending: "queued" };
      }
      if (code && UNKNOWN.has(code)) {
        keepPending({ ...w, state: "confirming" });
        setPending(pendingWrites(chainId));
        void flushPending();
        return { ok: false, pending: "confirming" };
      }
      return afterWrite(reply);
    },
    [chainId, afterWrite, send, flushPending],
  );

  const join = useCallback(
    (p: EntryJoin) => write({ kind: "join", payload: p, state: "queued" }),
    [write],
  );
  const update = useCallback(
    (p: EntryUpdate) => write({ kind: "update", payload: p, state: "queued" }),
    [write],
  );
  const cancel = useCallback(
    (p: EntryCancel) => write({ kind: "cancel", payload: p, state: "queued" }),
    [write],
  );

  const loadOlder = useCallback(async () => {
    const socket = socketRef.current;
    const have = watch.current();
    if (!socket || !have || have.from <= 1) return;
    const reply = await command(socket, "chain:entries", { chainId, before: have.from });
    const held = watch.current();
    if (reply.ok && held) put(addOlder(held, reply.data));
  }, [chainId, put]);

  const adopt = useCallback(
    (entry: OwnEntry) => {
      const held = watch.current();
      if (held) put(addMine(held, entry));
    },
    [put],
  );

  const retryNow = useCallback(() => {
    const socket = socketRef.current;
    if (!socket || socket.connected) return;
    socket.disconnect();
    socket.connect();
  }, []);

  return {
    state,
    missing,
    online,
    pending,
    resolved,
    loadOlder,
    join,
    update,
    cancel,
    socket,
    put,
    current: watch.current,
    adopt,
    retry: retryNow,
  };
}
