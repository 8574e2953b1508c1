/**
 * What a failed Redis call means. A write that fails has one of two outcomes, and callers must be
 * told which:
 * - never sent (not connected), or refused by Redis before it ran (LOADING, READONLY, …): it was
 *   not applied, so it may be sent again freely → StoreUnavailable;
 * - sent, but no answer came back (a timeout, or the connection dropped while waiting): it may
 *   still be applied → StoreOutcomeUnknown. Only the same request id may safely try again.
 */

/** The store is unreachable, or refused the command before running it: nothing was applied. */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}

/** A write was sent and no answer came back: it may or may not have been applied. */
export class StoreOutcomeUnknown extends Error {
  override name = "StoreOutcomeUnknown";
}

/**
 * Redis answered that it did not run the command (it is loading, a replica, failing over, the
 * slot is elsewhere or moving, a transaction was refused whole…).
 */
const REFUSED =
  /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|MOVED|ASK|NOREPLICAS|BUSY|OOM|NOSCRIPT|EXECABORT)\b/;
/**
 * The command never left: not connected, or the stream was not writable; or the cluster or the
 * Sentinels could not say where to send it.
 */
const NOT_SENT =
  /enableOfflineQueue|Stream isn't writeable|ENOENT|ECONNREFUSED|connect ETIMEDOUT|None of startup nodes is available|Failed to refresh slots cache|Cluster is ended|Cluster isn't ready|All sentinels are unreachable|Connection is aborted|Connection is discarded/;
/** ioredis Cluster gave up following redirections; what counts is the last error. */
const REDIRECTIONS = /^Too many Cluster redirections\. Last error: (?:\w*Error: )?(.*)$/s;
/**
 * The command left and no answer came back. "Command aborted due to connection close": ioredis
 * drops the rest of a pipeline that had some of its answers when the connection closed.
 */
const NO_ANSWER =
  /Command timed out|Connection is closed|ECONNRESET|EPIPE|socket hang up|Command aborted due to connection close/;

/** How a failed Redis call ended: not applied, perhaps applied, or neither (our own bug). */
export function classifyRedisError(err: unknown): "unavailable" | "outcome_unknown" | null {
  if (!(err instanceof Error)) return null;
  if (err instanceof StoreUnavailable) return "unavailable";
  if (err instanceof StoreOutcomeUnknown) return "outcome_unknown";
  const redirected = REDIRECTIONS.exec(err.message);
  if (redirected) {
    // MOVED/ASK/TRYAGAIN/CLUSTERDOWN all the way: it never ran. A dropped connection on the way:
    // it may have.
    return classifyRedisError(new Error(redirected[1])) ?? "unavailable";
  }
  if (REFUSED.test(err.message) || NOT_SENT.test(err.message)) return "unavailable";
  if (err.name === "MaxRetriesPerRequestError" || NO_ANSWER.test(err.message)) {
    return "outcome_unknown";
  }
  return null;
}

/**
 * Send one write. When the connection is not ready it is not sent at all (unavailable); once sent,
 * a failure without an answer is an unknown outcome. Reads need none of this: a failed read is
 * simply unavailable (errors.ts).
 */
export async function write<T>(redis: { status: string }, send: () => Promise<T>): Promise<T> {
  if (redis.status !== "ready") throw new StoreUnavailable("storage is not connected");
  try {
    return await send();
  } catch (err) {
    const outcome = classifyRedisError(err);
    if (outcome === "unavailable") throw new StoreUnavailable((err as Error).message);
    if (outcome === "outcome_unknown") throw new StoreOutcomeUnknown((err as Error).message);
    throw err;
  }
}
