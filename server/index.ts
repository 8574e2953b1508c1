/** Boot: config → Redis (owned or given) → createApp → listen; stop everything together. */
import { createApp } from "./app.js";
import { connectConfigured, loadConfigOrExit } from "./boot.js";
import { ensureSetupLink } from "./domain/people.js";
import { log, setLogLevel } from "./log.js";

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  setLogLevel(config.LOG_LEVEL);

  const { redis, managed } = await connectConfigured(config, { reuseRunning: false });
  if (managed) {
    log.info(`started redis-server (pid ${managed.child.pid}), data in ${managed.dir}`);
  } else {
    log.info(`using Redis in ${config.REDIS?.mode} mode`);
  }
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
