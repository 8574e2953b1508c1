/**
 * Start a client worker thread (bench/client-worker.ts) and talk to it. tsx does not hook
 * worker threads by itself, so the worker boots through tsx's tsImport.
 */
import type { EventLoopUtilization } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { FromWorker, ToWorker, WorkerJob } from "./protocol.js";

const entry = new URL("./client-worker.ts", import.meta.url).href;
const boot = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;

export class ClientWorker {
  private readonly worker: Worker;
  private readonly inbox: FromWorker[] = [];
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly label: string,
    job: WorkerJob,
  ) {
    this.worker = new Worker(boot, { eval: true, workerData: job });
    this.worker.on("message", (m: FromWorker) => {
      this.inbox.push(m);
      this.waiter?.();
    });
    this.worker.on("error", (err) => {
      this.failure = err;
      this.waiter?.();
    });
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", (code) => {
        this.failure ??= new Error(`${label} worker exited (${code})`);
        this.waiter?.();
        resolve();
      });
    });
  }

  /** The worker thread's event-loop utilisation (as Node's performance API reports it). */
  eventLoopUtilization(): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization();
  }

  send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  /** The worker's next `type` message; rejects if it fails, exits, or is silent for timeoutMs. */
  async next<T extends FromWorker["type"]>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromWorker, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type || m.type === "failed");
      const m = i >= 0 ? this.inbox.splice(i, 1)[0] : undefined;
      if (m?.type === "failed") throw new Error(`${this.label}: ${m.message}`);
      if (m) return m as Extract<FromWorker, { type: T }>;
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: no "${type}" within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
  }

  /** Ask the worker to disconnect its clients and exit; terminate it if it does not. */
  async close(timeoutMs = 5000): Promise<void> {
    this.send({ type: "close" });
    const timer = setTimeout(() => void this.worker.terminate(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
