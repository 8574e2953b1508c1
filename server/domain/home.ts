/**
 * The site root for residents: the chains of their community that take orders now, or a plain
 * reason why there are none to show. No session: chains are public by their link already.
 */
import { chainPhase } from "../../shared/chain-status.js";
import { dateIn } from "../../shared/dates.js";
import type { ResidentHome } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { listChainIds, readChains } from "../store/chains.js";
import { listCommunityIds, readCommunity, readUser } from "../store/communities.js";
import { readDemoIds } from "../store/demo.js";

/**
 * `asked`: the community the phone used last (it remembers where it ordered). Otherwise the
 * install's one community; the demo community counts only when it is the only one.
 */
export async function residentHome(ctx: Ctx, asked?: string): Promise<ResidentHome> {
  const all = await listCommunityIds(ctx);
  let communityId = asked && all.includes(asked) ? asked : undefined;
  if (!communityId) {
    const demo = (await readDemoIds(ctx))?.communityId;
    const real = all.filter((id) => id !== demo);
    const candidates = real.length ? real : all;
    if (candidates.length === 0) return { community: null, reason: "none", chains: [] };
    if (candidates.length > 1) return { community: null, reason: "several", chains: [] };
    communityId = candidates[0];
  }
  const found = communityId ? await readCommunity(ctx, communityId) : null;
  if (!found || !communityId) return { community: null, reason: "none", chains: [] };
  const tz = found.community.timezone;
  const now = Date.now();
  const chains = (
    await readChains(ctx, await listChainIds(ctx, communityId, { from: dateIn(tz, now) }))
  ).filter((c) => {
    const phase = chainPhase({ ...c.meta, cutoffAt: c.meta.cutoff }, now);
    return phase === "open" || phase === "sold_out";
  });
  const growers = new Map<string, string>();
  for (const id of new Set(chains.map((c) => c.meta.growerId))) {
    const g = await readUser(ctx, communityId, id);
    growers.set(id, g ? (g.village ? `${g.name} · ${g.village}` : g.name) : "");
  }
  return {
    community: { id: communityId, name: found.community.name },
    chains: chains
      .sort((a, b) => a.meta.date.localeCompare(b.meta.date) || a.meta.cutoff - b.meta.cutoff)
      .map((c) => ({
        id: c.meta.id,
        title: c.meta.title,
        grower: growers.get(c.meta.growerId) ?? "",
        deliveryDate: c.meta.date,
        cutoffAt: c.meta.cutoff,
        timezone: tz,
        soldOut: c.meta.status === "closed",
        items: c.items.map((i) => i.name),
      })),
  };
}
