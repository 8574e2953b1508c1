/**
 * The web app: static files built from client/ into dist/client. Hashed assets are cached for a
 * year; every page path (/c/…, /g, /admin, /setup, /join) gets index.html, never cached.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";

const DIST = path.resolve(import.meta.dirname, "../../dist/client");
/** The service worker that keeps the app shell for offline first loads (served as written). */
const SERVICE_WORKER = path.resolve(import.meta.dirname, "../../client/sw.js");

export function webAppRoutes(): Router {
  const r = Router();
  const index = path.join(DIST, "index.html");
  r.use(
    "/assets",
    express.static(path.join(DIST, "assets"), {
      immutable: true,
      maxAge: "365d",
      fallthrough: false,
    }),
  );
  r.get("/sw.js", (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    res.type("text/javascript").sendFile(SERVICE_WORKER);
  });
  r.get(/^\/(c\/[^/]+|g|admin|setup|join|print|checkoff)?\/?$/, (_req, res) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .type("text")
        .send("The web app is not built yet: run `npm run build` (npm start does it).");
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return r;
}
