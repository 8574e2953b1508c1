/**
 * What a chain's status means, in one place for every page (the server's Lua scripts keep the
 * same rules inside Redis: lib.lua check_open, update-chain.lua). A chain stored as "open" is
 * closed once its cutoff has passed, even before the sweep marks it so.
 */
import type { ChainStatus } from "./schemas.js";
import type { ClosedReason } from "./views.js";

export interface StatusOf {
  status: ChainStatus;
  closedReason: ClosedReason | null;
  cutoffAt: number;
}

export type ChainPhase =
  /** Takes residents' orders. */
  | "open"
  /** Everything sold before the cutoff; opens again when stock comes back. */
  | "sold_out"
  /** The grower closed it early. */
  | "closed_by_grower"
  /** Past its cutoff. */
  | "past_cutoff"
  | "cancelled"
  | "delivered";

export function chainPhase(c: StatusOf, now: number): ChainPhase {
  if (c.status === "cancelled" || c.status === "delivered") return c.status;
  if (c.status === "closed" && c.closedReason === "grower") return "closed_by_grower";
  if (now >= c.cutoffAt) return "past_cutoff";
  return c.status === "open" ? "open" : "sold_out";
}

/** Residents may wait in line for a sold-out item now (the waitlist closes with the chain). */
export const takesWaitlist = (c: StatusOf, now: number) => {
  const phase = chainPhase(c, now);
  return phase === "open" || phase === "sold_out";
};

/** Residents may join, change and cancel now. */
export const takesOrders = (c: StatusOf, now: number) => chainPhase(c, now) === "open";

/** The grower may still change prices, stock, title and cutoff (PATCH /api/chains/:id). */
export function growerCanEdit(c: StatusOf, now: number): boolean {
  const phase = chainPhase(c, now);
  return phase === "open" || phase === "sold_out";
}

/** Coordinators may still add, change and cancel orders for residents (after the cutoff too). */
export const staffCanWrite = (c: { status: ChainStatus }) =>
  c.status === "open" || c.status === "closed";

/** The status a chain shows: closed (reason cutoff) once its cutoff has passed. */
export function shownStatus(
  c: StatusOf,
  now: number,
): { status: ChainStatus; closedReason: ClosedReason | null } {
  return c.status === "open" && now >= c.cutoffAt
    ? { status: "closed", closedReason: "cutoff" }
    : { status: c.status, closedReason: c.closedReason };
}
