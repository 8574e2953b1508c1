/**
 * Every page of the built web app runs under the Content-Security-Policy the server sends, with
 * no violation: resident chain, grower, admin (with an invite QR code), check-off, print views
 * (pickup sheet and QR labels), setup and join. And each page answers with the security headers.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChainView } from "../../shared/views.js";
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
import { launch, phone } from "./browser.js";

declare global {
  interface Window {
    cspViolations: string[];
  }
}

describe("security headers and the CSP, in a real browser", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  let chain: ChainView;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
    chain = await postChain(t, w);
    const resident = await client(t);
    ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: "i1", qty: 2 }],
      }),
    );
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Open a page as someone, wait for `ready`, and return what the CSP refused. */
  async function visit(
    path: string,
    token: string | null,
    ready: (page: Page) => Promise<unknown>,
  ): Promise<{ violations: string[]; headers: Record<string, string> }> {
    const { context, page } = await phone(browser, {
      baseUrl: t.baseUrl,
      sessionToken: token ?? undefined,
    });
    const violations: string[] = [];
    await context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        window.cspViolations.push(
          `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        ),
      );
    });
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(`${t.baseUrl}${path}`);
    await ready(page);
    await page.waitForLoadState("networkidle");
    violations.push(...(await page.evaluate(() => window.cspViolations)));
    const headers = res?.headers() ?? {};
    await context.close();
    return { violations, headers };
  }

  it("loads every page with no CSP violation and the security headers", async () => {
    const date = chain.deliveryDate;
    const dp = w.dropPoints[0]?.id ?? "";
    const invite = (
      await t.http
        .post(`/api/communities/${w.communityId}/invites`)
        .set(bearer(w.coordinatorToken))
        .send({ role: "grower" })
        .expect(201)
    ).body as { token: string };
    const pages: [string, string | null, (page: Page) => Promise<unknown>][] = [
      [`/c/${chain.id}`, null, (p) => p.getByText("张阿姨").first().waitFor()],
      ["/g", w.growerToken, (p) => p.locator("main").waitFor()],
      [`/g?chain=${chain.id}`, w.growerToken, (p) => p.getByText("张阿姨").first().waitFor()],
      ["/admin", w.coordinatorToken, (p) => p.locator("main").waitFor()],
      ["/admin#people", w.coordinatorToken, (p) => p.locator("main").waitFor()],
      [
        `/checkoff?date=${date}&dp=${dp}`,
        w.coordinatorToken,
        (p) => p.getByText("张阿姨").first().waitFor(),
      ],
      [
        `/print?view=pickup&date=${date}&dp=${dp}`,
        w.coordinatorToken,
        (p) => p.locator(".print-root[data-ready]").waitFor(),
      ],
      [
        `/print?view=labels&date=${date}&dp=${dp}&layout=a4`,
        w.coordinatorToken,
        (p) => p.locator(".print-root[data-ready] svg").first().waitFor(),
      ],
      ["/setup?token=used-or-not-a-token-at-all", null, (p) => p.locator("main").waitFor()],
      [`/join?token=${invite.token}`, null, (p) => p.locator("main").waitFor()],
    ];
    for (const [path, token, ready] of pages) {
      const { violations, headers } = await visit(path, token, ready);
      expect(violations, path).toEqual([]);
      const csp = headers["content-security-policy"] ?? "";
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["referrer-policy"], path).toBe("no-referrer");
    }
  });

  it("refuses to be framed by another page", async () => {
    // A page of another origin (another port on this host) that frames ours.
    const framer = createServer((_req, res) => {
      res.setHeader("Content-Type", "text/html");
      res.end(`<iframe src="${t.baseUrl}/c/${chain.id}"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    const { context, page } = await phone(browser, { baseUrl: t.baseUrl });
    try {
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
      await page.waitForLoadState("load");
      // The frame's document is the browser's error page, never ours (which has #app).
      const framed = page.frames().filter((f) => f !== page.mainFrame());
      expect(framed).toHaveLength(1);
      const ours = await Promise.all(
        framed.map((f) => f.evaluate(() => document.getElementById("app") !== null)),
      );
      expect(ours).toEqual([false]);
    } finally {
      await context.close();
      framer.close();
    }
  });
});
