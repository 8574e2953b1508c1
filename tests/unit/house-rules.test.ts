/**
 * The rules of the house (docs/architecture.md), checked on the source: what may import what, and
 * that only server/store talks to Redis.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...files(rel));
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

const source = (file: string) => readFileSync(path.join(root, file), "utf8");
/** Every module a file imports (static and dynamic), as written. */
const imports = (file: string) =>
  [...source(file).matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1] ?? "");
const resolved = (file: string, spec: string) =>
  spec.startsWith(".") ? path.join(path.dirname(file), spec) : spec;

const app = [...files("server"), ...files("shared"), ...files("client/src"), ...files("scripts")];
const outsideStore = app.filter((f) => !f.startsWith("server/store/"));

describe("the rules of the house", () => {
  it("only server/store imports ioredis", () => {
    const offenders = outsideStore.filter((f) => imports(f).includes("ioredis"));
    expect(offenders).toEqual([]);
  });

  it("only server/store uses the Redis connection or names a Redis key", () => {
    const offenders = outsideStore.filter((f) =>
      /\bctx\.redis\b|\bctx\.keys\b|\.keys\.(community|session|invite|prefix)\b/.test(source(f)),
    );
    expect(offenders).toEqual([]);
  });

  it("shared/ imports nothing from server/ or client/", () => {
    const offenders = files("shared").flatMap((f) =>
      imports(f)
        .map((spec) => resolved(f, spec))
        .filter((p) => p.startsWith("server/") || p.startsWith("client/"))
        .map((p) => `${f} → ${p}`),
    );
    expect(offenders).toEqual([]);
  });

  it("client/ imports nothing from server/, and server/ nothing from client/", () => {
    const offenders = [
      ...files("client/src").flatMap((f) =>
        imports(f)
          .map((spec) => resolved(f, spec))
          .filter((p) => p.startsWith("server/"))
          .map((p) => `${f} → ${p}`),
      ),
      ...files("server").flatMap((f) =>
        imports(f)
          .map((spec) => resolved(f, spec))
          .filter((p) => p.startsWith("client/"))
          .map((p) => `${f} → ${p}`),
      ),
    ];
    expect(offenders).toEqual([]);
  });

  it("the checks see real imports (a sanity check of the scanner)", () => {
    expect(imports("server/store/redis.ts")).toContain("ioredis");
    expect(resolved("shared/errors.ts", "../server/x.js")).toBe("server/x.js");
  });
});
