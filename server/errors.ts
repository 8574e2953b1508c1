/**
 * The one error module: typed errors with a stable code and an HTTP status. They are serialised
 * in exactly one place per transport (http/errors.ts errorHandler, realtime/socket-server.ts
 * command). Unknown errors become internal_error and their stack never reaches a client.
 */
import { z } from "zod";
import type { Ack, ErrorBody, ErrorCode } from "../shared/errors.js";

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
  forbidden_origin: 403,
  json_required: 415,
  unavailable: 503,
  internal_error: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
    this.status = STATUS[code];
  }

  /** Worth a log line with a stack: our fault, not the caller's nor a known Redis outage. */
  get report(): boolean {
    return this.status >= 500 && this.code !== "unavailable";
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "not allowed") => new AppError("forbidden", message);
export const unauthorized = () => new AppError("unauthorized", "sign in first");

export function validationError(error: z.ZodError): AppError {
  return new AppError(
    "validation_failed",
    error.issues
      .slice(0, 5)
      .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
      .join("; "),
    error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  );
}

/** Connection-level failures from ioredis: the store is unreachable right now. */
function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const m = err.message;
  return (
    err.name === "MaxRetriesPerRequestError" ||
    /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|ECONNREFUSED|ECONNRESET|ENOENT|EPIPE|LOADING|connect ETIMEDOUT/.test(
      m,
    )
  );
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  if (isRedisUnavailable(err))
    return new AppError("unavailable", "storage is unavailable, try again shortly");
  return new AppError("internal_error", "something went wrong");
}

export function toAck(err: unknown): Ack<never> {
  return { ok: false, error: toAppError(err).toBody() };
}
