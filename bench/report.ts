/** The results as a table for stdout and as BENCHMARKS.md. */
import type { AppRunResult } from "./app-run.js";
import type { LoopResult } from "./loop.js";
import type { Machine } from "./machine.js";
import type { BenchOptions } from "./options.js";
import type { Usage } from "./probe.js";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** A closed-loop result with what the machine was doing meanwhile. */
export interface Measured {
  result: LoopResult;
  usage: Usage;
  /** Mean redis-server µs per script call, when Redis was involved. */
  scriptUs: number | null;
}

export interface Report {
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  opts: BenchOptions;
  defaults: boolean;
  loadStart: string;
  loadEnd: string;
  ceilingA: Outcome<Measured>;
  ceilingB: Outcome<Measured>;
  ceilingBRedis: string;
  apps: { tickMs: number; run: Outcome<AppRunResult> }[];
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : "–");
const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(3)}` : "–";
const pct = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${((100 * a) / b).toFixed(1)}%` : "–";

/** A Markdown table with padded columns (the layout Biome's Markdown formatter keeps). */
function table(head: string[], rows: string[][]): string {
  const len = (s: string) => [...s].length;
  const widths = head.map((h, i) => Math.max(3, len(h), ...rows.map((r) => len(r[i] ?? ""))));
  const line = (cells: string[]) =>
    `| ${widths.map((w, i) => `${cells[i] ?? ""}${" ".repeat(w - len(cells[i] ?? ""))}`).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const errorsOf = (r: LoopResult) =>
  r.totalErrors === 0
    ? "0"
    : `${r.totalErrors} (${Object.entries(r.errors)
        .map(([code, n]) => `${code}×${n}`)
        .join(", ")})`;

function opsOf(o: Outcome<Measured>): number {
  return o.ok ? o.value.result.opsPerSec : Number.NaN;
}

const loopOf = (o: Outcome<Measured>): Outcome<LoopResult> =>
  o.ok ? { ok: true, value: o.value.result } : o;

export function resultsTable(r: Report): string {
  const a = opsOf(r.ceilingA);
  const b = opsOf(r.ceilingB);
  const row = (name: string, o: Outcome<LoopResult>, ratios: boolean): string[] =>
    o.ok
      ? [
          name,
          int(o.value.opsPerSec),
          ms(o.value.p50Ms),
          ms(o.value.p99Ms),
          ms(o.value.maxMs),
          int(o.value.totalOk),
          errorsOf(o.value),
          ratios ? `${ratio(o.value.opsPerSec, a)} (${pct(o.value.opsPerSec, a)})` : "",
          ratios ? `${ratio(o.value.opsPerSec, b)} (${pct(o.value.opsPerSec, b)})` : "",
        ]
      : [name, "failed", "", "", "", "", o.error.replace(/\|/g, "/"), "", ""];
  return table(
    ["Scenario", "ops/s", "p50 ms", "p99 ms", "max ms", "ok acks", "errors", "÷ A", "÷ B"],
    [
      row("A: bare Socket.IO echo (emitWithAck)", loopOf(r.ceilingA), false),
      row("B: Redis 3-call Lua (ioredis)", loopOf(r.ceilingB), false),
      ...r.apps.map(({ tickMs, run }) =>
        row(
          `entry:join, BROADCAST_TICK_MS=${tickMs}`,
          run.ok ? { ok: true, value: run.value.join } : run,
          true,
        ),
      ),
    ],
  );
}

export function watchTable(r: Report): string {
  const rows = r.apps.map(({ tickMs, run }): string[] => {
    const name = `BROADCAST_TICK_MS=${tickMs}`;
    const blank = Array.from({ length: 9 }, () => "");
    if (!run.ok) return [name, "failed", ...blank];
    const { watch, joinsMade, server } = run.value;
    if (!watch) return [name, int(joinsMade), "no watchers", ...blank.slice(1)];
    const range =
      watch.eventsMin === watch.eventsMax
        ? int(watch.eventsMin)
        : `${int(watch.eventsMin)}–${int(watch.eventsMax)}`;
    const lossCell = [
      watch.lost ? `**${int(watch.lost)} LOST**` : "",
      watch.extra ? `**${int(watch.extra)} EXTRA**` : "",
    ]
      .filter(Boolean)
      .join(", ");
    return [
      name,
      int(joinsMade),
      range,
      lossCell || "0",
      `${watch.gaps} / ${watch.outOfOrder}`,
      (watch.framesTotal / Math.max(1, watch.watchers)).toFixed(1),
      watch.framesTotal > 0 ? (watch.eventsTotal / watch.framesTotal).toFixed(2) : "–",
      `${int(server.frames)} / ${int(server.events)}`,
      `${watch.disconnected}`,
      int(watch.drainMs),
      run.value.recoveryPackets === null || run.value.recoveryMB === null
        ? "–"
        : `${int(run.value.recoveryPackets)} (${run.value.recoveryMB.toFixed(1)} MB)`,
    ];
  });
  return table(
    [
      "Run",
      "joins made",
      "events / watcher",
      "lost (all watchers)",
      "version gaps / out of order",
      "frames / watcher",
      "events / frame",
      "server frames / events",
      "watchers dropped",
      "catch-up ms",
      "packets kept for recovery",
    ],
    rows,
  );
}

/** Every departure from "all acks ok, every watcher saw every join exactly once". */
export function findings(r: Report): string[] {
  const out: string[] = [];
  const loop = (name: string, o: Outcome<LoopResult>) => {
    if (!o.ok) {
      out.push(`${name} failed: ${o.error}`);
      return;
    }
    if (o.value.totalErrors > 0) {
      out.push(
        `${name}: failed requests ${errorsOf(o.value)}; first: ${o.value.errorSamples.join(" | ")}`,
      );
    }
  };
  loop("Ceiling A", loopOf(r.ceilingA));
  loop("Ceiling B", loopOf(r.ceilingB));
  for (const { tickMs, run } of r.apps) {
    const name = `entry:join (BROADCAST_TICK_MS=${tickMs})`;
    if (!run.ok) {
      out.push(`${name} failed: ${run.error}`);
      continue;
    }
    loop(name, { ok: true, value: run.value.join });
    const { watch, joinsMade, server } = run.value;
    if (server.events !== joinsMade) {
      out.push(`${name}: the Broadcaster sent ${server.events} events for ${joinsMade} joins`);
    }
    if (!watch) continue;
    if (watch.lost || watch.extra) {
      out.push(
        `${name}: watchers received ${watch.eventsTotal} events, expected ${joinsMade * watch.watchers} (${watch.watchers} × ${joinsMade}): ${watch.lost} missing, ${watch.extra} extra; per watcher ${watch.eventsMin}–${watch.eventsMax}`,
      );
    }
    if (watch.gaps || watch.outOfOrder) {
      out.push(
        `${name}: ${watch.gaps} version gaps and ${watch.outOfOrder} out-of-order events across watchers`,
      );
    }
    if (watch.lastVersion - watch.snapshotVersion !== joinsMade) {
      out.push(
        `${name}: chain version went ${watch.snapshotVersion} → ${watch.lastVersion} for ${joinsMade} joins`,
      );
    }
    if (watch.disconnected) {
      out.push(
        `${name}: ${watch.disconnected} watchers were disconnected (${watch.disconnectReasons.join(", ")})`,
      );
    }
  }
  return out;
}

const busy = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)}%` : "–");

