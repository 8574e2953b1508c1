/** The run as Markdown: the summary table against the ceilings, the details, every process's CPU. */
import type { CpuWindow } from "./cpu.js";
import type { LoopResult } from "./loop.js";
import type { Machine } from "./machine.js";
import type { BenchOptions } from "./options.js";
import {
  type AppBurstResult,
  type AppLoadResult,
  type CodesResult,
  type CpuLog,
  type EchoResult,
  type FanoutResult,
  type PickupResult,
  PROFILE_INTERVAL_US,
  type ProfileResult,
  type RedisCeilingResult,
} from "./scenarios.js";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface Report {
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  opts: BenchOptions;
  loadStart: string;
  loadEnd: string;
  echo: Outcome<EchoResult>;
  app: Outcome<AppLoadResult>;
  redis: Outcome<RedisCeilingResult>;
  burst: Outcome<AppBurstResult>;
  pickup: Outcome<PickupResult>;
  codes: Outcome<CodesResult>;
  fanout: Outcome<FanoutResult>;
  profile: Outcome<ProfileResult> | null;
  cpuLog: CpuLog;
}

const fin = (n: number) => Number.isFinite(n);
const int = (n: number) => (fin(n) ? Math.round(n).toLocaleString("en-US") : "–");
const ms = (n: number) => (fin(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : "–");
const us = (n: number) => (fin(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toString()) : "–");
const x = (a: number, b: number, digits = 2) =>
  fin(a) && fin(b) && b > 0 ? (a / b).toFixed(digits) : "–";
const bytes = (n: number) => (fin(n) ? `${Math.round(n).toLocaleString("en-US")} B` : "–");

/** A Markdown table with padded columns (the layout Biome's Markdown formatter keeps). */
function table(head: string[], rows: string[][]): string {
  const len = (s: string) => [...s].length;
  const widths = head.map((h, i) => Math.max(3, len(h), ...rows.map((r) => len(r[i] ?? ""))));
  const line = (cells: string[]) =>
    `| ${widths.map((w, i) => `${cells[i] ?? ""}${" ".repeat(w - len(cells[i] ?? ""))}`).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const failed = (o: Outcome<unknown>) =>
  o.ok ? "" : `failed: ${o.error.split("\n")[0]?.replace(/\|/g, "/")}`;

const errorsOf = (r: LoopResult) =>
  r.totalErrors === 0
    ? "0"
    : `${r.totalErrors} (${Object.entries(r.errors)
        .map(([code, n]) => `${code}×${n}`)
        .join(", ")})`;

// ---- the summary -------------------------------------------------------------------------------

interface Row {
  scenario: string;
  before: string;
  now: string;
  ceiling: string;
  ratio: string;
  target: string;
}

function summaryRows(r: Report): Row[] {
  const rows: Row[] = [];
  const echo = r.echo.ok ? r.echo.value : null;
  const app = r.app.ok ? r.app.value : null;

  {
    const joins = app?.withWatchers.loop.opsPerSec ?? Number.NaN;
    const e = echo?.loop.opsPerSec ?? Number.NaN;
    rows.push({
      scenario: `P1 joins/s with ${r.opts.watchers} watchers vs echo`,
      before: "0.10–0.13",
      now: app ? `${int(joins)} joins/s` : failed(r.app),
      ceiling: echo ? `${int(e)} echoes/s` : failed(r.echo),
      ratio: x(joins, e, 3),
      target: "≥ 0.30",
    });
  }
  {
    const a = app?.noWatchers;
    rows.push({
      scenario: "app CPU µs per join (no watchers)",
      before: "241 µs (echo 33 µs)",
      now: a
        ? `${us(a.usPerJoinMain)} µs main thread (${us(a.usPerJoinProcess)} µs whole process)`
        : failed(r.app),
      ceiling: echo
        ? `echo ${us(echo.usPerMsgMain)} µs (${us(echo.usPerMsgProcess)} µs)`
        : failed(r.echo),
      ratio: `${x(a?.usPerJoinMain ?? Number.NaN, echo?.usPerMsgMain ?? Number.NaN)}×`,
      target: "≤ 80 µs",
    });
  }
  {
    const s = app?.noWatchers.script;
    const c = r.redis.ok ? r.redis.value : null;
    rows.push({
      scenario: "Redis µs per join script",
      before: "~80 µs",
      now: s
        ? `${us(s.usPerCall)} µs per call, ${s.callsPerJoin.toFixed(2)} calls per join (redis-server CPU ${us(app?.noWatchers.redisUsPerJoin ?? Number.NaN)} µs per join)`
        : failed(r.app),
      ceiling: c ? `3-call Lua ${us(c.usPerCall)} µs` : failed(r.redis),
      ratio: `${x(s?.usPerCall ?? Number.NaN, c?.usPerCall ?? Number.NaN)}×`,
      target: "≤ 40 µs",
    });
  }
  {
    const b = r.burst.ok ? r.burst.value : null;
    const e = echo?.burst;
    rows.push({
      scenario: `P2 burst ${int(r.opts.burstJoins)} joins on ${int(r.opts.burstStock)} units`,
      before: "exactly 500; p99 5× echo",
      now: b
        ? `${b.sold === b.stock && b.okAcks === b.stock && b.activeEntries === b.stock ? "exactly" : "**NOT**"} ${int(b.sold)} sold (${int(b.okAcks)} ok acks, ${int(b.activeEntries)} entries); p50 ${ms(b.burst.p50Ms)} ms, p99 ${ms(b.burst.p99Ms)} ms`
        : failed(r.burst),
      ceiling: e ? `echo p99 ${ms(e.p99Ms)} ms` : failed(r.echo),
      ratio: `${x(b?.burst.p99Ms ?? Number.NaN, e?.p99Ms ?? Number.NaN)}× (p99)`,
      target: `exactly ${int(r.opts.burstStock)}; ≤ 2× echo p99`,
    });
  }
  {
    const p = r.pickup.ok ? r.pickup.value : null;
    rows.push({
      scenario: `P4 pickup list ${int(p?.entries ?? r.opts.pickupEntries)} entries`,
      before: "p50 38.8 ms; 0.004 of hello-world",
      now: p
        ? `p50 ${ms(p.listAlone.p50Ms)} ms alone, ${ms(p.list.p50Ms)} ms under load; ${int(p.list.opsPerSec)} req/s`
        : failed(r.pickup),
      ceiling: p
        ? `hello-world ${int(p.hello.opsPerSec)} req/s (p50 ${ms(p.helloAlone.p50Ms)} ms alone, ${ms(p.hello.p50Ms)} ms under load)`
        : "",
      ratio: x(p?.list.opsPerSec ?? Number.NaN, p?.hello.opsPerSec ?? Number.NaN, 4),
      target: "p50 ≤ 10 ms; ≥ 0.4",
    });
  }
  {
    const m = app?.memory;
    rows.push({
      scenario: "P5 Redis memory per entry",
      before: "1,522 B; AOF 3,660 B",
      now: m
        ? `${bytes(m.usedPerEntry)}; AOF ${bytes(m.aofLivePerEntry)} (${bytes(m.aofRewrittenPerEntry)} after BGREWRITEAOF)`
        : failed(r.app),
      ceiling: "–",
      ratio: "–",
      target: "≤ 500 B",
    });
  }
  {
    const c = r.codes.ok ? r.codes.value : null;
    rows.push({
      scenario: `pickup code pick at ${int(r.opts.codesHigh)} entries`,
      before: "12.6 ms with duplicates",
      now: c
        ? `p50 ${ms(c.high.latency.p50Ms)} ms, Redis ${us(c.high.redisUsPerCall)} µs per script (${int(c.duplicateCodes)} entries share a code)`
        : failed(r.codes),
      ceiling: c
        ? `near #${int(c.low.firstNo)}: p50 ${ms(c.low.latency.p50Ms)} ms, Redis ${us(c.low.redisUsPerCall)} µs`
        : "",
      ratio: c
        ? `${x(c.high.latency.p50Ms, c.low.latency.p50Ms)}× (latency), ${x(c.high.redisUsPerCall, c.low.redisUsPerCall)}× (Redis)`
        : "–",
      target: "within 2× of the 100th",
    });
  }
  {
    const f = r.fanout.ok ? r.fanout.value : null;
    const sizes = r.opts.fanouts;
    const p99 = (runs: FanoutResult["app"] | undefined) =>
      sizes.map((n) => runs?.find((z) => z.watchers === n)?.latency.p99Ms ?? Number.NaN);
    const a = p99(f?.app);
    const b = p99(f?.bare);
    rows.push({
      scenario: `P3 fan-out p99 ${sizes.map(int).join(" / ")} vs bare emit`,
      before: "0.69 / 1.07",
      now: f ? `p99 ${a.map(ms).join(" / ")} ms` : failed(r.fanout),
      ceiling: f ? `bare p99 ${b.map(ms).join(" / ")} ms` : "",
      ratio: a.map((v, i) => x(v, b[i] ?? Number.NaN)).join(" / "),
      target: "≤ 1.2",
    });
    const heap = (runs: FanoutResult["app"] | undefined) =>
      sizes.map((n) => runs?.find((z) => z.watchers === n)?.heapPerWatcher ?? Number.NaN);
    const ha = heap(f?.app);
    const hb = heap(f?.bare);
    rows.push({
      scenario: "heap per watcher vs bare",
      before: "1.25×",
      now: f ? `${ha.map(bytes).join(" / ")}` : failed(r.fanout),
      ceiling: f ? `bare ${hb.map(bytes).join(" / ")}` : "",
      ratio: ha.map((v, i) => `${x(v, hb[i] ?? Number.NaN)}×`).join(" / "),
      target: "≤ 1.3×",
    });
  }
  return rows;
}

