/**
 * First-run setup, invites, sessions, and the people of a community. The coordinator who set the
 * community up is its owner: only they invite coordinators, give a coordinator a sign-in link,
 * or remove one. Any coordinator manages growers.
 */
import type { SessionInfo } from "../../shared/events.js";
import type { InviteAcceptBody, InviteCreateBody, SetupBody } from "../../shared/schemas.js";
import type {
  InviteStatus,
  InviteView,
  OpenInviteView,
  SessionEntryView,
  SessionView,
  SetupStatus,
  UserView,
} from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { randomId, randomToken, sha256 } from "../crypto.js";
import { AppError, forbidden, notFound, TokenRejected } from "../errors.js";
import {
  createCommunity,
  hasAnyCommunity,
  readCommunity,
  readUser,
  readUsers,
  saveUser,
} from "../store/communities.js";
import type { UserRecord } from "../store/records.js";
import {
  deleteSetupToken,
  endSessionByHash,
  listInvites,
  listSessions,
  lockSetup,
  peekInvite,
  revokeInvite,
  saveInvite,
  saveSession,
  saveSetupToken,
  setupTokenMatches,
  takeInvite,
  unlockSetup,
} from "../store/sessions.js";
import { requireCoordinator, requireSession } from "./access.js";
import { presentCommunity, presentOpenInvite, presentSession, presentUser } from "./presenters.js";

/** What the HTTP edge knows about the device signing in (shown in the sessions list). */
export interface DeviceInfo {
  userAgent?: string | null;
}

// ---- setup ------------------------------------------------------------------------------------

/**
 * On a start with no community, make a fresh one-time setup link (the previous one stops working).
 * Returns null once a community exists.
 */
export async function ensureSetupLink(ctx: Ctx): Promise<string | null> {
  if (await hasAnyCommunity(ctx)) return null;
  const token = randomToken();
  await saveSetupToken(ctx, token);
  return `${ctx.config.PUBLIC_URL}/setup?token=${token}`;
}

/** What the setup page should show for a link. */
export async function setupStatus(ctx: Ctx, token: string | undefined): Promise<SetupStatus> {
  if (await hasAnyCommunity(ctx)) return { status: "done" };
  return { status: token && (await setupTokenMatches(ctx, token)) ? "open" : "invalid" };
}

/**
 * The link is used up only once the community exists: a setup that fails half-way leaves it
 * working. The setup lock makes two setups at once create one community.
 */
export async function completeSetup(ctx: Ctx, body: SetupBody, device: DeviceInfo = {}) {
  const done = () => new AppError("setup_done", "setup is already done");
  if (await hasAnyCommunity(ctx)) throw done();
  if (!(await setupTokenMatches(ctx, body.token))) {
    throw new TokenRejected(
      "forbidden",
      "this setup link is not valid or has expired; run `npm run setup-link`",
    );
  }
  if (!(await lockSetup(ctx))) throw done();
  try {
    // Another setup may have finished between the first check and the lock.
    if (await hasAnyCommunity(ctx)) throw done();
    const now = Date.now();
    const communityId = randomId(8);
    const coordinator: UserRecord = {
      id: randomId(10),
      communityId,
      role: "coordinator",
      name: body.coordinator.name,
      village: null,
      phone: null,
      createdAt: now,
      owner: true,
    };
    await createCommunity(
      ctx,
      {
        id: communityId,
        name: body.community.name,
        timezone: body.community.timezone ?? ctx.config.DEFAULT_TIMEZONE,
        requirePhone4: false,
        createdAt: now,
      },
      coordinator,
    );
    await deleteSetupToken(ctx);
    return await startSession(ctx, coordinator, device);
  } finally {
    await unlockSetup(ctx).catch(() => {});
  }
}

// ---- sessions ---------------------------------------------------------------------------------

export const sessionOfUser = (user: UserRecord): SessionInfo => ({
  userId: user.id,
  communityId: user.communityId,
  role: user.role,
  name: user.name,
});

/** A new session for the user; returns its token (only the hash is stored). */
export async function mintSession(
  ctx: Ctx,
  user: UserRecord,
  device: DeviceInfo = {},
): Promise<string> {
  const token = randomToken();
  await saveSession(ctx, token, sessionOfUser(user), device.userAgent ?? null);
  return token;
}

