/** Server secrets kept in Redis, so every app node signs and checks with the same one. */
import { randomBytes } from "node:crypto";
import type { Ctx } from "../context.js";

/** One read per process and key prefix. */
const cache = new Map<string, Promise<string>>();

async function readOrMake(ctx: Ctx): Promise<string> {
  const key = ctx.keys.entryLinkSecret;
  await ctx.redis.set(key, randomBytes(32).toString("base64url"), "NX");
  const secret = await ctx.redis.get(key);
  if (!secret) throw new Error("entry link secret missing");
  return secret;
}

/** The secret personal entry links are signed with: made on first use (SET NX), then read. */
export function entryLinkSecret(ctx: Ctx): Promise<string> {
  const key = ctx.keys.entryLinkSecret;
  let s = cache.get(key);
  if (!s) {
    s = readOrMake(ctx);
    // A failed read is not remembered: the next call asks again.
    s.catch(() => cache.delete(key));
    cache.set(key, s);
  }
  return s;
}
