import type { NextFunction, Request, Response } from "express";
import type { SessionInfo } from "../../shared/events.js";
import { findToken, SESSION_COOKIE } from "../auth.js";
import type { Config } from "../config.js";
import type { Ctx } from "../context.js";
import { readSession } from "../store/sessions.js";

/** Resolve the session (if any) once per request into res.locals.session. */
export function sessionMiddleware(ctx: Ctx) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const found = findToken({
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    });
    const token = found?.token ?? null;
    res.locals.token = token;
    res.locals.tokenFrom = found?.from ?? null;
    res.locals.session = token ? await readSession(ctx, token) : null;
    next();
  };
}

export const sessionOf = (res: Response): SessionInfo | null =>
  (res.locals.session as SessionInfo | null | undefined) ?? null;

export function setSessionCookie(res: Response, config: Config, token: string): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: config.PUBLIC_URL.startsWith("https:"),
    path: "/",
    maxAge: config.SESSION_TTL_DAYS * 86_400_000,
  });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: "/" });
}
