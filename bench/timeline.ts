/**
 * The burst's timeline as the app saw it (server/trace.ts publishes the steps): when the requests
 * were read, handed to Redis, answered by Redis, and acked, from the first request read. It says
 * where P2's p99 goes: reading the burst in, waiting for Redis, or answering.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { CommandStep, ScriptStep } from "../server/trace.js";

export interface Timeline {
  commands: number;
  /** ms from the first request read */
  lastRead: number;
  lastValidated: number;
  pipelines: number;
  scripts: number;
  firstSent: number;
  lastSent: number;
  firstReplied: number;
  lastReplied: number;
  firstAnswered: number;
  lastAnswered: number;
  /** Per command, ms: read → validated, validated → answered (Redis and the queue before it), read → answered. */
  validate: { p50: number; p99: number };
  wait: { p50: number; p99: number };
  total: { p50: number; p99: number };
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

export class TimelineRecorder {
  private commands = new Map<number, { read: number; validated?: number; answered?: number }>();
  private scripts: ScriptStep[] = [];
  private readonly onCommand = (m: unknown) => {
    const s = m as CommandStep;
    if (s.step === "received") this.commands.set(s.seq, { read: s.at });
    else {
      const c = this.commands.get(s.seq);
      if (c) c[s.step] = s.at;
    }
  };
  private readonly onScript = (m: unknown) => {
    this.scripts.push(m as ScriptStep);
  };

  start(): void {
    this.commands.clear();
    this.scripts = [];
    subscribe("jielong:command", this.onCommand);
    subscribe("jielong:script", this.onScript);
  }

  stop(): Timeline {
    unsubscribe("jielong:command", this.onCommand);
    unsubscribe("jielong:script", this.onScript);
    const cs = [...this.commands.values()];
    const t0 = Math.min(...cs.map((c) => c.read));
    const rel = (xs: (number | undefined)[]) =>
      xs.filter((x): x is number => x !== undefined).map((x) => x - t0);
    const max = (xs: number[]) => (xs.length ? Math.max(...xs) : Number.NaN);
    const min = (xs: number[]) => (xs.length ? Math.min(...xs) : Number.NaN);
    const sent = rel(this.scripts.filter((s) => s.step === "sent").map((s) => s.at));
    const replied = rel(this.scripts.filter((s) => s.step === "replied").map((s) => s.at));
    const answered = rel(cs.map((c) => c.answered));
    const gaps = (from: (c: (typeof cs)[number]) => number | undefined, to: typeof from) =>
      cs.flatMap((c) => {
        const a = from(c);
        const b = to(c);
        return a === undefined || b === undefined ? [] : [b - a];
      });
    const both = (xs: number[]) => ({ p50: pct(xs, 50), p99: pct(xs, 99) });
    return {
      commands: cs.length,
      lastRead: max(rel(cs.map((c) => c.read))),
      lastValidated: max(rel(cs.map((c) => c.validated))),
      pipelines: sent.length,
      scripts: this.scripts.filter((s) => s.step === "sent").reduce((n, s) => n + s.scripts, 0),
      firstSent: min(sent),
      lastSent: max(sent),
      firstReplied: min(replied),
      lastReplied: max(replied),
      firstAnswered: min(answered),
      lastAnswered: max(answered),
      validate: both(
        gaps(
          (c) => c.read,
          (c) => c.validated,
        ),
      ),
      wait: both(
        gaps(
          (c) => c.validated,
          (c) => c.answered,
        ),
      ),
      total: both(
        gaps(
          (c) => c.read,
          (c) => c.answered,
        ),
      ),
    };
  }
}
