/**
 * One real redis-server for the whole run, on its own unix socket with its own data directory.
 * Each test app uses a fresh key prefix on it. Tests that kill or stop Redis start their own.
 */
import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { startRedisServer, tempRedisDir } from "../../server/redis-process.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = tempRedisDir("test");
  const redis = await startRedisServer({ dir, appendonly: false });
  project.provide("redisUrl", redis.url);
  return async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
