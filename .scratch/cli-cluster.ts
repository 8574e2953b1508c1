import { execFileSync, spawn } from "node:child_process";
import { startCluster } from "../tests/helpers/redis-topologies.js";

const c = await startCluster("cli");
const env = { ...process.env, REDIS_CLUSTER_NODES: c.seeds, KEY_PREFIX: "cli", DATA_DIR: "/tmp/jl-cli-data" };
try {
  console.log("setup-link:", execFileSync("npx", ["tsx", "scripts/setup-link.ts"], { env }).toString().trim());
  const demo = JSON.parse(execFileSync("npx", ["tsx", "scripts/demo.ts", "--json"], { env }).toString());
  console.log("demo community:", demo.community);
  console.log("setup-link after demo:", (() => { try { return execFileSync("npx", ["tsx", "scripts/setup-link.ts"], { env }).toString(); } catch (e) { return `exit ${(e as { status: number }).status}: ${(e as { stdout: Buffer }).stdout}`; } })().trim());
  const app = spawn("npx", ["tsx", "server/index.ts"], { env: { ...env, PORT: "39117", HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "pipe"] });
  app.stderr.on("data", (b) => process.stdout.write(`[app] ${b}`));
  for (let i = 0; i < 100; i++) {
    const r = await fetch("http://127.0.0.1:39117/api/health").catch(() => null);
    if (r) { console.log("health", r.status, await r.text()); break; }
    await new Promise((res) => setTimeout(res, 200));
  }
  const chain = await fetch(`http://127.0.0.1:39117/api/chains/${demo.chainId}`);
  console.log("chain", chain.status);
  app.kill("SIGTERM");
  await new Promise((r) => app.once("exit", r));
} finally {
  await c.stop();
}