function summaryTable(r: Report): string {
  return table(
    [
      "scenario",
      "before (issue)",
      "now (this run)",
      "ceiling (this run)",
      "now ÷ ceiling",
      "target",
    ],
    summaryRows(r).map((row) => [
      row.scenario,
      row.before,
      row.now,
      row.ceiling,
      row.ratio,
      row.target,
    ]),
  );
}

// ---- details -----------------------------------------------------------------------------------

function loopRows(r: Report): string {
  const row = (name: string, l: LoopResult | null, o: Outcome<unknown>): string[] =>
    l
      ? [name, int(l.opsPerSec), ms(l.p50Ms), ms(l.p99Ms), ms(l.maxMs), int(l.totalOk), errorsOf(l)]
      : [name, failed(o), "", "", "", "", ""];
  const echo = r.echo.ok ? r.echo.value : null;
  const app = r.app.ok ? r.app.value : null;
  const redis = r.redis.ok ? r.redis.value : null;
  const pickup = r.pickup.ok ? r.pickup.value : null;
  return table(
    ["closed loop", "ops/s", "p50 ms", "p99 ms", "max ms", "ok", "errors"],
    [
      row("bare Socket.IO echo (emitWithAck)", echo?.loop ?? null, r.echo),
      row("entry:join, no watchers", app?.noWatchers.loop ?? null, r.app),
      row(`entry:join, ${r.opts.watchers} watchers`, app?.withWatchers.loop ?? null, r.app),
      row("raw Redis 3-call Lua (ioredis)", redis?.loop ?? null, r.redis),
      row("GET Express hello-world", pickup?.hello ?? null, r.pickup),
      row(
        `GET pickup list (${pickup ? int(pickup.entries) : "?"} entries)`,
        pickup?.list ?? null,
        r.pickup,
      ),
      row("GET Express hello-world, 1 connection", pickup?.helloAlone ?? null, r.pickup),
      row("GET pickup list, 1 connection", pickup?.listAlone ?? null, r.pickup),
    ],
  );
}

