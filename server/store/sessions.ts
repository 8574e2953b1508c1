/**
 * Sessions, invites and the one-time setup token. Tokens are random; only their sha256 is stored.
 * A session or invite lives under a global key (found by its token); each community also lists
 * its sessions and open invites in its own slot, so a coordinator can see and end them. The two
 * are written one after the other, never in one transaction (they are in different slots).
 */
import type { SessionInfo } from "../../shared/events.js";
import type { Role } from "../../shared/schemas.js";
import type { Ctx } from "../context.js";
import { sha256 } from "../crypto.js";
import type { SessionEnded } from "./records.js";

export interface InviteRecord {
  /** Absent on invites stored before invites were listed. */
  id?: string;
  communityId: string;
  role: Role;
  createdBy: string;
  createdAt?: number;
  expiresAt: number;
  /** Set for a sign-in link: accepting it signs in as this existing user. */
  userId?: string;
}

/** What the community's list says about one session (never the token). */
export interface SessionEntry {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  userAgent: string | null;
  lastSeenAt: number | null;
}

type Stored<T> = Omit<T, "tokenHash" | "lastSeenAt">;

const parse = <T>(raw: string): T | null => {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
};

// ---- sessions ---------------------------------------------------------------------------------

export async function saveSession(
  ctx: Ctx,
  token: string,
  session: SessionInfo,
  userAgent: string | null = null,
): Promise<void> {
  const ttl = ctx.config.SESSION_TTL_DAYS * 86_400;
  const tokenHash = sha256(token);
  const now = Date.now();
  const entry: Stored<SessionEntry> = {
    userId: session.userId,
    createdAt: now,
    expiresAt: now + ttl * 1000,
    userAgent: userAgent?.slice(0, 200) || null,
  };
  // Listed first: a session that works is always one a coordinator can end.
  await ctx.redis.hset(
    ctx.keys.community(session.communityId).sessions,
    tokenHash,
    JSON.stringify(entry),
  );
  await ctx.redis.set(ctx.keys.session(tokenHash), JSON.stringify(session), "EX", ttl);
}

export async function readSession(ctx: Ctx, token: string): Promise<SessionInfo | null> {
  return readSessionByHash(ctx, sha256(token));
}

export async function readSessionByHash(ctx: Ctx, tokenHash: string): Promise<SessionInfo | null> {
  const raw = await ctx.redis.get(ctx.keys.session(tokenHash));
  return raw ? (JSON.parse(raw) as SessionInfo) : null;
}

/** Milliseconds the session has left; 0 when it is gone (signed out, expired). */
export async function sessionTtlMs(ctx: Ctx, tokenHash: string): Promise<number> {
  const ttl = await ctx.redis.pttl(ctx.keys.session(tokenHash));
  if (ttl === -1) return Number.POSITIVE_INFINITY;
  return Math.max(0, ttl);
}

/** Remember when a session was last used (the caller decides how often). */
export async function touchSession(
  ctx: Ctx,
  communityId: string,
  tokenHash: string,
  at: number,
): Promise<void> {
  await ctx.redis.hset(ctx.keys.community(communityId).sessionsSeen, tokenHash, String(at));
}

/** End one session: it stops working, its live sockets everywhere are disconnected. */
export async function endSessionByHash(
  ctx: Ctx,
  communityId: string,
  tokenHash: string,
): Promise<void> {
  await ctx.redis.del(ctx.keys.session(tokenHash));
  const k = ctx.keys.community(communityId);
  await ctx.redis.hdel(k.sessions, tokenHash);
  await ctx.redis.hdel(k.sessionsSeen, tokenHash);
  const ended: SessionEnded = { t: "session:ended", h: tokenHash };
  await ctx.redis.publish(ctx.keys.sessionsChannel, JSON.stringify(ended));
}

/** The community's live sessions; ended and expired ones are dropped from the list as found. */
export async function listSessions(ctx: Ctx, communityId: string): Promise<SessionEntry[]> {
  const k = ctx.keys.community(communityId);
  const [all, seen] = await Promise.all([
    ctx.redis.hgetall(k.sessions),
    ctx.redis.hgetall(k.sessionsSeen),
  ]);
  const now = Date.now();
  const entries = Object.entries(all).flatMap(([tokenHash, raw]) => {
    const e = parse<Stored<SessionEntry>>(raw);
    return e
      ? [{ ...e, tokenHash, lastSeenAt: seen[tokenHash] ? Number(seen[tokenHash]) : null }]
      : [];
  });
  // One EXISTS per session: keys of different slots can't go in one command under Cluster.
  const alive = await Promise.all(
    entries.map((e) =>
      e.expiresAt > now ? ctx.redis.exists(ctx.keys.session(e.tokenHash)) : Promise.resolve(0),
    ),
  );
  const gone = entries.filter((_, i) => !alive[i]).map((e) => e.tokenHash);
  if (gone.length) {
    await ctx.redis.hdel(k.sessions, ...gone);
    await ctx.redis.hdel(k.sessionsSeen, ...gone);
  }
  return entries.filter((_, i) => alive[i]).sort((a, b) => a.createdAt - b.createdAt);
}

