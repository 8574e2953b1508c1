/** Community settings and drop points. */
import type { SessionInfo } from "../../shared/events.js";
import type { CommunityPatch, DropPointInput, DropPointPatch } from "../../shared/schemas.js";
import type { CommunityView, DropPointView } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { derivedId, randomId } from "../crypto.js";
import { AppError, notFound } from "../errors.js";
import {
  addDropPointOnce,
  readCommunity,
  readDropPoint,
  saveDropPoint,
  updateCommunityInfo,
} from "../store/communities.js";
import { requireCoordinator, requireMember } from "./access.js";
import { presentCommunity, presentDropPoint } from "./presenters.js";

export async function loadCommunity(ctx: Ctx, communityId: string) {
  const found = await readCommunity(ctx, communityId);
  if (!found) throw notFound("community");
  return found;
}

export async function getCommunity(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
): Promise<CommunityView> {
  requireMember(session, communityId);
  const { community, dropPoints } = await loadCommunity(ctx, communityId);
  return presentCommunity(community, dropPoints);
}

export async function patchCommunity(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  patch: CommunityPatch,
): Promise<CommunityView> {
  requireCoordinator(session, communityId);
  await loadCommunity(ctx, communityId);
  await updateCommunityInfo(ctx, communityId, patch);
  const { community, dropPoints } = await loadCommunity(ctx, communityId);
  return presentCommunity(community, dropPoints);
}

export async function addDropPoint(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  input: DropPointInput,
  idempotencyKey?: string,
): Promise<DropPointView> {
  const s = requireCoordinator(session, communityId);
  await loadCommunity(ctx, communityId);
  if (!idempotencyKey) {
    const dp = { id: randomId(8), ...input };
    await saveDropPoint(ctx, communityId, dp);
    return presentDropPoint(dp);
  }
  // A retry of the same create (same key, same coordinator) names the same drop point.
  const dp = { id: derivedId(`drop-point\n${s.userId}\n${idempotencyKey}`, 8), ...input };
  const existing = await addDropPointOnce(ctx, communityId, dp);
  if (
    existing &&
    JSON.stringify({ ...existing, active: true }) !== JSON.stringify({ ...dp, active: true })
  ) {
    throw new AppError(
      "request_id_conflict",
      "this Idempotency-Key was already used for another drop point",
    );
  }
  return presentDropPoint(existing ?? dp);
}

export async function patchDropPoint(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  dropPointId: string,
  patch: DropPointPatch,
): Promise<DropPointView> {
  requireCoordinator(session, communityId);
  const dp = await readDropPoint(ctx, communityId, dropPointId);
  if (!dp) throw notFound("drop point");
  const next = {
    ...dp,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
  await saveDropPoint(ctx, communityId, next);
  return presentDropPoint(next);
}
