import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryFound, EntryResult } from "../../shared/views.js";
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

describe("find my order: phone ending + pickup code, or the personal key", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_IP_TOKEN_FAILURES: "6/600s" } });
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  async function join(chainId: string, phone?: string): Promise<EntryResult> {
    const s = await client(t, { deviceKey: deviceKey() });
    const r = ok(
      await call(s, "entry:join", {
        requestId: requestId(),
        chainId,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        ...(phone ? { phone } : {}),
        lines: [{ itemId: "i2", qty: 2 }],
      }),
    );
    s.disconnect();
    return r;
  }

  it("when a resident joins, then the ack carries a personal key that opens that entry and no other", async () => {
    const chain = await postChain(t, w);
    const other = await postChain(t, w);
    const a = await join(chain.id, "138 0000 1234");
    expect(a.key).toMatch(/^1\.[\w-]{24}$/);
    const key = a.key ?? "";
    const opened = await t.http
      .post(`/api/chains/${chain.id}/entry-by-key`)
      .send({ key })
      .expect(200);
    expect((opened.body as EntryFound).entry).toMatchObject({
      no: 1,
      pickupCode: a.entry.pickupCode,
    });
    expect(opened.body.key).toBe(key);
    // The same key on another chain, or with a changed letter, opens nothing.
    await t.http.post(`/api/chains/${other.id}/entry-by-key`).send({ key }).expect(404);
    const bent = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    await t.http.post(`/api/chains/${chain.id}/entry-by-key`).send({ key: bent }).expect(404);
  });

  it("when found by the last 4 digits of the phone and the pickup code, then the entry and its key come back; a miss is 404", async () => {
    const chain = await postChain(t, w);
    const a = await join(chain.id, "13800005678");
    const found = await t.http
      .post(`/api/chains/${chain.id}/find`)
      .send({ phone4: "5678", pickupCode: a.entry.pickupCode })
      .expect(200);
    expect(found.body.entry.no).toBe(a.entry.no);
    expect(found.body.key).toBe(a.key);
    const wrong = await t.http
      .post(`/api/chains/${chain.id}/find`)
      .send({ phone4: "5679", pickupCode: a.entry.pickupCode })
      .expect(404);
    expect(wrong.body.error.code).toBe("not_found");
    const bad = await t.http
      .post(`/api/chains/${chain.id}/find`)
      .send({ phone4: "56", pickupCode: a.entry.pickupCode })
      .expect(400);
    expect(bad.body.error.code).toBe("validation_failed");
  });

  it("when another device sends a change or cancel with the key, then it applies to that entry only", async () => {
    const chain = await postChain(t, w);
    const mine = await join(chain.id);
    const theirs = await join(chain.id);
    const phone = await client(t, { deviceKey: deviceKey() });
    // Without the key the new device may not touch it.
    const without = await call(phone, "entry:update", {
      requestId: requestId(),
      chainId: chain.id,
      no: mine.entry.no,
      lines: [{ itemId: "i2", qty: 3 }],
    });
    expect(errorCode(without)).toBe("forbidden");
    const changed = ok(
      await call(phone, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: mine.entry.no,
        key: mine.key,
        lines: [{ itemId: "i2", qty: 3 }],
      }),
    );
    expect(changed.entry.lines).toMatchObject([{ itemId: "i2", qty: 3 }]);
    // The key of entry 1 does not open entry 2.
    for (const event of ["entry:update", "entry:cancel"] as const) {
      const r = await call(phone, event, {
        requestId: requestId(),
        chainId: chain.id,
        no: theirs.entry.no,
        key: mine.key,
        ...(event === "entry:update" ? { lines: [{ itemId: "i2", qty: 1 }] } : {}),
      });
      expect(errorCode(r)).toBe("forbidden");
    }
    const cancelled = ok(
      await call(phone, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: mine.entry.no,
        key: mine.key,
      }),
    );
    expect(cancelled.entry.status).toBe("cancelled");
    phone.disconnect();
  });

  it("when an address keeps guessing, then it is refused with rate_limited, even for a right answer", async () => {
    const chain = await postChain(t, w);
    const a = await join(chain.id, "13800009999");
    const from = { "X-Forwarded-For": "203.0.113.9" };
    let refused = 0;
    for (let i = 0; i < 8; i++) {
      const r = await t.http
        .post(`/api/chains/${chain.id}/find`)
        .set(from)
        .send({ phone4: String(1000 + i), pickupCode: a.entry.pickupCode });
      if (r.status === 429) refused++;
      else expect(r.status).toBe(404);
    }
    expect(refused).toBeGreaterThan(0);
    const right = await t.http
      .post(`/api/chains/${chain.id}/find`)
      .set(from)
      .send({ phone4: "9999", pickupCode: a.entry.pickupCode });
    // Without TRUST_PROXY every test request comes from one address: the block holds for it.
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe("rate_limited");
  });
});
