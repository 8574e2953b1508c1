import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.js";

describe("config: one zod parse of the environment", () => {
  it("has defaults that run a local service", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      KEY_PREFIX: "jl",
      DEFAULT_TIMEZONE: "Asia/Shanghai",
      RETENTION_DAYS: 90,
      PUBLIC_URL: "http://localhost:3000",
      REDIS_URL: undefined,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "http",
        DEFAULT_TIMEZONE: "Mars/Base",
        KEY_PREFIX: "a b",
        REDIS_URL: "ftp://x",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of ["PORT", "DEFAULT_TIMEZONE", "KEY_PREFIX", "REDIS_URL"])
      expect(problems).toContain(name);
  });

  it("reads ALLOWED_ORIGINS as a list of origins, and refuses anything else", () => {
    expect(
      loadConfig({ ALLOWED_ORIGINS: " https://a.example.cn, http://192.168.1.5:3000/ ,," })
        .ALLOWED_ORIGINS,
    ).toEqual(["https://a.example.cn", "http://192.168.1.5:3000"]);
    expect(loadConfig({}).ALLOWED_ORIGINS).toEqual([]);
    for (const bad of ["a.example.cn", "https://a.example.cn/app", "ftp://a.example.cn", "null"]) {
      expect(() => loadConfig({ ALLOWED_ORIGINS: bad }), bad).toThrow(/ALLOWED_ORIGINS/);
    }
    expect(loadConfig({}).SETUP_TOKEN_TTL_HOURS).toBe(24);
    expect(() => loadConfig({ SETUP_TOKEN_TTL_HOURS: "0" })).toThrow(/SETUP_TOKEN_TTL_HOURS/);
  });

  it("accepts redis and unix URLs and trims the public URL", () => {
    expect(loadConfig({ REDIS_URL: "unix:///tmp/r.sock" }).REDIS_URL).toBe("unix:///tmp/r.sock");
    expect(loadConfig({ PUBLIC_URL: "https://jl.example.cn/" }).PUBLIC_URL).toBe(
      "https://jl.example.cn",
    );
  });
});
