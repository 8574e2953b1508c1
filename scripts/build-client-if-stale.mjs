// `npm start` runs this first: build the web app when dist/client is missing or older than its sources.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const stamp = path.join(root, "dist/client/index.html");

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

const sources = Math.max(
  newest(path.join(root, "client")),
  newest(path.join(root, "shared")),
  statSync(path.join(root, "vite.config.ts")).mtimeMs,
  statSync(path.join(root, "package-lock.json")).mtimeMs,
);
if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) process.exit(0);
process.stdout.write("Building the web app (client/ → dist/client)…\n");
execFileSync(
  process.execPath,
  [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
