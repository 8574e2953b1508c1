/**
 * The one broadcast path. The scripts publish every chain event on the community's channel; each
 * instance follows the communities its sockets watch (store/event-bus.ts) and fans events out to
 * local rooms. A chain's events are coalesced into `chain:events` frames, at most one per tick (the
 * first after a quiet spell at once), and every event carries the chain's version so clients can
 * detect gaps.
 */
import type { ChainEvent, PickupChange } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { getChainView, loadChain } from "../domain/chains.js";
import { type ChainLabel, chainLabels, presentPickupEntry } from "../domain/pickup-list.js";
import { presentEvent } from "../domain/presenters.js";
import { log } from "../log.js";
import { readChainVersion } from "../store/chains.js";
import { EventBus } from "../store/event-bus.js";
import { communityOfChain } from "../store/keys.js";
import type { RawEvent } from "../store/records.js";
import { chainRoom, communityOfRoom, pickupRoom, sessionRoom } from "./rooms.js";
import { SessionGuard } from "./session-guard.js";
import type { IoServer } from "./types.js";

/** How often the watchdog compares watched chains' versions with what the bus delivered. */
const WATCHDOG_MS = 3000;

export class Broadcaster {
  private readonly watched = new Map<string, number>();
  private readonly pending = new Map<string, ChainEvent[]>();
  private readonly order = new Map<string, Promise<void>>();
  private readonly labels = new Map<string, { label: ChainLabel; at: number }>();
  /** Rooms emptied less than recoveryMs ago, still fed for watchers that may recover. */
  private readonly lingering = new Map<string, NodeJS.Timeout>();
  private readonly bus: EventBus;
  private readonly guard: SessionGuard;
  /** Each room with events waiting: when its frame goes out. */
  private readonly flushes = new Map<string, NodeJS.Immediate | NodeJS.Timeout>();
  /** Frames sent and events carried, for the benchmark. */
  readonly stats = { frames: 0, events: 0 };
  /** Each watched chain's highest version heard from the bus (for the watchdog). */
  private readonly heard = new Map<string, number>();
  private readonly watchdog: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly io: IoServer,
    /** Socket.IO's maxDisconnectionDuration: how long a dropped watcher may come back. */
    private readonly recoveryMs: number,
  ) {
    this.guard = new SessionGuard(ctx);
    this.bus = new EventBus(ctx, {
      chainEvent: (raw) => this.onEvent(raw),
      // Signed out: that session's sockets here stop receiving staff broadcasts at once.
      sessionEnded: (hash) => {
        this.guard.forget(hash);
        this.io.in(sessionRoom(hash)).disconnectSockets(true);
      },
      // Events published while the bus was away are lost to it: tell each watched chain its
      // current version, so clients that are behind resync by version.
      missed: (communityIds) => {
        if (communityIds === null) void this.nudgeWatchedChains();
        else for (const id of communityIds) void this.nudgeWatchedChains(id);
      },
    });
    let checking = false;
    this.watchdog = setInterval(() => {
      if (checking) return;
      checking = true;
      this.checkHeard()
        .catch((err) => log.error("watchdog failed", err))
        .finally(() => {
          checking = false;
        });
    }, WATCHDOG_MS);
    this.watchdog.unref();
    const adapter = io.of("/").adapter;
    adapter.on("create-room", (room: string) => {
      const timer = this.lingering.get(room);
      if (!timer) return this.roomChanged(room, 1);
      clearTimeout(timer); // Still counted: it never stopped being fed.
      this.lingering.delete(room);
    });
    adapter.on("delete-room", (room: string) => {
      if (!communityOfRoom(room)) return;
      // A watcher whose connection dropped may recover its session within recoveryMs, and is
      // then owed what it missed. Socket.IO replays only what was emitted to the room, so keep
      // the subscription and keep emitting to the (empty) room until then.
      const timer = setTimeout(() => {
        this.lingering.delete(room);
        this.roomChanged(room, -1);
      }, this.recoveryMs);
      timer.unref();
      this.lingering.set(room, timer);
    });
  }

  private roomChanged(room: string, delta: 1 | -1): void {
    const communityId = communityOfRoom(room);
    if (!communityId) return;
    const after = (this.watched.get(communityId) ?? 0) + delta;
    if (after > 0) {
      this.watched.set(communityId, after);
      this.bus.follow(communityId);
    } else {
      this.watched.delete(communityId);
      this.bus.unfollow(communityId);
    }
  }

  /** The communities whose events this instance follows (watched or lingering). */
  subscribedCommunities(): string[] {
    return this.bus.following();
  }

  private hasRoom(room: string): boolean {
    return this.io.of("/").adapter.rooms.has(room) || this.lingering.has(room);
  }

  private onEvent(raw: RawEvent): void {
    if (raw.v > (this.heard.get(raw.c) ?? 0)) this.heard.set(raw.c, raw.v);
    // Keep each chain's events in version order, even when one needs a read to present.
    const prev = this.order.get(raw.c) ?? Promise.resolve();
    const next = prev
      .then(() => this.route(raw))
      .catch((err) => log.error("broadcast failed", err))
      .finally(() => {
        if (this.order.get(raw.c) === next) this.order.delete(raw.c);
      });
    this.order.set(raw.c, next);
  }

  private async route(raw: RawEvent): Promise<void> {
    const room = chainRoom(raw.c);
    if (this.hasRoom(room)) {
      const isChainEvent = raw.t === "chain:updated" || raw.t === "chain:created";
      const event = presentEvent(
        raw,
        isChainEvent ? await getChainView(this.ctx, raw.c) : undefined,
      );
      if (event) this.enqueue(room, event);
    }
    if (raw.e) await this.routePickup(raw);
  }

  private async routePickup(raw: RawEvent): Promise<void> {
    const entry = raw.e;
    if (!entry) return;
    const communityId = communityOfChain(raw.c);
    const here = pickupRoom(communityId, raw.d, entry.dp);
    const left = raw.pdp ? pickupRoom(communityId, raw.d, raw.pdp) : null;
    const targets: [string, PickupChange["change"], string][] = [];
    if (this.hasRoom(here))
      targets.push([here, entry.st === "active" ? "upsert" : "remove", entry.dp]);
    if (left && raw.pdp && this.hasRoom(left)) targets.push([left, "remove", raw.pdp]);
    if (!targets.length) return;
    const presented = presentPickupEntry(raw.c, entry, await this.label(raw.c));
    for (const [room, change, dropPointId] of targets) {
      const refused = await this.endedWatchers(room);
      this.io
        .to(room)
        .except(refused)
        .emit("pickup:changed", { date: raw.d, dropPointId, change, entry: presented });
    }
  }

  /**
   * The watchers of a pickup room whose session no longer holds (signed out elsewhere, removed,
   * expired): they get no more staff data, and are disconnected, so their page knows.
   */
  private async endedWatchers(room: string): Promise<string[]> {
    const nsp = this.io.of("/");
    const ids = [...(nsp.adapter.rooms.get(room) ?? [])];
    const valid = await Promise.all(
      ids.map((id) => this.guard.isValid(nsp.sockets.get(id)?.data.tokenHash ?? null)),
    );
    const ended = ids.filter((_, i) => !valid[i]);
    for (const id of ended) nsp.sockets.get(id)?.disconnect(true);
    return ended;
  }

  /** A chain's title and grower, cached briefly: they rarely change. */
  private async label(chainId: string): Promise<ChainLabel | undefined> {
    const hit = this.labels.get(chainId);
    if (hit && Date.now() - hit.at < 30_000) return hit.label;
    const chain = await loadChain(this.ctx, chainId);
    const label = (await chainLabels(this.ctx, chain.meta.communityId, [chain])).get(chainId);
    if (label) this.labels.set(chainId, { label, at: Date.now() });
    if (this.labels.size > 1000) this.labels.clear();
    return label;
  }

  /**
   * The watchdog: a subscription can go quiet without an error (a Redis Cluster moving the
   * community's slot to another shard unsubscribes its shard channel there, and ioredis follows
   * only at its next look at the slots). So every few seconds each watched chain's version in
   * Redis is compared with what the bus delivered: a chain ahead of it (still, a moment later)
   * gets a `chain:version` nudge (its watchers resync), and its community's subscription is made
   * again.
   */
  private async checkHeard(): Promise<void> {
    const rooms = new Set([...this.io.of("/").adapter.rooms.keys(), ...this.lingering.keys()]);
    const stale = new Set<string>();
    const suspects: { chainId: string; room: string; version: number }[] = [];
    for (const room of rooms) {
      if (!room.startsWith("chain:")) continue;
      const chainId = room.slice("chain:".length);
      let version: number | null;
      try {
        version = await readChainVersion(this.ctx, chainId);
      } catch {
        continue; // Redis is away: the reconnect nudges.
      }
      if (version === null) continue;
      const heard = this.heard.get(chainId);
      // Nothing heard of it yet: where it is now is the starting point.
      if (heard === undefined) this.heard.set(chainId, version);
      else if (version > heard) suspects.push({ chainId, room, version });
    }
    if (suspects.length) {
      // An event published just before the read may still be on its way: give it a moment.
      await new Promise((r) => setTimeout(r, 250));
      for (const { chainId, room, version } of suspects) {
        if ((this.heard.get(chainId) ?? 0) >= version) continue;
        log.error(`chain ${chainId} reached version ${version} unheard here: resubscribing`);
        this.io.to(room).emit("chain:version", { chainId, version });
        stale.add(communityOfChain(chainId));
      }
    }
    for (const chainId of this.heard.keys()) {
      if (!rooms.has(chainRoom(chainId))) this.heard.delete(chainId);
    }
    for (const communityId of stale) this.bus.resubscribe(communityId);
  }

  /** Tell watchers of every chain (or of one community's chains) the chain's current version. */
  private async nudgeWatchedChains(communityId?: string): Promise<void> {
    // Lingering rooms too: Socket.IO keeps what is emitted to them for watchers that recover.
    const rooms = new Set([...this.io.of("/").adapter.rooms.keys(), ...this.lingering.keys()]);
    for (const room of rooms) {
      if (!room.startsWith("chain:")) continue;
      if (communityId && communityOfRoom(room) !== communityId) continue;
      void this.nudge(room);
    }
  }

  /**
   * One chain's nudge. Redis may still be failing over when the subscription comes back: the
   * version read is tried again every second for a while, so the nudge is not lost.
   */
  private async nudge(room: string, attempt = 0): Promise<void> {
    const chainId = room.slice("chain:".length);
    try {
      const version = await readChainVersion(this.ctx, chainId);
      if (version !== null) this.io.to(room).emit("chain:version", { chainId, version });
    } catch (err) {
      if (attempt === 0) log.error("resync nudge failed, retrying", err);
      if (attempt >= 30 || this.closed || !this.hasRoom(room)) return;
      const timer = setTimeout(() => void this.nudge(room, attempt + 1), 1000);
      timer.unref();
    }
  }

  private enqueue(room: string, event: ChainEvent): void {
    const list = this.pending.get(room);
    if (list) list.push(event);
    else this.pending.set(room, [event]);
    // A room in its quiet spell after a frame waits for the spell's end; otherwise the frame goes
    // out on the next turn of the event loop (with whatever else arrived in this one).
    if (!this.flushes.has(room)) {
      this.flushes.set(
        room,
        setImmediate(() => this.flush(room)),
      );
    }
  }

  /**
   * How long a room stays quiet after a frame: at most one frame per tick, so a busy chain sends
   * fewer, fuller frames, while a change after a quiet spell goes out at once. Fixed when
   * BROADCAST_TICK_MS is a number; "auto": none for a handful of watchers, more for more (a tenth
   * of a millisecond per watcher, up to 50 ms for 500 and more).
   */
  private tickFor(room: string): number {
    const tick = this.ctx.config.BROADCAST_TICK_MS;
    if (tick !== "auto") return tick;
    const watchers = this.io.of("/").adapter.rooms.get(room)?.size ?? 0;
    return watchers < 10 ? 0 : Math.min(50, Math.round(watchers / 10));
  }

  /**
   * Send a room's waiting events as one chain:events frame (encoded once for all its sockets),
   * then keep the room quiet for its tick: what arrives meanwhile goes out as one frame at its end.
   */
  private flush(room: string): void {
    this.flushes.delete(room);
    const events = this.pending.get(room);
    this.pending.delete(room);
    const first = events?.[0];
    const last = events?.at(-1);
    if (!events || !first || !last) return; // a quiet spell ended with nothing to send
    this.stats.frames++;
    this.stats.events += events.length;
    this.io.to(room).emit("chain:events", {
      chainId: first.chainId,
      from: first.version,
      to: last.version,
      events,
    });
    const tick = this.closed ? 0 : this.tickFor(room);
    if (tick > 0) {
      this.flushes.set(
        room,
        setTimeout(() => this.flush(room), tick),
      );
    }
  }

  /** Send every waiting frame now. */
  flushAll(): void {
    for (const [room, timer] of [...this.flushes]) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
      this.flush(room);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const timer of this.lingering.values()) clearTimeout(timer);
    this.lingering.clear();
    this.flushAll();
    this.bus.close();
  }
}
