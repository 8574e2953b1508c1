/**
 * Set up what the joiners need, through the app's own HTTP API (as tests/helpers/app.ts does):
 * a community with a coordinator and three drop points, a grower, and one open chain whose items
 * have no stock and no per-resident limit, so no join is ever refused.
 */
import type { App } from "../server/app.js";
import { ensureSetupLink } from "../server/domain/people.js";
import type { ChainCreateBody } from "../shared/schemas.js";
import type { ChainView, DropPointView, SessionView } from "../shared/views.js";
import type { JoinTarget } from "./protocol.js";

async function api<T>(baseUrl: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function makeChain(app: App, baseUrl: string): Promise<JoinTarget> {
  const link = await ensureSetupLink(app.ctx);
  if (!link) throw new Error("a community already exists under this key prefix");
  const setupToken = new URL(link).searchParams.get("token") ?? "";
  const coordinator = await api<SessionView>(baseUrl, "/setup", {
    token: setupToken,
    community: { name: "文兴社区" },
    coordinator: { name: "王主任" },
  });
  const communityId = coordinator.community.id;
  const coordinatorToken = coordinator.token ?? "";

  const dropPointIds: string[] = [];
  for (const name of ["3号楼东门", "7号楼北门", "南门岗亭"]) {
    const dp = await api<DropPointView>(
      baseUrl,
      `/communities/${communityId}/drop-points`,
      { name, window: { start: "07:30", end: "09:00" } },
      coordinatorToken,
    );
    dropPointIds.push(dp.id);
  }

  const invite = await api<{ token: string }>(
    baseUrl,
    `/communities/${communityId}/invites`,
    { role: "grower" },
    coordinatorToken,
  );
  const grower = await api<SessionView>(baseUrl, "/invites/accept", {
    token: invite.token,
    name: "李大姐",
    village: "河西村",
  });

  const body: ChainCreateBody = {
    title: "河西村新鲜蔬菜（压测）",
    note: "早上现摘",
    cutoffAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    dropPointIds,
    // No stock, no limit: every join succeeds.
    items: [
      { name: "黄瓜", unit: "斤", priceFen: 200, step: 1 },
      { name: "青菜", unit: "斤", priceFen: 300, step: 1 },
    ],
  };
  const chain = await api<ChainView>(baseUrl, "/chains", body, grower.token);
  if (chain.items.some((i) => i.stock !== null || i.limit !== null)) {
    throw new Error("the bench chain must have uncapped items");
  }
  return { chainId: chain.id, dropPointIds, itemIds: chain.items.map((i) => i.id) };
}
