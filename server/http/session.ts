import type { NextFunction, Request, Response } from "express";
import type { SessionInfo } from "../../shared/events.js";
import { findToken, SESSION_COOKIE } from "../auth.js";
import type { Config } from "../config.js";
import type { Ctx } from "../context.js";
import { sha256 } from "../crypto.js";
import type { Limits } from "../limits.js";
import { readSession, touchSession } from "../store/sessions.js";
import { ipOf } from "./throttle.js";

/** How often a session's "last seen" is written: at most once per this long per session. */
const TOUCH_MS = 5 * 60_000;

/** Resolve the session (if any) once per request into res.locals.session. */
export function sessionMiddleware(ctx: Ctx, limits: Limits) {
  const touched = new Map<string, number>();
  const touch = (session: SessionInfo, token: string) => {
    const hash = sha256(token);
    const now = Date.now();
    if (now - (touched.get(hash) ?? 0) < TOUCH_MS) return;
    if (touched.size > 10_000) touched.clear();
    touched.set(hash, now);
    // Not worth failing or slowing a request for.
    touchSession(ctx, session.communityId, hash, now).catch(() => {});
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const found = findToken({
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    });
    const token = found?.token ?? null;
    res.locals.token = token;
    res.locals.tokenFrom = found?.from ?? null;
    const session = token
      ? await limits.lookupSession(ipOf(res), token, () => readSession(ctx, token))
      : null;
    res.locals.session = session;
    if (session && token) touch(session, token);
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
