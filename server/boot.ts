/** Start-up steps shared by the service (index.ts) and the command-line scripts. */
import path from "node:path";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type ManagedRedis, RedisBinaryMissing, startRedisServer } from "./redis-process.js";

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
