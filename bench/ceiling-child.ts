/**
 * The ceilings, each alone in its own process: `socket` is a bare Socket.IO server (ack the
 * payload back; join a room; `io.to(room).emit` a given event), `http` an Express hello-world.
 * Nothing else runs in them, so they show what Node, Socket.IO and Express cost by themselves.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Server } from "socket.io";
import { exitSoon, heapAfterGc, serve } from "./ipc.js";
import type { CeilingClientToServer, FanoutTemplate } from "./protocol.js";

export interface CeilingHello {
  port: number;
}

const mode = process.argv[2];
const ROOM = "watchers";

const listen = (server: ReturnType<typeof createServer>) =>
  new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

if (mode === "socket") {
  const httpServer = createServer();
  // biome-ignore lint/complexity/noBannedTypes: the bare server sends only what `fanout` asks for
  const io = new Server<CeilingClientToServer, {}>(httpServer, { serveClient: false });
  let template: FanoutTemplate | null = null;
  io.on("connection", (socket) => {
    socket.on("echo", (payload, ack) => ack(payload));
    socket.on("watch", (ack) => {
      void socket.join(ROOM);
      ack(true);
    });
    socket.on("fanout", (version, ack) => {
      if (!template) return ack(false);
      // The event the app sent for a join, with this fan-out's version: same name, same size.
      const { event, payload } = template;
      const withVersion = {
        ...payload,
        from: version,
        to: version,
        events: (payload.events ?? []).map((e) => ({ ...e, version })),
      };
      (io.to(ROOM).emit as (e: string, p: unknown) => void)(event, withVersion);
      ack(true);
    });
  });
  const port = await listen(httpServer);
  serve(
    {
      template: (t: FanoutTemplate) => {
        template = t;
        return null;
      },
      heap: heapAfterGc,
      close: exitSoon(() => new Promise<void>((resolve) => io.close(() => resolve()))),
    },
    { port } satisfies CeilingHello,
  );
} else if (mode === "http") {
  const app = express();
  app.disable("x-powered-by");
  app.get("/", (_req, res) => {
    res.send("Hello World!");
  });
  const httpServer = createServer(app);
  const port = await listen(httpServer);
  serve(
    {
      close: exitSoon(() => {
        httpServer.closeAllConnections();
        return new Promise<void>((resolve) => httpServer.close(() => resolve()));
      }),
    },
    { port } satisfies CeilingHello,
  );
} else {
  throw new Error(`ceiling-child: unknown mode ${mode} (socket or http)`);
}
