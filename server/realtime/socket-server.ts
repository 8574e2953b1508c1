/**
 * Thin Socket.IO handlers: validate → call the use case → ack. Broadcasts never happen here:
 * they come back through Redis to the Broadcaster.
 */

import type { z } from "zod";
import type { ClientToServerEvents } from "../../shared/events.js";
import {
  ChainEntriesQuery,
  ChainUnwatch,
  ChainWatch,
  EntryCancel,
  EntryJoin,
  EntryMark,
  EntryUpdate,
  EntryWeigh,
  PickupWatch,
  SocketAuth,
  WaitlistJoin,
  WaitlistLeave,
  WaitlistMine,
} from "../../shared/schemas.js";
import { sessionToken } from "../auth.js";
import { addressKey, clientAddress, type Trust } from "../client-address.js";
import type { Ctx } from "../context.js";
import { deviceHashOf, sha256 } from "../crypto.js";
import { requireCoordinator } from "../domain/access.js";
import { getEntryPage } from "../domain/chains.js";
import { checkOff, recordWeights } from "../domain/delivery.js";
import { cancelEntry, joinChain, updateEntry } from "../domain/entries.js";
import { buildPickupList } from "../domain/pickup-list.js";
import { joinWaitlist, leaveWaitlist, myWaitlist } from "../domain/waitlist.js";
import { ensureWatchable, watchChain } from "../domain/watch.js";
import { AppError, toAck, toAppError } from "../errors.js";
import { type Limits, tooManySockets } from "../limits.js";
import { log } from "../log.js";
import { readSessionByHash } from "../store/sessions.js";
import { commandStep, traceCommand } from "../trace.js";
import { chainRoom, pickupRoom, sessionRoom } from "./rooms.js";
import type { IoServer, IoSocket } from "./types.js";

type Reply<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0];
type Data<E extends keyof ClientToServerEvents> = Extract<Reply<E>, { ok: true }>["data"];

/** One command: its event, the schema of its payload and what it does for a socket. */
interface Handler {
  event: string;
  schema: z.ZodType;
  run: (socket: IoSocket, payload: never) => Promise<unknown>;
}

/** A command's handler, typed by its event (the payload its schema parses, the data it acks). */
function handler<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  event: E,
  schema: S,
  run: (socket: IoSocket, payload: z.output<S>) => Promise<Data<E>>,
): Handler {
  return { event, schema, run: run as Handler["run"] };
}

/**
 * Count a command (known or not) against the limits of its socket, device key and address. When
 * refused, `refused` gets the error, and a socket that keeps sending is disconnected.
 */
async function admitted(
  limits: Limits,
  socket: IoSocket,
  refused: (err: unknown) => void,
): Promise<boolean> {
  const { deviceHash, ip } = socket.data;
  try {
    await limits.command({ socketId: socket.id, deviceHash, ip });
    return true;
  } catch (err) {
    refused(err);
    if (await limits.keepsSending(socket.id)) socket.disconnect(true);
    return false;
  }
}

/**
 * Count the command against the limits, parse the payload, insist on an ack callback, and turn
 * every failure into an error ack. A socket that keeps sending while refused is disconnected.
 */
async function command(
  limits: Limits,
  socket: IoSocket,
  { event, schema, run }: Handler,
  args: unknown[],
): Promise<void> {
  const ack = args.at(-1);
  const traced = traceCommand();
  const answer = typeof ack === "function" ? (ack as (r: unknown) => void) : () => {};
  const reply = (r: unknown) => {
    answer(r);
    commandStep(traced, "answered");
  };
  if (!(await admitted(limits, socket, (err) => reply(toAck(err))))) return;
  if (typeof ack !== "function") return; // Commands without an ack are ignored.
  // Binary (a Buffer, an ArrayBuffer) is never a command: refused before zod walks its bytes.
  const [payload] = args;
  if (args.length !== 2 || payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)) {
    reply(toAck(new AppError("validation_failed", "send one payload object and an ack")));
    return;
  }
  try {
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) throw parsed.error;
    commandStep(traced, "validated");
    reply({ ok: true, data: await run(socket, parsed.data as never) });
  } catch (err) {
    const e = toAppError(err);
    if (e.report) log.error(`${event} failed`, err);
    reply({ ok: false, error: e.toBody() });
  }
}

