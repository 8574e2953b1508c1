/** The one place HTTP errors are serialised. */
import type { NextFunction, Request, Response } from "express";
import { AppError, toAppError } from "../errors.js";
import { log } from "../log.js";

interface BodyParserError {
  type?: string;
  status?: number;
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new AppError("not_found", "no such route"));
}

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const e = toAppError(fromExpress(err));
  if (e.report) log.error(`${req.method} ${req.path} failed`, err);
  const wait = e.code === "rate_limited" ? (e.details as { retryAfterMs: number }).retryAfterMs : 0;
  if (wait > 0) res.set("Retry-After", String(Math.ceil(wait / 1000)));
  res.status(e.status).json({ error: e.toBody() });
}

/** Errors from body-parser and the router carry a 4xx status: they are the caller's. */
function fromExpress(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const { type, status } = (err ?? {}) as BodyParserError;
  if (type === "entity.too.large" || status === 413) {
    return new AppError("payload_too_large", "the request body is too large");
  }
  if (type === "entity.parse.failed") {
    return new AppError("validation_failed", "the request body is not valid JSON");
  }
  if (status === 404) return new AppError("not_found", "not found");
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError(
      "validation_failed",
      "the request could not be read (encoding, charset or URL)",
    );
  }
  return err;
}
