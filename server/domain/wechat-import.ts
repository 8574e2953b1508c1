/**
 * The WeChat bridge on the server: a chain written out as 接龙 text, and a 接龙 copied from a
 * group imported into a chain. Imported lines go through the same join script as everyone else,
 * so stock, limits and pickup lists stay exact; each line's request id comes from its text, so
 * importing the same text twice makes nothing new.
 */
import type { SessionInfo } from "../../shared/events.js";
import { withItemAliases } from "../../shared/item-aliases.js";
import type { ImportBody } from "../../shared/schemas.js";
import type { ImportPreview, ImportResult, PublicEntry } from "../../shared/views.js";
import { parseChainText } from "../../shared/wechat/chain-parser.js";
import { chainToText } from "../../shared/wechat/chain-text.js";
import { wordReason } from "../../shared/wechat/review-reasons.js";
import type { Ctx } from "../context.js";
import { sha256 } from "../crypto.js";
import { notFound, toAppError } from "../errors.js";
import { readChainMeta, readChainTag, readEntriesOfRequests, readEntry } from "../store/chains.js";
import { readItemAliases } from "../store/item-aliases.js";
import { communityOfChain } from "../store/keys.js";
import { requireCoordinator } from "./access.js";
import { getWholeChain } from "./chains.js";
import { joinChain } from "./entries.js";
import { presentStaffEntry } from "./presenters.js";

const texts = new WeakMap<Ctx, Map<string, { tag: string; text: Promise<string> }>>();

/**
 * A chain as 接龙 text. Anyone may read it and it lists every entry, so it is built once per
 * state of the chain: tagged by the chain's version, the community's mv and whether the cutoff
 * has passed (the text then says 已截单), and shared by requests that come while it is built. A
 * flood of reads then costs a lookup each, not a rebuild of a long chain each.
 */
export async function chainAsText(ctx: Ctx, chainId: string): Promise<string> {
  const found = await readChainTag(ctx, chainId);
  if (!found) throw notFound("chain");
  const tag = `${found.version}.${found.mv}.${Date.now() >= found.cutoff ? 1 : 0}`;
  let cache = texts.get(ctx);
  if (!cache) {
    cache = new Map();
    texts.set(ctx, cache);
  }
  const hit = cache.get(chainId);
  if (hit?.tag === tag) return hit.text;
  const text = getWholeChain(ctx, chainId).then((whole) => chainToText(whole.chain, whole.entries));
  if (cache.size >= 200) cache.clear();
  const mine = { tag, text };
  cache.set(chainId, mine);
  // A failed build is not kept: the next request tries again.
  text.catch(() => {
    if (cache.get(chainId) === mine) cache.delete(chainId);
  });
  return text;
}

export async function previewImport(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
  text: string,
): Promise<ImportPreview> {
  requireCoordinator(session, communityOfChain(chainId));
  const { chain, entries: existing } = await getWholeChain(ctx, chainId);
  const aliases = await readItemAliases(ctx, chain.communityId);
  const parsed = parseChainText(text, withItemAliases(chain.items, aliases), {
    dropPoints: chain.dropPoints.filter((d) => d.active),
  });
  // A line of someone already in the chain (a resident who joined on the page and pasted their
  // line into the group, or this chain's own text pasted back) is not a new order by itself: the
  // same person and the same order is already in; the same person with another order is asked.
  const active = new Map<string, PublicEntry[]>();
  for (const x of existing) {
    if (x.status !== "active") continue;
    const key = personKey(x.name, x.building);
    active.set(key, [...(active.get(key) ?? []), x]);
  }
  const seen: ImportPreview["review"] = [];
  const matched = new Set<number>();
  const fresh = parsed.entries.filter((e) => {
    const same = active.get(personKey(e.name, e.building));
    if (!same) return true;
    const lines = e.lines.map((l) => ({
      itemId: l.itemId ?? chain.items[l.itemIndex]?.id ?? "",
      qty: l.qty,
    }));
    // Each entry stands for one line: the same order written twice is two entries, or one new.
    const match = same.find((x) => !matched.has(x.no) && sameLines(x.lines, lines));
    if (match) matched.add(match.no);
    const code = match ? "already_in_chain" : "same_person";
    const no = (match ?? same[0])?.no ?? null;
    seen.push({
      raw: e.raw,
      code,
      item: null,
      unit: null,
      reason: wordReason(code, { text: String(no) }),
      no: e.no ?? null,
      text: String(no),
      dropPointIds: e.dropPointId ? [e.dropPointId] : [],
    });
    return false;
  });
  return {
    entries: fresh.map((e) => ({
      raw: e.raw,
      no: e.no ?? null,
      name: e.name,
      building: e.building,
      lines: e.lines.map((l) => ({
        itemId: l.itemId ?? chain.items[l.itemIndex]?.id ?? "",
        qty: l.qty,
      })),
      ...(e.dropPointId ? { dropPointId: e.dropPointId } : {}),
    })),
    review: [
      ...seen,
      ...parsed.review.map((r) => ({
        raw: r.raw,
        code: r.code,
        item: r.item ?? null,
        unit: r.unit ?? null,
        reason: r.reason,
        no: r.no ?? null,
        text: r.text ?? null,
        dropPointIds:
          r.dropPoint?.kind === "matched"
            ? [r.dropPoint.id]
            : r.dropPoint?.kind === "ambiguous"
              ? r.dropPoint.ids
              : r.dropPoint?.kind === "unknown"
                ? r.dropPoint.candidates
                : [],
      })),
    ],
  };
}

