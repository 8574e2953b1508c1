/** What the server presents: the JSON shapes of HTTP responses, acks and broadcasts. */

import type { ErrorBody } from "./errors.js";
import type { ChainStatus, PickupWindow, Role } from "./schemas.js";
import type { ReviewCode } from "./wechat/chain-parser.js";

export interface DropPointView {
  id: string;
  name: string;
  description: string;
  window: PickupWindow;
  active: boolean;
}

export interface CommunityView {
  id: string;
  name: string;
  timezone: string;
  /** Residents give at least the last 4 digits of a phone, and per-person limits count by it. */
  requirePhone4: boolean;
  dropPoints: DropPointView[];
}

export interface UserView {
  id: string;
  name: string;
  role: Role;
  communityId: string;
  village: string | null;
  /** Shown to the user and to coordinators of the community. */
  phone: string | null;
  /** The coordinator who set the community up: only they invite and manage coordinators. */
  owner: boolean;
  /** Removed by a coordinator: can't sign in any more; their chains stay. */
  removed: boolean;
}

/** One signed-in device of someone in the community, as coordinators see it (never the token). */
export interface SessionEntryView {
  /** Stable for the session, not its token. */
  id: string;
  userId: string;
  userName: string;
  role: Role;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  /** Last used (to within a few minutes), or null if not since it was created. */
  lastSeenAt: number | null;
  userAgent: string | null;
  /** The session making this request. */
  current: boolean;
}

/** An invite or sign-in link not yet used, as coordinators see it (never its token). */
export interface OpenInviteView {
  id: string;
  role: Role;
  /** Set for a sign-in link to an existing user. */
  userId: string | null;
  userName: string | null;
  createdBy: { id: string; name: string };
  createdAt: number | null;
  expiresAt: number;
}

export interface SessionView {
  user: UserView;
  community: CommunityView;
  /** Returned once, when the session is created, for clients that use the Bearer header. */
  token?: string;
}

export interface ItemView {
  id: string;
  name: string;
  unit: string;
  priceFen: number;
  step: number;
  /** The cap, or null for no cap. */
  stock: number | null;
  /** Per-resident limit, or null. */
  limit: number | null;
  sold: number;
  remaining: number | null;
  soldOut: boolean;
  /** Sold by weight (斤, kg, g…): the actual weight can be recorded per line. */
  weighed: boolean;
}

export type ClosedReason = "cutoff" | "grower" | "sold_out";

export interface ChainView {
  id: string;
  communityId: string;
  title: string;
  note: string;
  deliveryDate: string;
  /** Epoch ms. */
  cutoffAt: number;
  /** The same instant in the community's timezone, e.g. 2026-11-28T20:00:00+08:00. */
  cutoffIso: string;
  timezone: string;
  /** The community asks residents for at least the last 4 digits of a phone (CommunityView). */
  requirePhone4: boolean;
  status: ChainStatus;
  closedReason: ClosedReason | null;
  /** removed: the grower was removed from the community; the chain stays. */
  grower: { id: string; name: string; village: string | null; removed: boolean };
  dropPoints: DropPointView[];
  items: ItemView[];
  version: number;
  createdAt: number;
}

export interface LineView {
  itemId: string;
  /** Ordered, in the item's unit. */
  qty: number;
  /** Weighed at packing or hand-out, or null. */
  actualQty: number | null;
  priceFen: number;
  /** Due: price × (actual weight if recorded, else ordered), rounded half up to the fen. */
  amountFen: number;
}

export type EntryStatus = "active" | "cancelled";

/** What every viewer of a chain sees: never a phone, a pickup code or a device key. */
export interface PublicEntry {
  no: number;
  name: string;
  building: string;
  dropPointId: string;
  lines: LineView[];
  amountFen: number;
  status: EntryStatus;
  /** Added or last changed by a coordinator on the resident's behalf. */
  byStaff: boolean;
  createdAt: number;
  updatedAt: number;
  /** The chain's version at this entry's last change: of two copies, the higher is newer. */
  version: number;
  /** Made by the waitlist when units came back (候补转正). */
  fromWaitlist: boolean;
  /** The waiter id the request had in line (null unless fromWaitlist). */
  waiterId: number | null;
}

/** What the resident who made it sees. */
export interface OwnEntry extends PublicEntry {
  chainId: string;
  pickupCode: string;
  phone: string | null;
}

export interface StaffMark {
  userId: string;
  name: string;
  at: number;
}

/** What coordinators and the chain's grower see. */
export interface StaffEntry extends OwnEntry {
  addedBy: StaffMark | null;
  changedBy: StaffMark | null;
  /** Created from a 接龙 copied out of a WeChat group (addedBy says who imported it). */
  imported: boolean;
  /** Added or changed by a coordinator after the cutoff (addedBy/changedBy say who and when). */
  late: boolean;
  checks: { collected: StaffMark | null; paid: StaffMark | null; noShow: StaffMark | null };
  weighedBy: StaffMark | null;
}

