/**
 * `npm run demo [-- --json | --remove]`: seed the demo community 文兴社区 with three drop points, a
 * grower and an open chain for tomorrow, then print one-tap sign-in links for the coordinator and
 * the grower and the residents' link (`--json`: the same with API tokens). When the install
 * already has a real community, it says the demo is a separate one; `--remove` deletes it.
 * It uses REDIS_URL, or the running service's own redis-server under DATA_DIR, or starts that
 * redis-server for the moment it needs it. Running it again reuses the community and grower.
 */
import { connectForScript as connect, scriptConfigOrExit } from "../server/boot.js";
import type { Ctx } from "../server/context.js";
import { randomId, randomToken } from "../server/crypto.js";
import { postChain } from "../server/domain/chains.js";
import { addDropPoint } from "../server/domain/communities.js";
import { mintSession, sessionOfUser } from "../server/domain/people.js";
import { listChainIds, readChains } from "../server/store/chains.js";
import { createCommunity, readCommunity, saveUser } from "../server/store/communities.js";
import {
  otherCommunityIds,
  readDemoIds,
  removeDemoCommunity,
  saveDemoIds,
} from "../server/store/demo.js";
import { makeKeys } from "../server/store/keys.js";
import type { UserRecord } from "../server/store/records.js";
import { saveInvite } from "../server/store/sessions.js";
import { dateIn, defaultCutoff, isoInZone, tomorrowIn } from "../shared/dates.js";
import { ChainCreateBody } from "../shared/schemas.js";

async function seed(ctx: Ctx) {
  const now = Date.now();
  let ids = await readDemoIds(ctx);
  if (ids && !(await readCommunity(ctx, ids.communityId))) ids = null;

  const coordinator: UserRecord = {
    id: ids?.coordinatorId ?? randomId(10),
    communityId: ids?.communityId ?? randomId(8),
    role: "coordinator",
    name: "王主任",
    village: null,
    phone: null,
    createdAt: now,
    owner: true,
  };
  const grower: UserRecord = {
    id: ids?.growerId ?? randomId(10),
    communityId: coordinator.communityId,
    role: "grower",
    name: "李大姐",
    village: "河西村",
    phone: "13800000000",
    createdAt: now,
  };
  const tz = ctx.config.DEFAULT_TIMEZONE;
  const coordinatorToken = await mintSession(ctx, coordinator);
  const coordinatorSession = sessionOfUser(coordinator);
  if (!ids) {
    await createCommunity(
      ctx,
      {
        id: coordinator.communityId,
        name: "文兴社区",
        timezone: tz,
        requirePhone4: false,
        createdAt: now,
      },
      coordinator,
    );
    await saveUser(ctx, grower);
    const points = [
      { name: "3号楼东门", description: "东门快递柜旁", window: { start: "07:30", end: "09:00" } },
      { name: "7号楼北门", description: "北门凉亭", window: { start: "07:30", end: "09:00" } },
      { name: "南门岗亭", description: "南门保安岗亭边", window: { start: "17:30", end: "19:00" } },
    ];
    for (const p of points)
      await addDropPoint(ctx, coordinatorSession, coordinator.communityId, { ...p, active: true });
    ids = {
      communityId: coordinator.communityId,
      coordinatorId: coordinator.id,
      growerId: grower.id,
    };
    await saveDemoIds(ctx, ids);
  }
  const growerToken = await mintSession(ctx, grower);
  const growerSession = sessionOfUser(grower);

  // One open chain for tomorrow: reuse it if it is there.
  const tomorrow = tomorrowIn(tz, now);
  const existing = await readChains(
    ctx,
    await listChainIds(ctx, ids.communityId, { date: tomorrow }),
  );
  let chain = existing.find((c) => c.meta.status === "open" && c.meta.cutoff > now)?.meta.id;
  if (!chain) {
    const found = await readCommunity(ctx, ids.communityId);
    // The default cutoff is 20:00 tonight; after that, give the demo three more hours.
    const cutoff = Math.max(defaultCutoff(tomorrow, tz), now + 3 * 3_600_000);
    const view = await postChain(
      ctx,
      growerSession,
      ChainCreateBody.parse({
        title: `河西村${dateIn(tz, now + 86_400_000).slice(5)}新鲜蔬菜`,
        note: "早上现摘，明早送到各自提点。",
        deliveryDate: tomorrow,
        cutoffAt: isoInZone(cutoff, tz),
        dropPointIds: (found?.dropPoints ?? []).map((d) => d.id),
        items: [
          { name: "西红柿", unit: "斤", priceFen: 350, step: 0.5, stock: 80, limit: 5 },
          { name: "黄瓜", unit: "斤", priceFen: 250, step: 0.5, stock: 60 },
          { name: "小白菜", unit: "把", priceFen: 200, stock: 40 },
          { name: "土鸡蛋", unit: "盒", priceFen: 2800, stock: 20, limit: 2 },
        ],
      }),
    );
    chain = view.id;
  }
  const base = ctx.config.PUBLIC_URL;
  // One-tap sign-in links (the join page signs the phone in as that person), for a day.
  const signIn = async (user: UserRecord) => {
    const token = randomToken();
    await saveInvite(ctx, token, {
      id: randomId(10),
      communityId: user.communityId,
      role: user.role,
      createdBy: coordinator.id,
      createdAt: now,
      expiresAt: now + 24 * 3_600_000,
      userId: user.id,
    });
    return `${base}/join?token=${token}`;
  };
  const others = await otherCommunityIds(ctx, ids.communityId);
  return {
    /** Real communities of this install, beside the demo. */
    otherCommunities: others.length,
    signIn: {
      coordinator: await signIn(coordinator),
      grower: await signIn(grower),
    },
    community: { id: ids.communityId, name: "文兴社区" },
    chainId: chain,
    urls: {
      chain: `${base}/c/${chain}`,
      api: `${base}/api`,
      grower: `${base}/g`,
      coordinator: `${base}/admin`,
    },
    credentials: {
      coordinator: { name: coordinator.name, token: coordinatorToken },
      grower: { name: grower.name, token: growerToken },
    },
  };
}

