/**
 * `npm run bench [-- --quick] [-- --profile]`: every scenario in one run, each beside its ceiling,
 * with the app, the ceilings, the load generators and redis-server each in a process of its own
 * and every process's CPU reported. Writes the realtime section of BENCHMARKS.md (--quick: a
 * temp file, and stdout), then runs bench/web.ts unless --quick or --no-web.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeMachine, loadAverage } from "./machine.js";
import { loadOptions, type SCENARIOS } from "./options.js";
import { markdownReport, type Outcome, type Report } from "./report.js";
import { Resources } from "./resources.js";
import {
  appBurst,
  appLoad,
  type CpuLog,
  type Ctx,
  echoCeiling,
  fanout,
  pickupCodes,
  pickupList,
  profileJoins,
  redisCeiling,
} from "./scenarios.js";
import { writeSection } from "./sections.js";
import { Generators } from "./stage.js";

const say = (msg: string) => process.stdout.write(`${msg}\n`);

let opts: ReturnType<typeof loadOptions>;
try {
  opts = loadOptions();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}

let current: Resources | null = null;
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping what the bench started…\n`);
    void (current?.closeAll() ?? Promise.resolve([])).finally(() => process.exit(130));
  });
}

const cpuLog: CpuLog = [];
const NOT_RUN = "not run (--only)";
let gens: Generators;

/** One scenario in its own scope: whatever it started is stopped before the next begins. */
async function phase<T>(
  key: (typeof SCENARIOS)[number] | "profile",
  name: string,
  body: (ctx: Ctx) => Promise<T>,
): Promise<Outcome<T>> {
  if (interrupted) return { ok: false, error: "interrupted" };
  if (opts.only.length && key !== "profile" && !opts.only.includes(key)) {
    return { ok: false, error: NOT_RUN };
  }
  say(`▶ ${name}`);
  const started = performance.now();
  const res = new Resources();
  current = res;
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: await body({ o: opts, res, gens, cpuLog, say }) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    say(`  ! failed: ${message}`);
    outcome = { ok: false, error: message };
  }
  const problems: string[] = [];
  await gens.reset().catch((err) => problems.push(`generator sockets: ${String(err)}`));
  problems.push(...(await res.closeAll()));
  current = null;
  for (const p of problems) say(`  ! cleanup: ${p}`);
  say(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return outcome;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = describeMachine(opts.redisBin);
  const loadStart = loadAverage();
  say(
    `Jielong bench${opts.quick ? " (quick)" : ""} — ${machine.cpuModel} × ${machine.cpus}, node ${machine.node}; load average ${loadStart}`,
  );

  // The load generators live through the whole run; every scenario borrows some of them.
  const poolSize = Math.max(
    opts.joinerProcs + opts.watcherProcs,
    1 + opts.fanoutProcs,
    opts.httpProcs,
  );
  gens = await Generators.start(poolSize);
  const echo = await phase("echo", "P1/P2 ceiling: bare Socket.IO echo", echoCeiling);
  const app = await phase(
    "app",
    "App: entry:join without and with watchers, memory per entry",
    appLoad,
  );
  const redis = await phase("redis", "Redis ceiling: 3-call Lua script", redisCeiling);
  const burst = await phase(
    "burst",
    `P2: ${opts.burstJoins} joins at once on ${opts.burstStock} units`,
    appBurst,
  );
  const pickup = await phase(
    "pickup",
    "P4: pickup list over HTTP vs Express hello-world",
    pickupList,
  );
  const codes = await phase(
    "codes",
    `Pickup codes near entry ${opts.codesLow} and ${opts.codesHigh}`,
    pickupCodes,
  );
  const fan = await phase(
    "fanout",
    "P3: fan-out and heap per watcher, app vs bare Socket.IO",
    fanout,
  );
  let profile: Report["profile"] = null;
  if (opts.profile) {
    const dir = path.join(tmpdir(), `jielong-cpu-prof-${Date.now().toString(36)}`);
    mkdirSync(dir, { recursive: true });
    profile = await phase(
      "profile",
      `Profile: the join loop with the app's main thread profiled (${dir})`,
      (ctx) => profileJoins(ctx, dir),
    );
  }

  await gens.close();

  const report: Report = {
    startedAt,
    finishedAt: new Date(),
    machine,
    opts,
    loadStart,
    loadEnd: loadAverage(),
    echo,
    app,
    redis,
    burst,
    pickup,
    codes,
    fanout: fan,
    profile,
    cpuLog,
  };
  if (interrupted) return;
  const markdown = markdownReport(report);
  const out = path.resolve(opts.out);
  if (opts.quick) {
    say(`\n${markdown}`);
    writeFileSync(out, markdown);
  } else {
    writeSection(out, "realtime", markdown);
  }
  say(`Wrote ${out} (${Math.round((Date.now() - startedAt.getTime()) / 1000)} s)`);
  const failed = [
    echo,
    app,
    redis,
    burst,
    pickup,
    codes,
    fan,
    ...(profile ? [profile] : []),
  ].filter((o) => !o.ok && o.error !== NOT_RUN);
  if (failed.length) process.exitCode = 1;

  if (opts.web && !interrupted) {
    const web = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "web.ts")],
      { stdio: "inherit" },
    );
    if (web.status !== 0) process.exitCode = 1;
  }
}

main()
  .catch((err) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => {
    // Everything has been stopped; if something still holds the loop open, say what and stop.
    const watchdog = setTimeout(() => {
      process.stderr.write(
        `bench: still running 5 s after finishing; open resources: ${process.getActiveResourcesInfo().join(", ")}\n`,
      );
      process.exit(1);
    }, 5000);
    watchdog.unref();
  });