export interface ChainSnapshot {
  chain: ChainView;
  /**
   * The latest entries (at most SNAPSHOT_ENTRIES), in number order: every entry numbered
   * `entriesFrom` or above. Older ones come page by page (`chain:entries`, GET …/page).
   */
  entries: PublicEntry[];
  /** The lowest chain number `entries` holds from; 1 when it holds them all. */
  entriesFrom: number;
  /** Entries not cancelled, in the whole chain. */
  activeEntries: number;
  /** The entries of this device (by its device key), however old. */
  mine: OwnEntry[];
  /** Who waits for each sold-out item, in order (items nobody waits for are left out). */
  waitlist: WaitlistQueue[];
  /** This device's waitlisted requests (waiting, promoted or left). */
  myWaits: OwnWaiter[];
  version: number;
}

/** One item's waitlist: who waits, in order (ids only, never names), and how much each wants. */
export interface WaitlistQueue {
  itemId: string;
  waiting: { id: number; qty: number }[];
}

export type WaiterStatus = "waiting" | "promoted" | "left";

/** A waitlisted request, as the resident who made it sees it. */
export interface OwnWaiter {
  id: number;
  chainId: string;
  itemId: string;
  /** In the item's unit. */
  qty: number;
  dropPointId: string;
  name: string;
  building: string;
  status: WaiterStatus;
  /** The chain number of the entry it became (promoted), else null. */
  entryNo: number | null;
  createdAt: number;
}

/** The answer to waitlist:join and waitlist:leave. */
export interface WaitlistResult {
  waiter: OwnWaiter;
  /** Place in line, from 1; 0 when no longer waiting. */
  position: number;
  /** The entry it became, with its pickup code (promoted only). */
  entry: OwnEntry | null;
  version: number;
}

/** The answer to waitlist:mine: this device's requests and the entries they became. */
export interface MyWaitlist {
  chainId: string;
  waiters: OwnWaiter[];
  entries: OwnEntry[];
}

/** Unmet demand of one item: what is still waiting (at the cutoff, what went without). */
export interface WaitlistDemand {
  itemId: string;
  name: string;
  unit: string;
  /** Requests waiting and the units they want. */
  requests: number;
  qty: number;
}

/** Older entries of a chain: every entry numbered from `from` up to below the asked `before`. */
export interface EntryPage {
  chainId: string;
  entries: PublicEntry[];
  from: number;
}

export interface ItemStock {
  itemId: string;
  sold: number;
  remaining: number | null;
  soldOut: boolean;
}

interface EntryEventBase {
  chainId: string;
  version: number;
  entry: PublicEntry;
  /** Stock of the items this change touched. */
  items: ItemStock[];
  /** The chain's status after the change (it closes itself when everything is sold out). */
  status: ChainStatus;
  closedReason: ClosedReason | null;
}
export interface EntryCreatedEvent extends EntryEventBase {
  type: "entry:created";
}
export interface EntryUpdatedEvent extends EntryEventBase {
  type: "entry:updated";
}
export interface EntryCancelledEvent extends EntryEventBase {
  type: "entry:cancelled";
}
export interface ChainUpdatedEvent {
  type: "chain:updated";
  chainId: string;
  version: number;
  chain: ChainView;
}
export type EntryEvent = EntryCreatedEvent | EntryUpdatedEvent | EntryCancelledEvent;
/** The queues of the items whose waitlist changed (a join, a leave, a promotion). */
export interface WaitlistChangedEvent {
  type: "waitlist:changed";
  chainId: string;
  version: number;
  queues: WaitlistQueue[];
}
export type ChainEvent = EntryEvent | ChainUpdatedEvent | WaitlistChangedEvent;

export type WatchResult =
  | { kind: "snapshot"; snapshot: ChainSnapshot }
  | { kind: "events"; chainId: string; events: ChainEvent[]; version: number };

export interface EntryResult {
  entry: OwnEntry;
  version: number;
  /**
   * The entry's personal key (`<no>.<mac>`, resident writes only): shown and copied as a link
   * (`/c/<chainId>#k=<key>`) that finds and manages this entry on any device (docs/api.md §5.16b).
   */
  key?: string;
}

/** An entry found again without the device key, with its personal key. */
export interface EntryFound {
  entry: OwnEntry;
  key: string;
}

export interface StaffEntryResult {
  entry: StaffEntry;
  version: number;
}

// ---- pickup lists ---------------------------------------------------------------------------

export interface ItemTotal {
  chainId: string;
  itemId: string;
  name: string;
  unit: string;
  qty: number;
  amountFen: number;
}

export interface PickupEntry extends StaffEntry {
  chainTitle: string;
  growerName: string;
}

export interface PickupResident {
  name: string;
  building: string;
  phone: string | null;
  entries: PickupEntry[];
  amountFen: number;
}

export interface CheckOffSummary {
  /** Entries collected / still waiting / marked no-show. */
  collected: number;
  waiting: number;
  noShow: number;
  paidFen: number;
  unpaidFen: number;
}

