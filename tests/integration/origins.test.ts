/**
 * Other sites can't act for our users: a page on another origin can neither write through the
 * API nor open a socket that rides on the session cookie, and a cookie-authenticated write must
 * be JSON (what a cross-site form can't send). Scripts without an Origin keep working.
 */
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChainSnapshot, ChainView } from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  makeWorld,
  ok,
  postChain,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

const EVIL = "https://evil.example";
const PUBLIC = "https://jielong.example.cn";
const EXTRA = "http://192.168.1.5:3000";

interface Reply {
  status: number;
  body: { error?: { code?: string; message?: string } };
}

function expectRefused(res: Reply, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error?.code).toBe(code);
  expect(res.body.error?.message?.length).toBeGreaterThan(0);
}

function socket(t: TestApp, headers: Record<string, string>): Client {
  return connect(t.baseUrl, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: headers,
  }) as Client;
}

/** Resolves "connected" or with the connect error's message. */
function outcome(s: Client): Promise<string> {
  return new Promise((resolve) => {
    s.once("connect", () => resolve("connected"));
    s.once("connect_error", (err) => resolve(`refused: ${err.message}`));
  });
}

describe("browsers: other sites can't act for our users", () => {
  let t: TestApp;
  let w: World;
  let cookie = "";
  const host = () => new URL(t.baseUrl).host;
  const status = async (chainId: string) =>
    ((await t.http.get(`/api/chains/${chainId}`).expect(200)).body as ChainSnapshot).chain.status;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: PUBLIC, ALLOWED_ORIGINS: `${EXTRA}, ` } });
    w = await makeWorld(t);
    cookie = `jl_session=${w.coordinatorToken}`;
  });
  afterAll(() => t.close());

  it("when a page on another origin posts with the session cookie, then it is 403 forbidden_origin and the chain stays open", async () => {
    const chain = await postChain(t, w);
    // Another port of the same host is the same site (SameSite=Lax lets the cookie go) but
    // another origin.
    const sibling = `http://${host().split(":")[0]}:1`;
    for (const origin of [EVIL, "null", "http://localhost:3000", sibling]) {
      // The form POST of the report (text/plain), and the same as JSON.
      expectRefused(
        await t.http
          .post(`/api/chains/${chain.id}/cancel`)
          .set({ Cookie: cookie, Origin: origin, "Content-Type": "text/plain" })
          .send("x=1"),
        403,
        "forbidden_origin",
      );
      expectRefused(
        await t.http
          .post(`/api/chains/${chain.id}/cancel`)
          .set({ Cookie: cookie, Origin: origin })
          .send({}),
        403,
        "forbidden_origin",
      );
      // Other write methods too, with a Bearer token as well.
      expectRefused(
        await t.http
          .patch(`/api/chains/${chain.id}`)
          .set({ ...bearer(w.growerToken), Origin: origin })
          .send({ title: "被改了" }),
        403,
        "forbidden_origin",
      );
    }
    expect(await status(chain.id)).toBe("open");
    expect(((await t.http.get(`/api/chains/${chain.id}`)).body as ChainSnapshot).chain.title).toBe(
      chain.title,
    );
  });

  it("when a write rides on the cookie without saying JSON, then it is 415 json_required and nothing changes", async () => {
    const chain = await postChain(t, w);
    for (const [type, body] of [
      ["text/plain", '{"x":1}'],
      ["application/x-www-form-urlencoded", "x=1"],
      ["multipart/form-data; boundary=b", "--b--\r\n"],
    ] as const) {
      expectRefused(
        await t.http
          .post(`/api/chains/${chain.id}/cancel`)
          .set({ Cookie: cookie, "Content-Type": type })
          .send(body),
        415,
        "json_required",
      );
    }
    // No body and no type at all (fetch in no-cors mode).
    expectRefused(
      await t.http.post(`/api/chains/${chain.id}/close`).set({ Cookie: cookie }),
      415,
      "json_required",
    );
    expect(await status(chain.id)).toBe("open");
    // A Bearer token (scripts) needs no JSON body for an action without one.
    const closed = await t.http.post(`/api/chains/${chain.id}/close`).set(bearer(w.growerToken));
    expect(closed.status).toBe(200);
    expect((closed.body as ChainView).status).toBe("closed");
  });

  it("when the write comes from our own pages or a script, then it works", async () => {
    for (const origin of [PUBLIC, EXTRA, `http://${host()}`, undefined]) {
      const chain = await postChain(t, w);
      const headers: Record<string, string> = { Cookie: cookie };
      if (origin) headers.Origin = origin;
      const res = await t.http.post(`/api/chains/${chain.id}/cancel`).set(headers).send({});
      expect(res.status, `${origin}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(await status(chain.id)).toBe("cancelled");
    }
    // Reads are not writes: the public chain page may be fetched from anywhere.
    const chain = await postChain(t, w);
    await t.http.get(`/api/chains/${chain.id}`).set({ Origin: EVIL }).expect(200);
  });

  it("when a page on another origin opens a socket with the session cookie, then the handshake is refused before any event", async () => {
    const chain = await postChain(t, w);
    const pickup = { date: chain.deliveryDate, dropPointId: w.dropPoints[0]?.id ?? "" };
    for (const origin of [EVIL, "null"]) {
      const s = socket(t, { cookie, origin });
      expect(await outcome(s)).toMatch(/^refused/);
      s.disconnect();
    }
    // The polling handshake (what a browser tries first) answers 403 with the code.
    const polling = await t.http
      .get("/socket.io/?EIO=4&transport=polling")
      .set({ Cookie: cookie, Origin: EVIL });
    expect(polling.status).toBe(403);
    expect(polling.text).toContain("forbidden_origin");

    // From our own origin, and from a script with no Origin, the same cookie works.
    for (const headers of [{ cookie, origin: PUBLIC }, { cookie }] as Record<string, string>[]) {
      const s = socket(t, headers);
      expect(await outcome(s)).toBe("connected");
      expect(ok(await call(s, "pickup:watch", pickup)).communityId).toBe(w.communityId);
      s.disconnect();
    }
  });

  it("sends the session cookie SameSite and httpOnly, and Secure when the public URL is https", async () => {
    const link = await t.http
      .post(`/api/communities/${w.communityId}/invites`)
      .set(bearer(w.coordinatorToken))
      .send({ userId: w.growerId })
      .expect(201);
    const res = await t.http
      .post("/api/invites/accept")
      .send({ token: link.body.token })
      .expect(201);
    const set = ([] as string[]).concat(res.headers["set-cookie"] ?? []).join("\n");
    expect(set).toMatch(/jl_session=[^;]+;.*HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/; Secure/i);
  });

  it("sends the security headers on API answers, errors and Socket.IO's own answers", async () => {
    for (const res of [
      await t.http.get("/api/health"),
      await t.http.get("/api/no-such-route"),
      await t.http.get("/socket.io/?EIO=4&transport=polling"),
    ]) {
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(`connect-src 'self' ws://${host()} wss://${host()}`);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
    }
  });
});
