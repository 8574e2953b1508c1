import type { Redis } from "ioredis";
import type { Config } from "./config.js";
import type { Keys } from "./store/keys.js";

/** What every use case needs: the config, the Redis connection and the key builder. */
export interface Ctx {
  config: Config;
  redis: Redis;
  keys: Keys;
}