function watchLine(r: Report): string {
  if (!r.app.ok) return "";
  const { watch, expected } = r.app.value.withWatchers;
  const ok = !watch.lost && !watch.extra && !watch.gaps && !watch.outOfOrder && !watch.disconnected;
  return `P1 watchers: ${watch.watchers} watchers, each should see ${int(expected)} events: ${ok ? "every watcher saw every one exactly once, in version order" : `**${int(watch.lost)} missing, ${int(watch.extra)} extra, ${watch.gaps} gaps, ${watch.outOfOrder} out of order, ${watch.disconnected} dropped (${watch.disconnectReasons.join(", ")})**`}; ${int(watch.framesTotal / Math.max(1, watch.watchers))} frames per watcher (${x(watch.eventsTotal, watch.framesTotal)} events per frame); the last watcher was done ${int(watch.drainMs)} ms after the last ack.`;
}

function fanoutTable(r: Report): string {
  if (!r.fanout.ok) return `P3: ${failed(r.fanout)}`;
  const rows = r.opts.fanouts.flatMap((n) =>
    (["app", "bare"] as const).map((k) => {
      const run = r.fanout.ok ? r.fanout.value[k].find((z) => z.watchers === n) : undefined;
      if (!run) return [int(n), k, "–", "–", "–", "–", "–", "–"];
      return [
        int(n),
        k === "app" ? "app (entry:join → broadcast)" : "bare io.to(room).emit",
        int(run.latency.count),
        ms(run.latency.p50Ms),
        ms(run.latency.p99Ms),
        ms(run.latency.maxMs),
        run.lost || run.extra ? `**${run.lost} lost, ${run.extra} extra**` : "0",
        bytes(run.heapPerWatcher),
      ];
    }),
  );
  return table(
    ["watchers", "server", "deliveries", "p50 ms", "p99 ms", "max ms", "lost", "heap per watcher"],
    rows,
  );
}

