/** REST JSON (and CSV/XLSX downloads) under /api: validate → call the use case → send. */
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import {
  ChainCreateBody,
  ChainId,
  ChainListQuery,
  ChainPageQuery,
  ChainPatchBody,
  CommunityPatch,
  DropPointInput,
  DropPointPatch,
  EntryFindBody,
  EntryKeyBody,
  Id,
  ImportBody,
  ImportPreviewBody,
  InviteAcceptBody,
  InviteCreateBody,
  IsoDate,
  ItemAliasBody,
  SetupBody,
  Token,
} from "../../shared/schemas.js";
import type { Ctx } from "../context.js";
import { requireSession } from "../domain/access.js";
import {
  getEntryPage,
  getSnapshot,
  harvestListKept,
  listChains,
  listStaffEntries,
  loadListKept,
  patchChain,
  postChain,
  setChainStatus,
} from "../domain/chains.js";
import {
  addDropPoint,
  getCommunity,
  patchCommunity,
  patchDropPoint,
} from "../domain/communities.js";
import { entryByKey, findEntry } from "../domain/entry-links.js";
import {
  EXPORT_FORMATS,
  EXPORT_LANGS,
  type ExportFile,
  exportChain,
  exportDay,
} from "../domain/exports/export-files.js";
import { firstRun, notePrinted } from "../domain/first-run.js";
import { residentHome } from "../domain/home.js";
import { addItemAlias, listItemAliases, removeItemAlias } from "../domain/item-aliases.js";
import {
  acceptInvite,
  completeSetup,
  createInvite,
  describeSession,
  endSession,
  inviteStatus,
  listCommunitySessions,
  listOpenInvites,
  listUsers,
  removeUser,
  revokeOpenInvite,
  setupStatus,
  signOutEverywhere,
} from "../domain/people.js";
import { dayOverviewKept, daySummaryKept, pickupListTagged } from "../domain/pickup-list.js";
import { chainAsText, importEntries, previewImport } from "../domain/wechat-import.js";
import { notFound } from "../errors.js";
import type { Limits } from "../limits.js";
import { clearSessionCookie, sessionOf, setSessionCookie } from "./session.js";
import { sendTagged } from "./tagged-json.js";
import { ipOf } from "./throttle.js";
import { body, idempotencyKey, params, query } from "./validate.js";

const CommunityParams = z.object({ communityId: Id });
const DropPointParams = z.object({ communityId: Id, dropPointId: Id });
const UserParams = z.object({ communityId: Id, userId: Id });
const InviteParams = z.object({ communityId: Id, inviteId: Id });
const SetupQuery = z.object({ token: z.string().max(200).optional() });
const AliasParams = z.object({ communityId: Id, alias: z.string().min(1).max(100) });
const InviteQuery = z.object({ token: Token });
const DayParams = z.object({ communityId: Id, date: IsoDate });
const DayDropPointParams = z.object({ communityId: Id, date: IsoDate, dropPointId: Id });
const ChainParams = z.object({ chainId: ChainId });
const HomeQuery = z.strictObject({ community: Id.optional() });
/** Downloads: the words of the header and the file name, Chinese unless asked. */
const ExportQuery = z.strictObject({ lang: z.enum(EXPORT_LANGS).default("zh") });

/** A CSV or XLSX download: never cached (it has phones and pickup codes). */
function sendExport(res: Response, file: ExportFile): void {
  res
    .set({
      "Content-Type": file.contentType,
      "Content-Disposition": file.disposition,
      "Cache-Control": "no-store",
    })
    .send(file.body);
}

/** The device signing in, for the coordinators' sessions list. */
const device = (req: Request) => ({ userAgent: req.get("user-agent") ?? null });

