/**
 * Security headers on every response (helmet). The Content-Security-Policy is what the built
 * client needs and no more: its scripts and styles are files under /assets (Vite emits no inline
 * script or style; Preact sets style properties through the DOM, which CSP does not govern), the
 * QR codes are inline SVG elements, the favicon is `data:,`, the camera feeds a <video> through
 * srcObject (no URL to allow), and the only connections are the API and Socket.IO on this host.
 * Nothing may frame the pages (a framed check-off page could be clicked through), and no page
 * sends a Referer: invite and setup links carry tokens in their query string.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import type { Config } from "../config.js";

/** ws(s) of the host the page was loaded from; 'self' covers it in CSP 3, older Safari needs it. */
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;
const socketOf = (scheme: "ws" | "wss") => (req: IncomingMessage) => {
  const host = req.headers.host ?? "";
  return HOST.test(host) ? `${scheme}://${host}` : "'self'";
};

export function securityHeaders(config: Config) {
  const https = config.PUBLIC_URL.startsWith("https:");
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", socketOf("ws"), socketOf("wss")],
        mediaSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Behind TLS only: on a plain-http LAN it would send the page's requests to https.
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    // Browsers ignore HSTS over plain http; behind TLS it keeps phones on https.
    strictTransportSecurity: https ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
  });
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    // The check-off scanner uses the camera; nothing uses the microphone or location.
    res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
    headers(req, res, next);
  };
}
