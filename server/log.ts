/** A small leveled logger: one line per event, to stderr. */
const LEVELS = { silent: 0, error: 1, info: 2, debug: 3 } as const;
export type LogLevel = keyof typeof LEVELS;

let level: LogLevel = "info";

export function setLogLevel(next: LogLevel): void {
  level = next;
}

function write(at: LogLevel, msg: string, extra?: unknown): void {
  if (LEVELS[at] > LEVELS[level]) return;
  const tail =
    extra instanceof Error
      ? ` ${extra.stack ?? extra.message}`
      : extra
        ? ` ${JSON.stringify(extra)}`
        : "";
  process.stderr.write(`${new Date().toISOString()} ${at} ${msg}${tail}\n`);
}

export const log = {
  error: (msg: string, extra?: unknown) => write("error", msg, extra),
  info: (msg: string, extra?: unknown) => write("info", msg, extra),
  debug: (msg: string, extra?: unknown) => write("debug", msg, extra),
};
