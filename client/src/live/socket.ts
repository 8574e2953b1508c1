/** One Socket.IO connection per page, typed by the shared contract. */
import { useEffect, useState } from "preact/hooks";
import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../../shared/errors.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../shared/events.js";
import { deviceKey } from "../prefs.js";

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectSocket(): AppSocket {
  // The session cookie (growers, coordinators) rides along with the handshake by itself.
  return io({ auth: { deviceKey: deviceKey() } });
}

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Reply<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0];

/** A failure that never reached the server: offline or no answer in time. */
export type LocalFailure = { ok: false; error: { code: "timeout" | "offline"; message: string } };

/**
 * Send a command and wait for its ack. While offline nothing is sent (Socket.IO would buffer
 * it and replay it later; writes are resent only by our own pending queue, with their request id).
 */
export async function command<E extends keyof ClientToServerEvents>(
  socket: AppSocket,
  event: E,
  payload: Payload<E>,
  timeoutMs = 10_000,
): Promise<Reply<E> | LocalFailure> {
  if (!socket.connected) return { ok: false, error: { code: "offline", message: "" } };
  try {
    // biome-ignore lint/suspicious/noExplicitAny: emitWithAck's overloads don't resolve for a generic event name
    return (await (socket.timeout(timeoutMs) as any).emitWithAck(event, payload)) as Reply<E>;
  } catch {
    return { ok: false, error: { code: "timeout", message: "" } };
  }
}

export type { Ack };

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
