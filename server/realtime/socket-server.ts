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
} from "../../shared/schemas.js";
import { sessionToken } from "../auth.js";
import type { Ctx } from "../context.js";
import { sha256 } from "../crypto.js";
import { requireCoordinator } from "../domain/access.js";
import { getEntryPage } from "../domain/chains.js";
import { checkOff, recordWeights } from "../domain/delivery.js";
import { cancelEntry, joinChain, updateEntry } from "../domain/entries.js";
import { buildPickupList } from "../domain/pickup-list.js";
import { watchChain } from "../domain/watch.js";
import { AppError, toAck, toAppError } from "../errors.js";
import { log } from "../log.js";
import { readSessionByHash } from "../store/sessions.js";
import { chainRoom, pickupRoom, sessionRoom } from "./rooms.js";
import type { IoServer, IoSocket } from "./types.js";

type Reply<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0];
type Data<E extends keyof ClientToServerEvents> = Extract<Reply<E>, { ok: true }>["data"];

/** Parse the payload, insist on an ack callback, and turn every failure into an error ack. */
function command<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  socket: IoSocket,
  event: E,
  schema: S,
  run: (payload: z.output<S>) => Promise<Data<E>>,
): void {
  socket.on(event, (async (...args: unknown[]) => {
    const ack = args.at(-1);
    if (typeof ack !== "function") return; // Commands without an ack are ignored.
    const reply = ack as (r: unknown) => void;
    if (args.length !== 2) {
      reply(toAck(new AppError("validation_failed", "send one payload object and an ack")));
      return;
    }
    try {
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) throw parsed.error;
      reply({ ok: true, data: await run(parsed.data) });
    } catch (err) {
      const e = toAppError(err);
      if (e.report) log.error(`${event} failed`, err);
      reply({ ok: false, error: e.toBody() });
    }
  }) as never);
}

export function attachSocketHandlers(io: IoServer, ctx: Ctx): void {
  io.use((socket, next) => {
    const auth = SocketAuth.safeParse(socket.handshake.auth ?? {});
    if (!auth.success) return next(new Error("invalid handshake auth"));
    const token = sessionToken({
      handshakeToken: auth.data.token,
      authorization: socket.handshake.headers.authorization,
      cookie: socket.handshake.headers.cookie,
    });
    socket.data.tokenHash = token ? sha256(token) : null;
    socket.data.deviceHash = auth.data.deviceKey ? sha256(auth.data.deviceKey) : null;
    next();
  });

  io.on("connection", (socket) => {
    if (socket.data.tokenHash) void socket.join(sessionRoom(socket.data.tokenHash));
    const session = () =>
      socket.data.tokenHash ? readSessionByHash(ctx, socket.data.tokenHash) : Promise.resolve(null);
    const actor = async () => ({ session: await session(), deviceHash: socket.data.deviceHash });

    command(socket, "chain:watch", ChainWatch, async (p) => {
      // Join first: events after this point reach the client, which ignores versions it already has.
      await socket.join(chainRoom(p.chainId));
      try {
        return await watchChain(ctx, p.chainId, p.sinceVersion, socket.data.deviceHash);
      } catch (err) {
        await socket.leave(chainRoom(p.chainId));
        throw err;
      }
    });
    command(socket, "chain:entries", ChainEntriesQuery, async (p) =>
      getEntryPage(ctx, p.chainId, p.before, p.limit),
    );
    command(socket, "chain:unwatch", ChainUnwatch, async (p) => {
      await socket.leave(chainRoom(p.chainId));
      return null;
    });
    command(socket, "entry:join", EntryJoin, async (p) => joinChain(ctx, await actor(), p));
    command(socket, "entry:update", EntryUpdate, async (p) => updateEntry(ctx, await actor(), p));
    command(socket, "entry:cancel", EntryCancel, async (p) => cancelEntry(ctx, await actor(), p));
    command(socket, "entry:mark", EntryMark, async (p) => checkOff(ctx, await session(), p));
    command(socket, "entry:weigh", EntryWeigh, async (p) => recordWeights(ctx, await session(), p));
    command(socket, "pickup:watch", PickupWatch, async (p) => {
      const current = await session();
      const s = requireCoordinator(current, current?.communityId ?? "");
      const room = pickupRoom(s.communityId, p.date, p.dropPointId);
      await socket.join(room);
      try {
        return await buildPickupList(ctx, s, s.communityId, p.date, p.dropPointId);
      } catch (err) {
        await socket.leave(room);
        throw err;
      }
    });
    command(socket, "pickup:unwatch", PickupWatch, async (p) => {
      // By date and point, whatever the community: the session may be gone by now.
      const suffix = `:${p.date}:${p.dropPointId}`;
      for (const room of socket.rooms) {
        if (room.startsWith("pickup:") && room.endsWith(suffix)) await socket.leave(room);
      }
      return null;
    });
  });
}