/** The app's main thread in the measured burst: running, and ready but waiting for a core. */
function appWait(r: Report): string {
  const row = r.cpuLog
    .find((c) => c.scenario.startsWith("P2: "))
    ?.cpu.rows.find((x) => x.label === "app");
  if (!row || row.mainThreadMs === null || row.mainWaitMs === null) return "";
  return ` Meanwhile the app's main thread ran ${int(row.mainThreadMs)} ms and was ready but waited for a core ${int(row.mainWaitMs)} ms (the CPU table).`;
}

/** P2 as the app saw it: when the burst was read, sent to Redis, answered by Redis, acked. */
function burstTimeline(r: Report): string {
  if (!r.burst.ok) return `P2: ${failed(r.burst)}`;
  const t = r.burst.value.timeline;
  const b = r.burst.value.burst;
  const rows = [
    ["requests read (command handler entered)", `0 → ${ms(t.lastRead)}`, int(t.commands)],
    ["validated (zod)", `→ ${ms(t.lastValidated)}`, int(t.commands)],
    [
      `handed to Redis (${int(t.pipelines)} pipelines)`,
      `${ms(t.firstSent)} → ${ms(t.lastSent)}`,
      int(t.scripts),
    ],
    ["Redis answers back", `${ms(t.firstReplied)} → ${ms(t.lastReplied)}`, int(t.scripts)],
    ["acks written", `${ms(t.firstAnswered)} → ${ms(t.lastAnswered)}`, int(t.commands)],
  ];
  return `${table(["step", "ms from the first request read (first → last)", "count"], rows)}

Per request, on the app's clock: read → validated p50 ${ms(t.validate.p50)} / p99 ${ms(t.validate.p99)} ms;
validated → acked (the wait to be sent, Redis, the answer) p50 ${ms(t.wait.p50)} / p99 ${ms(t.wait.p99)} ms;
read → acked p50 ${ms(t.total.p50)} / p99 ${ms(t.total.p99)} ms. The clients' own p99 (send → ack) was
${ms(b.p99Ms)} ms: the difference is the time a request waited in the sockets before the app read it.${appWait(r)}`;
}

