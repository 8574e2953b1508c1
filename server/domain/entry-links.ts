/**
 * Finding an entry again without the device key (WeChat's browser loses it): by the last 4 digits
 * of the phone plus the pickup code, or by the personal key shown after joining. The key is an
 * HMAC of the chain and entry number with a server secret, so it names one entry and cannot be
 * guessed; it lets whoever holds it change or cancel that entry, and no other.
 */
import type { EntryFound } from "../../shared/views.js";
import type { Ctx } from "../context.js";
import { hmac, sameSecret } from "../crypto.js";
import { forbidden, notFound } from "../errors.js";
import { readChainWithEntries, readEntry } from "../store/chains.js";
import type { EntryRecord } from "../store/records.js";
import { entryLinkSecret } from "../store/secrets.js";
import { presentOwnEntry } from "./presenters.js";

const mac = (secret: string, chainId: string, no: number) =>
  hmac(secret, `entry\n${chainId}\n${no}`);

/** The personal key of an entry: `<no>.<mac>`. */
export async function entryKey(ctx: Ctx, chainId: string, no: number): Promise<string> {
  return `${no}.${mac(await entryLinkSecret(ctx), chainId, no)}`;
}

/** The entry number a key is for, when it is a real key of this chain; else null. */
export async function keyedNo(ctx: Ctx, chainId: string, key: string): Promise<number | null> {
  const m = /^([1-9]\d{0,6})\.([\w-]{24})$/.exec(key);
  if (!m) return null;
  const no = Number(m[1]);
  return sameSecret(mac(await entryLinkSecret(ctx), chainId, no), m[2] ?? "") ? no : null;
}

async function found(ctx: Ctx, chainId: string, e: EntryRecord): Promise<EntryFound> {
  return { entry: presentOwnEntry(chainId, e), key: await entryKey(ctx, chainId, e.no) };
}

/** The entry a personal key opens, or null (a wrong key: the caller counts it as a guess). */
export async function entryByKey(
  ctx: Ctx,
  chainId: string,
  key: string,
): Promise<EntryFound | null> {
  const no = await keyedNo(ctx, chainId, key);
  if (no === null) return null;
  const e = await readEntry(ctx, chainId, no);
  return e ? found(ctx, chainId, e) : null;
}

const digits = (s: string) => s.replace(/\D/g, "");

/**
 * The active entry of this chain whose phone ends in `phone4` and whose pickup code is
 * `pickupCode`, or null (a miss: the caller counts it as a guess).
 */
export async function findEntry(
  ctx: Ctx,
  chainId: string,
  q: { phone4: string; pickupCode: string },
): Promise<EntryFound | null> {
  const all = await readChainWithEntries(ctx, chainId);
  if (!all) throw notFound("chain");
  const e = all.entries.find(
    (x) =>
      x.st === "active" &&
      x.code === q.pickupCode &&
      x.phone !== undefined &&
      digits(x.phone).endsWith(q.phone4),
  );
  return e ? found(ctx, chainId, e) : null;
}

/**
 * The device an entry belongs to, for a change or cancel sent with its personal key: the key must
 * be this chain's key for this very entry number. Entries a coordinator added have no device;
 * they stay the coordinator's to change.
 */
export async function deviceOfKeyedEntry(
  ctx: Ctx,
  chainId: string,
  no: number,
  key: string,
): Promise<string | null> {
  if ((await keyedNo(ctx, chainId, key)) !== no) return null;
  const e = await readEntry(ctx, chainId, no);
  if (!e) return null;
  if (!e.dh) throw forbidden("an entry a coordinator added is changed by a coordinator");
  return e.dh;
}
