import { describe, expect, it } from "vitest";
import {
  classifyRedisError,
  StoreOutcomeUnknown,
  StoreUnavailable,
} from "../../server/store/failures.js";

/**
 * What a failed Redis call means for a write: never run (unavailable, safe to send again) or
 * perhaps run (outcome_unknown, only the same request id may try again). A cluster or Sentinel
 * failing over answers with these; none of them may become an internal error.
 */
describe("store failures: unavailable or outcome_unknown, never an internal error", () => {
  const refused = [
    "READONLY You can't write against a read only replica.",
    "MOVED 3999 127.0.0.1:7002",
    "ASK 3999 127.0.0.1:7002",
    "CLUSTERDOWN The cluster is down",
    "CLUSTERDOWN Hash slot not served",
    "TRYAGAIN Multiple keys request during rehashing of slot",
    "LOADING Redis is loading the dataset in memory",
    "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
    "NOREPLICAS Not enough good replicas to write.",
    "EXECABORT Transaction discarded because of previous errors.",
    "Too many Cluster redirections. Last error: ReplyError: MOVED 3999 127.0.0.1:7002",
    "Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down",
    "Too many Cluster redirections. Last error: TRYAGAIN Multiple keys request",
    "None of startup nodes is available",
    "Failed to refresh slots cache.",
    "Cluster isn't ready and enableOfflineQueue options is false",
    "Stream isn't writeable and enableOfflineQueue options is false",
    "All sentinels are unreachable. Retrying from scratch after 10ms.",
    "connect ECONNREFUSED 127.0.0.1:7000",
  ];
  for (const message of refused) {
    it(`"${message.slice(0, 60)}" was not run: unavailable`, () => {
      expect(classifyRedisError(new Error(message))).toBe("unavailable");
    });
  }

  const unknown = [
    "Command timed out",
    "Connection is closed.",
    "read ECONNRESET",
    // ioredis AbortError: the rest of a pipeline that had some of its answers (scripts batched).
    "Command aborted due to connection close",
    "Too many Cluster redirections. Last error: Error: Connection is closed.",
  ];
  for (const message of unknown) {
    it(`"${message}" may have run: outcome_unknown`, () => {
      expect(classifyRedisError(new Error(message))).toBe("outcome_unknown");
    });
  }

  it("keeps its own errors as they are, and leaves anything else to be a bug", () => {
    expect(classifyRedisError(new StoreUnavailable("x"))).toBe("unavailable");
    expect(classifyRedisError(new StoreOutcomeUnknown("x"))).toBe("outcome_unknown");
    const maxRetries = new Error("Reached the max retries per request limit (which is 0).");
    maxRetries.name = "MaxRetriesPerRequestError";
    expect(classifyRedisError(maxRetries)).toBe("outcome_unknown");
    expect(
      classifyRedisError(new Error("CROSSSLOT Keys in request don't hash to the same slot")),
    ).toBe(null);
    expect(classifyRedisError(new Error("ERR wrong number of arguments"))).toBe(null);
  });
});
