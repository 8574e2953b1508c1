/** Boot: config → Redis (owned or given) → createApp → listen; stop everything together. */
import { networkInterfaces } from "node:os";
import { createApp } from "./app.js";
import {
  connectConfigured,
  loadConfigOrExit,
  noteServiceUrl,
  superviseOwnedRedis,
} from "./boot.js";
import { ensureSetupLink } from "./domain/people.js";
import { log, setLogLevel } from "./log.js";

/** Set once a signal asked us to stop: what fails after that is the shutdown, not the start. */
let stopping = false;
/** Removes the service's address from DATA_DIR (see noteServiceUrl) when it stops. */
let forgetUrl = () => {};

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  setLogLevel(config.LOG_LEVEL);

  const { redis, managed: first } = await connectConfigured(config, { reuseRunning: false });
  const managed = first ? superviseOwnedRedis(config, first) : null;
  if (first) {
    log.info(`started redis-server (pid ${first.child.pid}), data in ${first.dir}`);
  } else {
    log.info(`using Redis in ${config.REDIS?.mode} mode`);
  }
  const app = createApp({ config, redis });

  // Before anything is printed or awaited: a SIGTERM that comes while the setup link is still
  // being made (a supervisor, a test that saw the address) must stop it cleanly, not kill it.
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await app.close().catch(() => {});
    redis.disconnect();
    await managed?.stop();
    forgetUrl();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // If we die any other way, don't leave our redis-server behind.
  process.on("exit", () => managed?.current().child.kill("SIGTERM"));

  const port = await app.listen();
  log.info(`Jielong listening on http://${config.HOST}:${port} (public URL ${config.PUBLIC_URL})`);

  if (!process.env.PUBLIC_URL) {
    process.stdout.write(lanHint(port, config.HOST));
    forgetUrl = noteServiceUrl(config, `http://localhost:${port}`);
  }

  const setupLink = await ensureSetupLink(app.ctx);
  if (setupLink) {
    process.stdout.write(
      `\nNo community yet. Open this one-time link to create the first community and its coordinator:\n  ${setupLink}\n\n`,
    );
  }
}

/**
 * With PUBLIC_URL unset, links point to localhost, which a phone can't open: say which address
 * phones on the same Wi-Fi use, and how to make the printed links use it.
 */
function lanHint(port: number, host: string): string {
  const local = host === "127.0.0.1" || host === "localhost" || host === "::1";
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => `http://${a?.address}:${port}`);
  if (local || lan.length === 0)
    return `\nPUBLIC_URL is not set: links point to http://localhost:${port}, which phones can't open.\n${
      local
        ? `  It listens on ${host} only: set HOST=0.0.0.0 for phones on the same Wi-Fi.\n`
        : "  No LAN address found on this machine.\n"
    }  Set PUBLIC_URL to the address phones use (e.g. PUBLIC_URL=https://your.host).\n\n`;
  return [
    "",
    `PUBLIC_URL is not set. Phones on the same Wi-Fi open: ${lan.join("  ")}`,
    `  Set PUBLIC_URL=${lan[0]} (or your https address) so the links it prints (setup, invites,`,
    "  chains) work on phones too.",
    "",
    "",
  ].join("\n");
}

main().catch((err) => {
  if (stopping) return; // stop() exits when it is done
  log.error("failed to start", err);
  process.exit(1);
});
