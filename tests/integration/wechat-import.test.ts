import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChainSnapshot,
  ImportPreview,
  ImportResult,
  PickupList,
  StaffEntry,
} from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

describe("WeChat text: export a chain, import a group's 接龙", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  const coord = () => bearer(w.coordinatorToken);
  const preview = async (chainId: string, text: string) =>
    (
      await t.http
        .post(`/api/chains/${chainId}/import/preview`)
        .set(coord())
        .send({ text })
        .expect(200)
    ).body as ImportPreview;
  const importAll = async (
    chainId: string,
    p: ImportPreview,
    dropPointId = w.dropPoints[0]?.id ?? "",
  ) =>
    (
      await t.http
        .post(`/api/chains/${chainId}/import`)
        .set(coord())
        .send({ dropPointId, entries: p.entries.map(({ no: _no, ...e }) => e) })
        .expect(200)
    ).body as ImportResult;
  const staff = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}/entries`).set(coord()).expect(200))
      .body as StaffEntry[];

  it("previews what a pasted 接龙 will create, with unreadable lines kept for review", async () => {
    const chain = await postChain(t, w);
    const text = [
      "#接龙 河西村新鲜蔬菜",
      "1. 张阿姨 3-201 西红柿2斤 黄瓜1斤",
      "2. 李叔 5号楼302 土鸡蛋1盒",
      "3. 王姐 7-3-502 韭菜2把",
      "4. 赵 9-101 西红柿",
    ].join("\n");
    const p = await preview(chain.id, text);
    expect(p.entries.map((e) => [e.name, e.building, e.lines])).toEqual([
      [
        "张阿姨",
        "3-201",
        [
          { itemId: "i1", qty: 2 },
          { itemId: "i2", qty: 1 },
        ],
      ],
      ["李叔", "5号楼302", [{ itemId: "i3", qty: 1 }]],
    ]);
    expect(p.review).toEqual([
      {
        raw: "王姐 7-3-502 韭菜2把",
        code: "unknown_item",
        item: null,
        unit: null,
        reason: "unknown item",
        no: 3,
        text: null,
        dropPointIds: [],
      },
      {
        raw: "赵 9-101 西红柿",
        code: "no_quantity",
        item: "西红柿",
        unit: null,
        reason: "no quantity for 西红柿",
        no: 4,
        text: null,
        dropPointIds: [],
      },
    ]);
  });

  it("reads a line's drop point, and a word the community taught for an item, once taught", async () => {
    const chain = await postChain(t, w);
    const south = w.dropPoints.find((d) => d.name === "南门岗亭");
    const text = "1. 钱 9-102 柿子2斤 南门岗亭自提\n2. 孙 9-103 黄瓜1斤 西门取";
    const before = await preview(chain.id, text);
    expect(before.review.map((r) => [r.code, r.text])).toEqual([
      ["unknown_item", null],
      ["unknown_drop_point", "西门"],
    ]);
    const base = `/api/communities/${w.communityId}/item-aliases`;
    await t.http
      .post(base)
      .set(bearer(w.growerToken))
      .send({ alias: "柿子", item: "西红柿" })
      .expect(403);
    await t.http.post(base).set(coord()).send({ alias: "柿子", item: "柿子" }).expect(400);
    const saved = await t.http
      .post(base)
      .set(coord())
      .send({ alias: "柿子", item: "西红柿" })
      .expect(200);
    expect(saved.body).toEqual([{ alias: "柿子", item: "西红柿" }]);
    expect((await t.http.get(base).set(coord()).expect(200)).body).toEqual(saved.body);
    const after = await preview(chain.id, text);
    expect(after.entries).toEqual([
      {
        raw: "钱 9-102 柿子2斤 南门岗亭自提",
        no: 1,
        name: "钱",
        building: "9-102",
        lines: [{ itemId: "i1", qty: 2 }],
        dropPointId: south?.id,
      },
    ]);
    await t.http
      .delete(`${base}/${encodeURIComponent("柿子")}`)
      .set(coord())
      .expect(200);
    await t.http
      .delete(`${base}/${encodeURIComponent("柿子")}`)
      .set(coord())
      .expect(404);
    expect((await preview(chain.id, text)).entries).toEqual([]);
  });

  it("imports through the join path, marked, and importing the same text again makes nothing", async () => {
    const chain = await postChain(t, w);
    const text = "1. 张阿姨 3-201 西红柿2斤\n2. 李叔 5-302 黄瓜3斤\n3. 张阿姨 3-201 西红柿2斤";
    const p = await preview(chain.id, text);
    const first = await importAll(chain.id, p);
    expect([first.created, first.already]).toEqual([3, 0]);
    const entries = await staff(chain.id);
    expect(entries.map((e) => [e.no, e.name, e.imported, e.addedBy?.name])).toEqual([
      [1, "张阿姨", true, "王主任"],
      [2, "李叔", true, "王主任"],
      [3, "张阿姨", true, "王主任"],
    ]);
    // Read again, every line is someone's order already in the chain: nothing to import, and the
    // review says which entry each one is.
    const reread = await preview(chain.id, text);
    expect(reread.entries).toEqual([]);
    expect(reread.review.map((r) => [r.code, r.text])).toEqual([
      ["already_in_chain", "1"],
      ["already_in_chain", "2"],
      ["already_in_chain", "3"],
    ]);
    // The same lines sent again (an API client, a double tap) make nothing either.
    const again = await importAll(chain.id, p);
    expect([again.created, again.already]).toEqual([0, 3]);
    expect(await staff(chain.id)).toHaveLength(3);
    // Again with another drop point: the lines stand as first imported, and nothing is added.
    const elsewhere = await importAll(chain.id, p, w.dropPoints[1]?.id);
    expect([elsewhere.created, elsewhere.already]).toEqual([0, 3]);
    expect((await staff(chain.id)).map((e) => e.dropPointId)).toEqual(
      Array(3).fill(w.dropPoints[0]?.id),
    );
  });

  it("a line of someone who joined on the page is not a second order: the same order is 'already in', another order by them is asked", async () => {
    const chain = await postChain(t, w);
    const tomato = chain.items.find((i) => i.name === "西红柿")?.id ?? "";
    const resident = await client(t);
    const joined = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: tomato, qty: 2 }],
      }),
    );
    // She pasted her line into the group (written her way); someone else ordered there; and the
    // chain's own text, pasted back, lists her again.
    const own = (await t.http.get(`/api/chains/${chain.id}/text`).expect(200)).text;
    const p = await preview(
      chain.id,
      `${own}\n2. 李叔 5-302 黄瓜3斤\n3. 张阿姨 3－201 西红柿 2斤\n4. 张阿姨 3-201 西红柿5斤`,
    );
    expect(p.entries.map((e) => e.name)).toEqual(["李叔"]);
    // One line is her entry; each further line of hers (the same order again, or a bigger one)
    // is asked: another order, or a change?
    const no = String(joined.entry.no);
    expect(p.review.map((r) => [r.code, r.text])).toEqual([
      ["already_in_chain", no],
      ["same_person", no],
      ["same_person", no],
    ]);
    const result = await importAll(chain.id, p);
    expect(result.created).toBe(1);
    const entries = await staff(chain.id);
    expect(entries.filter((e) => e.name === "张阿姨")).toHaveLength(1);
  });

  it("says why a line was refused, with the details a person needs to fix it", async () => {
    // 土鸡蛋: stock 20, at most 2 boxes per person; 西红柿 in steps of half a jin.
    const chain = await postChain(t, w);
    const text = "1. 张阿姨 3-201 土鸡蛋3盒\n2. 李叔 5-302 西红柿1.3斤\n3. 王姐 7-101 黄瓜1斤";
    const result = await importAll(chain.id, await preview(chain.id, text));
    expect(result.created).toBe(1);
    expect(result.results.map((r) => (r.status === "refused" ? r.error : r.status))).toEqual([
      {
        code: "limit_exceeded",
        message: expect.stringContaining("土鸡蛋"),
        details: { itemId: "i3", limit: 2, already: 0 },
      },
      {
        code: "bad_quantity",
        message: expect.stringContaining("西红柿"),
        details: { itemId: "i1", step: 0.5 },
      },
      "created",
    ]);
  });

  it("a chain written as text and imported into an empty copy gives the same entries", async () => {
    const items = [
      { name: "西红柿", unit: "斤", priceFen: 350, step: 0.5 },
      { name: "白菜", unit: "斤", priceFen: 150 },
      { name: "小白菜", unit: "把", priceFen: 200 },
    ];
    const source = await postChain(t, w, { items });
    const residents = await Promise.all(
      [1, 2, 3, 4].map(() => client(t, { deviceKey: deviceKey() })),
    );
    const resident = (i: number) => {
      const s = residents[i];
      if (!s) throw new Error("fixture");
      return s;
    };
    const orders = [
      {
        name: "张阿姨",
        building: "3-201",
        lines: [
          { itemId: "i1", qty: 1.5 },
          { itemId: "i3", qty: 2 },
        ],
      },
      { name: "Lily🌸", building: "12栋1单元101", lines: [{ itemId: "i2", qty: 3 }] },
      { name: "老李", building: "13#502", lines: [{ itemId: "i3", qty: 1 }] },
      {
        name: "王姐",
        building: "东区8号楼",
        lines: [
          { itemId: "i1", qty: 0.5 },
          { itemId: "i2", qty: 1 },
        ],
      },
    ];
    for (const [i, o] of orders.entries()) {
      ok(
        await call(resident(i), "entry:join", {
          requestId: requestId(),
          chainId: source.id,
          dropPointId: w.dropPoints[0]?.id ?? "",
          ...o,
        }),
      );
    }
    ok(
      await call(resident(2), "entry:cancel", {
        requestId: requestId(),
        chainId: source.id,
        no: 3,
      }),
    );

    const text = (await t.http.get(`/api/chains/${source.id}/text`).expect(200)).text;
    expect(text).toContain("1. 张阿姨 3-201");
    expect(text).not.toContain("老李");

    const copy = await postChain(t, w, { items });
    const p = await preview(copy.id, text);
    expect(p.review).toEqual([]);
    await importAll(copy.id, p);
    const snap = (await t.http.get(`/api/chains/${source.id}`).expect(200)).body as ChainSnapshot;
    const shape = (
      es: {
        name: string;
        building: string;
        status: string;
        lines: { itemId: string; qty: number }[];
      }[],
    ) =>
      es
        .filter((e) => e.status === "active")
        .map((e) => [e.name, e.building, e.lines.map((l) => [l.itemId, l.qty])]);
    expect(shape(await staff(copy.id))).toEqual(shape(snap.entries));
  });

  it("a 30-line import racing live residents keeps stock, limits and pickup lists exact", async () => {
    const STOCK = 40;
    const chain = await postChain(t, w, {
      items: [
        { name: "草莓", unit: "盒", priceFen: 1990, stock: STOCK, limit: 3 },
        { name: "黄瓜", unit: "斤", priceFen: 200 },
      ],
    });
    const lines = Array.from(
      { length: 30 },
      (_, i) => `${i + 1}. 群友${i} ${(i % 9) + 1}-${100 + i} 草莓${(i % 3) + 1}盒 黄瓜1斤`,
    );
    const p = await preview(chain.id, lines.join("\n"));
    expect(p.entries).toHaveLength(30);
    const residents = await Promise.all(
      Array.from({ length: 20 }, () => client(t, { deviceKey: deviceKey() })),
    );
    const [imported, replies] = await Promise.all([
      importAll(chain.id, p),
      Promise.all(
        residents.map((s, i) =>
          call(s, "entry:join", {
            requestId: requestId(),
            chainId: chain.id,
            dropPointId: w.dropPoints[i % 3]?.id ?? "",
            name: `住户${i}`,
            building: `${i + 1}-101`,
            lines: [{ itemId: "i1", qty: 2 }],
          }),
        ),
      ),
    ]);
    for (const r of imported.results)
      if (r.status === "refused") expect(["sold_out", "chain_closed"]).toContain(r.error.code);
    for (const r of replies) if (!r.ok) expect(r.error.code).toBe("sold_out");

    const entries = (await staff(chain.id)).filter((e) => e.status === "active");
    const berries = (e: StaffEntry) => e.lines.find((l) => l.itemId === "i1")?.qty ?? 0;
    const sold = entries.reduce((s, e) => s + berries(e), 0);
    expect(sold).toBeLessThanOrEqual(STOCK);
    const view = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(view.chain.items[0]?.sold).toBe(sold);
    for (const e of entries) expect(berries(e)).toBeLessThanOrEqual(3);
    expect(entries.filter((e) => e.imported).length).toBe(imported.created);

    let listed = 0;
    for (const dp of w.dropPoints) {
      const list = (
        await t.http
          .get(`/api/communities/${w.communityId}/days/${chain.deliveryDate}/drop-points/${dp.id}`)
          .set(coord())
          .expect(200)
      ).body as PickupList;
      const mine = entries.filter((e) => e.dropPointId === dp.id);
      const onList = list.residents.flatMap((r) => r.entries).filter((e) => e.chainId === chain.id);
      expect(onList.map((e) => e.no).sort((a, b) => a - b)).toEqual(mine.map((e) => e.no));
      listed += list.items.find((i) => i.chainId === chain.id && i.itemId === "i1")?.qty ?? 0;
    }
    expect(listed).toBe(sold);
  });

  it("only a coordinator of the community may import", async () => {
    const chain = await postChain(t, w);
    await t.http
      .post(`/api/chains/${chain.id}/import/preview`)
      .send({ text: "1. 张阿姨 3-201 西红柿1斤" })
      .expect(401);
    await t.http
      .post(`/api/chains/${chain.id}/import`)
      .set(bearer(w.growerToken))
      .send({
        dropPointId: w.dropPoints[0]?.id,
        entries: [
          { raw: "x", name: "张阿姨", building: "3-201", lines: [{ itemId: "i1", qty: 1 }] },
        ],
      })
      .expect(403);
  });
});
