/**
 * The event bus: how an app instance hears what the scripts publish. Each community's chain
 * events go out on the community's shard channel (SPUBLISH inside the scripts, so they are in
 * version order, and on a Redis Cluster they stay on the shard that owns the community);
 * sign-outs go on one ordinary channel every instance follows. An instance follows the communities its
 * sockets watch. The broadcast path (realtime/broadcaster.ts) sees events and follow/unfollow,
 * never Redis.
 *
 * A subscription is kept in sync with what is wanted: a failed or timed-out (un)subscribe is
 * retried with backoff for as long as it is still wanted that way. Messages published while the
 * subscriber was away are lost to it; `onMissed` says for which communities (null: all), so the
 * caller can tell watchers to catch up by version. That includes every resubscription after a
 * reconnect, a failover or a shard moving (the version nudge).
 */
import type { Ctx } from "../context.js";
import { log } from "../log.js";
import { expandEntry, type PackedEntry, type RawEvent, type SessionEnded } from "./records.js";
import { isCluster, type StoreConnection, subscriberConnection } from "./redis.js";

export interface EventBusHandlers {
  chainEvent(raw: RawEvent): void;
  sessionEnded(tokenHash: string): void;
  /** Messages may have been missed for these communities (null: every followed one). */
  missed(communityIds: string[] | null): void;
}

export class EventBus {
  private readonly subscriber: StoreConnection;
  private readonly followed = new Set<string>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly on: EventBusHandlers,
  ) {
    this.subscriber = subscriberConnection(ctx.redis);
    this.subscriber.on("error", () => {});
    this.subscriber.on("message", (_channel: string, message: string) => this.message(message));
    this.subscriber.on("smessage", (_channel: string, message: string) => this.message(message));
    let connectedBefore = false;
    this.subscriber.on("ready", () => {
      if (!connectedBefore) {
        connectedBefore = true;
        return;
      }
      // ioredis sends the SUBSCRIBEs again right after "ready": a PING behind them answers once
      // they are in effect, and only then is the version read, so nothing falls in between.
      setImmediate(() => {
        this.subscriber.ping().then(
          () => !this.closed && on.missed(null),
          () => !this.closed && on.missed(null),
        );
      });
    });
    if (isCluster(ctx.redis)) {
      // A shard's subscriber (re)connected, after a failover or a slot move: ioredis sends the
      // SSUBSCRIBEs again. Watchers are nudged at once and again a moment later, when the
      // subscription is surely in effect; what was published meanwhile is read back by version.
      let shardsBefore = false;
      const resubscribed = () => {
        if (!shardsBefore) {
          shardsBefore = true;
          return;
        }
        if (this.closed) return;
        on.missed(null);
        const again = setTimeout(() => !this.closed && on.missed(null), 1000);
        again.unref();
      };
      this.subscriber.on("subscribersReady", resubscribed);
      this.subscriber.on("+subscriber", () => shardsBefore && resubscribed());
    }
    // Every instance hears of sign-outs, whatever its sockets watch.
    this.keepInSync(ctx.keys.sessionsChannel, () => !this.closed);
  }

  /** Hear this community's chain events (until unfollow). */
  follow(communityId: string): void {
    if (this.followed.has(communityId)) return;
    this.followed.add(communityId);
    this.syncCommunity(communityId);
  }

  unfollow(communityId: string): void {
    if (!this.followed.delete(communityId)) return;
    this.syncCommunity(communityId);
  }

  /**
   * Subscribe to a followed community's channel again (unsubscribe, then subscribe): for a
   * subscription that went quiet, e.g. after its slot moved to another shard.
   */
  resubscribe(communityId: string): void {
    if (!this.followed.has(communityId)) return;
    const channel = this.ctx.keys.community(communityId).channel;
    this.subscriber
      .sunsubscribe(channel)
      .catch(() => {})
      .then(() => {
        if (this.closed || !this.followed.has(communityId)) return;
        // Events published between the two are read back: nudge once subscribed again.
        this.subscriber.ssubscribe(channel).then(
          () => this.on.missed([communityId]),
          () => this.syncCommunity(communityId),
        );
      });
  }

  /** The communities this instance follows. */
  following(): string[] {
    return [...this.followed];
  }

  private syncCommunity(communityId: string): void {
    this.keepInSync(
      this.ctx.keys.community(communityId).channel,
      () => this.followed.has(communityId),
      () => this.on.missed([communityId]),
      true,
    );
  }

  /**
   * Subscribe to a channel while wanted() holds, unsubscribe when not. When a subscribe succeeds
   * only on a retry, caughtUp() lets watchers learn what they missed.
   */
  private keepInSync(
    channel: string,
    wanted: () => boolean,
    caughtUp?: () => void,
    sharded = false,
    attempt = 0,
  ) {
    clearTimeout(this.retries.get(channel));
    this.retries.delete(channel);
    const want = wanted();
    const sub = this.subscriber;
    const op = sharded
      ? want
        ? sub.ssubscribe(channel)
        : sub.sunsubscribe(channel)
      : want
        ? sub.subscribe(channel)
        : sub.unsubscribe(channel);
    op.then(
      () => {
        if (want && attempt > 0) caughtUp?.();
      },
      (err) => {
        // Closed, or wanted the other way by now (a newer sync is on its way): nothing to retry.
        if (this.closed || wanted() !== want) return;
        if (attempt === 0) log.error(`${want ? "subscribe" : "unsubscribe"} failed, retrying`, err);
        const timer = setTimeout(
          () => this.keepInSync(channel, wanted, caughtUp, sharded, attempt + 1),
          Math.min(100 * 2 ** attempt, 5000),
        );
        timer.unref();
        this.retries.set(channel, timer);
      },
    );
  }

  private message(message: string): void {
    let raw: RawEvent | SessionEnded;
    try {
      raw = JSON.parse(message) as RawEvent | SessionEnded;
    } catch {
      return;
    }
    if (raw.t === "session:ended") this.on.sessionEnded(raw.h);
    else {
      // An entry event carries the entry as stored (compact): read it the one way.
      if (raw.e) raw.e = expandEntry(raw.e as unknown as PackedEntry);
      this.on.chainEvent(raw);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.subscriber.disconnect();
  }
}

/** Tell every instance that a session ended: its sockets there are disconnected. */
export async function publishSessionEnded(ctx: Ctx, tokenHash: string): Promise<void> {
  const ended: SessionEnded = { t: "session:ended", h: tokenHash };
  await ctx.redis.publish(ctx.keys.sessionsChannel, JSON.stringify(ended));
}
