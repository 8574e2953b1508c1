/** Start-up steps shared by the service (index.ts) and the command-line scripts. */
import { existsSync } from "node:fs";
import path from "node:path";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type ManagedRedis, RedisBinaryMissing, startRedisServer } from "./redis-process.js";
import { connectRedis, waitReady } from "./store/redis.js";

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

/** Start the owned redis-server under DATA_DIR, or print how to get one and exit 1. */
export async function startOwnedRedisOrExit(config: Config): Promise<ManagedRedis> {
  try {
    return await startRedisServer({ bin: config.REDIS_SERVER_BIN, dir: ownedRedisDir(config) });
  } catch (err) {
    if (err instanceof RedisBinaryMissing) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * For the command-line scripts: REDIS_URL, or the running service's own redis-server under
 * DATA_DIR, or that redis-server started for the moment it is needed (stop `managed` after).
 */
export async function connectForScript(config: Config) {
  let managed: ManagedRedis | null = null;
  let url = config.REDIS_URL;
  const sock = path.resolve(ownedRedisDir(config), "redis.sock");
  if (!url && existsSync(sock)) {
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
  const redis = connectRedis({ url, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  await waitReady(redis);
  return { redis, managed };
}