function codesTable(r: Report): string {
  if (!r.codes.ok) return `Pickup codes: ${failed(r.codes)}`;
  const c = r.codes.value;
  const row = (s: typeof c.low) => [
    `#${int(s.firstNo)}–#${int(s.lastNo)}`,
    ms(s.latency.p50Ms),
    ms(s.latency.p99Ms),
    us(s.redisUsPerCall),
    s.callsPerJoin.toFixed(2),
  ];
  const commands = c.commands.length
    ? `\n\nWhat one join ran in Redis near entry #${int(c.low.firstNo)}: every command Redis logged over the ${c.sampleJoins} sampled joins (SLOWLOG at 0 µs). A script is named by its SHA (or its function, for FCALL); Redis 7 also logs the commands a script calls, and their time is inside the script's:\n\n${table(
        ["command", "calls per join", "µs per call"],
        c.commands.map((s) => [
          s.command,
          (s.calls / c.sampleJoins).toFixed(2),
          us(s.usec / s.calls),
        ]),
      )}`
    : "";
  return `${table(
    [
      "joins (one at a time, entry numbers)",
      "p50 ms",
      "p99 ms",
      "Redis µs per script call",
      "script calls per join",
    ],
    [row(c.low), row(c.high)],
  )}\n\nThe drop point ended with ${int(c.entries)} entries; ${int(c.duplicateCodes)} of them share their pickup code with another entry (codes run 1000–9999: 9,000 values).${commands}`;
}

// ---- CPU per process ---------------------------------------------------------------------------

function cpuTable(r: Report): string {
  const rows: string[][] = [];
  const pct = (cores: number) => `${Math.round(100 * cores)}%`;
  for (const { scenario, cpu } of r.cpuLog) {
    const sec = cpu.wallMs / 1000;
    cpu.rows.forEach((row, i) => {
      rows.push([
        i === 0 ? `${scenario} (${sec.toFixed(1)} s)` : "",
        row.label,
        int(row.userMs + row.sysMs),
        pct(row.cores),
        row.mainThreadMs === null ? "–" : pct(row.mainThreadMs / cpu.wallMs),
        row.mainWaitMs === null ? "–" : pct(row.mainWaitMs / cpu.wallMs),
      ]);
    });
    const sum = cpu.rows.reduce((n, row) => n + row.userMs + row.sysMs, 0);
    rows.push(["", "**all of the above**", int(sum), pct(total(cpu)), "", ""]);
    if (cpu.machineCores !== null) {
      const others = Math.max(0, cpu.machineCores - total(cpu));
      rows.push(["", "other work on the machine", int(others * cpu.wallMs), pct(others), "", ""]);
    }
  }
  return table(
    [
      "scenario (wall time)",
      "process",
      "user+sys ms",
      "% of one core",
      "main thread, % of one core",
      "main thread waiting for a core",
    ],
    rows,
  );
}

/** Not failures but limits of the measurement: a saturated generator, or more CPU wanted than the box has. */
function cpuCaveats(r: Report): string[] {
  const out: string[] = [];
  const servers = new Set(["app", "bare Socket.IO", "Express hello-world", "redis-server"]);
  for (const { scenario, cpu } of r.cpuLog) {
    for (const row of cpu.rows) {
      if (!servers.has(row.label) && row.cores >= 0.9) {
        out.push(
          `${scenario}: ${row.label} used ${Math.round(100 * row.cores)}% of a core: the harness was near its limit there.`,
        );
      }
    }
    const demand = total(cpu);
    if (demand > 0.9 * r.machine.cpus) {
      out.push(
        `${scenario}: all processes together used ${demand.toFixed(2)} of ${r.machine.cpus} cores: the box, not one process, was the limit.`,
      );
    }
    const others = (cpu.machineCores ?? 0) - demand;
    if (others > 0.25 * r.machine.cpus) {
      out.push(
        `${scenario}: other work on the machine used ${others.toFixed(2)} of ${r.machine.cpus} cores meanwhile: every figure of this scenario is slower than the code alone would be.`,
      );
    }
  }
  return out;
}

const total = (cpu: CpuWindow) => cpu.rows.reduce((n, row) => n + row.cores, 0);

/** How much CPU the rest of the machine took while the bench measured, on average and at most. */
function othersLine(r: Report): string {
  const parts = r.cpuLog.filter((c) => c.cpu.machineCores !== null);
  if (!parts.length) return "not known (no /proc/stat)";
  const others = parts.map((c) => Math.max(0, (c.cpu.machineCores ?? 0) - total(c.cpu)));
  const wall = parts.reduce((n, c) => n + c.cpu.wallMs, 0);
  const mean = parts.reduce((n, c, i) => n + (others[i] ?? 0) * c.cpu.wallMs, 0) / wall;
  return `${mean.toFixed(2)} cores on average, ${Math.max(...others).toFixed(2)} at most, of ${r.machine.cpus}.`;
}

