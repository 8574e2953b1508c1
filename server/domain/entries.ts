/**
 * Residents join, change and cancel entries; coordinators do the same on a resident's behalf.
 * Each is one Lua script: every invariant is checked and kept inside Redis.
 */
import type { SessionInfo } from "../../shared/events.js";
import { toMilli } from "../../shared/quantity.js";
import type { EntryCancel, EntryJoin, EntryUpdate, LineInput } from "../../shared/schemas.js";
import type { EntryResult } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { sha256 } from "../crypto.js";
import { AppError, forbidden } from "../errors.js";
import {
  type EntryScript,
  type EntryScriptReply,
  readItems,
  runEntryScript,
} from "../store/chains.js";
import { communityOfChain } from "../store/keys.js";
import type { EntryScriptInputs } from "../store/records.js";
import { isFailure } from "../store/scripts.js";
import { isStaffFor } from "./access.js";
import { deviceOfKeyedEntry, entryKey } from "./entry-links.js";
import { presentOwnEntry } from "./presenters.js";
import { scriptError } from "./script-errors.js";

/** Who is writing: a resident's device, or a signed-in coordinator. */
export interface Actor {
  session: SessionInfo | null;
  deviceHash: string | null;
  /**
   * How a personal entry key is checked: the transport counts a wrong one as a guess
   * (limits.ts, like a wrong token) and refuses an address that keeps guessing.
   */
  guard?: (key: string, check: () => Promise<string | null>) => Promise<string | null>;
}

/**
 * A change or cancel sent with the entry's personal key acts for the device that made the entry,
 * and only for that entry: the key must be this chain's key for this very number (entry-links.ts).
 */
async function keyed(
  ctx: Ctx,
  actor: Actor,
  p: { chainId: string; no: number; key?: string },
): Promise<Actor> {
  const key = p.key;
  if (key === undefined) return actor;
  const check = () => deviceOfKeyedEntry(ctx, p.chainId, p.no, key);
  const dh = actor.guard ? await actor.guard(key, check) : await check();
  if (!dh) throw forbidden("this personal link is not for that entry");
  return { session: null, deviceHash: dh };
}

function identify(actor: Actor, chainId: string, imported = false) {
  if (isStaffFor(actor.session, communityOfChain(chainId))) {
    const s = actor.session as SessionInfo;
    // An imported line is the same request whoever imports it, so a second import makes nothing.
    const who = imported ? "import" : `staff:${s.userId}`;
    return { by: { id: s.userId, name: s.name }, dh: undefined, who };
  }
  if (imported) throw forbidden("coordinators only");
  if (!actor.deviceHash) {
    throw new AppError("unauthorized", "a device key is required to order");
  }
  return { by: undefined, dh: actor.deviceHash, who: `device:${actor.deviceHash}` };
}

const lines = (ls: LineInput[]) => ls.map((l): [string, number] => [l.itemId, toMilli(l.qty) ?? 0]);

/**
 * A repeated request must be the same command with the same payload from the same actor. 64 bits
 * of the hash tell two payloads under one request id apart; it is kept with every request id.
 */
function payloadHash(script: EntryScript, who: string, payload: { requestId: string }): string {
  const { requestId: _, ...rest } = payload;
  return sha256(`${script}\n${who}\n${JSON.stringify(rest)}`).slice(0, 16);
}

/** Run one entry script for one actor; a refusal becomes an AppError. */
export async function runEntryCommand<S extends EntryScript>(
  ctx: Ctx,
  script: S,
  payload: { requestId: string; chainId: string },
  input: EntryScriptInputs[S],
  who: string,
): Promise<EntryScriptReply> {
  const reply = await runEntryScript(
    ctx,
    script,
    payload.chainId,
    payload.requestId,
    payloadHash(script, who, payload),
    input,
  );
  if (isFailure(reply)) {
    const items = reply.err === "not_found" ? [] : await readItems(ctx, payload.chainId);
    throw scriptError(reply, items);
  }
  return reply;
}

async function run<S extends EntryScript>(
  ctx: Ctx,
  script: S,
  payload: { requestId: string; chainId: string },
  input: EntryScriptInputs[S],
  who: string,
): Promise<EntryResult> {
  const reply = await runEntryCommand(ctx, script, payload, input, who);
  const entry = presentOwnEntry(payload.chainId, reply.e);
  // A resident's entry comes with its personal key, to find and manage it from any device.
  if (!reply.e.dh) return { entry, version: reply.v };
  return { entry, version: reply.v, key: await entryKey(ctx, payload.chainId, entry.no) };
}

export async function joinChain(
  ctx: Ctx,
  actor: Actor,
  p: EntryJoin,
  opts: { imported?: boolean } = {},
): Promise<EntryResult> {
  const { by, dh, who } = identify(actor, p.chainId, opts.imported);
  return run(
    ctx,
    "join",
    p,
    {
      dp: p.dropPointId,
      name: p.name,
      bld: p.building,
      phone: p.phone,
      lines: lines(p.lines),
      dh,
      by,
      src: opts.imported ? "import" : undefined,
    },
    who,
  );
}

export async function updateEntry(ctx: Ctx, actor: Actor, p: EntryUpdate): Promise<EntryResult> {
  const { by, dh, who } = identify(await keyed(ctx, actor, p), p.chainId);
  return run(
    ctx,
    "update",
    p,
    {
      no: p.no,
      dp: p.dropPointId,
      name: p.name,
      bld: p.building,
      phone: p.phone === null ? false : p.phone,
      lines: p.lines ? lines(p.lines) : undefined,
      dh,
      by,
    },
    who,
  );
}

export async function cancelEntry(ctx: Ctx, actor: Actor, p: EntryCancel): Promise<EntryResult> {
  const { by, dh, who } = identify(await keyed(ctx, actor, p), p.chainId);
  return run(ctx, "cancel", p, { no: p.no, dh, by }, who);
}
