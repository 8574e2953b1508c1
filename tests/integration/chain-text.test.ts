/**
 * The chain's WeChat text is public and built once per state of the chain (a read flood costs a
 * lookup each): it must still follow every change at once, the chain's own and the community's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  call,
  client,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

describe("a chain's WeChat text", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when read many times at once and then the chain or its community changes, then every read after the change shows it", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0];
    if (!dp) throw new Error("the world has a drop point");
    const text = async () => (await t.http.get(`/api/chains/${chain.id}/text`).expect(200)).text;
    const first = await Promise.all(Array.from({ length: 10 }, text));
    expect(new Set(first).size).toBe(1);
    expect(first[0]).not.toContain("张阿姨");

    const resident = await client(t);
    const join = (name: string) =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: dp.id,
        name,
        building: "3-201",
        lines: [{ itemId: chain.items[0]?.id ?? "", qty: 1 }],
      });
    ok(await join("张阿姨"));
    expect(await text()).toContain("张阿姨");
    const joined = ok(await join("李大爷"));
    const [a, b] = await Promise.all([text(), text()]);
    expect(a).toContain("李大爷");
    expect(b).toBe(a);

    ok(
      await call(resident, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: joined.entry.no,
      }),
    );
    expect(await text()).not.toContain("李大爷");

    // A drop point renamed: the chain's version does not move, the community's does.
    await t.http
      .patch(`/api/communities/${w.communityId}/drop-points/${dp.id}`)
      .set(bearer(w.coordinatorToken))
      .send({ name: "南门快递柜旁" })
      .expect(200);
    expect(await text()).toContain("南门快递柜旁");
  });

  it("when the chain does not exist, then 404, and a later chain is read as it is", async () => {
    await t.http.get(`/api/chains/${w.communityId}-zzzzzzzz/text`).expect(404);
    const chain = await postChain(t, w, { title: "后来的蔬菜" });
    expect(await (await t.http.get(`/api/chains/${chain.id}/text`).expect(200)).text).toContain(
      "后来的蔬菜",
    );
  });
});
