/** Stable error codes, shared by the server (which sends them) and the client (which words them). */
export const ERROR_CODES = [
  "validation_failed",
  "payload_too_large",
  "unauthorized",
  "forbidden",
  "not_found",
  "chain_closed",
  "sold_out",
  "limit_exceeded",
  "bad_quantity",
  "unknown_item",
  "unknown_drop_point",
  "request_id_conflict",
  "entry_cancelled",
  "stock_below_sold",
  "invalid_state",
  "setup_done",
  "too_many_entries",
  "codes_exhausted",
  "not_sold_out",
  "already_waiting",
  "more_than_stock",
  "waitlist_full",
  "rate_limited",
  "forbidden_origin",
  "json_required",
  "unavailable",
  "outcome_unknown",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem of a payload: where (path), which check (zod's issue code, our rule), in English. */
export interface ValidationIssue {
  path: string[];
  message: string;
  /** zod's issue code: too_small, too_big, invalid_type, invalid_format, custom, … */
  code?: string;
  /** For our own checks (code "custom"): which one (schemas.ts RULES). */
  rule?: string;
  /** For too_big / too_small: the bound. */
  maximum?: number;
  minimum?: number;
}

/** Stock of one item that a join or change asked more of than is left (quantities in units). */
export interface ShortItem {
  itemId: string;
  name: string;
  wanted: number;
  remaining: number;
}

/**
 * What `details` holds, per code: the one contract between the scripts' refusals, the server's
 * error mapping and the client's words. Codes not listed carry no details.
 */
export interface ErrorDetails {
  /** Schema problems; a rule on one item (weighing an item not sold by weight) names the item. */
  validation_failed: ValidationIssue[] | { itemId: string };
  /** `short`: the items that ran short for this order; `left`: what is left of every item. */
  sold_out: {
    short: ShortItem[];
    left: { itemId: string; name: string; unit: string; remaining: number | null }[];
  };
  /** `already`: what the resident holds of the item now; `by: "phone"` when counted by phone. */
  limit_exceeded: { itemId: string; limit: number; already: number; by?: "phone" };
  bad_quantity: { itemId: string; step: number };
  unknown_item: { itemId: string };
  unknown_drop_point: { dropPointId: string } | { dropPointIds: string[] };
  stock_below_sold: { itemId: string; sold: number };
  invalid_state: { from: string; to: string };
  too_many_entries: { max: number };
  codes_exhausted: { dropPointId: string };
  /** waitlist:join while the item can still meet the request: join the chain instead. */
  not_sold_out: { itemId: string; remaining: number | null };
  /** The device already waits for this item (waiterId: its place in line). */
  already_waiting: { itemId: string; waiterId: number };
  /** waitlist:join for more than the item's whole stock: it could never be met. */
  more_than_stock: { itemId: string; stock: number };
  /** waitlist:join while `max` requests already wait for the item. */
  waitlist_full: { itemId: string; max: number };
  rate_limited: { retryAfterMs: number };
}

export type DetailsOf<C extends ErrorCode> = C extends keyof ErrorDetails ? ErrorDetails[C] : never;

/** An error as HTTP and acks send it: one shape per code, so `details` narrows on `code`. */
export type ErrorBody = {
  [C in ErrorCode]: { code: C; message: string; details?: DetailsOf<C> };
}[ErrorCode];

/** Every socket command is acknowledged with this. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
