/**
 * Whether a socket's session still holds, asked before every staff broadcast (pickup lists).
 * A session that was signed out, removed or has expired stops receiving at once: sign-outs
 * arrive on the sessions channel and drop the cached answer; a cached "valid" never outlives
 * the session's own expiry (its PTTL), and is re-read from Redis after a few seconds anyway.
 */
import type { Ctx } from "../context.js";
import { sessionTtlMs } from "../store/sessions.js";

const RECHECK_MS = 5_000;

export class SessionGuard {
  private readonly cache = new Map<string, { valid: boolean; until: number }>();

  constructor(private readonly ctx: Ctx) {}

  async isValid(tokenHash: string | null): Promise<boolean> {
    if (!tokenHash) return false;
    const now = Date.now();
    const hit = this.cache.get(tokenHash);
    if (hit && now < hit.until) return hit.valid;
    // Redis unreachable for a moment: keep serving (sign-outs still arrive on the channel).
    const ttl = await sessionTtlMs(this.ctx, tokenHash).catch(() => null);
    if (ttl === null) return true;
    const valid = ttl > 0;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, {
      valid,
      until: now + (valid ? Math.min(RECHECK_MS, ttl) : RECHECK_MS),
    });
    return valid;
  }

  /** The session ended (sessions channel): ask Redis next time. */
  forget(tokenHash: string): void {
    this.cache.delete(tokenHash);
  }
}
