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
  const parserType = (err as BodyParserError)?.type;
  const mapped =
    parserType === "entity.too.large"
      ? new AppError("payload_too_large", "the request body is too large")
      : parserType === "entity.parse.failed" || parserType === "encoding.unsupported"
        ? new AppError("validation_failed", "the request body is not valid JSON")
        : err;
  const e = toAppError(mapped);
  if (e.report) log.error(`${req.method} ${req.path} failed`, err);
  res.status(e.status).json({ error: e.toBody() });
}
