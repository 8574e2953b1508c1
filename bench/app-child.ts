/**
 * The app under test, alone in its own process so its CPU is its own. Boots as server/index.ts
 * does (config from the environment the bench gives it → Redis → createApp → listen) and says
 * hello with its port and the one-time setup link; after that the bench reaches it only through
 * HTTP and Socket.IO, like any client. Started with --expose-gc so `heap` can collect first;
 * `profileStart`/`profileStop` record a V8 CPU profile of the main thread over just the window
 * the bench asks for (the same data as node --cpu-prof, without the boot); `timelineStart`/
 * `timelineStop` record the steps of the commands meanwhile (bench/timeline.ts).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createApp } from "../server/app.js";
import { loadConfig } from "../server/config.js";
import { ensureSetupLink } from "../server/domain/people.js";
import { connectRedis, waitReady } from "../server/store/redis.js";
import { exitSoon, heapAfterGc, serve } from "./ipc.js";
import { TimelineRecorder } from "./timeline.js";

export interface AppHello {
  port: number;
  setupLink: string | null;
}

const config = loadConfig();
if (!config.REDIS) throw new Error("the bench gives the app a REDIS_URL (or cluster nodes)");
const redis = connectRedis({
  target: config.REDIS,
  commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
});
await waitReady(redis, 15_000);
const app = createApp({ config, redis });
const port = await app.listen(0, "127.0.0.1");
const setupLink = await ensureSetupLink(app.ctx);

let inspector: Session | null = null;
const timeline = new TimelineRecorder();

serve(
  {
    heap: heapAfterGc,
    profileStart: async (intervalUs: number) => {
      inspector = new Session();
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.setSamplingInterval", { interval: intervalUs });
      await inspector.post("Profiler.start");
      return null;
    },
    profileStop: async (file: string) => {
      if (!inspector) throw new Error("no profile running");
      const { profile } = await inspector.post("Profiler.stop");
      inspector.disconnect();
      inspector = null;
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
    timelineStart: () => {
      timeline.start();
      return null;
    },
    timelineStop: () => timeline.stop(),
    close: exitSoon(async () => {
      await app.close();
      redis.disconnect();
    }),
  },
  { port, setupLink } satisfies AppHello,
);