// ---- findings ----------------------------------------------------------------------------------

export function findings(r: Report): string[] {
  const out: string[] = [];
  for (const [name, o] of [
    ["echo ceiling", r.echo],
    ["app load", r.app],
    ["Redis ceiling", r.redis],
    ["P2 burst", r.burst],
    ["P4 pickup list", r.pickup],
    ["pickup codes", r.codes],
    ["P3 fan-out", r.fanout],
    ["profile", r.profile ?? { ok: true, value: null }],
  ] as const) {
    if (!o.ok) out.push(`${name} failed: ${o.error}`);
  }
  const loop = (name: string, l: LoopResult | undefined) => {
    if (l?.totalErrors) out.push(`${name}: ${errorsOf(l)}; first: ${l.errorSamples.join(" | ")}`);
  };
  if (r.echo.ok) loop("echo", r.echo.value.loop);
  if (r.app.ok) {
    loop("entry:join, no watchers", r.app.value.noWatchers.loop);
    loop("entry:join with watchers", r.app.value.withWatchers.loop);
    const w = r.app.value.withWatchers.watch;
    if (w.lost || w.extra || w.gaps || w.outOfOrder || w.disconnected) out.push(watchLine(r));
  }
  if (r.redis.ok) loop("Redis ceiling", r.redis.value.loop);
  if (r.pickup.ok) {
    loop("hello-world", r.pickup.value.hello);
    loop("pickup list", r.pickup.value.list);
  }
  if (r.burst.ok) {
    const b = r.burst.value;
    if (b.sold !== b.stock || b.okAcks !== b.stock || b.activeEntries !== b.stock) {
      out.push(
        `P2: ${b.stock} units, but ${b.okAcks} joins were acked ok, the chain says ${b.sold} sold and has ${b.activeEntries} active entries`,
      );
    }
    const other = Object.entries(b.burst.outcomes).filter(([k]) => k !== "ok" && k !== "sold_out");
    if (other.length)
      out.push(
        `P2: answers other than ok / sold_out: ${other.map(([k, n]) => `${k}×${n}`).join(", ")}`,
      );
  }
  if (r.echo.ok) {
    const other = Object.entries(r.echo.value.burst.outcomes).filter(([k]) => k !== "ok");
    if (other.length) out.push(`P2 echo burst: ${other.map(([k, n]) => `${k}×${n}`).join(", ")}`);
  }
  if (r.codes.ok && r.codes.value.duplicateCodes > 0) {
    out.push(
      `Pickup codes: ${int(r.codes.value.duplicateCodes)} of ${int(r.codes.value.entries)} entries on one drop point share a pickup code (only 9,000 codes exist).`,
    );
  }
  if (r.fanout.ok) {
    for (const run of [...r.fanout.value.app, ...r.fanout.value.bare]) {
      if (run.lost || run.extra)
        out.push(`P3 with ${run.watchers} watchers: ${run.lost} events lost, ${run.extra} extra`);
    }
  }
  return out;
}

// ---- profile -----------------------------------------------------------------------------------