export function usageTable(r: Report): string {
  const row = (name: string, main: string, o: Outcome<Measured>): string[] => {
    if (!o.ok) return [name, "failed", "", "", ""];
    const u = o.value.usage;
    return [
      name,
      `${busy(u.main)} (${main})`,
      u.threads.map((t) => `${t.label} ${busy(t.busy)}`).join(", ") || "–",
      u.redisCores === null ? "–" : u.redisCores.toFixed(2),
      o.value.scriptUs === null ? "–" : o.value.scriptUs.toFixed(1),
    ];
  };
  return table(
    [
      "Scenario",
      "main thread busy",
      "client threads busy",
      "redis-server CPU (cores)",
      "redis µs / script call",
    ],
    [
      row("A: bare Socket.IO echo", "echo server", r.ceilingA),
      row("B: Redis 3-call Lua", "ioredis callers", r.ceilingB),
      ...r.apps.map(({ tickMs, run }) =>
        row(
          `entry:join, BROADCAST_TICK_MS=${tickMs}`,
          "the app",
          run.ok
            ? {
                ok: true,
                value: {
                  result: run.value.join,
                  usage: run.value.usage,
                  scriptUs: run.value.scriptUs,
                },
              }
            : run,
        ),
      ),
    ],
  );
}

/**
 * Not failures, but limits of the measurement itself: a client thread that was saturated, or
 * more CPU wanted than the machine has (the server then shares its cores with the harness).
 */
