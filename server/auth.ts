/** Where a session token may come from: a Bearer header, the httpOnly cookie, or the socket handshake. */
export const SESSION_COOKIE = "jl_session";

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A malformed cookie is ignored, not fatal.
    }
  }
  return out;
}

export interface TokenSources {
  authorization?: string;
  cookie?: string;
  handshakeToken?: string;
}

/** The token and where it came from: a browser sends the cookie by itself, a script never does. */
export function findToken(
  sources: TokenSources,
): { token: string; from: "bearer" | "handshake" | "cookie" } | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(sources.authorization ?? "")?.[1];
  if (bearer) return { token: bearer, from: "bearer" };
  if (sources.handshakeToken) return { token: sources.handshakeToken, from: "handshake" };
  const cookie = parseCookies(sources.cookie).get(SESSION_COOKIE);
  return cookie ? { token: cookie, from: "cookie" } : null;
}

export function sessionToken(sources: TokenSources): string | null {
  return findToken(sources)?.token ?? null;
}
