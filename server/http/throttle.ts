/** The HTTP side of the limits: the client's address for every /api request, and writes per address. */
import type { NextFunction, Request, Response } from "express";
import { addressKey } from "../client-address.js";
import type { Limits } from "../limits.js";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

export function throttleMiddleware(limits: Limits) {
  return async (req: Request, res: Response, next: NextFunction) => {
    // req.ip follows the app's `trust proxy`, set from TRUST_PROXY.
    const ip = addressKey(req.ip ?? req.socket.remoteAddress ?? "");
    res.locals.ip = ip;
    if (!READS.has(req.method)) await limits.httpWrite(ip);
    next();
  };
}

/** The address key of this request's client (set by throttleMiddleware). */
export const ipOf = (res: Response): string => String(res.locals.ip ?? "");