/** Who a line is for, as people write it: 张阿姨 3-201 and 张阿姨 3－201 are one person. */
function personKey(name: string, building: string): string {
  const plain = (s: string) =>
    s
      .normalize("NFKC")
      .replace(/[\s\-－—–_#号栋楼室]/gu, "")
      .toLowerCase();
  return `${plain(name)}|${plain(building)}`;
}

function sameLines(a: { itemId: string; qty: number }[], b: { itemId: string; qty: number }[]) {
  const key = (ls: { itemId: string; qty: number }[]) =>
    ls
      .map((l) => `${l.itemId}:${l.qty}`)
      .sort()
      .join(",");
  return key(a) === key(b);
}

const normalise = (raw: string) => raw.normalize("NFKC").replace(/\s+/g, " ").trim();

/**
 * The same line (the k-th time it appears in the text) always gets the same request id. The ids
 * start with "imp:", which no client's request id can (RequestId allows letters, digits, - and
 * _ only): a resident who computes a line's id can't take it first and make the import skip or
 * conflict with that line.
 */
function lineRequestIds(chainId: string, raws: string[]): string[] {
  const seen = new Map<string, number>();
  return raws.map((raw) => {
    const line = normalise(raw);
    const k = seen.get(line) ?? 0;
    seen.set(line, k + 1);
    return `imp:${sha256(`${chainId}\n${line}\n${k}`).slice(0, 40)}`;
  });
}

export async function importEntries(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
  body: ImportBody,
): Promise<ImportResult> {
  const s = requireCoordinator(session, communityOfChain(chainId));
  if (!(await readChainMeta(ctx, chainId))) throw notFound("chain");
  const ids = lineRequestIds(
    chainId,
    body.entries.map((e) => e.raw),
  );
  const before = await readEntriesOfRequests(ctx, chainId, ids);
  const result: ImportResult = { created: 0, already: 0, results: [] };
  // One at a time, in the text's order, so chain numbers follow the text.
  for (const [i, e] of body.entries.entries()) {
    const requestId = ids[i] ?? "";
    try {
      const { entry } = await joinChain(
        ctx,
        { session: s, deviceHash: null },
        {
          requestId,
          chainId,
          dropPointId: e.dropPointId ?? body.dropPointId,
          name: e.name,
          building: e.building,
          lines: e.lines,
        },
        { imported: true },
      );
      const stored = await readEntry(ctx, chainId, entry.no);
      const status = before[i] ? "already" : "created";
      result[status]++;
      if (stored)
        result.results.push({ raw: e.raw, status, entry: presentStaffEntry(chainId, stored) });
    } catch (err) {
      const app = toAppError(err);
      if (app.report) throw err;
      // Imported before with other details (a fix, another drop point): it stands as it was.
      const earlier = app.code === "request_id_conflict" ? before[i] : null;
      if (earlier) {
        result.already++;
        result.results.push({
          raw: e.raw,
          status: "already",
          entry: presentStaffEntry(chainId, earlier),
        });
      } else {
        result.results.push({
          raw: e.raw,
          status: "refused",
          error: app.toBody(),
        });
      }
    }
  }
  return result;
}
