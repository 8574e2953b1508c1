import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryJoin } from "../../shared/schemas.js";
import type { ChainSnapshot, ChainView } from "../../shared/views.js";
import {
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

/**
 * A join for something sold out is refused before the script opens its books (a sell-out burst's
 * refusals stay cheap). These pin that the early refusal answers exactly what the full checks
 * would: the same details, the same precedence of refusals, and nothing written.
 */
describe("refusals once an item is sold out", () => {
  let t: TestApp;
  let w: World;
  let chain: ChainView;
  let eggs: string;
  let cucumbers: string;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
    // 土鸡蛋: 21 boxes, no per-person limit; 黄瓜: no stock cap.
    chain = await postChain(t, w, {
      items: [
        { name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 21 },
        { name: "黄瓜", unit: "斤", priceFen: 200 },
      ],
    });
    eggs = chain.items[0]?.id ?? "";
    cucumbers = chain.items[1]?.id ?? "";
  });
  afterAll(() => t.close());

  const joinOf = (name: string, extra: Partial<EntryJoin> = {}): EntryJoin => ({
    requestId: requestId(),
    chainId: chain.id,
    dropPointId: w.dropPoints[0]?.id ?? "",
    name,
    building: "3-201",
    lines: [{ itemId: eggs, qty: 1 }],
    ...extra,
  });
  const snapshot = async () =>
    (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;

  it("when a device holds its 20 entries and the rest sells out, then it is told too_many_entries (as before the sell-out), another device sold_out with what is left of every item, a repeated request its entry, and nothing is written", async () => {
    const capped = await client(t, { deviceKey: deviceKey() });
    const other = await client(t, { deviceKey: deviceKey() });
    const firstJoin = joinOf("邻居0");
    const first = ok(await call(capped, "entry:join", firstJoin));
    for (let i = 1; i < 20; i++) ok(await call(capped, "entry:join", joinOf(`邻居${i}`)));
    // The cap comes first while there is stock …
    const beforeSellOut = await call(capped, "entry:join", joinOf("第21个"));
    expect(errorCode(beforeSellOut)).toBe("too_many_entries");
    ok(await call(other, "entry:join", joinOf("隔壁")));
    const before = await snapshot();
    // 黄瓜 has no cap: the chain stays open with 土鸡蛋 sold out.
    expect(before.chain.status).toBe("open");

    // … and after the sell-out too.
    const capRefusal = await call(
      capped,
      "entry:join",
      joinOf("第21个", {
        lines: [
          { itemId: cucumbers, qty: 1 },
          { itemId: eggs, qty: 1 },
        ],
      }),
    );
    expect(capRefusal.ok ? null : capRefusal.error).toMatchObject({
      code: "too_many_entries",
      details: { max: 20 },
    });

    const soldOut = await call(
      other,
      "entry:join",
      joinOf("楼上", {
        lines: [
          { itemId: cucumbers, qty: 2 },
          { itemId: eggs, qty: 3 },
        ],
      }),
    );
    // Listed in the chain's order (the grower's), 黄瓜 with no cap.
    expect(soldOut.ok ? null : soldOut.error).toMatchObject({
      code: "sold_out",
      details: {
        short: [{ itemId: eggs, wanted: 3, remaining: 0 }],
        left: [
          { itemId: eggs, remaining: 0 },
          { itemId: cucumbers, remaining: null },
        ],
      },
    });

    // Refusals that come before stock keep coming first.
    const wrongPoint = await call(other, "entry:join", joinOf("楼下", { dropPointId: "nowhere0" }));
    expect(errorCode(wrongPoint)).toBe("unknown_drop_point");

    // The first request, sent again (its answer was lost), still gets its entry.
    const again = ok(await call(capped, "entry:join", firstJoin));
    expect(again.entry).toEqual(first.entry);

    const after = await snapshot();
    expect(after.chain.version).toBe(before.chain.version);
    expect(after.entries.filter((e) => e.status === "active")).toHaveLength(21);
  });
});