export function caveats(r: Report): string[] {
  const out: string[] = [];
  const check = (name: string, o: Outcome<Measured>) => {
    if (!o.ok) return;
    const u = o.value.usage;
    for (const t of u.threads) {
      if (t.busy >= 0.95) {
        out.push(
          `${name}: the ${t.label} thread was ${busy(t.busy)} busy: the harness itself was at its limit here, and it took CPU the server could have used.`,
        );
      }
    }
    const demand =
      u.main +
      u.threads.reduce((a, t) => a + (Number.isFinite(t.busy) ? t.busy : 0), 0) +
      (u.redisCores ?? 0);
    if (demand > r.machine.cpus * 0.9) {
      out.push(
        `${name}: the threads and redis-server together wanted ≈${demand.toFixed(2)} cores of ${r.machine.cpus}; the server shared CPU with its own load.`,
      );
    }
  };
  check("Ceiling A", r.ceilingA);
  check("Ceiling B", r.ceilingB);
  for (const { tickMs, run } of r.apps) {
    if (!run.ok) continue;
    const { join, usage, scriptUs, watch } = run.value;
    check(`entry:join (BROADCAST_TICK_MS=${tickMs})`, {
      ok: true,
      value: { result: join, usage, scriptUs },
    });
    if (watch && watch.drainMs > 1000) {
      out.push(
        `entry:join (BROADCAST_TICK_MS=${tickMs}): watchers were still receiving ${watch.drainMs} ms after the last ack.`,
      );
    }
  }
  return out;
}

function ratioLines(r: Report): string[] {
  const a = opsOf(r.ceilingA);
  const b = opsOf(r.ceilingB);
  return r.apps.map(({ tickMs, run }) => {
    const j = run.ok ? run.value.join.opsPerSec : Number.NaN;
    return `- BROADCAST_TICK_MS=${tickMs}: joins/s ÷ ceiling A = ${ratio(j, a)} (${pct(j, a)}); joins/s ÷ ceiling B = ${ratio(j, b)} (${pct(j, b)})`;
  });
}

export function consoleReport(r: Report): string {
  const f = findings(r);
  return [
    "",
    resultsTable(r),
    "",
    watchTable(r),
    "",
    usageTable(r),
    "",
    ...ratioLines(r),
    "",
    ...caveats(r).map((c) => `Note: ${c}`),
    "",
    f.length
      ? `FINDINGS:\n${f.map((x) => `  - ${x}`).join("\n")}`
      : "All acks ok; every watcher received every event exactly once, in order.",
    "",
  ].join("\n");
}

