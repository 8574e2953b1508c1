/**
 * Set up what a scenario needs through the app's public HTTP API only (docs/api.md), as
 * tests/helpers/app.ts does: the setup link → a community and its coordinator → a grower → chains,
 * each with drop points of its own so one scenario's pickup codes never crowd another's.
 */
import type { ChainCreateBody, ItemInput } from "../shared/schemas.js";
import type {
  ChainSnapshot,
  ChainView,
  DropPointView,
  EntryPage,
  PickupList,
  PublicEntry,
  SessionView,
} from "../shared/views.js";
import type { JoinTarget } from "./protocol.js";

export interface World {
  baseUrl: string;
  communityId: string;
  coordinatorToken: string;
  growerToken: string;
}

async function api<T>(
  baseUrl: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== (method === "POST" ? 201 : 200)) {
    throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as T;
}

/** The community, its coordinator and one grower, from the app's one-time setup link. */
export async function makeWorld(baseUrl: string, setupLink: string | null): Promise<World> {
  if (!setupLink) throw new Error("the app printed no setup link (its Redis is not empty)");
  const token = new URL(setupLink).searchParams.get("token") ?? "";
  const coordinator = await api<SessionView>(baseUrl, "POST", "/setup", {
    token,
    community: { name: "文兴社区" },
    coordinator: { name: "王主任" },
  });
  const communityId = coordinator.community.id;
  const coordinatorToken = coordinator.token ?? "";
  const invite = await api<{ token: string }>(
    baseUrl,
    "POST",
    `/communities/${communityId}/invites`,
    { role: "grower" },
    coordinatorToken,
  );
  const grower = await api<SessionView>(baseUrl, "POST", "/invites/accept", {
    token: invite.token,
    name: "李大姐",
    village: "河西村",
  });
  return { baseUrl, communityId, coordinatorToken, growerToken: grower.token ?? "" };
}

let dropPointSeq = 0;

/** A chain with `dropPoints` new drop points of its own; items uncapped unless given. */
export async function makeChain(
  w: World,
  opts: { dropPoints: number; items?: ItemInput[] },
): Promise<{ target: JoinTarget; chain: ChainView }> {
  const dropPointIds: string[] = [];
  for (let i = 0; i < opts.dropPoints; i++) {
    const dp = await api<DropPointView>(
      w.baseUrl,
      "POST",
      `/communities/${w.communityId}/drop-points`,
      { name: `${++dropPointSeq}号楼东门`, window: { start: "07:30", end: "09:00" } },
      w.coordinatorToken,
    );
    dropPointIds.push(dp.id);
  }
  const body: ChainCreateBody = {
    title: "河西村新鲜蔬菜（压测）",
    note: "早上现摘",
    cutoffAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    dropPointIds,
    items: opts.items ?? [
      { name: "黄瓜", unit: "斤", priceFen: 200, step: 1 },
      { name: "青菜", unit: "斤", priceFen: 300, step: 1 },
    ],
  };
  const chain = await api<ChainView>(w.baseUrl, "POST", "/chains", body, w.growerToken);
  return {
    chain,
    target: { chainId: chain.id, dropPointIds, itemIds: chain.items.map((i) => i.id) },
  };
}

/** GET /api/chains/:chainId: the public snapshot, to check what a scenario left behind. */
export function readChain(w: World, chainId: string): Promise<ChainSnapshot> {
  return api<ChainSnapshot>(w.baseUrl, "GET", `/chains/${chainId}`);
}

/** Every entry of a chain: the snapshot's latest ones, then the older pages, as a reader would. */
export async function readAllEntries(w: World, chainId: string): Promise<PublicEntry[]> {
  const snapshot = await readChain(w, chainId);
  const entries = [...snapshot.entries];
  for (let before = snapshot.entriesFrom; before > 1; ) {
    const page = await api<EntryPage>(
      w.baseUrl,
      "GET",
      `/chains/${chainId}/page?before=${before}&limit=500`,
    );
    entries.unshift(...page.entries);
    before = page.from;
  }
  return entries;
}

/** The path of a drop point's pickup list (GET, coordinator token). */
export function pickupListPath(w: World, date: string, dropPointId: string): string {
  return `/api/communities/${w.communityId}/days/${date}/drop-points/${dropPointId}`;
}

export function readPickupList(w: World, date: string, dropPointId: string): Promise<PickupList> {
  return api<PickupList>(
    w.baseUrl,
    "GET",
    pickupListPath(w, date, dropPointId).slice("/api".length),
    undefined,
    w.coordinatorToken,
  );
}
