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
  "forbidden_origin",
  "json_required",
  "unavailable",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Every socket command is acknowledged with this. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
