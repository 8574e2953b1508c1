import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DaySummary, PickupList } from "../../shared/views.js";
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
type Socket = Awaited<ReturnType<typeof client>>;

describe("pickup lists by version (ETag)", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  /** A resident's join of 1 of an item at a drop point; its ack. */
  const joinOne = async (
    socket: Socket,
    chainId: string,
    dropPointId: string,
    itemId: string,
    name: string,
    building: string,
  ) =>
    ok(
      await call(socket, "entry:join", {
        requestId: requestId(),
        chainId,
        dropPointId,
        name,
        building,
        lines: [{ itemId, qty: 1 }],
      }),
    );
  /** A volunteer ticks an entry collected. */
  const tickCollected = async (staff: Socket, chainId: string, no: number) =>
    ok(
      await call(staff, "entry:mark", {
        requestId: requestId(),
        chainId,
        no,
        mark: "collected",
        on: true,
      }),
    );

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
    const joined = await joinOne(
      resident,
      chain.id,
      dp,
      chain.items[1]?.id ?? "",
      "张阿姨",
      "3-201",
    );
    expect((await changed()).residents.map((r) => r.name)).toEqual(["张阿姨"]);

    // A volunteer's tick.
    const staff = await client(t, { token: w.coordinatorToken });
    await tickCollected(staff, chain.id, joined.entry.no);
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
    await joinOne(
      resident,
      chain.id,
      w.dropPoints[1]?.id ?? "",
      chain.items[1]?.id ?? "",
      "李叔",
      "7-302",
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
      await joinOne(resident, chain.id, dp, chain.items[0]?.id ?? "", name, "3-201");
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
  it("the harvest and load lists, the day overview and the day's record: 304 while nothing they show changed, a new body after every change they show", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: 1 }],
    });
    const dp = w.dropPoints[0]?.id ?? "";
    const day = `/api/communities/${w.communityId}/days/${chain.deliveryDate}`;
    const urls = {
      harvest: `/api/chains/${chain.id}/harvest`,
      load: `/api/chains/${chain.id}/load`,
      overview: day,
      summary: `${day}/summary`,
    };
    type View = keyof typeof urls;
    const tags = new Map<View, string>();
    const get = (view: View, etag?: string) =>
      t.http
        .get(urls[view])
        .set({ ...bearer(w.coordinatorToken), ...(etag ? { "If-None-Match": etag } : {}) });
    const last = new Map<View, unknown>();
    /**
     * The views in `changed` come back with a new tag and a new body (and 304 for that tag). The
     * others come back 304, or (a tag that moves with more than the view shows, e.g. a check-off
     * mark bumps the chain's version) the same body as before: never a stale body under a kept tag.
     */
    const expectChanged = async (changed: View[]) => {
      const bodies: Partial<Record<View, unknown>> = {};
      for (const view of Object.keys(urls) as View[]) {
        const before = tags.get(view);
        const again = before ? await get(view, before) : null;
        if (before && !changed.includes(view)) {
          if (again?.status !== 304) expect([view, again?.body]).toEqual([view, last.get(view)]);
          continue;
        }
        expect([view, again?.status ?? 200]).toEqual([view, 200]);
        const res = await get(view);
        expect(res.status).toBe(200);
        const etag = res.headers.etag as string;
        expect(etag).toMatch(/^W\//);
        expect([view, etag]).not.toEqual([view, before]);
        expect([view, res.body]).not.toEqual([view, last.get(view)]);
        expect((await get(view, etag)).status).toBe(304);
        tags.set(view, etag);
        last.set(view, res.body);
        bodies[view] = res.body;
      }
      return bodies;
    };
    await expectChanged(["harvest", "load", "overview", "summary"]);
    /** Bags collected at the drop point, in a day's record (other tests share the day). */
    const collectedAt = (summary: unknown) =>
      (summary as DaySummary).dropPoints.find((r) => r.dropPoint.id === dp)?.collected ?? -1;

    // A join: every one of them shows it.
    const resident = await client(t, { deviceKey: deviceKey() });
    const joined = await joinOne(
      resident,
      chain.id,
      dp,
      chain.items[0]?.id ?? "",
      "张阿姨",
      "3-201",
    );
    const afterJoin = await expectChanged(["harvest", "load", "overview", "summary"]);
    expect(afterJoin.harvest).toMatchObject({ totals: { entries: 1, amountFen: 1990 } });

    // A check-off mark: only the day's record counts bags collected.
    const staff = await client(t, { token: w.coordinatorToken });
    await tickCollected(staff, chain.id, joined.entry.no);
    const afterMark = await expectChanged(["summary"]);
    expect(collectedAt(afterMark.summary)).toBe(collectedAt(afterJoin.summary) + 1);

    // Someone waits for the sold-out box: the harvest and load lists show the unmet demand.
    const other = await client(t, { deviceKey: deviceKey() });
    ok(
      await call(other, "waitlist:join", {
        requestId: requestId(),
        chainId: chain.id,
        itemId: chain.items[0]?.id ?? "",
        qty: 1,
        dropPointId: dp,
        name: "李叔",
        building: "5-101",
      }),
    );
    const afterWait = await expectChanged(["harvest", "load"]);
    expect(afterWait.harvest).toMatchObject({ unmet: [{ requests: 1, qty: 1 }] });

    // A drop point renamed: the load list, the overview and the record name it.
    await t.http
      .patch(`/api/communities/${w.communityId}/drop-points/${dp}`)
      .set(bearer(w.coordinatorToken))
      .send({ name: "东门新址二" })
      .expect(200);
    const afterRename = await expectChanged(["load", "overview", "summary"]);
    expect(JSON.stringify(afterRename.load)).toContain("东门新址二");

    // A grower can ask for the lists of a chain of theirs with the same tags; others cannot.
    const own = await t.http
      .get(urls.harvest)
      .set({ ...bearer(w.growerToken), "If-None-Match": tags.get("harvest") ?? "" });
    expect(own.status).toBe(304);
    await t.http
      .get(urls.harvest)
      .set({ "If-None-Match": tags.get("harvest") ?? "" })
      .expect(401);
    resident.disconnect();
    staff.disconnect();
    other.disconnect();
  });
});
