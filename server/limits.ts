/**
 * The throttling policy, for both transports: which counters a socket command, an HTTP write and
 * a token check go through, and what a refusal says (`rate_limited` with retryAfterMs). Counters
 * that must hold across app nodes live in Redis (store/rate-limits.ts); what belongs to one socket
 * or one node is counted here in memory. RATE_LIMITS=off turns all of it off.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "./config.js";
import type { Ctx } from "./context.js";
import { sha256 } from "./crypto.js";
import { AppError, rateLimited, TokenRejected } from "./errors.js";
import { type Rate, sharedLimiter } from "./store/rate-limits.js";

type Limiter = Pick<RateLimiterMemory, "consume" | "get">;

/** Who sent a socket command. */
export interface Sender {
  socketId: string;
  deviceHash: string | null;
  /** addressKey() of the client's address. */
  ip: string;
}

const memory = (rate: Rate) =>
  new RateLimiterMemory({ points: rate.points, duration: rate.seconds });

/** Consume one point; the wait in ms when refused, else 0. Storage errors let the call through. */
async function take(limiter: Limiter, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (res) {
    return res instanceof RateLimiterRes ? Math.max(1, res.msBeforeNext) : 0;
  }
}

export class Limits {
  readonly enabled: boolean;
  private readonly perSocket: Limiter;
  private readonly perDevice: Limiter;
  private readonly perIp: Limiter;
  private readonly httpWrites: Limiter;
  /** Refused commands per socket: past this, the socket is disconnected. */
  private readonly throttled: Limiter;
  /** One point per (address, token) pair, so a token counts once however often it is resent. */
  private readonly tokensSeen: Limiter;
  private readonly tokenFailures: Limiter;
  private readonly tokenFailuresMax: number;
  private readonly maxSockets: number;
  private readonly sockets = new Map<string, number>();

  constructor(ctx: Ctx) {
    const c: Config = ctx.config;
    this.enabled = !c.RATE_LIMITS_OFF;
    // A socket lives on one node: its own counters need not be shared.
    this.perSocket = memory(c.RATE_SOCKET_COMMANDS);
    this.throttled = memory(c.RATE_SOCKET_THROTTLED);
    this.perDevice = sharedLimiter(ctx, "device", c.RATE_DEVICE_COMMANDS);
    this.perIp = sharedLimiter(ctx, "ip", c.RATE_IP_COMMANDS);
    this.httpWrites = sharedLimiter(ctx, "http", c.RATE_IP_HTTP_WRITES);
    const fails = c.RATE_IP_TOKEN_FAILURES;
    this.tokensSeen = sharedLimiter(ctx, "token-seen", { points: 1, seconds: fails.seconds });
    this.tokenFailures = sharedLimiter(ctx, "token-fail", fails);
    this.tokenFailuresMax = fails.points;
    this.maxSockets = c.MAX_SOCKETS_PER_IP;
  }

  /** One socket command: counted per socket, per device key and per address. */
  async command(from: Sender): Promise<void> {
    if (!this.enabled) return;
    const waits = await Promise.all([
      take(this.perSocket, from.socketId),
      from.deviceHash ? take(this.perDevice, from.deviceHash) : 0,
      take(this.perIp, from.ip),
    ]);
    const wait = Math.max(...waits);
    if (wait > 0) throw rateLimited(wait);
  }

  /** Count a refused command; true once the socket keeps sending long after being told to wait. */
  async keepsSending(socketId: string): Promise<boolean> {
    return this.enabled && (await take(this.throttled, socketId)) > 0;
  }

  /** One HTTP write (any method but GET, HEAD, OPTIONS) under /api, per address. */
  async httpWrite(ip: string): Promise<void> {
    if (!this.enabled) return;
    const wait = await take(this.httpWrites, ip);
    if (wait > 0) throw rateLimited(wait);
  }

  /**
   * Token guessing, per address: once an address has sent RATE_IP_TOKEN_FAILURES different wrong
   * tokens (session, setup or invite) in the window, its token checks are refused until the
   * window ends, whatever the token: a guesser learns nothing more, and a right token from
   * another address still works. A wrong token resent counts once.
   *
   * A session lookup only reads, so it runs alongside the block check (a refused answer hides
   * what it found); it fails by finding nothing.
   */
  async lookupSession<T>(ip: string, token: string, read: () => Promise<T | null>) {
    if (!this.enabled) return read();
    const [blocked, found] = await Promise.all([this.tokenBlockedFor(ip), read()]);
    if (blocked > 0) throw rateLimited(blocked);
    if (found === null) await this.tokenFailed(ip, token);
    return found;
  }

  /** Use a setup or invite token, only once the address is not refused: using one has effects. */
  async useToken<T>(ip: string, token: string, use: () => Promise<T>): Promise<T> {
    if (!this.enabled) return use();
    const blocked = await this.tokenBlockedFor(ip);
    if (blocked > 0) throw rateLimited(blocked);
    try {
      return await use();
    } catch (err) {
      if (err instanceof TokenRejected) await this.tokenFailed(ip, token);
      throw err;
    }
  }

  private async tokenBlockedFor(ip: string): Promise<number> {
    const res = await this.tokenFailures.get(ip).catch(() => null);
    return res && res.consumedPoints >= this.tokenFailuresMax ? Math.max(1, res.msBeforeNext) : 0;
  }

  private async tokenFailed(ip: string, token: string): Promise<void> {
    if ((await take(this.tokensSeen, `${ip}:${sha256(token)}`)) > 0) return; // Seen: counted.
    await take(this.tokenFailures, ip);
  }

  /** A socket wants to connect from this address: false when the address has too many open. */
  mayOpenSocket(ip: string): boolean {
    return !this.enabled || (this.sockets.get(ip) ?? 0) < this.maxSockets;
  }

  socketOpened(ip: string): void {
    this.sockets.set(ip, (this.sockets.get(ip) ?? 0) + 1);
  }

  socketClosed(ip: string): void {
    const left = (this.sockets.get(ip) ?? 1) - 1;
    if (left > 0) this.sockets.set(ip, left);
    else this.sockets.delete(ip);
  }
}

/** The handshake refusal for an address with too many open sockets (connect_error). */
export function tooManySockets(): Error & { data: unknown } {
  const body = new AppError("rate_limited", "too many connections from this address").toBody();
  return Object.assign(new Error(body.message), { data: body });
}
