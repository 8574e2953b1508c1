/**
 * Start and own a local redis-server: used by `npm start` when REDIS_URL is unset, and by the
 * test and bench setups. It listens on a unix socket in its data directory (TCP off), keeps an
 * append-only file, and stops with its owner.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export class RedisBinaryMissing extends Error {
  constructor(bin: string) {
    super(
      `redis-server not found (looked for "${bin}"): install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379 to use a running Redis.`,
    );
    this.name = "RedisBinaryMissing";
  }
}

export interface ManagedRedis {
  /** ioredis-compatible URL: unix:///…/redis.sock or redis://127.0.0.1:port */
  url: string;
  dir: string;
  /** TCP port (0 on a unix socket). */
  port: number;
  child: ChildProcess;
  /**
   * Graceful stop (SIGTERM: redis flushes the AOF and exits); SIGKILL if it has not exited within
   * `graceMs` (a paused or hung server: what it answered is in the AOF already).
   */
  stop(graceMs?: number): Promise<void>;
  /** Hard kill, for crash tests. */
  kill9(): Promise<void>;
}

export interface StartOptions {
  bin?: string;
  dir: string;
  /** Default true: AOF with appendfsync everysec. */
  appendonly?: boolean;
  /** Use TCP on 127.0.0.1 instead of a unix socket. */
  tcp?: boolean;
  readyTimeoutMs?: number;
  /** More redis-server arguments (the tests run one in cluster mode). */
  extraArgs?: string[];
  /** This TCP port (implies tcp), e.g. to restart a node where it was. */
  port?: number;
}

export async function startRedisServer(opts: StartOptions): Promise<ManagedRedis> {
  const bin = opts.bin ?? "redis-server";
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, "redis.pid");
  await stopStale(pidFile);

  // A unix socket path must fit in sockaddr_un (108 bytes); deep checkouts fall back to TCP.
  const sock = path.join(dir, "redis.sock");
  const useTcp = opts.tcp || opts.port !== undefined || sock.length > 100;
  const port = opts.port ?? (useTcp ? await freePort() : 0);
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    ...(useTcp ? [] : ["--unixsocket", sock, "--unixsocketperm", "700"]),
    "--dir",
    dir,
    "--pidfile",
    pidFile,
    "--appendonly",
    opts.appendonly === false ? "no" : "yes",
    "--appendfsync",
    "everysec",
    // The AOF holds every command (about 1.8 KB per join as written, 0.3 KB once rewritten):
    // rewrite it whenever it has grown by half since the last rewrite, from 32 MB up.
    "--auto-aof-rewrite-percentage",
    "50",
    "--auto-aof-rewrite-min-size",
    "32mb",
    "--save",
    "",
    "--daemonize",
    "no",
    "--logfile",
    "",
    ...(opts.extraArgs ?? []),
  ];
  const child = await spawnUntilReady(
    bin,
    args,
    /ready to accept connections/i,
    opts.readyTimeoutMs,
  );
  const url = useTcp ? `redis://127.0.0.1:${port}` : `unix://${sock}`;
  return managed(child, url, dir, port);
}

export interface ManagedSentinel extends ManagedRedis {
  port: number;
}

/**
 * A Redis Sentinel (redis-server --sentinel) on 127.0.0.1, watching one primary by name, with
 * its own config file (Sentinel rewrites it) in its own directory. Fast timings for tests.
 */
export async function startSentinel(opts: {
  bin?: string;
  dir: string;
  masterName: string;
  masterPort: number;
  quorum: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  port?: number;
}): Promise<ManagedSentinel> {
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const conf = path.join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      "daemonize no",
      `dir ${dir}`,
      `pidfile ${path.join(dir, "redis.pid")}`,
      `sentinel monitor ${opts.masterName} 127.0.0.1 ${opts.masterPort} ${opts.quorum}`,
      `sentinel down-after-milliseconds ${opts.masterName} ${opts.downAfterMs ?? 1000}`,
      `sentinel failover-timeout ${opts.masterName} ${opts.failoverTimeoutMs ?? 5000}`,
      `sentinel parallel-syncs ${opts.masterName} 1`,
      "",
    ].join("\n"),
  );
  const child = await spawnUntilReady(
    opts.bin ?? "redis-server",
    [conf, "--sentinel"],
    /Sentinel ID is|monitor master/i,
    15_000,
  );
  return { ...managed(child, `redis://127.0.0.1:${port}`, dir, port), port };
}

