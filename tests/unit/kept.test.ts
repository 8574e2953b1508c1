import { describe, expect, it } from "vitest";
import type { Ctx } from "../../server/context.js";
import { keptAt } from "../../server/domain/kept.js";

/** keptAt only uses the ctx as a key (one store of kept views per app). */
const app = () => ({}) as Ctx;

describe("views kept by tag (domain/kept.ts)", () => {
  it("requests during a build wait for it: 50 at once make one view, the same object", async () => {
    const ctx = app();
    let builds = 0;
    let finish: (v: { n: number }) => void = () => {};
    const build = () => {
      builds += 1;
      return new Promise<{ n: number }>((resolve) => {
        finish = resolve;
      });
    };
    const asked = Array.from({ length: 50 }, () => keptAt(ctx, "pl:x", "3.1", build));
    finish({ n: 1 });
    const got = await Promise.all(asked);
    expect(builds).toBe(1);
    expect(new Set(got.map((g) => g.value)).size).toBe(1);
    expect(got.every((g) => g.tag === "3.1")).toBe(true);
    // Kept: asked again at the same tag, no build.
    expect((await keptAt(ctx, "pl:x", "3.1", build)).value).toBe(got[0]?.value);
    expect(builds).toBe(1);
  });

  it("a new tag builds again; another key or another app has its own", async () => {
    const ctx = app();
    let builds = 0;
    const build = async () => ({ n: ++builds });
    expect((await keptAt(ctx, "hv:c", "1", build)).value.n).toBe(1);
    expect((await keptAt(ctx, "hv:c", "2", build)).value.n).toBe(2);
    expect((await keptAt(ctx, "ld:c", "2", build)).value.n).toBe(3);
    expect((await keptAt(app(), "hv:c", "2", build)).value.n).toBe(4);
    expect((await keptAt(ctx, "hv:c", "2", build)).value.n).toBe(2);
  });

  it("a build that fails is not kept: its waiters get the error, the next request builds again", async () => {
    const ctx = app();
    let builds = 0;
    const failing = async (): Promise<{ n: number }> => {
      builds += 1;
      throw new Error("Redis went away");
    };
    const both = await Promise.allSettled([
      keptAt(ctx, "day:x", "7", failing),
      keptAt(ctx, "day:x", "7", failing),
    ]);
    expect(both.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(builds).toBe(1);
    const ok = await keptAt(ctx, "day:x", "7", async () => ({ n: 42 }));
    expect(ok.value.n).toBe(42);
  });
});
