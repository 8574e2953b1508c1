/**
 * The one error module: typed errors with a stable code and an HTTP status. They are serialised
 * in exactly one place per transport (http/errors.ts errorHandler, realtime/socket-server.ts
 * command). Unknown errors become internal_error and their stack never reaches a client.
 */
import { z } from "zod";
import type { Ack, DetailsOf, ErrorBody, ErrorCode } from "../shared/errors.js";
import { issueOf } from "../shared/issues.js";
import { classifyRedisError, StoreOutcomeUnknown } from "./store/failures.js";

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  chain_closed: 409,
  sold_out: 409,
  limit_exceeded: 409,
  bad_quantity: 400,
  unknown_item: 400,
  unknown_drop_point: 400,
  request_id_conflict: 409,
  entry_cancelled: 409,
  stock_below_sold: 409,
  invalid_state: 409,
  setup_done: 409,
  too_many_entries: 409,
  codes_exhausted: 409,
  not_sold_out: 409,
  already_waiting: 409,
  more_than_stock: 409,
  waitlist_full: 409,
  rate_limited: 429,
  forbidden_origin: 403,
  json_required: 415,
  unavailable: 503,
  outcome_unknown: 503,
  internal_error: 500,
};

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly status: number;
  constructor(
    readonly code: C,
    message: string,
    readonly details?: DetailsOf<C>,
  ) {
    super(message);
    this.name = "AppError";
    this.status = STATUS[code];
  }

  /** Worth a log line with a stack: our fault, not the caller's nor a known Redis outage. */
  get report(): boolean {
    return this.status >= 500 && this.code !== "unavailable" && this.code !== "outcome_unknown";
  }

  toBody(): ErrorBody {
    const body = { code: this.code, message: this.message } as ErrorBody;
    return this.details === undefined ? body : ({ ...body, details: this.details } as ErrorBody);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "not allowed") => new AppError("forbidden", message);
export const unauthorized = () => new AppError("unauthorized", "sign in first");

/** Too much from one socket, device or address; retryAfterMs says when it may try again. */
export function rateLimited(retryAfterMs: number): AppError {
  const ms = Math.max(1, Math.ceil(retryAfterMs));
  return new AppError("rate_limited", `too many requests, try again in ${Math.ceil(ms / 1000)} s`, {
    retryAfterMs: ms,
  });
}

/** A setup or invite token that matched nothing: counted per address against guessing. */
export class TokenRejected extends AppError {}

/** A validation_failed answer lists this many issues at most. */
export const ISSUES_LISTED = 20;

export function validationError(error: z.ZodError): AppError {
  const issues = error.issues.slice(0, ISSUES_LISTED).map(issueOf);
  return new AppError(
    "validation_failed",
    issues
      .slice(0, 5)
      .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
      .join("; "),
    issues,
  );
}

export const outcomeUnknown = () =>
  new AppError(
    "outcome_unknown",
    "storage did not answer in time; this request may still be applied: send it again with the same request id",
  );

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  // Only writes (store/failures.ts write) can end with an unknown outcome; any other failure to
  // reach Redis, reads included, means nothing happened.
  if (err instanceof StoreOutcomeUnknown) return outcomeUnknown();
  if (classifyRedisError(err))
    return new AppError("unavailable", "storage is unavailable, try again shortly");
  return new AppError("internal_error", "something went wrong");
}

export function toAck(err: unknown): Ack<never> {
  return { ok: false, error: toAppError(err).toBody() };
}
