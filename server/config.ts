/** One zod parse of the environment at boot: every problem listed, then a frozen typed object. */
import { z } from "zod";
import { DEFAULT_TIMEZONE } from "../shared/dates.js";
import { TimeZone } from "../shared/schemas.js";

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

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

const EnvSchema = z
  .object({
    HOST: z.string().min(1).default("0.0.0.0"),
    PORT: int(0, 65535, 3000),
    /** When unset, the service starts and owns a local redis-server. */
    REDIS_URL: z
      .url({ protocol: /^(redis|rediss|unix)$/ })
      .optional()
      .or(z.literal("").transform(() => undefined)),
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
    BROADCAST_TICK_MS: int(0, 1000, 0),
    EVENT_LOG_MAX: int(100, 100_000, 2000),
    REDIS_COMMAND_TIMEOUT_MS: int(100, 60_000, 2000),
    CUTOFF_SWEEP_MS: int(100, 600_000, 1000),
    LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
  })
  .transform((env) => ({
    ...env,
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
  }));

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
