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

  it("reads the limits: counts per window, TRUST_PROXY as Express, RATE_LIMITS=off", () => {
    const d = loadConfig({});
    expect(d.RATE_SOCKET_COMMANDS).toEqual({ points: 300, seconds: 60 });
    expect(d.RATE_IP_TOKEN_FAILURES).toEqual({ points: 30, seconds: 600 });
    expect(d.TRUST_PROXY).toBe(false);
    expect(d.RATE_LIMITS_OFF).toBe(false);
    const c = loadConfig({
      RATE_IP_COMMANDS: "50/10s",
      TRUST_PROXY: "loopback, 10.0.0.0/8",
      RATE_LIMITS: "off",
    });
    expect(c.RATE_IP_COMMANDS).toEqual({ points: 50, seconds: 10 });
    expect(c.TRUST_PROXY).toEqual(["loopback", "10.0.0.0/8"]);
    expect(c.RATE_LIMITS_OFF).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "0" }).TRUST_PROXY).toBe(false);

    let error: unknown;
    try {
      loadConfig({ TRUST_PROXY: "true", RATE_DEVICE_COMMANDS: "10/0s", RATE_LIMITS: "maybe" });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of ["TRUST_PROXY", "RATE_DEVICE_COMMANDS", "RATE_LIMITS"])
      expect(problems).toContain(name);
  });
});

describe("config: where Redis is", () => {
  it("unset: the service owns a local redis-server; REDIS_URL: one server", () => {
    expect(loadConfig({}).REDIS).toBeNull();
    expect(loadConfig({ REDIS_URL: "redis://10.0.0.5:6379" }).REDIS).toEqual({
      mode: "single",
      url: "redis://10.0.0.5:6379",
    });
  });

  it("REDIS_CLUSTER_NODES: a Redis Cluster from its seed nodes", () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: " 10.0.0.1:7000, redis-b:7001,[::1]:7002 " });
    expect(c.REDIS).toEqual({
      mode: "cluster",
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-b", port: 7001 },
        { host: "::1", port: 7002 },
      ],
      username: undefined,
      password: undefined,
    });
  });

  it("REDIS_SENTINELS with REDIS_SENTINEL_MASTER: a primary found through Sentinels", () => {
    const c = loadConfig({
      REDIS_SENTINELS: "10.0.0.1:26379,10.0.0.2:26379",
      REDIS_SENTINEL_MASTER: "jielong",
      REDIS_PASSWORD: "pw",
    });
    expect(c.REDIS).toMatchObject({
      mode: "sentinel",
      masterName: "jielong",
      password: "pw",
      sentinels: [
        { host: "10.0.0.1", port: 26379 },
        { host: "10.0.0.2", port: 26379 },
      ],
    });
  });

  it("refuses two modes at once, a Sentinel without its master name, and a bad host:port", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as ConfigError).problems.join("\n");
      }
      return "";
    };
    expect(problems({ REDIS_URL: "redis://a:1", REDIS_CLUSTER_NODES: "b:2" })).toMatch(
      /REDIS_URL: set one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS/,
    );
    expect(problems({ REDIS_SENTINELS: "a:26379" })).toMatch(/REDIS_SENTINEL_MASTER: required/);
    expect(problems({ REDIS_SENTINEL_MASTER: "m" })).toMatch(/REDIS_SENTINELS:/);
    expect(problems({ REDIS_CLUSTER_NODES: "a:1,b,c:99999" })).toMatch(
      /"b" is not host:port[\s\S]*"c:99999" is not host:port/,
    );
  });
});
