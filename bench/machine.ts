/** What the figures were measured on. */
import { execFileSync } from "node:child_process";
import os from "node:os";

export interface Machine {
  os: string;
  cpuModel: string;
  cpus: number;
  memory: string;
  node: string;
  redis: string;
}

export function describeMachine(redisBin: string): Machine {
  const cpus = os.cpus();
  let redis: string;
  try {
    redis = execFileSync(redisBin, ["--version"], { encoding: "utf8", timeout: 5000 }).trim();
  } catch (err) {
    redis = `unknown (${err instanceof Error ? err.message : String(err)})`;
  }
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpus: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    redis,
  };
}

/** 1-minute load average: how busy the machine already was (other work makes figures noisy). */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
}
