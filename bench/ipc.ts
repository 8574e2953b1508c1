/**
 * The bench's processes and how they talk. The orchestrator (run.ts) forks every server and load
 * generator as its own Node process (through tsx), so each one's CPU can be read on its own, and
 * calls into it over the IPC channel: `child.call("loop", job)` → the child's `loop` handler.
 */
import { type ChildProcess, fork } from "node:child_process";

type Request = { id: number; cmd: string; arg: unknown };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type Hello = { hello: unknown };

export type Handlers = Record<string, (arg: never) => unknown>;

/** Inside a child: answer the parent's calls; `hello` goes first, when the child is ready. */
export function serve(handlers: Handlers, hello: unknown = null): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error("a bench child must be started by the bench (no IPC channel)");
  process.on("message", (m: Request) => {
    const handler = handlers[m.cmd] as ((arg: unknown) => unknown) | undefined;
    void (async () => {
      try {
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        send({ id: m.id, ok: true, value: (await handler(m.arg)) ?? null } satisfies Reply);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        send({ id: m.id, ok: false, error } satisfies Reply);
      }
    })();
  });
  // The orchestrator went away (crash, kill): nothing is left to report to.
  process.once("disconnect", () => process.exit(2));
  send({ hello } satisfies Hello);
}

export interface ChildOptions {
  /** Extra Node flags (e.g. --expose-gc). */
  execArgv?: string[];
  args?: string[];
  env?: Record<string, string>;
  /** How long the child may take to say hello. */
  startTimeoutMs?: number;
}

/** A child process as the orchestrator sees it. */
export class Child<H = unknown> {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private readonly tail: string[] = [];
  readonly exited: Promise<void>;
  hello!: H;

  private constructor(
    readonly label: string,
    readonly proc: ChildProcess,
  ) {
    const keep = (b: Buffer) => {
      this.tail.push(b.toString());
      if (this.tail.length > 30) this.tail.shift();
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    proc.on("message", (m: Reply | Hello) => {
      if ("hello" in m) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${label}: ${m.error}`));
    });
    this.exited = new Promise((resolve) => {
      proc.once("exit", (code, signal) => {
        const why = new Error(`${label} exited (${signal ?? code})${this.output()}`);
        for (const p of this.pending.values()) p.reject(why);
        this.pending.clear();
        resolve();
      });
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** What the child last wrote to stdout/stderr (for error messages). */
  output(): string {
    const text = this.tail.join("").trim();
    return text ? `:\n${text.split("\n").slice(-12).join("\n")}` : "";
  }

  static async start<H>(label: string, entry: string, opts: ChildOptions = {}): Promise<Child<H>> {
    const file = new URL(entry, import.meta.url).pathname;
    const proc = fork(file, opts.args ?? [], {
      execArgv: ["--import", "tsx", ...(opts.execArgv ?? [])],
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const child = new Child<H>(label, proc);
    const timeoutMs = opts.startTimeoutMs ?? 30_000;
    child.hello = await new Promise<H>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        reject(new Error(`${label} did not start within ${timeoutMs} ms${child.output()}`));
      }, timeoutMs);
      proc.on("message", (m: Reply | Hello) => {
        if (!("hello" in m)) return;
        clearTimeout(timer);
        resolve(m.hello as H);
      });
      void child.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${label} exited while starting${child.output()}`));
      });
    });
    return child;
  }

  /** Call the child's `cmd` handler; rejects on its error, its exit, or after timeoutMs. */
  call<T>(cmd: string, arg: unknown = null, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: no answer to ${cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      if (!this.proc.connected) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new Error(`${this.label} is not running${this.output()}`));
        return;
      }
      this.proc.send({ id, cmd, arg } satisfies Request);
    });
  }

  /** Ask the child to close and exit; kill it if it does not. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await this.call("close", null, timeoutMs).catch(() => {});
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The `close` handler every child has: reply first, then exit once the reply is out. */
export function exitSoon(cleanup: () => Promise<void> | void = () => {}): () => Promise<null> {
  return async () => {
    await cleanup();
    setTimeout(() => process.exit(0), 20);
    return null;
  };
}

/** The `heap` handler of a server child: memory after full collections (needs --expose-gc). */
export function heapAfterGc(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("start this child with --expose-gc");
  // Twice: the first may leave garbage that only finalisers release.
  gc();
  gc();
  return process.memoryUsage();
}
