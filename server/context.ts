import type { Config } from "./config.js";
import type { Keys } from "./store/keys.js";
import type { StoreConnection } from "./store/redis.js";

/** What every use case needs: the config, the Redis connection and the key builder. */
export interface Ctx {
  config: Config;
  redis: StoreConnection;
  keys: Keys;
}
