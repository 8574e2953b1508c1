/**
 * The Socket.IO contract. Commands (`entity:verb`) are always acknowledged with an Ack;
 * past-tense events notify everyone watching. Every chain event carries the chain's version,
 * so a client that sees a gap re-syncs with `chain:watch {sinceVersion}`.
 */
import type { Ack } from "./errors.js";
import type {
  ChainEntriesQuery,
  ChainUnwatch,
  ChainWatch,
  EntryCancel,
  EntryJoin,
  EntryMark,
  EntryUpdate,
  EntryWeigh,
  PickupWatch,
  Role,
  WaitlistJoin,
  WaitlistLeave,
  WaitlistMine,
} from "./schemas.js";
import type {
  ChainEvent,
  EntryPage,
  EntryResult,
  MyWaitlist,
  PickupChange,
  PickupList,
  StaffEntryResult,
  WaitlistResult,
  WatchResult,
} from "./views.js";

type Command<P, R> = (payload: P, ack: (reply: Ack<R>) => void) => void;

export interface ClientToServerEvents {
  "chain:watch": Command<ChainWatch, WatchResult>;
  "chain:unwatch": Command<ChainUnwatch, null>;
  "chain:entries": Command<ChainEntriesQuery, EntryPage>;
  "entry:join": Command<EntryJoin, EntryResult>;
  "entry:update": Command<EntryUpdate, EntryResult>;
  "entry:cancel": Command<EntryCancel, EntryResult>;
  "entry:mark": Command<EntryMark, StaffEntryResult>;
  "entry:weigh": Command<EntryWeigh, StaffEntryResult>;
  "pickup:watch": Command<PickupWatch, PickupList>;
  "pickup:unwatch": Command<PickupWatch, null>;
  "waitlist:join": Command<WaitlistJoin, WaitlistResult>;
  "waitlist:leave": Command<WaitlistLeave, WaitlistResult>;
  "waitlist:mine": Command<WaitlistMine, MyWaitlist>;
}

/**
 * The one frame of chain events: one or more events of one chain, in version order, from the
 * version of the first (`from`) to that of the last (`to`). A client holding version from − 1
 * applies it all (shared/chain-state.ts); holding less, it has a gap and resyncs by version.
 */
export interface ChainFrame {
  chainId: string;
  from: number;
  to: number;
  events: ChainEvent[];
}

export interface ServerToClientEvents {
  "chain:events": (frame: ChainFrame) => void;
  /**
   * Not an event: the chain's current version, sent when this server may have missed events
   * (its Redis subscription dropped). A client behind it resyncs with chain:watch {sinceVersion}.
   */
  "chain:version": (head: { chainId: string; version: number }) => void;
  "pickup:changed": (change: PickupChange) => void;
}

export interface SessionInfo {
  userId: string;
  communityId: string;
  role: Role;
  name: string;
}

export interface SocketData {
  /** sha256 of the session token from the handshake, or null. The session is looked up per
   * command, so signing out takes effect on sockets that are already connected. */
  tokenHash: string | null;
  /** sha256 of the resident's device key, or null. */
  deviceHash: string | null;
  /** The client's address as the limits count it (server/client-address.ts addressKey). */
  ip: string;
}

export const COMMANDS = [
  "chain:watch",
  "chain:unwatch",
  "chain:entries",
  "entry:join",
  "entry:update",
  "entry:cancel",
  "entry:mark",
  "entry:weigh",
  "pickup:watch",
  "pickup:unwatch",
  "waitlist:join",
  "waitlist:leave",
  "waitlist:mine",
] as const satisfies readonly (keyof ClientToServerEvents)[];
