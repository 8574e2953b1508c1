/**
 * Everything a scenario starts is registered here and stopped in reverse order, even when the
 * scenario fails. redis-servers are also killed if the bench process exits some other way.
 */
import { rmSync } from "node:fs";
import { type ManagedRedis, tempRedisDir } from "../server/redis-process.js";

interface Entry {
  label: string;
  stop: () => Promise<void>;
}

const liveRedis = new Set<ManagedRedis>();
const liveDirs = new Set<string>();
process.on("exit", () => {
  for (const r of liveRedis) r.child.kill("SIGTERM");
  for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
});

export class Resources {
  private readonly stack: Entry[] = [];

  add(label: string, stop: () => Promise<void>): void {
    this.stack.push({ label, stop });
  }

  /** A fresh temporary directory, removed when this scope closes. */
  tempDir(label: string): string {
    const dir = tempRedisDir(label);
    liveDirs.add(dir);
    this.add(`temp dir ${dir}`, async () => {
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    });
    return dir;
  }

  /** Start a redis-server and stop it (SIGTERM, then wait for exit) when this scope closes. */
  async redisServer(start: () => Promise<ManagedRedis>): Promise<ManagedRedis> {
    const managed = await start();
    liveRedis.add(managed);
    this.add(`redis-server pid ${managed.child.pid}`, async () => {
      await withTimeout(managed.stop(), 10_000).catch(() => managed.kill9());
      liveRedis.delete(managed);
    });
    return managed;
  }

  /** Stop everything, newest first; returns what failed to stop (and why). */
  async closeAll(): Promise<string[]> {
    const problems: string[] = [];
    for (let e = this.stack.pop(); e; e = this.stack.pop()) {
      try {
        await withTimeout(e.stop(), 15_000);
      } catch (err) {
        problems.push(`${e.label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return problems;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
