/** Ceiling A: a bare Socket.IO server whose one handler acks the payload back, nothing else. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import type { EchoClientToServer } from "./protocol.js";

export interface EchoServer {
  url: string;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const httpServer = createServer();
  // biome-ignore lint/complexity/noBannedTypes: the echo server emits no events of its own
  const io = new Server<EchoClientToServer, {}>(httpServer);
  io.on("connection", (socket) => {
    socket.on("echo", (payload, ack) => ack(payload));
  });
  const port = await new Promise<number>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(0, "127.0.0.1", () => resolve((httpServer.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
