/**
 * The waitlist (issue 15): a resident refused with sold_out waits in line for the item; units
 * that come back (a cancel, a smaller order, more stock) go to the line in order, inside the
 * script that frees them (store/scripts/lib.lua promote). Here: who asks, and what they see.
 */
import { toMilli } from "../../shared/quantity.js";
import type { WaitlistJoin, WaitlistLeave } from "../../shared/schemas.js";
import type { MyWaitlist, WaitlistResult } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { sha256 } from "../crypto.js";
import { AppError } from "../errors.js";
import {
  readEntriesByRef,
  readItems,
  readWaitlist,
  runWaitlistScript,
  type WaitlistScriptInputs,
} from "../store/chains.js";
import type { WaiterReply } from "../store/records.js";
import { isFailure } from "../store/scripts.js";
import type { Actor } from "./entries.js";
import { presentOwnEntry, presentOwnWaiter } from "./presenters.js";
import { scriptError } from "./script-errors.js";

/** Only a resident's device waits in line: the waitlist is theirs (staff add entries directly). */
function deviceOf(actor: Actor): string {
  if (!actor.deviceHash) throw new AppError("unauthorized", "a device key is required to wait");
  return actor.deviceHash;
}

function payloadHash(script: string, dh: string, payload: { requestId: string }): string {
  const { requestId: _, ...rest } = payload;
  return sha256(`${script}\ndevice:${dh}\n${JSON.stringify(rest)}`).slice(0, 16);
}

async function run<S extends "waitJoin" | "waitLeave">(
  ctx: Ctx,
  script: S,
  payload: { requestId: string; chainId: string },
  input: WaitlistScriptInputs[S],
  dh: string,
): Promise<WaitlistResult> {
  const reply = await runWaitlistScript(
    ctx,
    script,
    payload.chainId,
    payload.requestId,
    payloadHash(script, dh, payload),
    input,
  );
  if (isFailure(reply)) {
    const items = reply.err === "not_found" ? [] : await readItems(ctx, payload.chainId);
    throw scriptError(reply, items);
  }
  return present(payload.chainId, reply);
}

function present(chainId: string, r: WaiterReply): WaitlistResult {
  return {
    waiter: presentOwnWaiter(chainId, r.w),
    position: r.pos,
    entry: r.e ? presentOwnEntry(chainId, r.e) : null,
    version: r.v,
  };
}

export async function joinWaitlist(
  ctx: Ctx,
  actor: Actor,
  p: WaitlistJoin,
): Promise<WaitlistResult> {
  const dh = deviceOf(actor);
  return run(
    ctx,
    "waitJoin",
    p,
    {
      dp: p.dropPointId,
      name: p.name,
      bld: p.building,
      phone: p.phone,
      item: p.itemId,
      qty: toMilli(p.qty) ?? 0,
      dh,
      max: ctx.config.WAITLIST_MAX_PER_ITEM,
    },
    dh,
  );
}

export async function leaveWaitlist(
  ctx: Ctx,
  actor: Actor,
  p: WaitlistLeave,
): Promise<WaitlistResult> {
  const dh = deviceOf(actor);
  return run(ctx, "waitLeave", p, { id: p.waiterId, dh }, dh);
}

/** This device's waitlisted requests of a chain, and the entries (with codes) they became. */
export async function myWaitlist(ctx: Ctx, actor: Actor, chainId: string): Promise<MyWaitlist> {
  const dh = deviceOf(actor);
  const wl = await readWaitlist(ctx, chainId);
  const mine = [...wl.waiters.values()].filter((w) => w.dh === dh).sort((a, b) => a.id - b.id);
  const refs = mine.flatMap((w) => (w.st === "p" && w.no ? [`${chainId}#${w.no}`] : []));
  const entries = (await readEntriesByRef(ctx, refs))
    .filter(({ entry }) => entry.dh === dh)
    .map(({ entry }) => presentOwnEntry(chainId, entry));
  return { chainId, waiters: mine.map((w) => presentOwnWaiter(chainId, w)), entries };
}
