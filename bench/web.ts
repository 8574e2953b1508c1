/**
 * `npm run bench:web` (also part of `npm run bench`): the web app's weight and Lighthouse scores.
 * - Transfer size of the resident page's JS + CSS, gzipped as the server sends it (budget 60 KB).
 * - Lighthouse (mobile, simulated slow 4G, Debian's Chromium) for the resident and grower pages,
 *   run against `npm start` with the demo data, each page 3 times (median).
 * Writes its section of BENCHMARKS.md.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { writeSection } from "./sections.js";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist/client");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const BUDGET_KB = 60;

const gz = (file: string) => gzipSync(readFileSync(file)).length;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The files index.html loads up front: the resident page's whole download before data. */
function pageWeight() {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] ?? "",
  );
  const files = refs.map((ref) => ({
    ref,
    raw: statSync(path.join(dist, ref)).size,
    gzip: gz(path.join(dist, ref)),
  }));
  const lazy = readdirSync(path.join(dist, "assets"))
    .filter((f) => !refs.includes(`assets/${f}`))
    .map((f) => ({
      ref: `assets/${f}`,
      raw: statSync(path.join(dist, "assets", f)).size,
      gzip: gz(path.join(dist, "assets", f)),
    }));
  return { files, lazy, html: gz(path.join(dist, "index.html")) };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startService(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (b) => {
    out += b;
  });
  child.stderr?.on("data", (b) => {
    out += b;
  });
  for (let i = 0; i < 300 && !/listening on/.test(out); i++) {
    if (child.exitCode !== null) throw new Error(`service exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!/listening on/.test(out)) {
    // Don't leave it (and its redis-server) behind.
    child.kill("SIGTERM");
    throw new Error(`service did not start:\n${out}`);
  }
  return child;
}

interface Scores {
  performance: number;
  accessibility: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
}

async function audit(url: string, cookie?: string): Promise<Scores[]> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const runs: Scores[] = [];
    for (let i = 0; i < RUNS; i++) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
        ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
      });
      const lhr = result?.lhr;
      if (!lhr) throw new Error(`no Lighthouse result for ${url}`);
      const audits = lhr.audits;
      runs.push({
        performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
        accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
        fcpMs: Math.round(audits["first-contentful-paint"]?.numericValue ?? 0),
        lcpMs: Math.round(audits["largest-contentful-paint"]?.numericValue ?? 0),
        tbtMs: Math.round(audits["total-blocking-time"]?.numericValue ?? 0),
      });
    }
    return runs;
  } finally {
    chrome.kill();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main() {
  execFileSync(process.execPath, [path.join(root, "scripts/build-client-if-stale.mjs")], {
    stdio: "inherit",
  });
  const weight = pageWeight();
  const total = weight.files.reduce((s, f) => s + f.gzip, 0);
  process.stdout.write(`resident page JS+CSS gzipped: ${kb(total)} KB (budget ${BUDGET_KB} KB)\n`);

  const dataDir = mkdtempSync(path.join(tmpdir(), "jl-bench-web-"));
  const port = await freePort();
  const env = {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "info",
  };
  const service = await startService(env);
  try {
    const demo = JSON.parse(
      execFileSync(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--json"], {
        cwd: root,
        env: { ...process.env, ...env },
      }).toString(),
    ) as { urls: { chain: string; grower: string }; credentials: { grower: { token: string } } };
    const pages = [
      { name: "Resident chain page (/c/…)", url: demo.urls.chain, cookie: undefined },
      {
        name: "Grower page (/g)",
        url: demo.urls.grower,
        cookie: `jl_session=${demo.credentials.grower.token}`,
      },
    ];
    const rows: string[] = [];
    for (const p of pages) {
      process.stdout.write(`Lighthouse ${p.name} × ${RUNS}…\n`);
      const runs = await audit(p.url, p.cookie);
      const m = (k: keyof Scores) => median(runs.map((r) => r[k]));
      rows.push(
        `| ${p.name} | ${m("performance")} | ${m("accessibility")} | ${m("fcpMs")} | ${m("lcpMs")} | ${m("tbtMs")} | ${runs.map((r) => r.performance).join(", ")} |`,
      );
      process.stdout.write(
        `  performance ${m("performance")}, accessibility ${m("accessibility")}\n`,
      );
    }
    const lighthouseVersion = JSON.parse(
      readFileSync(path.join(root, "node_modules/lighthouse/package.json"), "utf8"),
    ).version as string;
    const chromium = execFileSync(CHROMIUM, ["--version"]).toString().trim();
    const md = `## Web app: weight and Lighthouse

Measured by \`npm run bench:web\` (part of \`npm run bench\`) on ${new Date().toISOString()}: ${chromium}, Lighthouse ${lighthouseVersion}, mobile form factor with simulated throttling (slow 4G, 4× CPU slowdown), against \`npm start\` with \`npm run demo\` data. Targets: resident page ≤ ${BUDGET_KB} KB, scores ≥ 95. Measured, not asserted.

### Transfer size of the resident page (JS + CSS, gzipped)

| File | raw | gzipped |
| --- | --- | --- |
${weight.files.map((f) => `| ${f.ref} | ${kb(f.raw)} KB | ${kb(f.gzip)} KB |`).join("\n")}
| **Total** | | **${kb(total)} KB** (budget ${BUDGET_KB} KB${total > BUDGET_KB * 1024 ? ", OVER" : ""}) |

index.html itself is ${kb(weight.html)} KB gzipped. Loaded only by the pages that need them: ${weight.lazy.map((f) => `${f.ref.replace(/^assets\//, "")} ${kb(f.gzip)} KB`).join(", ")}.

### Lighthouse (median of ${RUNS} runs)

| Page | Performance | Accessibility | FCP ms | LCP ms | TBT ms | performance per run |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
    writeSection(path.join(root, "BENCHMARKS.md"), "web", md);
    process.stdout.write("Wrote the web section of BENCHMARKS.md\n");
  } finally {
    service.kill("SIGTERM");
    await new Promise((r) => service.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:web failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
