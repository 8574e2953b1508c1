/**
 * Run the service (or one of its scripts) as its own process, the way a user starts it: `node
 * --import tsx <script>` with only the environment given (plus PATH and HOME), its output kept.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];

export interface ServerProcess {
  child: ChildProcess;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Wait until stdout or stderr matches; throws with the output when it exits or times out. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  output(): string;
}

export function startProcess(
  env: Record<string, string>,
  script = "server/index.ts",
  args: string[] = [],
): ServerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (b) => {
    out += b;
  });
  child.stderr?.on("data", (b) => {
    out += b;
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  const waitFor = async (pattern: RegExp, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no ${pattern} in:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return pattern.exec(out) as RegExpExecArray;
  };
  return { child, exited, waitFor, output: () => out };
}

/** SIGKILL every process started here that is still running (a test's afterAll). */
export function killProcesses(): void {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}
