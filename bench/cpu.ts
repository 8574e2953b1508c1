/**
 * CPU time of every process in a scenario, read from /proc (Linux): user + sys of the whole
 * process from /proc/<pid>/stat, and the main thread's own run time in ns from
 * /proc/<pid>/task/<pid>/schedstat (a Node app's JavaScript runs there; GC helpers and libuv's
 * pool do not), with the time it was ready to run but waited for a core.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface Proc {
  label: string;
  pid: number;
}

interface Reading {
  userTicks: number;
  sysTicks: number;
  mainNs: number | null;
  /** The main thread's time runnable but waiting for a core (schedstat's second field). */
  mainWaitNs: number | null;
}

export interface CpuRow {
  label: string;
  pid: number;
  userMs: number;
  sysMs: number;
  /** Main thread only (ns precision), or null when /proc has no schedstat. */
  mainThreadMs: number | null;
  /** Time the main thread was ready to run but waited for a core (other work had both). */
  mainWaitMs: number | null;
  /** (user + sys) / wall time: 1 = one core busy the whole time. */
  cores: number;
}

export interface CpuWindow {
  wallMs: number;
  rows: CpuRow[];
  /** Every process on the machine, ours and others' (/proc/stat), in cores; null off Linux. */
  machineCores: number | null;
}

let tickHz = 0;
function ticksPerSecond(): number {
  if (tickHz) return tickHz;
  try {
    tickHz = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    tickHz = 100;
  }
  return tickHz;
}

function read(pid: number): Reading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    let mainNs: number | null = null;
    let mainWaitNs: number | null = null;
    try {
      const sched = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ");
      mainNs = Number(sched[0]);
      mainWaitNs = Number(sched[1]);
    } catch {
      mainNs = null;
    }
    return { userTicks: Number(fields[11]), sysTicks: Number(fields[12]), mainNs, mainWaitNs };
  } catch {
    return null;
  }
}

/** Busy jiffies of the whole machine (all CPUs): everything but idle and iowait. */
function machineBusyTicks(): number | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [, ...fields] = line.trim().split(/\s+/);
    const n = fields.map(Number);
    // user nice system idle iowait irq softirq steal …
    return (n[0] ?? 0) + (n[1] ?? 0) + (n[2] ?? 0) + (n[5] ?? 0) + (n[6] ?? 0) + (n[7] ?? 0);
  } catch {
    return null;
  }
}

/** Start measuring now; `stop()` returns each process's CPU since then. */
export function cpuWindow(procs: Proc[]): { stop(): CpuWindow } {
  const t0 = performance.now();
  const before = procs.map((p) => read(p.pid));
  const machine0 = machineBusyTicks();
  return {
    stop() {
      const wallMs = performance.now() - t0;
      const hz = ticksPerSecond();
      const rows: CpuRow[] = [];
      procs.forEach((p, i) => {
        const a = before[i];
        const b = read(p.pid);
        if (!a || !b) return;
        const userMs = ((b.userTicks - a.userTicks) * 1000) / hz;
        const sysMs = ((b.sysTicks - a.sysTicks) * 1000) / hz;
        rows.push({
          label: p.label,
          pid: p.pid,
          userMs,
          sysMs,
          mainThreadMs: a.mainNs !== null && b.mainNs !== null ? (b.mainNs - a.mainNs) / 1e6 : null,
          mainWaitMs:
            a.mainWaitNs !== null && b.mainWaitNs !== null
              ? (b.mainWaitNs - a.mainWaitNs) / 1e6
              : null,
          cores: wallMs > 0 ? (userMs + sysMs) / wallMs : 0,
        });
      });
      const machine1 = machineBusyTicks();
      const machineCores =
        machine0 !== null && machine1 !== null && wallMs > 0
          ? ((machine1 - machine0) * 1000) / hz / wallMs
          : null;
      return { wallMs, rows, machineCores };
    },
  };
}
