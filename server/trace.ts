/**
 * Steps of a command and of the scripts it sends, published on `node:diagnostics_channel` for the
 * bench's burst timeline (bench/app-child.ts listens): where a burst's time goes — reading the
 * requests, waiting to be sent to Redis, Redis, answering. Nothing is built or published unless
 * somebody listens: one `hasSubscribers` read per step.
 */
import { channel } from "node:diagnostics_channel";

export type CommandStep = {
  step: "received" | "validated" | "answered";
  /** Numbers a command's steps, while tracing. */
  seq: number;
  /** performance.now() */
  at: number;
};

export type ScriptStep = {
  /** sent: written to Redis as one pipeline; replied: that pipeline's answers are back. */
  step: "sent" | "replied";
  scripts: number;
  at: number;
};

export const commandSteps = channel("jielong:command");
export const scriptSteps = channel("jielong:script");

let seq = 0;

/** A number for a command's steps when somebody listens, else 0 (and nothing is published). */
export function traceCommand(): number {
  if (!commandSteps.hasSubscribers) return 0;
  seq += 1;
  commandSteps.publish({ step: "received", seq, at: performance.now() } satisfies CommandStep);
  return seq;
}

export function commandStep(seq: number, step: "validated" | "answered"): void {
  if (seq && commandSteps.hasSubscribers) {
    commandSteps.publish({ step, seq, at: performance.now() } satisfies CommandStep);
  }
}

export function scriptStep(step: ScriptStep["step"], scripts: number): void {
  if (scriptSteps.hasSubscribers) {
    scriptSteps.publish({ step, scripts, at: performance.now() } satisfies ScriptStep);
  }
}
