/**
 * deploy/nginx.conf in front of two app nodes: Socket.IO's long-polling works through it (its
 * requests stick to the node that holds the session), the upgrade to WebSocket works, the API
 * and health answer. The same two nodes behind a round-robin upstream show why: long-polling
 * fails there ("Session ID unknown", a 400 from the other node). Needs nginx on the PATH or in
 * /usr/sbin (Debian: apt-get install nginx-light); without it these tests are skipped, because
 * there is nothing to test the config with.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  type ManagedRedis,
  startRedisServer,
  tempRedisDir,
} from "../../server/redis-process.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events.js";
import {
  deviceKey,
  makeWorld,
  postChain,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

let redis: ManagedRedis;
let apps: TestApp[] = [];
let w: World;
let dir: string;
let nginx: ChildProcess | null = null;
let sticky: string;
let roundRobin: string;

/** deploy/nginx.conf with our ports, plus a round-robin twin of it on another port. */
function config(appPorts: number[], port: number, rrPort: number): string {
  let conf = readFileSync(new URL("../../deploy/nginx.conf", import.meta.url), "utf8");
  conf = conf.replaceAll("127.0.0.1:3001", `127.0.0.1:${appPorts[0]}`);
  conf = conf.replaceAll("127.0.0.1:3002", `127.0.0.1:${appPorts[1]}`);
  conf = conf.replace("listen 8080;", `listen 127.0.0.1:${port};`);
  // The twin: the same server, /socket.io/ spread round-robin.
  const twin = conf
    .slice(conf.indexOf("server {"))
    .replace(`listen 127.0.0.1:${port};`, `listen 127.0.0.1:${rrPort};`)
    .replace("proxy_pass http://jielong_socket;", "proxy_pass http://jielong_rr;");
  const rr = `upstream jielong_rr {\n${appPorts.map((p) => `    server 127.0.0.1:${p};`).join("\n")}\n}\n`;
  return [
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
    "events { worker_connections 256; }",
    "http {",
    `  access_log ${dir}/access.log;`,
    `  client_body_temp_path ${dir}/body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    conf,
    rr,
    twin,
    "}",
  ].join("\n");
}

beforeAll(async () => {
  if (!NGINX) return;
  const rdir = tempRedisDir("nginx-redis");
  redis = await startRedisServer({ dir: rdir, appendonly: false });
  const keyPrefix = `t${Date.now().toString(36)}`;
  for (let i = 0; i < 2; i++) {
    apps.push(await startTestApp({ redisUrl: redis.url, keyPrefix, env: { TRUST_PROXY: "1" } }));
  }
  w = await makeWorld(apps[0] as TestApp);
  dir = tempRedisDir("nginx");
  mkdirSync(dir, { recursive: true });
  const ports = apps.map((a) => Number(new URL(a.baseUrl).port));
  const port = await freePort();
  const rrPort = await freePort();
  writeFileSync(path.join(dir, "nginx.conf"), config(ports, port, rrPort));
  nginx = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  sticky = `http://127.0.0.1:${port}`;
  roundRobin = `http://127.0.0.1:${rrPort}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${sticky}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 100)
      throw new Error(`nginx did not start: ${readFileSync(path.join(dir, "error.log"), "utf8")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  if (nginx?.pid && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx?.once("exit", r));
    process.kill(nginx.pid, "SIGTERM");
    await exited;
  }
  for (const a of apps) await a.close();
  apps = [];
  await redis?.stop();
  if (redis) rmSync(redis.dir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function socketVia(base: string, transports: ("polling" | "websocket")[]): Client {
  return connect(base, {
    auth: { deviceKey: deviceKey() },
    transports,
    upgrade: transports.length > 1,
    forceNew: true,
    reconnection: false,
  });
}

/** Several polled round trips: each one must reach the node holding the session. */
async function pollRoundTrips(s: Client, chainId: string, n: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  let okCount = 0;
  for (let i = 0; i < n; i++) {
    const reply = await s
      .timeout(3000)
      .emitWithAck("chain:watch", { chainId })
      .catch(() => null);
    if (!reply?.ok) break;
    okCount++;
  }
  return okCount;
}

describe.skipIf(!NGINX)("deploy/nginx.conf in front of two app nodes", () => {
  it("answers the API and health through either upstream", async () => {
    const health = await fetch(`${sticky}/api/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe("ok");
  });

  it("long-polling works through it (sticky), and so does the upgrade to WebSocket", async () => {
    const chain = await postChain(apps[0] as TestApp, w);
    const polling = socketVia(sticky, ["polling"]);
    expect(await pollRoundTrips(polling, chain.id, 20)).toBe(20);
    polling.disconnect();

    const upgrading = socketVia(sticky, ["polling", "websocket"]);
    expect(await pollRoundTrips(upgrading, chain.id, 3)).toBe(3);
    await new Promise<void>((resolve) => {
      if (upgrading.io.engine.transport.name === "websocket") resolve();
      else upgrading.io.engine.once("upgrade", () => resolve());
    });
    expect(upgrading.io.engine.transport.name).toBe("websocket");
    upgrading.disconnect();
  });

  it("without stickiness, the same long-polling breaks: why /socket.io/ is sticky", async () => {
    const chain = await postChain(apps[0] as TestApp, w);
    const polling = socketVia(roundRobin, ["polling"]);
    const closed = new Promise<string>((resolve) => polling.on("disconnect", (r) => resolve(r)));
    const failed = await Promise.race([
      pollRoundTrips(polling, chain.id, 20).then((n) => n < 20),
      closed.then(() => true),
      new Promise<never>((_, reject) => polling.once("connect_error", reject)),
    ]).catch(() => true);
    expect(failed).toBe(true);
    polling.disconnect();
  });
});
