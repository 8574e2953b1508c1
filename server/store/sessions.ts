/**
 * Sessions, invites and the one-time setup token. Tokens are random; only their sha256 is stored.
 */
import type { SessionInfo } from "../../shared/events.js";
import type { Role } from "../../shared/schemas.js";
import type { Ctx } from "../context.js";
import { sha256 } from "../crypto.js";

export interface InviteRecord {
  communityId: string;
  role: Role;
  createdBy: string;
  expiresAt: number;
  /** Set for a sign-in link: accepting it signs in as this existing user. */
  userId?: string;
}

export async function saveSession(ctx: Ctx, token: string, session: SessionInfo): Promise<void> {
  const ttl = ctx.config.SESSION_TTL_DAYS * 86_400;
  await ctx.redis.set(ctx.keys.session(sha256(token)), JSON.stringify(session), "EX", ttl);
}

export async function readSession(ctx: Ctx, token: string): Promise<SessionInfo | null> {
  return readSessionByHash(ctx, sha256(token));
}

export async function readSessionByHash(ctx: Ctx, tokenHash: string): Promise<SessionInfo | null> {
  const raw = await ctx.redis.get(ctx.keys.session(tokenHash));
  return raw ? (JSON.parse(raw) as SessionInfo) : null;
}

export async function deleteSession(ctx: Ctx, token: string): Promise<void> {
  await ctx.redis.del(ctx.keys.session(sha256(token)));
}

export async function saveInvite(ctx: Ctx, token: string, invite: InviteRecord): Promise<void> {
  const ttl = Math.max(1, Math.ceil((invite.expiresAt - Date.now()) / 1000));
  await ctx.redis.set(ctx.keys.invite(sha256(token)), JSON.stringify(invite), "EX", ttl);
}

export async function peekInvite(ctx: Ctx, token: string): Promise<InviteRecord | null> {
  const raw = await ctx.redis.get(ctx.keys.invite(sha256(token)));
  return raw ? (JSON.parse(raw) as InviteRecord) : null;
}

/** Invites are single-use: reading one consumes it. */
export async function takeInvite(ctx: Ctx, token: string): Promise<InviteRecord | null> {
  const raw = await ctx.redis.getdel(ctx.keys.invite(sha256(token)));
  return raw ? (JSON.parse(raw) as InviteRecord) : null;
}

/** Replace the setup token (only its hash is kept). */
export async function saveSetupToken(ctx: Ctx, token: string): Promise<void> {
  await ctx.redis.set(ctx.keys.setup, sha256(token));
}

/** Consume the setup token if it matches. */
export async function takeSetupToken(ctx: Ctx, token: string): Promise<boolean> {
  const stored = await ctx.redis.get(ctx.keys.setup);
  if (!stored || stored !== sha256(token)) return false;
  // Only one caller wins the delete, so the link works once.
  return (await ctx.redis.del(ctx.keys.setup)) === 1;
}
