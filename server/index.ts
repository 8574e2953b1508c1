/** Boot: config → Redis (owned or given) → createApp → listen; stop everything together. */
import { createApp } from "./app.js";
import { loadConfigOrExit, startOwnedRedisOrExit } from "./boot.js";
import { ensureSetupLink } from "./domain/people.js";
import { log, setLogLevel } from "./log.js";
import type { ManagedRedis } from "./redis-process.js";
import { connectRedis, waitReady } from "./store/redis.js";

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  setLogLevel(config.LOG_LEVEL);

  let managed: ManagedRedis | null = null;
  let url = config.REDIS_URL;
  if (!url) {
    managed = await startOwnedRedisOrExit(config);
    url = managed.url;
    log.info(`started redis-server (pid ${managed.child.pid}), data in ${managed.dir}`);
  }

  const redis = connectRedis({ url, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  await waitReady(redis, 15_000);
  const app = createApp({ config, redis });
  const port = await app.listen();
  log.info(`Jielong listening on http://${config.HOST}:${port} (public URL ${config.PUBLIC_URL})`);

  const setupLink = await ensureSetupLink(app.ctx);
  if (setupLink) {
    process.stdout.write(
      `\nNo community yet. Open this one-time link to create the first community and its coordinator:\n  ${setupLink}\n\n`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await app.close().catch(() => {});
    redis.disconnect();
    await managed?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // If we die any other way, don't leave our redis-server behind.
  process.on("exit", () => managed?.child.kill("SIGTERM"));
}

main().catch((err) => {
  log.error("failed to start", err);
  process.exit(1);
});
