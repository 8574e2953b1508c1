import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryJoin } from "../../shared/schemas.js";
import type { ChainSnapshot, ChainView } from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  errorCode,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

/** What one phone may take: a cap on entries per device key, and limits counted by phone too. */
describe("caps on what one resident can take", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  const joinOf = (chain: ChainView, name: string, extra: Partial<EntryJoin> = {}): EntryJoin => ({
    requestId: requestId(),
    chainId: chain.id,
    dropPointId: w.dropPoints[0]?.id ?? "",
    name,
    building: "3-201",
    lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
    ...extra,
  });

  it("when one device key holds 20 active entries, then a 21st is refused until one is cancelled; other phones are not affected", async () => {
    const chain = await postChain(t, w);
    const phone = await client(t, { deviceKey: deviceKey() });
    const made = [];
    for (let i = 0; i < 20; i++)
      made.push(ok(await call(phone, "entry:join", joinOf(chain, `邻居${i}`))));
    const refused = await call(phone, "entry:join", joinOf(chain, "第21个"));
    expect(errorCode(refused)).toBe("too_many_entries");
    expect(refused.ok ? null : refused.error.details).toEqual({ max: 20 });
    const neighbour = await client(t, { deviceKey: deviceKey() });
    ok(await call(neighbour, "entry:join", joinOf(chain, "隔壁")));
    ok(
      await call(phone, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: made[0]?.entry.no ?? 0,
      }),
    );
    ok(await call(phone, "entry:join", joinOf(chain, "第21个")));
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.entries.filter((e) => e.status === "active")).toHaveLength(21);
  });

  it("when the community asks for a phone's last 4 digits, then a join needs them, and the per-person limit holds across device keys", async () => {
    const patch = await t.http
      .patch(`/api/communities/${w.communityId}`)
      .set(bearer(w.coordinatorToken))
      .send({ requirePhone4: true })
      .expect(200);
    expect(patch.body.requirePhone4).toBe(true);
    try {
      const chain = await postChain(t, w);
      expect(chain.requirePhone4).toBe(true);
      // 土鸡蛋: 2 boxes per person.
      const eggs = chain.items[2]?.id ?? "";
      const a = await client(t, { deviceKey: deviceKey() });
      const b = await client(t, { deviceKey: deviceKey() });
      const noPhone = await call(
        a,
        "entry:join",
        joinOf(chain, "张阿姨", { lines: [{ itemId: eggs, qty: 1 }] }),
      );
      expect(errorCode(noPhone)).toBe("validation_failed");
      expect(noPhone.ok ? null : noPhone.error.details).toEqual([
        { path: ["phone"], message: expect.any(String), code: "custom", rule: "phone_required" },
      ]);
      ok(
        await call(
          a,
          "entry:join",
          joinOf(chain, "张阿姨", { phone: "1381234 5678", lines: [{ itemId: eggs, qty: 2 }] }),
        ),
      );
      // Another device key, the same phone ending: the limit is already used.
      const again = await call(
        b,
        "entry:join",
        joinOf(chain, "张阿姨", { phone: "5678", lines: [{ itemId: eggs, qty: 1 }] }),
      );
      expect(errorCode(again)).toBe("limit_exceeded");
      expect(again.ok ? null : again.error.details).toMatchObject({
        limit: 2,
        already: 2,
        by: "phone",
      });
      // Another phone on that device is another person.
      ok(
        await call(
          b,
          "entry:join",
          joinOf(chain, "李叔", { phone: "1390000 1111", lines: [{ itemId: eggs, qty: 2 }] }),
        ),
      );
      // A coordinator adding for a resident is not held by the resident's limit.
      const staff = await client(t, { token: w.coordinatorToken });
      ok(
        await call(
          staff,
          "entry:join",
          joinOf(chain, "张阿姨的邻居", { phone: "5678", lines: [{ itemId: eggs, qty: 1 }] }),
        ),
      );
    } finally {
      await t.http
        .patch(`/api/communities/${w.communityId}`)
        .set(bearer(w.coordinatorToken))
        .send({ requirePhone4: false })
        .expect(200);
    }
  });

  it("without the setting, a phone is optional and limits count per device", async () => {
    const chain = await postChain(t, w);
    expect(chain.requirePhone4).toBe(false);
    const eggs = chain.items[2]?.id ?? "";
    const a = await client(t, { deviceKey: deviceKey() });
    const b = await client(t, { deviceKey: deviceKey() });
    ok(await call(a, "entry:join", joinOf(chain, "王奶奶", { lines: [{ itemId: eggs, qty: 2 }] })));
    ok(
      await call(
        b,
        "entry:join",
        joinOf(chain, "王奶奶", { phone: "5678", lines: [{ itemId: eggs, qty: 2 }] }),
      ),
    );
    const over = await call(
      a,
      "entry:join",
      joinOf(chain, "王奶奶", { lines: [{ itemId: eggs, qty: 1 }] }),
    );
    expect(errorCode(over)).toBe("limit_exceeded");
    expect(over.ok ? null : over.error.details).toEqual({ itemId: eggs, limit: 2, already: 2 });
  });
});
