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

export function sessionToken(sources: {
  authorization?: string;
  cookie?: string;
  handshakeToken?: string;
}): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(sources.authorization ?? "")?.[1];
  return (
    bearer ?? sources.handshakeToken ?? parseCookies(sources.cookie).get(SESSION_COOKIE) ?? null
  );
}
