/** Hooks the lazily loaded pages share (the resident page has its own in use-chain.ts). */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ErrorBody } from "../../shared/errors.js";
import type { PickupChange, PickupList, SessionView } from "../../shared/views.js";
import { get } from "./api.js";
import { errorText } from "./i18n.js";
import { type AppSocket, command, connectSocket, type LocalFailure } from "./socket.js";

/** Call `fn` once things have been quiet for `ms`. */
export function useDebounced(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => fnRef.current(), ms);
  }, [ms]);
}

/** Who is signed in on this phone (GET /api/me), and a way to ask again. */
export type Me =
  | { kind: "loading" }
  | { kind: "anonymous" }
  | { kind: "failed"; message: string }
  | { kind: "signed-in"; session: SessionView };

export function useMe(): { me: Me; reload: () => void } {
  const [me, setMe] = useState<Me>({ kind: "loading" });
  const reload = useCallback(() => {
    setMe({ kind: "loading" });
    void get<SessionView>("/me").then((r) =>
      setMe(
        r.ok
          ? { kind: "signed-in", session: r.data }
          : r.status === 401
            ? { kind: "anonymous" }
            : { kind: "failed", message: errorText(r.error.code, r.error.message) },
      ),
    );
  }, []);
  useEffect(reload, [reload]);
  return { me, reload };
}

/** One socket for the page; the session cookie rides with its handshake, so it is a staff socket. */
export function useSocket(): { socket: AppSocket | null; online: boolean } {
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const s = connectSocket();
    s.on("connect", () => setOnline(true));
    s.on("disconnect", () => setOnline(false));
    setSocket(s);
    return () => {
      s.disconnect();
    };
  }, []);
  return { socket, online };
}

interface PickupWatch {
  /** The whole list: on watching, and again after every reconnect. */
  onList(list: PickupList): void;
  /** A change to this list (other lists' changes are filtered out). */
  onChange(change: PickupChange): void;
  onFail(reply: LocalFailure | { ok: false; error: ErrorBody }): void;
}

/**
 * Watch one drop point's pickup list for a date: `pickup:watch` brings the list, each
 * `pickup:changed` for it is passed on, and after any reconnect the room is joined again and the
 * list taken afresh. Unwatched when the page leaves it.
 */
export function usePickupWatch(
  socket: AppSocket,
  date: string,
  dropPointId: string,
  handlers: PickupWatch,
): void {
  const on = useRef(handlers);
  on.current = handlers;
  useEffect(() => {
    const watch = { date, dropPointId };
    let live = true;
    const start = async () => {
      const reply = await command(socket, "pickup:watch", watch);
      if (!live) return;
      if (reply.ok) on.current.onList(reply.data);
      else on.current.onFail(reply);
    };
    const onChange = (c: PickupChange) => {
      if (c.date === date && c.dropPointId === dropPointId) on.current.onChange(c);
    };
    socket.on("connect", start);
    socket.on("pickup:changed", onChange);
    if (socket.connected) void start();
    return () => {
      live = false;
      socket.off("connect", start);
      socket.off("pickup:changed", onChange);
      if (socket.connected) void command(socket, "pickup:unwatch", watch);
    };
  }, [socket, date, dropPointId]);
}