export function attachSocketHandlers(io: IoServer, ctx: Ctx, limits: Limits, trust: Trust): void {
  io.use((socket, next) => {
    const auth = SocketAuth.safeParse(socket.handshake.auth ?? {});
    if (!auth.success) return next(new Error("invalid handshake auth"));
    const ip = addressKey(clientAddress(socket.request, trust));
    if (!limits.mayOpenSocket(ip)) return next(tooManySockets());
    socket.data.ip = ip;
    const token = sessionToken({
      handshakeToken: auth.data.token,
      authorization: socket.handshake.headers.authorization,
      cookie: socket.handshake.headers.cookie,
    });
    socket.data.tokenHash = token ? sha256(token) : null;
    socket.data.deviceHash = auth.data.deviceKey ? deviceHashOf(auth.data.deviceKey) : null;
    next();
  });

  // Everything below is made once for the server, not once per socket: a socket carries only
  // its data and one listener for all its commands (heap per watcher, BENCHMARKS.md P3).
  const session = (socket: IoSocket) => {
    const { ip, tokenHash } = socket.data;
    return tokenHash
      ? limits.lookupSession(ip, tokenHash, () => readSessionByHash(ctx, tokenHash))
      : Promise.resolve(null);
  };
  const actor = async (socket: IoSocket) => ({
    session: await session(socket),
    deviceHash: socket.data.deviceHash,
    // A personal entry key that is wrong counts as a guess, like a wrong token (§12.3).
    guard: (key: string, check: () => Promise<string | null>) =>
      limits.lookupSession(socket.data.ip, key, check),
  });

  const handlers = new Map(
    [
      handler("chain:watch", ChainWatch, async (socket, p) => {
        // No room (hence no subscription) for a chain that does not exist.
        await ensureWatchable(ctx, p.chainId);
        // Then join before reading: events from now on reach the client, which ignores versions it
        // already has, so nothing between the read and the join is lost.
        await socket.join(chainRoom(p.chainId));
        try {
          return await watchChain(ctx, p.chainId, p.sinceVersion, socket.data.deviceHash);
        } catch (err) {
          await socket.leave(chainRoom(p.chainId));
          throw err;
        }
      }),
      handler("chain:entries", ChainEntriesQuery, async (_socket, p) =>
        getEntryPage(ctx, p.chainId, p.before, p.limit),
      ),
      handler("chain:unwatch", ChainUnwatch, async (socket, p) => {
        await socket.leave(chainRoom(p.chainId));
        return null;
      }),
      handler("entry:join", EntryJoin, async (socket, p) => joinChain(ctx, await actor(socket), p)),
      handler("entry:update", EntryUpdate, async (socket, p) =>
        updateEntry(ctx, await actor(socket), p),
      ),
      handler("entry:cancel", EntryCancel, async (socket, p) =>
        cancelEntry(ctx, await actor(socket), p),
      ),
      handler("entry:mark", EntryMark, async (socket, p) =>
        checkOff(ctx, await session(socket), p),
      ),
      handler("entry:weigh", EntryWeigh, async (socket, p) =>
        recordWeights(ctx, await session(socket), p),
      ),
      handler("pickup:watch", PickupWatch, async (socket, p) => {
        const current = await session(socket);
        const s = requireCoordinator(current, current?.communityId ?? "");
        const room = pickupRoom(s.communityId, p.date, p.dropPointId);
        await socket.join(room);
        try {
          return await buildPickupList(ctx, s, s.communityId, p.date, p.dropPointId);
        } catch (err) {
          await socket.leave(room);
          throw err;
        }
      }),
      handler("waitlist:join", WaitlistJoin, async (socket, p) =>
        joinWaitlist(ctx, await actor(socket), p),
      ),
      handler("waitlist:leave", WaitlistLeave, async (socket, p) =>
        leaveWaitlist(ctx, await actor(socket), p),
      ),
      handler("waitlist:mine", WaitlistMine, async (socket, p) =>
        myWaitlist(ctx, await actor(socket), p.chainId),
      ),
      handler("pickup:unwatch", PickupWatch, async (socket, p) => {
        // By date and point, whatever the community: the session may be gone by now.
        const suffix = `:${p.date}:${p.dropPointId}`;
        for (const room of socket.rooms) {
          if (room.startsWith("pickup:") && room.endsWith(suffix)) await socket.leave(room);
        }
        return null;
      }),
    ].map((h) => [h.event, h]),
  );

  // Socket.IO calls "any" listeners with the socket as `this`, before (here: instead of) listeners
  // by event name. Events we don't know are not answered, but they count against the limits like
  // any command: a socket can't send them without end.
  function dispatch(this: IoSocket, event: string, ...args: unknown[]): void {
    const h = handlers.get(event);
    if (h) void command(limits, this, h, args);
    else void admitted(limits, this, () => {});
  }
  function closed(this: IoSocket): void {
    limits.socketClosed(this.data.ip);
  }

  io.on("connection", (socket) => {
    limits.socketOpened(socket.data.ip);
    socket.on("disconnect", closed);
    if (socket.data.tokenHash) void socket.join(sessionRoom(socket.data.tokenHash));
    socket.onAny(dispatch);
  });
}
