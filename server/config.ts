/** One zod parse of the environment at boot: every problem listed, then a frozen typed object. */
import { z } from "zod";
import { DEFAULT_TIMEZONE } from "../shared/dates.js";
import { TimeZone } from "../shared/schemas.js";

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

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
    DEFAULT_TIMEZONE: TimeZone.default(DEFAULT_TIMEZONE),
    RETENTION_DAYS: int(1, 3650, 90),
    SESSION_TTL_DAYS: int(1, 365, 30),
    INVITE_TTL_HOURS: int(1, 24 * 30, 72),
    /** Coalesce a chain's broadcasts for this long; 0 flushes once per event-loop turn. */
    BROADCAST_TICK_MS: int(0, 1000, 0),
    EVENT_LOG_MAX: int(100, 100_000, 2000),
    REDIS_COMMAND_TIMEOUT_MS: int(100, 60_000, 2000),
    /** Entries a chain snapshot carries (the latest); older ones are read page by page. */
    SNAPSHOT_ENTRIES: int(20, 5000, 200),
    /** Active entries one device key may hold in one chain (0: no cap). */
    MAX_ENTRIES_PER_DEVICE: int(0, 10_000, 20),
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
