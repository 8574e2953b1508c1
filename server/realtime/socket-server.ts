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
import { chainRoom, pickupRoom, sessionRoom } from "./rooms.js";
import type { IoServer, IoSocket } from "./types.js";

type Reply<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0];
type Data<E extends keyof ClientToServerEvents> = Extract<Reply<E>, { ok: true }>["data"];

interface Sock {
  socket: IoSocket;
  limits: Limits;
}

/**
 * Count the command against the limits, parse the payload, insist on an ack callback, and turn
 * every failure into an error ack. A socket that keeps sending while refused is disconnected.
 */
function command<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  { socket, limits }: Sock,
  event: E,
  schema: S,
  run: (payload: z.output<S>) => Promise<Data<E>>,
): void {
  socket.on(event, (async (...args: unknown[]) => {
    const ack = args.at(-1);
    const reply = typeof ack === "function" ? (ack as (r: unknown) => void) : () => {};
    const { deviceHash, ip } = socket.data;
    try {
      await limits.command({ socketId: socket.id, deviceHash, ip });
    } catch (err) {
      reply(toAck(err));
      if (await limits.keepsSending(socket.id)) socket.disconnect(true);
      return;
    }
    if (typeof ack !== "function") return; // Commands without an ack are ignored.
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

  io.on("connection", (socket) => {
    const { ip, tokenHash } = socket.data;
    limits.socketOpened(ip);
    socket.on("disconnect", () => limits.socketClosed(ip));
    if (tokenHash) void socket.join(sessionRoom(tokenHash));
    const session = () =>
      tokenHash
        ? limits.lookupSession(ip, tokenHash, () => readSessionByHash(ctx, tokenHash))
        : Promise.resolve(null);
    const actor = async () => ({
      session: await session(),
      deviceHash: socket.data.deviceHash,
      // A personal entry key that is wrong counts as a guess, like a wrong token (§12.3).
      guard: (key: string, check: () => Promise<string | null>) =>
        limits.lookupSession(ip, key, check),
    });
    const sock: Sock = { socket, limits };

    command(sock, "chain:watch", ChainWatch, async (p) => {
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
    });
    command(sock, "chain:entries", ChainEntriesQuery, async (p) =>
      getEntryPage(ctx, p.chainId, p.before, p.limit),
    );
    command(sock, "chain:unwatch", ChainUnwatch, async (p) => {
      await socket.leave(chainRoom(p.chainId));
      return null;
    });
    command(sock, "entry:join", EntryJoin, async (p) => joinChain(ctx, await actor(), p));
    command(sock, "entry:update", EntryUpdate, async (p) => updateEntry(ctx, await actor(), p));
    command(sock, "entry:cancel", EntryCancel, async (p) => cancelEntry(ctx, await actor(), p));
    command(sock, "entry:mark", EntryMark, async (p) => checkOff(ctx, await session(), p));
    command(sock, "entry:weigh", EntryWeigh, async (p) => recordWeights(ctx, await session(), p));
    command(sock, "pickup:watch", PickupWatch, async (p) => {
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
    command(sock, "waitlist:join", WaitlistJoin, async (p) => joinWaitlist(ctx, await actor(), p));
    command(sock, "waitlist:leave", WaitlistLeave, async (p) =>
      leaveWaitlist(ctx, await actor(), p),
    );
    command(sock, "waitlist:mine", WaitlistMine, async (p) =>
      myWaitlist(ctx, await actor(), p.chainId),
    );
    command(sock, "pickup:unwatch", PickupWatch, async (p) => {
      // By date and point, whatever the community: the session may be gone by now.
      const suffix = `:${p.date}:${p.dropPointId}`;
      for (const room of socket.rooms) {
        if (room.startsWith("pickup:") && room.endsWith(suffix)) await socket.leave(room);
      }
      return null;
    });
  });
}
