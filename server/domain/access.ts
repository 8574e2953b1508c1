/** Who may do what. Every route and event goes through one of these. */
import type { SessionInfo } from "../../shared/events.js";
import { forbidden, unauthorized } from "../errors.js";
import type { ChainMeta } from "../store/records.js";

export function requireSession(session: SessionInfo | null): SessionInfo {
  if (!session) throw unauthorized();
  return session;
}

/** A coordinator or grower of this community. */
export function requireMember(session: SessionInfo | null, communityId: string): SessionInfo {
  const s = requireSession(session);
  if (s.communityId !== communityId) throw forbidden("not a member of this community");
  return s;
}

export function requireCoordinator(session: SessionInfo | null, communityId: string): SessionInfo {
  const s = requireMember(session, communityId);
  if (s.role !== "coordinator") throw forbidden("coordinators only");
  return s;
}

export function requireGrower(session: SessionInfo | null): SessionInfo {
  const s = requireSession(session);
  if (s.role !== "grower") throw forbidden("growers only");
  return s;
}

/** The chain's own grower, or a coordinator of its community. */
export function requireChainManager(session: SessionInfo | null, chain: ChainMeta): SessionInfo {
  const s = requireMember(session, chain.communityId);
  if (s.role === "coordinator" || s.userId === chain.growerId) return s;
  throw forbidden("not your chain");
}

/** A coordinator of the chain's community writes entries on a resident's behalf. */
export function isStaffFor(session: SessionInfo | null, communityId: string): boolean {
  return session?.role === "coordinator" && session.communityId === communityId;
}
