/** Start-up steps shared by the service (index.ts) and the command-line scripts. */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { log } from "./log.js";
import {
  type ManagedRedis,
  RedisBinaryMissing,
  type SupervisedRedis,
  startRedisServer,
  superviseRedis,
} from "./redis-process.js";
import { connectRedis, type StoreConnection, waitReady } from "./store/redis.js";

/** Parse the environment, or print every problem and exit 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

export const ownedRedisDir = (config: Config) => path.join(config.DATA_DIR, "redis");

/**
 * The running service's own address, kept under DATA_DIR while it runs (PUBLIC_URL unset), so the
 * scripts' links (npm run demo, npm run setup-link) open it whatever PORT it was started with.
 */
const serviceUrlFile = (config: Config) => path.join(config.DATA_DIR, "service-url");

export function noteServiceUrl(config: Config, url: string): () => void {
  const file = serviceUrlFile(config);
  try {
    writeFileSync(file, `${url}\n`);
  } catch {
    return () => {};
  }
  return () => rmSync(file, { force: true });
}

/** loadConfigOrExit for a script: without PUBLIC_URL, links use the running service's address. */
export function scriptConfigOrExit(): Config {
  const config = loadConfigOrExit();
  if (process.env.PUBLIC_URL) return config;
  try {
    const url = readFileSync(serviceUrlFile(config), "utf8").trim();
    return /^https?:\/\/\S+$/.test(url) ? { ...config, PUBLIC_URL: url } : config;
  } catch {
    return config;
  }
}

/** Start the owned redis-server under DATA_DIR, or print how to get one and exit 1. */
export async function startOwnedRedisOrExit(config: Config): Promise<ManagedRedis> {
  try {
    return await startOwnedRedis(config);
  } catch (err) {
    if (err instanceof RedisBinaryMissing) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** The owned redis-server under DATA_DIR; `port`: where an earlier one listened (TCP fallback). */
function startOwnedRedis(config: Config, port?: number): Promise<ManagedRedis> {
  return startRedisServer({
    bin: config.REDIS_SERVER_BIN,
    dir: ownedRedisDir(config),
    ...(port ? { port } : {}),
  });
}

/** For the service: the owned redis-server, started again whenever it dies (redis-process.ts). */
export function superviseOwnedRedis(config: Config, first: ManagedRedis): SupervisedRedis {
  return superviseRedis(first, () => startOwnedRedis(config, first.port), {
    info: (m) => log.info(m),
    error: (m) => log.error(m),
  });
}

/**
 * For the service and the command-line scripts: the Redis the config names (REDIS_URL,
 * REDIS_CLUSTER_NODES or REDIS_SENTINELS), or else the service's own redis-server under DATA_DIR
 * — the running one when `reuseRunning` and it answers, or one started now (stop `managed`
 * with the caller).
 */
export async function connectConfigured(
  config: Config,
  opts: { reuseRunning: boolean; readyTimeoutMs?: number },
): Promise<{ redis: StoreConnection; managed: ManagedRedis | null }> {
  const commandTimeoutMs = config.REDIS_COMMAND_TIMEOUT_MS;
  if (config.REDIS) {
    const redis = connectRedis({ target: config.REDIS, commandTimeoutMs });
    await waitReady(redis, opts.readyTimeoutMs ?? 15_000);
    return { redis, managed: null };
  }
  let managed: ManagedRedis | null = null;
  let url: string | undefined;
  const sock = path.resolve(ownedRedisDir(config), "redis.sock");
  if (opts.reuseRunning && existsSync(sock)) {
    // The service may be running: use its redis-server if it answers.
    const probe = connectRedis({ url: `unix://${sock}`, commandTimeoutMs: 1000 });
    const answers = await waitReady(probe, 1500).then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (answers) url = `unix://${sock}`;
  }
  if (!url) {
    managed = await startOwnedRedisOrExit(config);
    url = managed.url;
  }
  const redis = connectRedis({ url, commandTimeoutMs });
  await waitReady(redis, opts.readyTimeoutMs ?? 15_000);
  return { redis, managed };
}

/** For the command-line scripts: as the service connects, reusing its redis-server if running. */
export function connectForScript(config: Config) {
  return connectConfigured(config, { reuseRunning: true });
}
