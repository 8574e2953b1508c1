import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEntryScript } from "../../server/store/chains.js";
import type { EntryRecord } from "../../server/store/records.js";
import { makeWorld, postChain, startTestApp, type TestApp, type World } from "../helpers/app.js";

/**
 * Pickup codes come from a per-(date, drop point) counter through a fixed permutation: O(1),
 * unique, never a loop (before, codes had 9,000 values and were probed one by one once taken).
 */
describe("pickup codes", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  const join = async (chainId: string, dp: string, n: number): Promise<EntryRecord> => {
    const reply = await runEntryScript(t.app.ctx, "join", chainId, `code-${dp}-${n}`, `h${n}`, {
      dp,
      name: `住户${n}`,
      bld: `${n}-101`,
      lines: [["i2", 1000]],
      dh: `device-${n}`,
    });
    if ("err" in reply) throw new Error(String(reply.err));
    return reply.e;
  };

  it("are unique for 10,000 bags at one drop point: 9,000 of 4 digits, then 5, never a leading zero", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0]?.id ?? "";
    const codes: string[] = [];
    // In small batches: the test Redis is shared with the other test files.
    for (let from = 0; from < 10_000; from += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, i) => join(chain.id, dp, from + i)),
      );
      for (const e of batch) codes[e.no - 1] = e.code;
    }
    expect(new Set(codes).size).toBe(10_000);
    for (const c of codes) expect(c).toMatch(/^[1-9]\d{3,5}$/);
    expect(codes.slice(0, 9000).every((c) => c.length === 4)).toBe(true);
    expect(codes.slice(9000).every((c) => c.length === 5)).toBe(true);
    // Not in order: the next bag's code is never the last one's plus or minus one.
    const steps = codes.slice(1, 9000).map((c, i) => Number(c) - Number(codes[i]));
    expect(steps.filter((s) => Math.abs(s) === 1)).toEqual([]);
  });

  it("each drop point and day has codes of its own, and a moved entry gets a new code there", async () => {
    const chain = await postChain(t, w);
    const [east, north] = w.dropPoints;
    if (!east || !north) throw new Error("fixture");
    const atEast = [await join(chain.id, east.id, 1), await join(chain.id, east.id, 2)];
    const atNorth = [await join(chain.id, north.id, 3), await join(chain.id, north.id, 4)];
    const moved = await runEntryScript(t.app.ctx, "update", chain.id, "code-move", "hm", {
      no: atEast[0]?.no ?? 0,
      dp: north.id,
      dh: "device-1",
    });
    if ("err" in moved) throw new Error(String(moved.err));
    expect(moved.e.dp).toBe(north.id);
    // Unique where it is now, and the north gate's next code in turn.
    const north3 = await join(chain.id, north.id, 5);
    const atNorthNow = [...atNorth.map((e) => e.code), moved.e.code, north3.code];
    expect(new Set(atNorthNow).size).toBe(4);
    // Two points don't share one sequence (1 in 9,000² that the first two codes match).
    expect(atNorth.map((e) => e.code)).not.toEqual(atEast.map((e) => e.code));
  });

  it("when a drop point has handed out every code of the day, a join is refused and changes nothing", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[2]?.id ?? "";
    await join(chain.id, dp, 1);
    // The day's ledger counts the codes handed out (cn): 9,000 + 90,000 + 900,000 in all.
    const dayKey = t.app.ctx.keys.community(w.communityId).dayTotals(chain.deliveryDate, dp);
    await t.redis.hset(dayKey, "cn", 999_000);
    const reply = await runEntryScript(t.app.ctx, "join", chain.id, "code-full", "hf", {
      dp,
      name: "晚来的",
      bld: "9-909",
      lines: [["i2", 1000]],
      dh: "device-late",
    });
    expect(reply).toMatchObject({ err: "codes_exhausted" });
    const snap = await t.http.get(`/api/chains/${chain.id}`).expect(200);
    expect(snap.body.entries).toHaveLength(1);
    expect(await t.redis.hget(dayKey, "cn")).toBe("999000");
  });
});
