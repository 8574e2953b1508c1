/** First-run setup, invites and sessions. */
import type { SessionInfo } from "../../shared/events.js";
import type { InviteAcceptBody, InviteCreateBody, Role, SetupBody } from "../../shared/schemas.js";
import type { InviteView, SessionView, UserView } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { randomId, randomToken, sha256 } from "../crypto.js";
import { AppError, notFound, TokenRejected } from "../errors.js";
import {
  createCommunity,
  hasAnyCommunity,
  readCommunity,
  readUser,
  readUsers,
  saveUser,
} from "../store/communities.js";
import { publishSessionEnded } from "../store/event-bus.js";
import type { UserRecord } from "../store/records.js";
import {
  deleteSession,
  peekInvite,
  saveInvite,
  saveSession,
  saveSetupToken,
  takeInvite,
  takeSetupToken,
} from "../store/sessions.js";
import { requireCoordinator, requireSession } from "./access.js";
import { presentCommunity, presentUser } from "./presenters.js";

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

export const sessionOfUser = (user: UserRecord): SessionInfo => ({
  userId: user.id,
  communityId: user.communityId,
  role: user.role,
  name: user.name,
});

/** A new session for the user; returns its token (only the hash is stored). */
export async function mintSession(ctx: Ctx, user: UserRecord): Promise<string> {
  const token = randomToken();
  await saveSession(ctx, token, sessionOfUser(user));
  return token;
}

async function startSession(
  ctx: Ctx,
  user: UserRecord,
): Promise<{ token: string; view: SessionView }> {
  const token = await mintSession(ctx, user);
  const found = await readCommunity(ctx, user.communityId);
  if (!found) throw notFound("community");
  return {
    token,
    view: {
      user: presentUser(user),
      community: presentCommunity(found.community, found.dropPoints),
      token,
    },
  };
}

export async function completeSetup(ctx: Ctx, body: SetupBody) {
  if (!(await takeSetupToken(ctx, body.token))) {
    throw (await hasAnyCommunity(ctx))
      ? new AppError("setup_done", "setup is already done")
      : new TokenRejected(
          "forbidden",
          "this setup link is not valid; restart the service for a new one",
        );
  }
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
  return startSession(ctx, coordinator);
}

export async function createInvite(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  body: InviteCreateBody,
): Promise<InviteView> {
  const s = requireCoordinator(session, communityId);
  let role: Role;
  let userId: string | undefined;
  if ("userId" in body) {
    // A sign-in link for someone who lost their phone or signed out: same user, same chains.
    const user = await readUser(ctx, communityId, body.userId);
    if (!user) throw notFound("user");
    ({ role, id: userId } = user);
  } else {
    role = body.role;
  }
  const token = randomToken();
  const expiresAt = Date.now() + ctx.config.INVITE_TTL_HOURS * 3_600_000;
  await saveInvite(ctx, token, { communityId, role, createdBy: s.userId, expiresAt, userId });
  return {
    role,
    userId: userId ?? null,
    token,
    expiresAt,
    url: `${ctx.config.PUBLIC_URL}/join?token=${token}`,
  };
}

export async function acceptInvite(ctx: Ctx, body: InviteAcceptBody) {
  if (!body.name) {
    // Checked before the invite is used up, so a sign-up form can be fixed and sent again.
    const peek = await peekInvite(ctx, body.token);
    if (peek && !peek.userId) throw new AppError("validation_failed", "name: must not be empty");
  }
  const invite = await takeInvite(ctx, body.token);
  if (!invite) throw new TokenRejected("not_found", "this invite link is used or has expired");
  if (invite.userId) {
    const user = await readUser(ctx, invite.communityId, invite.userId);
    if (!user) throw notFound("user");
    return startSession(ctx, user);
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
  return startSession(ctx, user);
}

/** Coordinators see the community's people, to hand out sign-in links. */
export async function listUsers(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
): Promise<UserView[]> {
  requireCoordinator(session, communityId);
  return (await readUsers(ctx, communityId)).map(presentUser);
}

export async function describeSession(ctx: Ctx, session: SessionInfo | null): Promise<SessionView> {
  const s = requireSession(session);
  const [user, found] = await Promise.all([
    readUser(ctx, s.communityId, s.userId),
    readCommunity(ctx, s.communityId),
  ]);
  if (!user || !found) throw notFound("user");
  return {
    user: presentUser(user),
    community: presentCommunity(found.community, found.dropPoints),
  };
}

/** Sign out: the session stops working everywhere, and its live sockets are disconnected. */
export async function endSession(
  ctx: Ctx,
  token: string,
  session: SessionInfo | null,
): Promise<void> {
  await deleteSession(ctx, token);
  if (session) {
    await publishSessionEnded(ctx, sha256(token));
  }
}
