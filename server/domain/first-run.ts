/**
 * The first-run checklist of a community (docs/api.md §5.39): drop points → invite a grower →
 * first chain → share its link → print. Each step is read from what exists, not from clicks:
 * a grower invited or joined, a chain posted, a resident joined through the link, a pickup
 * sheet printed (the one step recorded on its own, by the print page).
 */
import type { SessionInfo } from "../../shared/events.js";
import type { FirstRunView } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { readUsers } from "../store/communities.js";
import { markPrinted, readPrinted } from "../store/first-run.js";
import { listInvites } from "../store/sessions.js";
import { requireCoordinator } from "./access.js";
import { listChains } from "./chains.js";
import { getCommunity } from "./communities.js";

export async function firstRun(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
): Promise<FirstRunView> {
  requireCoordinator(session, communityId);
  const [community, users, invites, chains, printed] = await Promise.all([
    getCommunity(ctx, session, communityId),
    readUsers(ctx, communityId),
    listInvites(ctx, communityId),
    listChains(ctx, session, communityId, undefined),
    readPrinted(ctx, communityId),
  ]);
  const growers = users.filter((u) => u.role === "grower" && u.removedAt === undefined);
  const invited = invites.some((i) => i.role === "grower" && !i.userId);
  const live = chains.filter((c) => c.status !== "cancelled");
  // The chain to share: an open one first, then the latest.
  const chain = live.find((c) => c.status === "open") ?? live[0] ?? null;
  const steps = {
    dropPoints: community.dropPoints.some((d) => d.active),
    grower: growers.length > 0 || invited,
    chain: live.length > 0,
    shared: live.some((c) => c.items.some((i) => i.sold > 0)),
    printed,
  };
  return {
    steps,
    growerJoined: growers.length > 0,
    chain: chain && { id: chain.id, title: chain.title, deliveryDate: chain.deliveryDate },
    done: Object.values(steps).every(Boolean),
  };
}

export async function notePrinted(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
): Promise<void> {
  requireCoordinator(session, communityId);
  await markPrinted(ctx, communityId);
}