async function startSession(
  ctx: Ctx,
  user: UserRecord,
  device: DeviceInfo,
): Promise<{ token: string; view: SessionView }> {
  const token = await mintSession(ctx, user, device);
  const [found, users] = await Promise.all([
    readCommunity(ctx, user.communityId),
    readUsers(ctx, user.communityId),
  ]);
  if (!found) throw notFound("community");
  return {
    token,
    view: {
      user: presentUser(user, ownerOf(users)),
      community: presentCommunity(found.community, found.dropPoints),
      token,
    },
  };
}

export async function describeSession(ctx: Ctx, session: SessionInfo | null): Promise<SessionView> {
  const s = requireSession(session);
  const [users, found] = await Promise.all([
    readUsers(ctx, s.communityId),
    readCommunity(ctx, s.communityId),
  ]);
  const user = users.find((u) => u.id === s.userId);
  if (!user || !found) throw notFound("user");
  return {
    user: presentUser(user, ownerOf(users)),
    community: presentCommunity(found.community, found.dropPoints),
  };
}

/** Sign out: the session stops working everywhere, and its live sockets are disconnected. */
export async function endSession(
  ctx: Ctx,
  token: string,
  session: SessionInfo | null,
): Promise<void> {
  // An unknown token has nothing to end (and announces nothing to the other instances).
  if (session) await endSessionByHash(ctx, session.communityId, sha256(token));
}

/** Coordinators see who is signed in where (not the tokens). */
export async function listCommunitySessions(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  currentToken: string | null,
): Promise<SessionEntryView[]> {
  requireCoordinator(session, communityId);
  const [entries, users] = await Promise.all([
    listSessions(ctx, communityId),
    readUsers(ctx, communityId),
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));
  const current = currentToken ? sha256(currentToken) : null;
  return entries.map((e) => presentSession(e, byId.get(e.userId), current));
}

/** Sign a person out on every device, at once (their live sockets are disconnected). */
export async function signOutEverywhere(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  userId: string,
): Promise<{ ended: number }> {
  const { target } = await mayManage(ctx, session, communityId, userId, "sign out");
  return { ended: await endSessionsOf(ctx, target) };
}

async function endSessionsOf(ctx: Ctx, user: UserRecord): Promise<number> {
  const mine = (await listSessions(ctx, user.communityId)).filter((e) => e.userId === user.id);
  for (const e of mine) await endSessionByHash(ctx, user.communityId, e.tokenHash);
  return mine.length;
}

// ---- people -----------------------------------------------------------------------------------

/** The owner: marked at setup; a community set up before owners were kept has its first coordinator. */
export function ownerOf(users: readonly UserRecord[]): string | null {
  const marked = users.find((u) => u.owner);
  if (marked) return marked.id;
  const first = users
    .filter((u) => u.role === "coordinator" && u.removedAt === undefined)
    .sort((a, b) => a.createdAt - b.createdAt)[0];
  return first?.id ?? null;
}

/**
 * The actor may act on the target: any coordinator on a grower, only the owner on another
 * coordinator, anyone on themselves (except where `notSelf`), nobody on the owner but the owner.
 */
async function mayManage(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  userId: string,
  what: string,
  opts: { notSelf?: boolean } = {},
) {
  const s = requireCoordinator(session, communityId);
  const users = await readUsers(ctx, communityId);
  const target = users.find((u) => u.id === userId);
  if (!target) throw notFound("user");
  const ownerId = ownerOf(users);
  const self = target.id === s.userId;
  if (self && opts.notSelf) throw forbidden(`you can't ${what} yourself`);
  if (!self && target.id === ownerId) throw forbidden(`nobody can ${what} the owner`);
  if (!self && target.role === "coordinator" && s.userId !== ownerId) {
    throw forbidden(`only the owner can ${what} a coordinator`);
  }
  return { s, users, target, ownerId };
}

/** Coordinators see the community's people, to hand out sign-in links. */
export async function listUsers(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
): Promise<UserView[]> {
  requireCoordinator(session, communityId);
  const users = await readUsers(ctx, communityId);
  const ownerId = ownerOf(users);
  return users.map((u) => presentUser(u, ownerId));
}

/**
 * Remove a grower (any coordinator) or a coordinator (the owner): they can't sign in any more,
 * their sessions end at once, links for them or from them stop working; their chains stay.
 */