function profileSection(r: Report): string {
  const recipe = `How to get one: \`npm run bench -- --profile\` runs the whole bench, then the no-watcher
join loop once more (not used for any figure above: the profiler slows the app). The app child
records a V8 CPU profile of its main thread (\`node:inspector\` Profiler, sampling every
${PROFILE_INTERVAL_US} µs) over just the measured window, the same data \`node --cpu-prof\` writes but
without the boot, and the bench prints the table below from its self time. Open the
\`.cpuprofile\` in Chrome DevTools (Performance → load) or speedscope.app for the flame graph, or
print the top functions and modules again with \`npx tsx bench/profile.ts <file> [joins]\`.

By hand, for a flame graph of the whole process under any load: start the app as
\`node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx server/index.ts\`, drive it (phones, a
browser, a load script), stop it with Ctrl-C, and open the
\`CPU.*.cpuprofile\` of the main thread (the one whose name has thread id 0); the boot is in it
too, so look at the time range of the load.`;
  if (!r.profile) return `${recipe}\n\nThis run was made without \`--profile\`.`;
  if (!r.profile.ok) return `${recipe}\n\nThe profile run ${failed(r.profile)}.`;
  const p = r.profile.value;
  const perJoin = (selfMs: number) => us((selfMs * 1000) / Math.max(1, p.joins));
  const fnRows = p.summary.functions
    .slice(0, 10)
    .map((c) => [c.name, c.where, `${(100 * c.share).toFixed(1)}%`, perJoin(c.selfMs)]);
  const modRows = p.summary.modules
    .slice(0, 10)
    .map((c) => [c.name, `${(100 * c.share).toFixed(1)}%`, perJoin(c.selfMs)]);
  return `${recipe}

This run's profile: \`${p.file}\`: ${int(p.joins)} joins; the app was busy ${int(p.summary.busyMs)} ms
of ${int(p.summary.wallMs)} ms. Shares are of busy time; µs per join = self time ÷ joins (with the
profiler's overhead).

### Top costs per join (self time, by function)

${table(["function", "where", "self %", "µs per join"], fnRows)}

### By module

${table(["module", "self %", "µs per join"], modRows)}`;
}

// ---- the document ------------------------------------------------------------------------------

