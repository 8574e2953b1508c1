/** The browser tests need the built web app: build it when it is missing or stale. */
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup() {
  const root = path.resolve(import.meta.dirname, "../..");
  execFileSync(process.execPath, [path.join(root, "scripts/build-client-if-stale.mjs")], {
    stdio: "inherit",
  });
}
