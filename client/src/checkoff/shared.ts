/** What the check-off and packing views share: the address's parameters, the socket, small hooks. */
import { errorText } from "../i18n.js";
import type { LocalFailure } from "../live/socket.js";
import { isIsoDate } from "./lib.js";
import { tc } from "./words.js";

export { useDebounced } from "../hooks.js";
export { useSocket } from "../live/socket.js";

export interface Params {
  view: "checkoff" | "pack";
  date: string | null;
  dp: string | null;
  chain: string | null;
}

export function readParams(): Params {
  const q = new URLSearchParams(location.search);
  const date = q.get("date");
  return {
    view: q.get("view") === "pack" ? "pack" : "checkoff",
    date: isIsoDate(date) ? date : null,
    dp: q.get("dp") || null,
    chain: q.get("chain") || null,
  };
}

export type Go = (next: Params) => void;

/** A failed command in plain words (offline and timeouts included). */
export function failure(
  reply: LocalFailure | { ok: false; error: { code: string; message: string } },
) {
  return reply.error.code === "offline"
    ? tc("offlineError")
    : errorText(reply.error.code, reply.error.message);
}
