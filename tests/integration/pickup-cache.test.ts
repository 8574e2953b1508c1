import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PickupList } from "../../shared/views.js";
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

/**
 * Pickup lists are rebuilt only when something they show changed, and answer 304 to a phone that
 * already has the current one. Every change a volunteer must see gives a new tag.
 */
describe("pickup lists by version (ETag)", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("answers 304 while nothing changed, and a new list after every change it shows", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0]?.id ?? "";
    const url = `/api/communities/${w.communityId}/days/${chain.deliveryDate}/drop-points/${dp}`;
    const get = (etag?: string) =>
      t.http
        .get(url)
        .set({ ...bearer(w.coordinatorToken), ...(etag ? { "If-None-Match": etag } : {}) });
    const seen = new Set<string>();
    /** The list now: a tag never seen before, and 304 when asked with it. */
    const changed = async () => {
      const res = await get();
      expect(res.status).toBe(200);
      const etag = res.headers.etag as string;
      expect(etag).toMatch(/^W\/"pl-/);
      expect(seen.has(etag)).toBe(false);
      seen.add(etag);
      expect((await get(etag)).status).toBe(304);
      return res.body as PickupList;
    };

    expect((await changed()).residents).toEqual([]);
    const resident = await client(t, { deviceKey: deviceKey() });
    const joined = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: dp,
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      }),
    );
    expect((await changed()).residents.map((r) => r.name)).toEqual(["张阿姨"]);

    // A volunteer's tick.
    const staff = await client(t, { token: w.coordinatorToken });
    ok(
      await call(staff, "entry:mark", {
        requestId: requestId(),
        chainId: chain.id,
        no: joined.entry.no,
        mark: "collected",
        on: true,
      }),
    );
    expect((await changed()).checkOff.collected).toBe(1);

    // The chain's title, and the drop point's name, are on the list too.
    await t.http
      .patch(`/api/chains/${chain.id}`)
      .set(bearer(w.growerToken))
      .send({ title: "改过的名字" })
      .expect(200);
    expect((await changed()).residents[0]?.entries[0]?.chainTitle).toBe("改过的名字");
    await t.http
      .patch(`/api/communities/${w.communityId}/drop-points/${dp}`)
      .set(bearer(w.coordinatorToken))
      .send({ name: "东门新址" })
      .expect(200);
    expect((await changed()).dropPoint.name).toBe("东门新址");

    // A join elsewhere leaves this list as it was.
    const etag = [...seen].at(-1) as string;
    ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[1]?.id ?? "",
        name: "李叔",
        building: "7-302",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      }),
    );
    expect((await get(etag)).status).toBe(304);
  });

  it("sends the same list gzipped to a client that accepts it, and plain to one that does not", async () => {
    const chain = await postChain(t, w);
    const dp = w.dropPoints[0]?.id ?? "";
    const url = `/api/communities/${w.communityId}/days/${chain.deliveryDate}/drop-points/${dp}`;
    const resident = await client(t, { deviceKey: deviceKey() });
    // Enough entries that the list is worth compressing (over 1 KB).
    for (const name of ["张阿姨", "李叔", "王奶奶", "赵伯"]) {
      ok(
        await call(resident, "entry:join", {
          requestId: requestId(),
          chainId: chain.id,
          dropPointId: dp,
          name,
          building: "3-201",
          lines: [{ itemId: chain.items[0]?.id ?? "", qty: 1 }],
        }),
      );
    }
    // Node's own client: supertest and fetch would unzip the body before we see it.
    const get = (encoding: string) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
        (resolve, reject) => {
          const req = httpGet(
            `${t.baseUrl}${url}`,
            { headers: { ...bearer(w.coordinatorToken), "Accept-Encoding": encoding } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on("data", (c: Buffer) => chunks.push(c));
              res.on("end", () =>
                resolve({
                  status: res.statusCode ?? 0,
                  headers: res.headers,
                  body: Buffer.concat(chunks),
                }),
              );
            },
          );
          req.on("error", reject);
        },
      );
    const plain = await get("identity");
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    const list = JSON.parse(plain.body.toString("utf8")) as PickupList;
    expect(list.residents.map((r) => r.name).sort()).toEqual(
      ["张阿姨", "李叔", "王奶奶", "赵伯"].sort(),
    );
    expect(plain.body.length).toBeGreaterThan(1024);
    // Twice: the second is the kept encoding, and must be the same list.
    for (let i = 0; i < 2; i++) {
      const zipped = await get("gzip, deflate");
      expect(zipped.status).toBe(200);
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(zipped.headers.etag).toBe(plain.headers.etag);
      const body = zipped.body;
      expect(body.length).toBeLessThan(plain.body.length);
      expect(JSON.parse(gunzipSync(body).toString("utf8"))).toEqual(list);
    }
  });
});