export function markdownReport(r: Report): string {
  const o = r.opts;
  const m = r.machine;
  const f = findings(r);
  const caveats = cpuCaveats(r);
  const took = Math.round((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000);
  return `# Benchmarks

These figures are **measured, not asserted**: what \`npm run bench${o.quick ? " -- --quick" : ""}\` printed on the machine
below, every figure beside a ceiling measured in the same run. The machine has **${m.cpus} cores**,
shared by every process of a scenario (the server under test, the load generators, redis-server)
and, while this ran, by other work (see the load average): the per-process CPU table shows where
the time went.
${o.quick ? "\n> **Quick run** (`--quick`): small counts, to prove the harness works. The figures mean nothing.\n" : ""}
## Run

- Date: ${r.startedAt.toISOString()} (took ${took} s${o.web ? ", before the web part" : ""})
- Machine: ${m.cpuModel} × ${m.cpus} cores, ${m.memory} RAM, ${m.os}
- Node: ${m.node}
- Redis: \`${m.redis}\`
- Load average (1 / 5 / 15 min): ${r.loadStart} at start, ${r.loadEnd} at end
- Other work on the machine during the measured windows (\`/proc/stat\` less the bench's own
  processes): ${othersLine(r)}
- Command: \`npm run bench${o.quick ? " -- --quick" : ""}${o.profile ? " -- --profile" : ""}\`

## Summary

${summaryTable(r)}

"now ÷ ceiling": for throughput the share of the ceiling reached (higher is better); for costs and
latencies how many times the ceiling's (lower is better).

## How it runs

- **Every role is its own process**, so each one's CPU is its own: the app (\`bench/app-child.ts\`:
  \`loadConfig\` → \`createApp\` on a bench-owned redis-server from \`startRedisServer\`, with
  \`REDIS_URL\`, a fresh \`KEY_PREFIX\`, \`RATE_LIMITS=off\`, \`LOG_LEVEL=silent\`, \`PORT=0\`; it
  reports its port over IPC), the ceilings (\`bench/ceiling-child.ts\`: a bare Socket.IO server, an
  Express hello-world), the load generators and watchers (\`bench/load-child.ts\`, socket.io-client
  and \`http.Agent\` keep-alive; ${o.joinerProcs} joiner processes, ${o.watcherProcs} watcher processes for P1,
  ${o.fanoutProcs} for P3), and redis-server. The orchestrator (\`bench/run.ts\`) only sets up through
  the public HTTP API and socket events and reads \`/proc\` and \`INFO\`.
- Each scenario starts fresh processes and a fresh redis-server (appendonly yes, appendfsync
  everysec, unix socket), and stops them before the next.
- CPU: user + sys of each process from \`/proc/<pid>/stat\`, and the main thread's own time from
  \`/proc/<pid>/task/<pid>/schedstat\`, over each measured window. "App CPU µs per join" is the app
  main thread's time ÷ joins acked in the window (and the whole process's, which adds GC helper
  threads and libuv). Redis time per script: \`INFO commandstats\` (EVALSHA/EVAL/FCALL usec ÷
  calls) over the window.
- Closed loops (${o.clients} sockets, ${o.inflight} request in flight each): ${o.warmupMs / 1000} s warm-up, then ${o.durationMs / 1000} s measured;
  ops/s counts acks inside the window, latencies are send → ack of requests sent inside it.
- P1: ${o.watchers} watchers \`chain:watch\` the chain and check every event (count, version order).
  The echo ceiling is driven by the same generator processes and sockets, with the same payload.
- P2: ${int(o.burstJoins)} \`entry:join\`s sent at once from ${o.burstSockets} sockets (${Math.ceil(o.burstJoins / o.burstSockets)} each, no waiting) at an item
  with ${int(o.burstStock)} units; then \`GET /api/chains/:id\` must say ${int(o.burstStock)} sold, and the chain (the snapshot's latest
  entries, then \`GET …/page\` for the older ones) must hold ${int(o.burstStock)} active entries. The echo gets the same burst from the same sockets' processes.
  Both meet the measured burst warm: the echo after its closed loop, the app after the same burst on
  another chain (its own row in the CPU table; not measured).
- P3: the watchers sit in ${o.fanoutProcs} processes; one driver socket sends ${o.fanoutProbes} joins, one at a time:
  the next once every watcher has the last, plus ${o.fanoutGapMs} ms. Latency = a watcher's receipt − the
  driver's send (wall clock, same machine), over every (watcher, join). The bare server
  broadcasts the app's own event (same name, same size) to a room when the driver asks.
  Heap per watcher: the server process's \`heapUsed\` after \`gc()\` (it runs with \`--expose-gc\`),
  before and after the watchers connect, ÷ watchers.
- P4: "under load": ${o.httpConnections} keep-alive connections over ${o.httpProcs} processes, one request in flight
  each (latency then includes queueing behind the others); "alone": one connection, one request at
  a time. No
  \`accept-encoding\` (as autocannon sends it), for \`GET /api/communities/:id/days/:date/drop-points/:dp\`
  with a coordinator's Bearer token, and for the hello-world.
- P5: \`INFO memory\` used_memory and the AOF's size on disk (after a BGREWRITEAOF) before the
  no-watcher loop, and after it (AOF as written, then after another BGREWRITEAOF), ÷ entries made.
- Pickup codes: one drop point filled to entry ${int(o.codesLow)}, ${o.codesSamples} joins one at a time, then
  filled to entry ${int(o.codesHigh)}, ${o.codesSamples} more.

## Details

${loopRows(r)}

${watchLine(r)}

### P2: where the burst's time went

From \`node:diagnostics_channel\` steps the app publishes only while the bench listens
(server/trace.ts, bench/timeline.ts), over the measured burst.

${burstTimeline(r)}

### P3 fan-out

${fanoutTable(r)}

### Pickup codes

${codesTable(r)}

## CPU per process

Over each measured window: each process's user + sys CPU time, as a share of one core, its
main thread's share of one core, and how long its main thread was ready to run but waited for a
core (schedstat), as a share of the window: a process held back by the others, not by its own code. The machine has ${m.cpus} cores, so "all of the above" cannot pass
${m.cpus * 100}%; near it, the box (not one process) was the limit. The app is the bottleneck where
its main thread is near 100% while the generators are well below it. "Other work on the
machine" is everyone else's CPU meanwhile (\`/proc/stat\`): it competed with all of the above. A generator near 100% of a
core would be the limit instead: give its role more processes (\`BENCH_JOINER_PROCS\`,
\`BENCH_WATCHER_PROCS\`, \`BENCH_FANOUT_PROCS\`, \`BENCH_HTTP_PROCS\`).

${cpuTable(r)}
${caveats.length ? `\nLimits of this measurement:\n\n${caveats.map((c) => `- ${c}`).join("\n")}\n` : ""}
## Profile: top costs per join

${profileSection(r)}

## Findings

${f.length ? f.map((c) => `- ${c}`).join("\n") : "- None: every request was answered ok (or sold_out in P2), and every watcher got every event once, in order."}
`;
}
