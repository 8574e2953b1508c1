/**
 * `npm run setup-link`: print a fresh one-time setup link (the previous one stops working), for
 * when the one printed at start expired (SETUP_TOKEN_TTL_HOURS) or was lost. Says so, and prints
 * nothing to open, once a community exists. Uses Redis the way `npm run demo` does.
 */
import { connectForScript, scriptConfigOrExit } from "../server/boot.js";
import type { Ctx } from "../server/context.js";
import { ensureSetupLink } from "../server/domain/people.js";
import { makeKeys } from "../server/store/keys.js";

async function main() {
  const config = scriptConfigOrExit();
  const conn = await connectForScript(config);
  try {
    const ctx: Ctx = { config, redis: conn.redis, keys: makeKeys(config.KEY_PREFIX) };
    const link = await ensureSetupLink(ctx);
    if (link) {
      process.stdout.write(
        `Open this one-time link within ${config.SETUP_TOKEN_TTL_HOURS} h to create the first community and its coordinator:\n  ${link}\n`,
      );
    } else {
      process.stdout.write(
        "Setup is already done: a community exists. Coordinators sign in with their links.\n",
      );
      process.exitCode = 2;
    }
  } finally {
    conn.redis.disconnect();
    await conn.managed?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