export async function removeUser(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  userId: string,
): Promise<UserView> {
  const { target, ownerId } = await mayManage(ctx, session, communityId, userId, "remove", {
    notSelf: true,
  });
  const removed: UserRecord = { ...target, removedAt: target.removedAt ?? Date.now() };
  // Marked first: a sign-in link accepted meanwhile is refused from here on.
  await saveUser(ctx, removed);
  for (const invite of await listInvites(ctx, communityId)) {
    if (invite.id && (invite.userId === userId || invite.createdBy === userId)) {
      await revokeInvite(ctx, communityId, invite.id);
    }
  }
  await endSessionsOf(ctx, removed);
  return presentUser(removed, ownerId);
}

// ---- invites ----------------------------------------------------------------------------------

export async function createInvite(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  body: InviteCreateBody,
): Promise<InviteView> {
  const s = requireCoordinator(session, communityId);
  let role = "role" in body ? body.role : null;
  let userId: string | undefined;
  if ("userId" in body) {
    // A sign-in link for someone who lost their phone or signed out: same user, same chains.
    const { target } = await mayManage(ctx, s, communityId, body.userId, "sign in as");
    if (target.removedAt !== undefined) throw forbidden("this person was removed");
    ({ role, id: userId } = target);
  } else if (role === "coordinator") {
    const users = await readUsers(ctx, communityId);
    if (ownerOf(users) !== s.userId) throw forbidden("only the owner can invite coordinators");
  }
  if (!role) throw new AppError("validation_failed", "role or userId is required");
  const token = randomToken();
  const now = Date.now();
  const expiresAt = now + ctx.config.INVITE_TTL_HOURS * 3_600_000;
  const id = randomId(10);
  await saveInvite(ctx, token, {
    id,
    communityId,
    role,
    createdBy: s.userId,
    createdAt: now,
    expiresAt,
    userId,
  });
  return {
    id,
    role,
    userId: userId ?? null,
    token,
    expiresAt,
    url: `${ctx.config.PUBLIC_URL}/join?token=${token}`,
  };
}

const USED = "this invite link is used or has expired";

/** What the join page shows before the link is used: who it is for. Used up or expired: 404. */
export async function inviteStatus(ctx: Ctx, token: string): Promise<InviteStatus> {
  const invite = await peekInvite(ctx, token);
  if (!invite) throw new TokenRejected("not_found", USED);
  const found = await readCommunity(ctx, invite.communityId);
  if (!found) throw new TokenRejected("not_found", USED);
  let name: string | null = null;
  if (invite.userId) {
    const user = await readUser(ctx, invite.communityId, invite.userId);
    if (!user) throw notFound("user");
    if (user.removedAt !== undefined) throw forbidden("this person was removed");
    name = user.name;
  }
  return {
    kind: invite.userId ? "sign_in" : "invite",
    role: invite.role,
    community: found.community.name,
    name,
  };
}

export async function acceptInvite(ctx: Ctx, body: InviteAcceptBody, device: DeviceInfo = {}) {
  if (!body.name) {
    // Checked before the invite is used up, so a sign-up form can be fixed and sent again.
    const peek = await peekInvite(ctx, body.token);
    if (peek && !peek.userId)
      throw new AppError("validation_failed", "name: must not be empty", [
        { path: ["name"], code: "too_small", minimum: 1, message: "must not be empty" },
      ]);
  }
  const invite = await takeInvite(ctx, body.token);
  if (!invite) throw new TokenRejected("not_found", USED);
  if (invite.userId) {
    const user = await readUser(ctx, invite.communityId, invite.userId);
    if (!user) throw notFound("user");
    if (user.removedAt !== undefined) throw forbidden("this person was removed");
    return startSession(ctx, user, device);
  }
  const user: UserRecord = {
    id: randomId(10),
    communityId: invite.communityId,
    role: invite.role,
    name: body.name ?? "",
    village: body.village ?? null,
    phone: body.phone ?? null,
    createdAt: Date.now(),
  };
  await saveUser(ctx, user);
  return startSession(ctx, user, device);
}

export async function listOpenInvites(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
): Promise<OpenInviteView[]> {
  requireCoordinator(session, communityId);
  const [invites, users] = await Promise.all([
    listInvites(ctx, communityId),
    readUsers(ctx, communityId),
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));
  return invites.map((i) => presentOpenInvite(i, byId));
}

/** An unused invite or sign-in link stops working. */
export async function revokeOpenInvite(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  inviteId: string,
): Promise<void> {
  requireCoordinator(session, communityId);
  if (!(await revokeInvite(ctx, communityId, inviteId))) {
    throw new AppError("not_found", "no such open invite (used, revoked or expired)");
  }
}
