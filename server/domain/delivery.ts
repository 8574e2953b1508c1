/**
 * Delivery day: volunteers tick collected / paid / no-show at the drop point, and growers or
 * coordinators record the actual weight of weighed lines. Both are entry scripts, so every
 * watcher (the other volunteer's phone, the pickup list) hears of them at once.
 */
import type { SessionInfo } from "../../shared/events.js";
import { isWeightUnit, toMilli } from "../../shared/quantity.js";
import type { EntryMark, EntryWeigh } from "../../shared/schemas.js";
import type { StaffEntryResult } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { AppError } from "../errors.js";
import { requireChainManager } from "./access.js";
import { loadChain } from "./chains.js";
import { runEntryCommand } from "./entries.js";
import { presentStaffEntry } from "./presenters.js";

/** The chain's grower or a coordinator of its community may tick and weigh. */
async function staffFor(ctx: Ctx, session: SessionInfo | null, chainId: string) {
  const chain = await loadChain(ctx, chainId);
  return { chain, s: requireChainManager(session, chain.meta) };
}

export async function checkOff(
  ctx: Ctx,
  session: SessionInfo | null,
  p: EntryMark,
): Promise<StaffEntryResult> {
  const { s } = await staffFor(ctx, session, p.chainId);
  const reply = await runEntryCommand(
    ctx,
    "mark",
    p,
    { no: p.no, mark: p.mark, on: p.on, by: { id: s.userId, name: s.name } },
    `staff:${s.userId}`,
  );
  return { entry: presentStaffEntry(p.chainId, reply.e), version: reply.v };
}

export async function recordWeights(
  ctx: Ctx,
  session: SessionInfo | null,
  p: EntryWeigh,
): Promise<StaffEntryResult> {
  const { chain, s } = await staffFor(ctx, session, p.chainId);
  const items = new Map(chain.items.map((i) => [i.id, i]));
  for (const l of p.lines) {
    const item = items.get(l.itemId);
    if (item && !isWeightUnit(item.unit)) {
      throw new AppError("validation_failed", `${item.name} is not sold by weight`, {
        itemId: l.itemId,
      });
    }
  }
  const reply = await runEntryCommand(
    ctx,
    "weigh",
    p,
    {
      no: p.no,
      lines: p.lines.map((l) => [
        l.itemId,
        l.actualQty === null ? -1 : (toMilli(l.actualQty) ?? 0),
      ]),
      by: { id: s.userId, name: s.name },
    },
    `staff:${s.userId}`,
  );
  return { entry: presentStaffEntry(p.chainId, reply.e), version: reply.v };
}