export function markdownReport(r: Report): string {
  const o = r.opts;
  const f = findings(r);
  const m = r.machine;
  const app = r.apps.find((a) => a.run.ok)?.run;
  const redisSetup = app?.ok ? app.value.redisInfo : "appendonly yes, appendfsync everysec";
  const c = caveats(r);
  const limits = c.length
    ? `\nLimits of this measurement:\n\n${c.map((x) => `- ${x}`).join("\n")}\n`
    : "";
  return `# Benchmarks

These figures are **measured, not asserted**: they are what \`npm run bench\` printed on the
machine below. Nothing checks them against a target yet; a later issue will push them.
${
  r.defaults
    ? ""
    : `
> **Quick run.** This file comes from a run with non-default settings (see Parameters), made
> while other work was running on the machine; its figures are noisy and only show the format.
`
}
## Run

- Date: ${r.startedAt.toISOString()} (took ${Math.round((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000)} s)
- Machine: ${m.cpuModel} × ${m.cpus} cores, ${m.memory} RAM, ${m.os}
- Node: ${m.node}
- Redis: \`${m.redis}\`
- Load average (1 / 5 / 15 min): ${r.loadStart} at start, ${r.loadEnd} at end
- Command: \`npm run bench\`

## Parameters

${table(
  ["", ""],
  [
    ["Clients (joiners; concurrent callers for ceiling B)", `${o.clients}`],
    ["Requests in flight per client (closed loop)", `${o.inflight}`],
    ["Watchers (real app runs)", `${o.watchers}`],
    ["Warm-up, then measured", `${o.warmupMs / 1000} s, then ${o.durationMs / 1000} s`],
    ["Ack timeout", `${o.timeoutMs} ms`],
    ["Coalescing tick of the second app run", `${o.tickMs} ms`],
  ],
)}

Override with \`BENCH_SECONDS\`, \`BENCH_CLIENTS\` (also \`BENCH_WATCHERS\`, \`BENCH_WARMUP_SECONDS\`,
\`BENCH_INFLIGHT\`, \`BENCH_TICK_MS\`, \`BENCH_TIMEOUT_MS\`), e.g.
\`BENCH_SECONDS=2 BENCH_CLIENTS=20 npm run bench\`.

## What runs

- **Ceiling A** — a bare Socket.IO \`new Server()\` on port 0 whose one handler acks the payload back;
  ${o.clients} socket.io-client clients (websocket transport) send a join-shaped payload with
  \`emitWithAck\`.
- **Ceiling B** — raw Redis: a Lua script of three calls (HINCRBY + HSET + HGET) through ioredis
  \`defineCommand\`, one connection made like the app's, ${o.clients * o.inflight} concurrent callers; against a
  bench redis-server set up like the app's (${r.ceilingBRedis}).
- **entry:join** — the real app (\`createApp\`) on its own fresh
  redis-server started by \`startRedisServer\` in a temporary directory (${redisSetup}).
  One chain whose items have no stock and no limit, so every join must succeed. ${o.clients}
  clients, each with its own device key, send \`entry:join\` with a fresh request id each time;
  ${o.watchers} more clients \`chain:watch\` the chain and count the events broadcast to them
  (\`entry:created\` or \`chain:batch\`, batches flattened), the frames, and version gaps.
  Run twice, each with a fresh app and redis-server: \`BROADCAST_TICK_MS=0\` (the default:
  one flush per event-loop turn) and \`BROADCAST_TICK_MS=${o.tickMs}\` (coalescing).
- Layout: the server runs on the bench's main thread; the joiners run in one worker thread and
  the watchers in another; redis-server is its own process. Everything shares the same ${m.cpus} cores,
  so client work competes with the server for CPU — ratios between rows are the meaningful part.
- ops/s counts acks that arrived inside the measured window; latencies are of requests sent
  inside it (send → ack, measured by the client). "joins made" counts every ok ack, warm-up and
  tail included: each watcher should receive exactly that many events. "catch-up ms" is how long
  after the last ack the slowest watcher got its last event. "packets kept for recovery" is how
  many broadcast packets Socket.IO's adapter still held at the end, and their size as JSON
  (connection-state recovery keeps each for its maxDisconnectionDuration, 2 min in the app).

## Results

${resultsTable(r)}

## Broadcast to watchers

${watchTable(r)}

## Where the time went

Sampled over each measured window: the share of time each event loop was busy (Node's
event-loop utilisation; 100% means that thread was the limit), redis-server's CPU in cores
(\`INFO cpu\`), and redis-server's mean time per script call (\`INFO commandstats\`, EVALSHA).

${usageTable(r)}
${limits}
## Ratios

${ratioLines(r).join("\n")}

## Findings

${f.length ? f.map((x) => `- ${x}`).join("\n") : "- None: every ack was ok, and every watcher received every event exactly once, in version order."}
`;
}