export interface PickupList {
  communityId: string;
  date: string;
  dropPoint: DropPointView;
  residents: PickupResident[];
  items: ItemTotal[];
  totals: { entries: number; residents: number; amountFen: number };
  checkOff: CheckOffSummary;
}

export interface DaySummary {
  communityId: string;
  date: string;
  dropPoints: ({ dropPoint: DropPointView; entries: number } & CheckOffSummary)[];
  growers: ({ growerId: string; growerName: string; entries: number } & CheckOffSummary)[];
}

export interface PickupChange {
  date: string;
  dropPointId: string;
  /** upsert: the entry is (still) on this list; remove: it left this list (cancelled or moved). */
  change: "upsert" | "remove";
  entry: PickupEntry;
}

export interface DayOverview {
  communityId: string;
  date: string;
  dropPoints: {
    dropPoint: DropPointView;
    entries: number;
    amountFen: number;
    items: ItemTotal[];
  }[];
  totals: { entries: number; amountFen: number };
}

export interface HarvestList {
  chainId: string;
  items: ItemTotal[];
  /** What the waitlist still wants per item (at the cutoff: unmet demand); empty when none. */
  unmet: WaitlistDemand[];
  totals: { entries: number; amountFen: number };
}

export interface LoadList {
  chainId: string;
  dropPoints: {
    dropPoint: DropPointView;
    bags: number;
    amountFen: number;
    items: ItemTotal[];
    /** What the waitlist still wants delivered there, per item (at the cutoff: unmet demand). */
    unmet: WaitlistDemand[];
  }[];
}

/** GET /api/communities/:id/first-run: the first-run checklist, each step read from what exists. */
export interface FirstRunView {
  steps: {
    /** An active drop point exists. */
    dropPoints: boolean;
    /** A grower joined, or an invite for one is open. */
    grower: boolean;
    /** A chain (not cancelled) exists. */
    chain: boolean;
    /** A resident ordered in a chain: its link reached them. */
    shared: boolean;
    /** A coordinator printed a pickup sheet (POST …/first-run/printed). */
    printed: boolean;
  };
  /** A grower has joined (not only been invited). */
  growerJoined: boolean;
  /** The chain to share: an open one first, else the latest not cancelled. */
  chain: { id: string; title: string; deliveryDate: string } | null;
  /** Every step done: the checklist can go. */
  done: boolean;
}

/** GET /api/setup?token=…: what the setup page shows. */
export interface SetupStatus {
  /** open: this link sets up; done: a community exists; invalid: unknown or expired link. */
  status: "open" | "done" | "invalid";
}

/**
 * GET /api/invites/status?token=…: what the join page asks for before the link is used. A used,
 * revoked or expired link answers 404 instead.
 */
export interface InviteStatus {
  /** invite: a new person (asks a name, and a phone for a grower); sign_in: an existing person. */
  kind: "invite" | "sign_in";
  role: Role;
  /** The community's name, to say where the person is joining. */
  community: string;
  /** For a sign-in link: whose it is. */
  name: string | null;
}

export interface InviteView {
  /** For revoking it (DELETE …/invites/:id) until it is used. */
  id: string;
  role: Role;
  /** Set for a sign-in link to an existing user. */
  userId: string | null;
  url: string;
  token: string;
  expiresAt: number;
}

export interface ImportPreview {
  entries: {
    raw: string;
    no: number | null;
    name: string;
    building: string;
    lines: { itemId: string; qty: number }[];
    /** The drop point its words name ("南门自提"); absent when it names none (then the default). */
    dropPointId?: string;
  }[];
  /** Lines not read safely: `code` says why (and `item`/`unit` what about); `reason` in English. */
  review: {
    raw: string;
    code: ReviewCode;
    item: string | null;
    unit: string | null;
    reason: string;
    no: number | null;
    /** The words it is about: the place named (unknown_drop_point, which_drop_point). */
    text: string | null;
    /** Drop points its words may mean: the one named, the several it could be, or candidates. */
    dropPointIds: string[];
  }[];
}

export interface ImportResult {
  created: number;
  /** Lines imported before (same text): nothing new was made for them. */
  already: number;
  results: (
    | { raw: string; status: "created" | "already"; entry: StaffEntry }
    | { raw: string; status: "refused"; error: ErrorBody }
  )[];
}

/** A chain on the residents' home page (`GET /api/home`). */
export interface HomeChain {
  id: string;
  title: string;
  /** The grower's name, and village when known: "李大姐 · 河西村". */
  grower: string;
  deliveryDate: string;
  cutoffAt: number;
  timezone: string;
  /** Everything sold; it takes orders again if stock comes back. */
  soldOut: boolean;
  /** Item names, in the chain's order. */
  items: string[];
}

/** The site root for residents: their community's chains that take orders now. */
export interface ResidentHome {
  community: { id: string; name: string } | null;
  /** Why no community is shown: none set up yet, or several (open a chain's link instead). */
  reason?: "none" | "several";
  chains: HomeChain[];
}