/** `--remove`: the demo community's keys, its place in the lists, and the demo's own key. */
async function remove(ctx: Ctx): Promise<string> {
  const ids = await readDemoIds(ctx);
  if (!ids) return "There is no demo community here: nothing to remove.";
  const deleted = await removeDemoCommunity(ctx, ids.communityId);
  return `Removed the demo community (${ids.communityId}, ${deleted} keys). Its sign-in links no longer work.`;
}

async function main() {
  const json = process.argv.includes("--json");
  const config = scriptConfigOrExit();
  const conn = await connect(config);
  const ctx: Ctx = { config, redis: conn.redis, keys: makeKeys(config.KEY_PREFIX) };
  try {
    if (process.argv.includes("--remove")) {
      process.stdout.write(`${await remove(ctx)}\n`);
      return;
    }
    const demo = await seed(ctx);
    if (json) {
      process.stdout.write(`${JSON.stringify(demo, null, 2)}\n`);
    } else {
      const separate =
        demo.otherCommunities > 0
          ? [
              `This install already has ${demo.otherCommunities === 1 ? "a real community" : `${demo.otherCommunities} real communities`}. The demo is a separate community: it`,
              "doesn't touch yours, and your people don't see it. Remove it with: npm run demo -- --remove",
              "",
            ]
          : [];
      process.stdout.write(
        [
          `Demo community ${demo.community.name} is ready.`,
          "",
          ...separate,
          "Open on a phone or in a browser (one tap signs you in; each link works once, for a day):",
          `  Coordinator ${demo.credentials.coordinator.name}:  ${demo.signIn.coordinator}`,
          `  Grower ${demo.credentials.grower.name}:       ${demo.signIn.grower}`,
          `  Residents (no sign-in):  ${demo.urls.chain}`,
          "",
          "API tokens for scripts: npm run demo -- --json. Remove the demo: npm run demo -- --remove",
          "",
        ].join("\n"),
      );
    }
  } finally {
    conn.redis.disconnect();
    await conn.managed?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
