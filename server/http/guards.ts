/**
 * What keeps other sites from acting for our users: writes from a foreign Origin are refused, and
 * a write that rides on the session cookie must be JSON (a cross-site form can only send
 * text/plain, form-urlencoded or multipart, and JSON needs a CORS preflight we never answer).
 */
import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { originCheck } from "../origins.js";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

export const isWrite = (req: Request) => !READS.has(req.method);

/** Writes from a browser page on another origin: 403 forbidden_origin, before the body is read. */
export function originGuard(config: Config) {
  const allowed = originCheck(config);
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!isWrite(req) || allowed(req.headers.origin, req.headers.host)) return next();
    next(new AppError("forbidden_origin", "requests from other sites are not allowed"));
  };
}

/** A write authenticated by the session cookie must say application/json: 415 json_required. */
export function jsonForCookieWrites(req: Request, res: Response, next: NextFunction): void {
  const byCookie = res.locals.tokenFrom === "cookie" && res.locals.session;
  const json = /^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "");
  if (!isWrite(req) || !byCookie || json) next();
  else next(new AppError("json_required", "send the request body as application/json"));
}
