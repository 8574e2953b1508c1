/**
 * Which browser origins may write and open sockets. Browsers send `Origin` on every cross-origin
 * request, on every POST/PATCH/DELETE, and on the WebSocket handshake; scripts, the CLI and
 * supertest send none, and are allowed (they carry their own Bearer token and no cookie).
 *
 * Allowed: PUBLIC_URL's origin, ALLOWED_ORIGINS, and the request's own host (same-origin). The
 * last one is what makes a phone on the LAN work at http://192.168.1.5:3000 without
 * configuration. It is safe: a foreign page's Origin never names our host, and a page that does
 * (DNS rebinding: the attacker's name pointed at our address) is another site to the browser,
 * which sends it none of our cookies or stored device keys. `Origin: null` (sandboxed frames,
 * file://, some redirects) is always foreign.
 */
import type { Config } from "./config.js";

export type OriginCheck = (origin: string | undefined, host: string | undefined) => boolean;

export function originCheck(config: Config): OriginCheck {
  const allowed = new Set([new URL(config.PUBLIC_URL).origin, ...config.ALLOWED_ORIGINS]);
  return (origin, host) => {
    if (origin === undefined) return true;
    if (allowed.has(origin)) return true;
    if (!host || !URL.canParse(origin)) return false;
    const url = new URL(origin);
    return /^https?:$/.test(url.protocol) && url.host === host.toLowerCase();
  };
}