// ---- invites ----------------------------------------------------------------------------------

export async function saveInvite(ctx: Ctx, token: string, invite: InviteRecord): Promise<void> {
  const ttl = Math.max(1, Math.ceil((invite.expiresAt - Date.now()) / 1000));
  const tokenHash = sha256(token);
  if (invite.id) {
    await ctx.redis.hset(
      ctx.keys.community(invite.communityId).invites,
      invite.id,
      JSON.stringify({ ...invite, tokenHash }),
    );
  }
  await ctx.redis.set(ctx.keys.invite(tokenHash), JSON.stringify(invite), "EX", ttl);
}

export async function peekInvite(ctx: Ctx, token: string): Promise<InviteRecord | null> {
  const raw = await ctx.redis.get(ctx.keys.invite(sha256(token)));
  return raw ? (JSON.parse(raw) as InviteRecord) : null;
}

/** Invites are single-use: reading one consumes it. */
export async function takeInvite(ctx: Ctx, token: string): Promise<InviteRecord | null> {
  const raw = await ctx.redis.getdel(ctx.keys.invite(sha256(token)));
  const invite = raw ? (JSON.parse(raw) as InviteRecord) : null;
  if (invite?.id) await ctx.redis.hdel(ctx.keys.community(invite.communityId).invites, invite.id);
  return invite;
}

/** The community's invites not yet used, revoked or expired. */
export async function listInvites(ctx: Ctx, communityId: string): Promise<InviteRecord[]> {
  const key = ctx.keys.community(communityId).invites;
  const now = Date.now();
  const entries = Object.values(await ctx.redis.hgetall(key)).flatMap((raw) => {
    const e = parse<InviteRecord & { id: string; tokenHash: string }>(raw);
    return e ? [e] : [];
  });
  const open = await Promise.all(
    entries.map((e) =>
      e.expiresAt > now ? ctx.redis.exists(ctx.keys.invite(e.tokenHash)) : Promise.resolve(0),
    ),
  );
  const gone = entries.filter((_, i) => !open[i]).map((e) => e.id);
  if (gone.length) await ctx.redis.hdel(key, ...gone);
  return entries
    .filter((_, i) => open[i])
    .map(({ tokenHash: _, ...invite }) => invite)
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
}

/** The invite stops working; false if there was no such open invite. */
export async function revokeInvite(
  ctx: Ctx,
  communityId: string,
  inviteId: string,
): Promise<boolean> {
  const key = ctx.keys.community(communityId).invites;
  const raw = await ctx.redis.hget(key, inviteId);
  const e = raw ? parse<{ tokenHash: string }>(raw) : null;
  if (!e) return false;
  const deleted = await ctx.redis.del(ctx.keys.invite(e.tokenHash));
  await ctx.redis.hdel(key, inviteId);
  return deleted === 1;
}

// ---- the setup token --------------------------------------------------------------------------

/** Replace the setup token (only its hash is kept); it works for SETUP_TOKEN_TTL_HOURS. */
export async function saveSetupToken(ctx: Ctx, token: string): Promise<void> {
  const ttl = ctx.config.SETUP_TOKEN_TTL_HOURS * 3600;
  await ctx.redis.set(ctx.keys.setup, sha256(token), "EX", ttl);
}

export async function setupTokenMatches(ctx: Ctx, token: string): Promise<boolean> {
  return (await ctx.redis.get(ctx.keys.setup)) === sha256(token);
}

/**
 * Only one setup runs at a time. The lock expires by itself, so a process that dies half-way
 * leaves the link usable again a minute later.
 */
export async function lockSetup(ctx: Ctx): Promise<boolean> {
  return (await ctx.redis.set(ctx.keys.setupLock, "1", "PX", 60_000, "NX")) === "OK";
}

export async function unlockSetup(ctx: Ctx): Promise<void> {
  await ctx.redis.del(ctx.keys.setupLock);
}

/** The link is used up: called once the community exists. */
export async function deleteSetupToken(ctx: Ctx): Promise<void> {
  await ctx.redis.del(ctx.keys.setup);
}
