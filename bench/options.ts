/**
 * The bench's knobs: a full run's sizes, or `--quick` ones (seconds, not minutes, for CI), with a
 * few BENCH_* overrides from the environment.
 */
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";

export interface BenchOptions {
  quick: boolean;
  /** Also run the join scenario once more with the app's main thread profiled, and summarise it. */
  profile: boolean;
  /** Run bench/web.ts afterwards (bundle sizes, Lighthouse). */
  web: boolean;
  out: string;
  /** Run only these scenarios (`--only app,fanout`); empty: all. */
  only: string[];
  redisBin: string;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  /** Joiners: sockets in all, split over this many generator processes. */
  clients: number;
  joinerProcs: number;
  inflight: number;
  /** P1: watchers on the chain while joining, split over watcherProcs. */
  watchers: number;
  watcherProcs: number;
  /** P2: joins fired at once at an item with `burstStock` units, from burstSockets sockets. */
  burstJoins: number;
  burstStock: number;
  burstSockets: number;
  /** P3: fan-out sizes, the generator processes their watchers are split over, and probes. */
  fanouts: number[];
  fanoutProcs: number;
  fanoutProbes: number;
  fanoutGapMs: number;
  /** P4: entries on the drop point whose pickup list is fetched, and the HTTP load. */
  pickupEntries: number;
  httpConnections: number;
  httpProcs: number;
  /** Pickup codes: joins measured near the `codesLow`-th and `codesHigh`-th entry. */
  codesLow: number;
  codesHigh: number;
  codesSamples: number;
  /** Joins on a chain of their own before timing single joins (JIT warm-up). */
  warmupJoins: number;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max).optional();
const seconds = (min: number, max: number) => z.coerce.number().min(min).max(max).optional();

const BenchEnv = z.object({
  BENCH_SECONDS: seconds(0.5, 600),
  BENCH_WARMUP_SECONDS: seconds(0, 60),
  BENCH_CLIENTS: int(1, 2000),
  BENCH_WATCHERS: int(0, 5000),
  BENCH_TIMEOUT_MS: int(100, 60_000),
  /** How many generator processes share each role (more if one saturates a core). */
  BENCH_JOINER_PROCS: int(1, 16),
  BENCH_WATCHER_PROCS: int(1, 16),
  BENCH_FANOUT_PROCS: int(1, 16),
  BENCH_HTTP_PROCS: int(1, 16),
  BENCH_OUT: z.string().min(1).optional(),
  REDIS_SERVER_BIN: z.string().min(1).default("redis-server"),
});

export const SCENARIOS = ["echo", "app", "redis", "burst", "pickup", "codes", "fanout"] as const;

const USAGE = `usage: npm run bench [-- --quick] [-- --profile] [-- --out FILE] [-- --only A,B] [-- --no-web]
  --quick    small counts (CI): proves the harness works; writes to a temp file, not BENCHMARKS.md
  --profile  also profile the app's main thread (V8 CPU profile) during a join run
  --out      where to write the report (default BENCHMARKS.md; --quick: a file under ${tmpdir()})
  --only     run only these scenarios (${SCENARIOS.join(", ")}); implies --no-web
  --no-web   skip bench/web.ts (bundle sizes, Lighthouse)
environment: BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CLIENTS, BENCH_WATCHERS, BENCH_TIMEOUT_MS,
  BENCH_OUT, BENCH_JOINER_PROCS, BENCH_WATCHER_PROCS, BENCH_FANOUT_PROCS, BENCH_HTTP_PROCS`;

export function loadOptions(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const argAfter = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? (argv[at + 1] ?? "") : undefined;
  };
  const only = (argAfter("--only") ?? "").split(",").filter(Boolean);
  const problems = [
    ...[...flags]
      .filter((f) => !["--quick", "--profile", "--out", "--only", "--no-web"].includes(f))
      .map((f) => `unknown option ${f}`),
    ...only
      .filter((n) => !(SCENARIOS as readonly string[]).includes(n))
      .map((n) => `unknown scenario ${n}`),
    ...(argAfter("--out") === "" ? ["--out needs a file"] : []),
    ...(argAfter("--only") === "" ? ["--only needs scenario names"] : []),
  ];
  if (problems.length) throw new Error(`${problems.join("\n")}\n${USAGE}`);
  const known = Object.fromEntries(
    Object.keys(BenchEnv.shape).map((k) => [k, env[k] === "" ? undefined : env[k]] as const),
  );
  const parsed = BenchEnv.safeParse(known);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid bench settings:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  const quick = flags.has("--quick");
  const base = quick ? QUICK : FULL;
  const out =
    argAfter("--out") ??
    e.BENCH_OUT ??
    (quick ? path.join(tmpdir(), `jielong-bench-quick-${process.pid}.md`) : "BENCHMARKS.md");
  return {
    ...base,
    quick,
    profile: flags.has("--profile"),
    web: !quick && !only.length && !flags.has("--no-web"),
    out,
    only,
    redisBin: e.REDIS_SERVER_BIN,
    warmupMs: e.BENCH_WARMUP_SECONDS !== undefined ? e.BENCH_WARMUP_SECONDS * 1000 : base.warmupMs,
    durationMs: e.BENCH_SECONDS !== undefined ? e.BENCH_SECONDS * 1000 : base.durationMs,
    clients: e.BENCH_CLIENTS ?? base.clients,
    watchers: e.BENCH_WATCHERS ?? base.watchers,
    timeoutMs: e.BENCH_TIMEOUT_MS ?? base.timeoutMs,
    joinerProcs: e.BENCH_JOINER_PROCS ?? base.joinerProcs,
    watcherProcs: e.BENCH_WATCHER_PROCS ?? base.watcherProcs,
    fanoutProcs: e.BENCH_FANOUT_PROCS ?? base.fanoutProcs,
    httpProcs: e.BENCH_HTTP_PROCS ?? base.httpProcs,
  };
}

type Sizes = Omit<BenchOptions, "quick" | "profile" | "web" | "out" | "only" | "redisBin">;

const FULL: Sizes = {
  warmupMs: 1000,
  durationMs: 5000,
  timeoutMs: 5000,
  clients: 50,
  joinerProcs: 2,
  inflight: 1,
  watchers: 100,
  watcherProcs: 2,
  burstJoins: 2000,
  burstStock: 500,
  burstSockets: 200,
  fanouts: [1000, 5000],
  fanoutProcs: 4,
  fanoutProbes: 30,
  fanoutGapMs: 100,
  pickupEntries: 1000,
  httpConnections: 10,
  httpProcs: 2,
  codesLow: 100,
  codesHigh: 10_000,
  codesSamples: 20,
  warmupJoins: 2000,
};

const QUICK: Sizes = {
  warmupMs: 300,
  durationMs: 1000,
  timeoutMs: 5000,
  clients: 10,
  joinerProcs: 2,
  inflight: 1,
  watchers: 10,
  watcherProcs: 2,
  burstJoins: 200,
  burstStock: 50,
  burstSockets: 20,
  fanouts: [50, 100],
  fanoutProcs: 2,
  fanoutProbes: 5,
  fanoutGapMs: 20,
  pickupEntries: 50,
  httpConnections: 4,
  httpProcs: 2,
  codesLow: 20,
  codesHigh: 200,
  codesSamples: 5,
  warmupJoins: 100,
};