async function spawnUntilReady(
  bin: string,
  args: string[],
  readyPattern: RegExp,
  readyTimeoutMs?: number,
): Promise<ChildProcess> {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${log.slice(-10).join("")}`)),
      readyTimeoutMs ?? 15_000,
    );
    const onData = (b: Buffer) => {
      log.push(b.toString());
      if (log.length > 50) log.shift();
      if (readyPattern.test(b.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === "ENOENT" ? new RedisBinaryMissing(bin) : err);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${log.slice(-10).join("")}`));
    });
  });
  await ready;
  // Keep draining output so the pipe never blocks redis.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** How long a redis-server gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

function managed(child: ChildProcess, url: string, dir: string, port: number): ManagedRedis {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    url,
    dir,
    port,
    child,
    async stop(graceMs = STOP_GRACE_MS) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), graceMs);
      });
      const how = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (how === "late") {
        child.kill("SIGKILL");
        await exited;
      }
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A redis-server left over from an owner that died hard would share our AOF: stop it first. */
async function stopStale(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 1 || !isRedisProcess(pid)) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isRedisProcess(pid: number): boolean {
  try {
    return isAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("redis-server");
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh temporary directory for a throwaway redis-server (tests, bench). */
export function tempRedisDir(label: string): string {
  return path.join(tmpdir(), `jielong-${label}-${process.pid}-${Date.now().toString(36)}`);
}

export interface SupervisedRedis {
  /** The redis-server running now (a restart replaces it). */
  current(): ManagedRedis;
  /** Stop it, and stop starting it again. */
  stop(): Promise<void>;
}

const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A server that ran this long before it died starts the back-off afresh. */
const RESTART_RESET_AFTER_MS = 60_000;

/**
 * Keep an owned redis-server running: when it exits unasked (killed, crashed, out of memory),
 * say so and start it again on the same data directory and address, after a pause that doubles
 * up to 30 s. The app's connection reconnects by itself; until then it answers `unavailable`.
 * Redis writes the AOF before it replies, so a restart keeps every write that was answered.
 */
export function superviseRedis(
  first: ManagedRedis,
  restart: () => Promise<ManagedRedis>,
  say: { info(msg: string): void; error(msg: string): void },
): SupervisedRedis {
  let current = first;
  let stopping = false;
  let delay = RESTART_FIRST_MS;
  let timer: NodeJS.Timeout | undefined;
  /** A restart under way: stop() waits for it and stops what it started. */
  let restarting: Promise<void> = Promise.resolve();
  const later = (what: string) => {
    const wait = delay;
    delay = Math.min(delay * 2, RESTART_MAX_MS);
    say.error(`${what}; starting it again in ${wait} ms`);
    timer = setTimeout(() => {
      restarting = again();
    }, wait);
  };
  const again = async () => {
    if (stopping) return;
    try {
      const m = await restart();
      if (stopping) return void (await m.stop());
      current = m;
      say.info(`redis-server started again (pid ${m.child.pid}), data in ${m.dir}`);
      watch(m);
    } catch (err) {
      later(`redis-server could not be started again: ${(err as Error).message}`);
    }
  };
  const watch = (m: ManagedRedis) => {
    const startedAt = Date.now();
    m.child.once("exit", (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt >= RESTART_RESET_AFTER_MS) delay = RESTART_FIRST_MS;
      later(`redis-server (pid ${m.child.pid}) exited (${signal ?? `code ${code}`})`);
    });
  };
  watch(first);
  return {
    current: () => current,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await restarting;
      await current.stop();
    },
  };
}
