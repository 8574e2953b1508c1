/**
 * The app factory: createApp({config, redis}) builds the HTTP server, Socket.IO and the broadcast
 * path around one Redis connection. Tests start it on port 0.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import compression from "compression";
import express from "express";
import { Server } from "socket.io";
import { trustOf } from "./client-address.js";
import type { Config } from "./config.js";
import type { Ctx } from "./context.js";
import { startCutoffSweep } from "./domain/cutoff-sweep.js";
import { errorHandler, notFoundHandler } from "./http/errors.js";
import { jsonForCookieWrites, originGuard } from "./http/guards.js";
import { apiRoutes } from "./http/routes.js";
import { securityHeaders } from "./http/security-headers.js";
import { sessionMiddleware } from "./http/session.js";
import { throttleMiddleware } from "./http/throttle.js";
import { webAppRoutes } from "./http/web-app.js";
import { Limits } from "./limits.js";
import { setLogLevel } from "./log.js";
import { originCheck } from "./origins.js";
import { Broadcaster } from "./realtime/broadcaster.js";
import { attachSocketHandlers } from "./realtime/socket-server.js";
import type { IoServer } from "./realtime/types.js";
import { checkStore } from "./store/health.js";
import { makeKeys } from "./store/keys.js";
import { closeCounters, countersReady } from "./store/rate-limits.js";
import type { StoreConnection } from "./store/redis.js";

export interface App {
  ctx: Ctx;
  httpServer: HttpServer;
  io: IoServer;
  broadcaster: Broadcaster;
  limits: Limits;
  /** Listen; resolves with the bound port. */
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  redis: StoreConnection;
  /** Close chains at their cutoff in the background (default true). */
  sweepCutoffs?: boolean;
}

/** How long a dropped client may come back and be replayed what it missed. */
const RECOVERY_MS = 2 * 60_000;

export function createApp({ config, redis, sweepCutoffs = true }: AppOptions): App {
  const ctx: Ctx = { config, redis, keys: makeKeys(config.KEY_PREFIX) };
  setLogLevel(config.LOG_LEVEL);
  const limits = new Limits(ctx);
  const trust = trustOf(config.TRUST_PROXY);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trust);
  const headers = securityHeaders(config);
  app.use(headers);
  // Phones on slow networks: gzip everything worth it.
  app.use(compression());
  app.get("/api/health", async (_req, res) => {
    const health = await checkStore(ctx);
    res.set("Cache-Control", "no-store");
    if (health.ok) {
      res.json({
        status: "ok",
        redis: {
          status: "ready",
          mode: health.mode,
          latencyMs: health.latencyMs,
          primaries: health.primaries,
          replicas: health.primaries.reduce((n, p) => n + p.replicas, 0),
          warnings: health.warnings,
        },
      });
    } else {
      res.status(503).json({
        status: "unavailable",
        redis: { status: health.status, mode: health.mode, reason: health.reason },
        error: { code: "unavailable", message: "storage is unavailable" },
      });
    }
  });
  app.use(
    "/api",
    originGuard(config),
    throttleMiddleware(limits),
    express.json({ limit: "32kb" }),
    sessionMiddleware(ctx, limits),
    jsonForCookieWrites,
    apiRoutes(ctx, limits),
  );
  app.use("/api", notFoundHandler);
  app.use(webAppRoutes());
  app.use(errorHandler);

  const httpServer = createServer(app);
  const allowedOrigin = originCheck(config);
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: true },
    serveClient: false,
    // A page on another site must not open a socket that rides on our session cookie.
    allowRequest: (req, callback) => {
      const ok = allowedOrigin(req.headers.origin, req.headers.host);
      callback(ok ? null : "forbidden_origin", ok);
    },
  });
  // Socket.IO's own HTTP answers (long-polling) get the same headers.
  io.engine.use(headers);
  const broadcaster = new Broadcaster(ctx, io, RECOVERY_MS);
  attachSocketHandlers(io, ctx, limits, trust);
  const stopSweep = sweepCutoffs ? startCutoffSweep(ctx) : () => {};

  return {
    ctx,
    httpServer,
    io,
    broadcaster,
    limits,
    async listen(port = config.PORT, host = config.HOST) {
      await countersReady(ctx);
      return new Promise<number>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
      });
    },
    async close() {
      stopSweep();
      closeCounters(ctx);
      await broadcaster.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
