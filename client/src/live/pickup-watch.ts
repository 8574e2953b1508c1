/** Following one drop point's pickup list for a date, live (check-off and coordinator pages). */
import { useEffect, useRef } from "preact/hooks";
import type { ErrorBody } from "../../../shared/errors.js";
import type { PickupChange, PickupList } from "../../../shared/views.js";
import { type AppSocket, command, type LocalFailure } from "./socket.js";

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
