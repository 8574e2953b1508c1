import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPT_NAMES, scriptSource } from "../../server/store/scripts.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

/**
 * Every key a script touches must arrive in KEYS: Redis Cluster routes a script by them. The
 * tests load every script with a `call` that refuses any other key (tests/helpers/app.ts), so the
 * whole suite runs each script under that check; this file shows the check itself bites.
 */
describe("scripts touch only the keys they declare", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** lib.lua with the checking `call`, then a body of our own. */
  const checked = (body: string) => {
    const lib = scriptSource("jlCloseDue", true);
    return `${lib.slice(0, lib.lastIndexOf("\n-- The cutoff sweep"))}\n${body}`;
  };

  it("when a script names a key that is not in KEYS, then it fails and writes nothing", async () => {
    const declared = `${t.app.ctx.keys.prefix}:{c1}:declared`;
    const other = `${t.app.ctx.keys.prefix}:{c1}:built-inside`;
    const body = `call('SET', KEYS[1], 'ok')\nreturn call('SET', '${other}', 'sneaky')`;
    await expect(t.redis.eval(checked(body), 1, declared)).rejects.toThrow(/undeclared key/);
    expect(await t.redis.exists(other)).toBe(0);
  });

  it("when every key is declared, then the same script runs", async () => {
    const a = `${t.app.ctx.keys.prefix}:{c1}:a`;
    const b = `${t.app.ctx.keys.prefix}:{c1}:b`;
    const body = "call('SET', KEYS[1], 'x')\ncall('DEL', KEYS[1], KEYS[2])\nreturn call('TIME')[1]";
    expect(Number(await t.redis.eval(checked(body), 2, a, b))).toBeGreaterThan(0);
  });

  it("checks every key of a multi-key command", async () => {
    const a = `${t.app.ctx.keys.prefix}:{c1}:a`;
    const body = `return call('DEL', KEYS[1], '${t.app.ctx.keys.prefix}:{c1}:not-declared')`;
    await expect(t.redis.eval(checked(body), 1, a)).rejects.toThrow(/undeclared key/);
  });

  it("no script calls redis.call directly: only through the checked `call`", () => {
    for (const name of SCRIPT_NAMES) {
      const src = scriptSource(name, true);
      // The checking prelude itself calls redis.call once.
      expect(src.match(/redis\.call\(/g)?.length, name).toBe(1);
    }
  });
});
