/** One zod parse of the environment at boot: every problem listed, then a frozen typed object. */
import proxyaddr from "proxy-addr";
import { z } from "zod";
import { DEFAULT_TIMEZONE } from "../shared/dates.js";
import { TimeZone } from "../shared/schemas.js";

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** `<count>/<seconds>s`, e.g. `300/60s`: at most count in a fixed window of that many seconds. */
const rate = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, c) => {
      const m = /^(\d{1,7})\/(\d{1,6})s$/.exec(v.trim());
      const points = Number(m?.[1]);
      const seconds = Number(m?.[2]);
      if (!m || points < 1 || seconds < 1 || seconds > 86_400) {
        c.addIssue({ code: "custom", message: "expected <count>/<seconds>s, e.g. 300/60s" });
        return z.NEVER;
      }
      return { points, seconds };
    });

/**
 * Which proxies' X-Forwarded-For to believe, as Express's `trust proxy`: unset, `false` or `0`
 * believes none (the connection's address is the client); a hop count `n` takes the address n
 * proxies back; a comma list of `loopback`, `linklocal`, `uniquelocal`, IPs and CIDRs believes
 * proxies at those addresses. `true` (believe anyone) is refused: any client could pick its own
 * address and escape every limit.
 */
const trustProxy = z
  .string()
  .default("false")
  .transform((v, c): false | number | string[] => {
    const value = v.trim();
    if (value === "" || value === "false" || value === "0") return false;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const list = value.split(",").map((s) => s.trim());
    try {
      if (value === "true") throw new Error("use a hop count or the proxies' addresses");
      proxyaddr.compile(list);
      return list;
    } catch (err) {
      c.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });

/** "https://a.example, http://192.168.1.5:3000": each one a browser origin (scheme, host, port). */
const OriginList = z
  .string()
  .default("")
  .transform((text, ctx) => {
    const origins: string[] = [];
    for (const part of text.split(",").map((s) => s.trim())) {
      if (!part) continue;
      const url = URL.canParse(part) ? new URL(part) : null;
      if (!url || !/^https?:$/.test(url.protocol) || url.origin !== part.replace(/\/$/, "")) {
        ctx.addIssue({
          code: "custom",
          message: `"${part}" is not an origin like https://jielong.example.cn (scheme, host, port; no path)`,
        });
        continue;
      }
      origins.push(url.origin);
    }
    return origins;
  });

/** "host:port,host:port": Redis Cluster seed nodes or Sentinels. */
const HostPortList = z
  .string()
  .default("")
  .transform((text, ctx) => {
    const nodes: { host: string; port: number }[] = [];
    for (const part of text.split(",").map((s) => s.trim())) {
      if (!part) continue;
      const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(part);
      const port = Number(m?.[2]);
      if (!m || port < 1 || port > 65535) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not host:port` });
        continue;
      }
      nodes.push({ host: (m[1] as string).replace(/^\[|\]$/g, ""), port });
    }
    return nodes;
  });

/** Where Redis is: one server, a Redis Cluster, or a primary found through Sentinels. */
export type RedisTarget =
  | { mode: "single"; url: string }
  | {
      mode: "cluster";
      nodes: { host: string; port: number }[];
      username?: string;
      password?: string;
    }
  | {
      mode: "sentinel";
      sentinels: { host: string; port: number }[];
      masterName: string;
      username?: string;
      password?: string;
      sentinelPassword?: string;
    };

const EnvSchema = z
  .object({
    HOST: z.string().min(1).default("0.0.0.0"),
    PORT: int(0, 65535, 3000),
    /** When unset, the service starts and owns a local redis-server. */
    REDIS_URL: z
      .url({ protocol: /^(redis|rediss|unix)$/ })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Redis Cluster seed nodes, `host:port,host:port,…` (instead of REDIS_URL). */
    REDIS_CLUSTER_NODES: HostPortList,
    /** Sentinels, `host:port,…`, with REDIS_SENTINEL_MASTER (instead of REDIS_URL). */
    REDIS_SENTINELS: HostPortList,
    REDIS_SENTINEL_MASTER: z.string().max(200).default(""),
    /** Credentials of the Redis nodes in cluster and Sentinel modes (REDIS_URL carries its own). */
    REDIS_USERNAME: z.string().max(200).optional(),
    REDIS_PASSWORD: z.string().max(500).optional(),
    REDIS_SENTINEL_PASSWORD: z.string().max(500).optional(),
    /**
     * After each write, wait this long for every attached replica to confirm it (WAIT); past
     * it the write's outcome is unknown to the client, who retries with the same request id.
     */
    REDIS_WAIT_TIMEOUT_MS: int(10, 60_000, 1000),
    REDIS_SERVER_BIN: z.string().min(1).default("redis-server"),
    DATA_DIR: z.string().min(1).default("./data"),
    KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,32}$/, "1–32 letters, digits, _ . or -")
      .default("jl"),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Browser origins allowed besides PUBLIC_URL's (and the request's own host). */
    ALLOWED_ORIGINS: OriginList,
    DEFAULT_TIMEZONE: TimeZone.default(DEFAULT_TIMEZONE),
    RETENTION_DAYS: int(1, 3650, 90),
    SESSION_TTL_DAYS: int(1, 365, 30),
    INVITE_TTL_HOURS: int(1, 24 * 30, 72),
    /** How long a printed setup link works; `npm run setup-link` prints a fresh one. */
    SETUP_TOKEN_TTL_HOURS: int(1, 24 * 30, 24),
    /** Coalesce a chain's broadcasts for this long; 0 flushes once per event-loop turn. */
    /**
     * How long a chain's events wait to go out together: "auto" scales it with the room (none
     * below 10 watchers, up to 50 ms at 500); a number fixes it for every room (0: next turn).
     */
    BROADCAST_TICK_MS: z
      .union([z.literal("auto"), z.coerce.number().int().min(0).max(1000)])
      .default("auto"),
    EVENT_LOG_MAX: int(100, 100_000, 500),
    /** Requests waiting at once per item (waitlist:join answers waitlist_full beyond). */
    WAITLIST_MAX_PER_ITEM: int(1, 10_000, 100),
    REDIS_COMMAND_TIMEOUT_MS: int(100, 60_000, 2000),
    /** Entries a chain snapshot carries (the latest); older ones are read page by page. */
    SNAPSHOT_ENTRIES: int(20, 5000, 200),
    /** Active entries one device key may hold in one chain (0: no cap). */
    MAX_ENTRIES_PER_DEVICE: int(0, 10_000, 20),
    CUTOFF_SWEEP_MS: int(100, 600_000, 1000),
    LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
    TRUST_PROXY: trustProxy,
    /** `off` turns off every throttle and cap (benchmarks, load tests). */
    RATE_LIMITS: z.enum(["on", "off"]).default("on"),
    RATE_SOCKET_COMMANDS: rate("300/60s"),
    RATE_DEVICE_COMMANDS: rate("600/60s"),
    RATE_IP_COMMANDS: rate("10000/60s"),
    RATE_IP_HTTP_WRITES: rate("600/60s"),
    /** Distinct wrong tokens per address; past it, token checks from there wait out the window. */
    RATE_IP_TOKEN_FAILURES: rate("30/600s"),
    /** Throttled commands a socket may still send before it is disconnected. */
    RATE_SOCKET_THROTTLED: rate("100/60s"),
    /** Open sockets per client address, counted on each app node. */
    MAX_SOCKETS_PER_IP: int(1, 1_000_000, 1000),
  })
  .superRefine((env, ctx) => {
    const modes = [
      env.REDIS_URL && "REDIS_URL",
      env.REDIS_CLUSTER_NODES.length > 0 && "REDIS_CLUSTER_NODES",
      env.REDIS_SENTINELS.length > 0 && "REDIS_SENTINELS",
    ].filter(Boolean);
    if (modes.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_URL"],
        message: `set one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS (got ${modes.join(", ")})`,
      });
    }
    if (env.REDIS_SENTINELS.length > 0 && !env.REDIS_SENTINEL_MASTER) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_SENTINEL_MASTER"],
        message: "required with REDIS_SENTINELS: the name the Sentinels monitor the primary by",
      });
    }
    if (env.REDIS_SENTINEL_MASTER && env.REDIS_SENTINELS.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_SENTINELS"],
        message: "REDIS_SENTINEL_MASTER needs REDIS_SENTINELS=host:port,…",
      });
    }
  })
  .transform((env) => ({
    ...env,
    /** null: no Redis given, the service starts and owns a local redis-server. */
    REDIS: redisTarget(env),
    RATE_LIMITS_OFF: env.RATE_LIMITS === "off",
    // RATE_LIMITS=off lifts the caps too (benchmarks and load tests).
    MAX_ENTRIES_PER_DEVICE: env.RATE_LIMITS === "off" ? 0 : env.MAX_ENTRIES_PER_DEVICE,
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
  }));

function redisTarget(env: {
  REDIS_URL?: string;
  REDIS_CLUSTER_NODES: { host: string; port: number }[];
  REDIS_SENTINELS: { host: string; port: number }[];
  REDIS_SENTINEL_MASTER: string;
  REDIS_USERNAME?: string;
  REDIS_PASSWORD?: string;
  REDIS_SENTINEL_PASSWORD?: string;
}): RedisTarget | null {
  const auth = { username: env.REDIS_USERNAME, password: env.REDIS_PASSWORD };
  if (env.REDIS_CLUSTER_NODES.length) {
    return { mode: "cluster", nodes: env.REDIS_CLUSTER_NODES, ...auth };
  }
  if (env.REDIS_SENTINELS.length) {
    return {
      mode: "sentinel",
      sentinels: env.REDIS_SENTINELS,
      masterName: env.REDIS_SENTINEL_MASTER,
      ...auth,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
    };
  }
  return env.REDIS_URL ? { mode: "single", url: env.REDIS_URL } : null;
}

export type Config = Readonly<z.infer<typeof EnvSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parse the environment; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.in.shape).map((k) => [k, env[k]] as const),
  );
  const parsed = EnvSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`),
    );
  }
  return Object.freeze(parsed.data);
}
