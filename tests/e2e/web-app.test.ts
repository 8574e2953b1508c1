import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

describe("serving the web app", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("every page path (including the printed setup and invite links) gets the app, never cached", async () => {
    for (const p of [
      "/",
      "/setup?token=x",
      "/join?token=x",
      "/c/abcd1234-efgh5678",
      "/g",
      "/admin",
    ]) {
      const res = await t.http.get(p).expect(200);
      expect(res.headers["content-type"]).toMatch(/text\/html/);
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.text).toContain('<html lang="zh-CN">');
      expect(res.text).toMatch(
        /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/,
      );
    }
    await t.http.get("/nope").expect(404);
  });

  it("assets are cached for a year and gzipped for slow networks", async () => {
    const dist = path.resolve(import.meta.dirname, "../../dist/client/assets");
    const js = readdirSync(dist).find((f) => /^index-.*\.js$/.test(f));
    const res = await t.http.get(`/assets/${js}`).set("Accept-Encoding", "gzip").expect(200);
    expect(res.headers["cache-control"]).toContain("max-age=31536000");
    expect(res.headers["cache-control"]).toContain("immutable");
    expect(res.headers["content-encoding"]).toBe("gzip");
    await t.http.get("/assets/missing.js").expect(404);
  });

  it("the resident page's first download (JS + CSS that index.html loads) stays within 60 KB gzipped", () => {
    const dist = path.resolve(import.meta.dirname, "../../dist/client");
    const html = readFileSync(path.join(dist, "index.html"), "utf8");
    const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
      (m) => m[1] ?? "",
    );
    expect(files.length).toBeGreaterThan(0);
    const total = files.reduce((s, f) => s + gzipSync(readFileSync(path.join(dist, f))).length, 0);
    expect(total).toBeLessThanOrEqual(60 * 1024);
  });
});
