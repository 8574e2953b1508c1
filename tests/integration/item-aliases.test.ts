import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ItemAlias } from "../../shared/item-aliases.js";
import { ITEM_ALIASES_MAX } from "../../shared/item-aliases.js";
import { bearer, makeWorld, startTestApp, type TestApp, type World } from "../helpers/app.js";

/** docs/api.md §5.38: at most 200 item aliases per community, also when posts race. */
describe("item aliases: the cap holds under concurrent posts", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMITS: "off" } });
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("never keeps more than the cap, and every refusal says so", async () => {
    const base = `/api/communities/${w.communityId}/item-aliases`;
    const coord = bearer(w.coordinatorToken);
    const filled = ITEM_ALIASES_MAX - 5;
    for (let i = 0; i < filled; i++) {
      await t.http
        .post(base)
        .set(coord)
        .send({ alias: `别名${i}`, item: "草莓" })
        .expect(200);
    }
    // Thirty new aliases at once, with room for five. Redis holds writes back for a moment
    // (CLIENT PAUSE … WRITE lets reads through), so every post counts before any one saves.
    await t.redis.call("CLIENT", "PAUSE", "300", "WRITE");
    const racing = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.http
          .post(base)
          .set(coord)
          .send({ alias: `并发${i}`, item: "草莓" }),
      ),
    );
    const list = (await t.http.get(base).set(coord).expect(200)).body as ItemAlias[];
    expect(list.length).toBeLessThanOrEqual(ITEM_ALIASES_MAX);
    const accepted = racing.filter((r) => r.status === 200);
    const refused = racing.filter((r) => r.status !== 200);
    expect(accepted.length).toBe(list.length - filled);
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(`at most ${ITEM_ALIASES_MAX} item aliases`);
    }
    // Whatever the race left, sequential posts fill to exactly the cap, then are refused;
    // replacing an existing alias still works at the cap.
    for (let i = list.length; i < ITEM_ALIASES_MAX; i++) {
      await t.http
        .post(base)
        .set(coord)
        .send({ alias: `补${i}`, item: "草莓" })
        .expect(200);
    }
    await t.http.post(base).set(coord).send({ alias: "多一个", item: "草莓" }).expect(400);
    const full = (
      await t.http.post(base).set(coord).send({ alias: "别名0", item: "西红柿" }).expect(200)
    ).body as ItemAlias[];
    expect(full.length).toBe(ITEM_ALIASES_MAX);
    expect(full.find((a) => a.alias === "别名0")?.item).toBe("西红柿");
  });
});