export function apiRoutes(ctx: Ctx, limits: Limits): Router {
  const r = Router();

  // ---- setup, invites, sessions ----
  r.get("/setup", async (req, res) => {
    res.json(await setupStatus(ctx, query(req, SetupQuery).token));
  });
  r.post("/setup", async (req, res) => {
    const input = body(req, SetupBody);
    const { token, view } = await limits.useToken(ipOf(res), input.token, () =>
      completeSetup(ctx, input, device(req)),
    );
    setSessionCookie(res, ctx.config, token);
    res.status(201).json(view);
  });
  r.get("/invites/status", async (req, res) => {
    const { token } = query(req, InviteQuery);
    res.json(await limits.useToken(ipOf(res), token, () => inviteStatus(ctx, token)));
  });
  r.post("/invites/accept", async (req, res) => {
    const input = body(req, InviteAcceptBody);
    const { token, view } = await limits.useToken(ipOf(res), input.token, () =>
      acceptInvite(ctx, input, device(req)),
    );
    setSessionCookie(res, ctx.config, token);
    res.status(201).json(view);
  });
  r.post("/logout", async (_req, res) => {
    if (typeof res.locals.token === "string")
      await endSession(ctx, res.locals.token, sessionOf(res));
    clearSessionCookie(res);
    res.status(204).end();
  });

  r.get("/chains/:chainId", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    res.json(await getSnapshot(ctx, chainId, null));
  });

  r.get("/chains/:chainId/page", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    const { before, limit } = query(req, ChainPageQuery);
    res.json(await getEntryPage(ctx, chainId, before, limit));
  });

  // The residents' home page: their community's open chains, no session.
  r.get("/home", async (req, res) => {
    res.json(await residentHome(ctx, query(req, HomeQuery).community));
  });

  // Find my order (no device key): a miss counts as a wrong guess, like a wrong token (§12.3).
  r.post("/chains/:chainId/find", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    const q = body(req, EntryFindBody);
    const found = await limits.lookupSession(ipOf(res), `find:${q.phone4}:${q.pickupCode}`, () =>
      findEntry(ctx, chainId, q),
    );
    if (!found) throw notFound("entry with that phone ending and pickup code");
    res.json(found);
  });
  r.post("/chains/:chainId/entry-by-key", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    const { key } = body(req, EntryKeyBody);
    const found = await limits.lookupSession(ipOf(res), key, () => entryByKey(ctx, chainId, key));
    if (!found) throw notFound("entry for this personal link");
    res.json(found);
  });

  r.get("/chains/:chainId/text", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    res.type("text/plain; charset=utf-8").send(await chainAsText(ctx, chainId));
  });

  // Everything below needs a session: say so before looking at the body.
  r.use(["/me", "/communities", "/chains"], (_req, res, next) => {
    requireSession(sessionOf(res));
    next();
  });
  r.get("/me", async (_req, res) => {
    res.json(await describeSession(ctx, sessionOf(res)));
  });

  // ---- communities and drop points ----
  r.get("/communities/:communityId", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    res.json(await getCommunity(ctx, sessionOf(res), communityId));
  });
  r.patch("/communities/:communityId", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    res.json(await patchCommunity(ctx, sessionOf(res), communityId, body(req, CommunityPatch)));
  });
  r.post("/communities/:communityId/drop-points", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    const input = body(req, DropPointInput);
    res
      .status(201)
      .json(await addDropPoint(ctx, sessionOf(res), communityId, input, idempotencyKey(req)));
  });
  r.patch("/communities/:communityId/drop-points/:dropPointId", async (req, res) => {
    const { communityId, dropPointId } = params(req, DropPointParams);
    const patch = body(req, DropPointPatch);
    res.json(await patchDropPoint(ctx, sessionOf(res), communityId, dropPointId, patch));
  });
  r.post("/communities/:communityId/invites", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    const invite = body(req, InviteCreateBody);
    res.status(201).json(await createInvite(ctx, sessionOf(res), communityId, invite));
  });
  r.get("/communities/:communityId/first-run", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    res.json(await firstRun(ctx, sessionOf(res), communityId));
  });
  r.post("/communities/:communityId/first-run/printed", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    await notePrinted(ctx, sessionOf(res), communityId);
    res.status(204).end();
  });
  r.get("/communities/:communityId/item-aliases", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    res.json(await listItemAliases(ctx, sessionOf(res), communityId));
  });
  r.post("/communities/:communityId/item-aliases", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    const alias = body(req, ItemAliasBody);
    res.json(await addItemAlias(ctx, sessionOf(res), communityId, alias));
  });
  r.delete("/communities/:communityId/item-aliases/:alias", async (req, res) => {
    const { communityId, alias } = params(req, AliasParams);
    res.json(await removeItemAlias(ctx, sessionOf(res), communityId, alias));
  });
  r.get("/communities/:communityId/invites", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    res.json(await listOpenInvites(ctx, sessionOf(res), communityId));
  });
  r.delete("/communities/:communityId/invites/:inviteId", async (req, res) => {
    const { communityId, inviteId } = params(req, InviteParams);
    await revokeOpenInvite(ctx, sessionOf(res), communityId, inviteId);
    res.status(204).end();
  });
  r.get("/communities/:communityId/users", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    res.json(await listUsers(ctx, sessionOf(res), communityId));
  });
  r.delete("/communities/:communityId/users/:userId", async (req, res) => {
    const { communityId, userId } = params(req, UserParams);
    res.json(await removeUser(ctx, sessionOf(res), communityId, userId));
  });
  r.post("/communities/:communityId/users/:userId/sign-out", async (req, res) => {
    const { communityId, userId } = params(req, UserParams);
    res.json(await signOutEverywhere(ctx, sessionOf(res), communityId, userId));
  });
  r.get("/communities/:communityId/sessions", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    const current = typeof res.locals.token === "string" ? res.locals.token : null;
    res.json(await listCommunitySessions(ctx, sessionOf(res), communityId, current));
  });
  r.get("/communities/:communityId/chains", async (req, res) => {
    const { communityId } = params(req, CommunityParams);
    const { date } = query(req, ChainListQuery);
    res.json(await listChains(ctx, sessionOf(res), communityId, date));
  });
  r.get("/communities/:communityId/days/:date", async (req, res) => {
    const { communityId, date } = params(req, DayParams);
    const kept = await dayOverviewKept(ctx, sessionOf(res), communityId, date);
    await sendTagged(req, res, `day-${kept.tag}`, kept.value);
  });
  r.get("/communities/:communityId/days/:date/summary", async (req, res) => {
    const { communityId, date } = params(req, DayParams);
    const kept = await daySummaryKept(ctx, sessionOf(res), communityId, date);
    await sendTagged(req, res, `sum-${kept.tag}`, kept.value);
  });
  r.get("/communities/:communityId/days/:date/drop-points/:dropPointId", async (req, res) => {
    const { communityId, date, dropPointId } = params(req, DayDropPointParams);
    const kept = await pickupListTagged(ctx, sessionOf(res), communityId, date, dropPointId);
    await sendTagged(req, res, `pl-${kept.tag}`, kept.value);
  });
  for (const format of EXPORT_FORMATS) {
    r.get(`/communities/:communityId/days/:date/export.${format}`, async (req, res) => {
      const { communityId, date } = params(req, DayParams);
      const { lang } = query(req, ExportQuery);
      sendExport(res, await exportDay(ctx, sessionOf(res), communityId, date, format, lang));
    });
  }

  // ---- chains ----
  r.post("/chains", async (req, res) => {
    const input = body(req, ChainCreateBody);
    res.status(201).json(await postChain(ctx, sessionOf(res), input, idempotencyKey(req)));
  });
  r.patch("/chains/:chainId", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    const patch = body(req, ChainPatchBody);
    res.json(await patchChain(ctx, sessionOf(res), chainId, patch, idempotencyKey(req)));
  });
  for (const [action, status] of [
    ["close", "closed"],
    ["cancel", "cancelled"],
    ["deliver", "delivered"],
  ] as const) {
    r.post(`/chains/:chainId/${action}`, async (req, res) => {
      const { chainId } = params(req, ChainParams);
      res.json(await setChainStatus(ctx, sessionOf(res), chainId, status, idempotencyKey(req)));
    });
  }
  r.get("/chains/:chainId/entries", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    res.json(await listStaffEntries(ctx, sessionOf(res), chainId));
  });
  r.post("/chains/:chainId/import/preview", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    const { text } = body(req, ImportPreviewBody);
    res.json(await previewImport(ctx, sessionOf(res), chainId, text));
  });
  r.post("/chains/:chainId/import", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    res.json(await importEntries(ctx, sessionOf(res), chainId, body(req, ImportBody)));
  });
  r.get("/chains/:chainId/harvest", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    const kept = await harvestListKept(ctx, sessionOf(res), chainId);
    await sendTagged(req, res, `hv-${kept.tag}`, kept.value);
  });
  r.get("/chains/:chainId/load", async (req, res) => {
    const { chainId } = params(req, ChainParams);
    const kept = await loadListKept(ctx, sessionOf(res), chainId);
    await sendTagged(req, res, `ld-${kept.tag}`, kept.value);
  });
  for (const format of EXPORT_FORMATS) {
    r.get(`/chains/:chainId/export.${format}`, async (req, res) => {
      const { chainId } = params(req, ChainParams);
      const { lang } = query(req, ExportQuery);
      sendExport(res, await exportChain(ctx, sessionOf(res), chainId, format, lang));
    });
  }
  return r;
}
