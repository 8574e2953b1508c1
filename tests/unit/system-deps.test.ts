/**
 * `npm start` / `npm test` on a machine without redis-server, Chromium or the CJK font: hidden
 * here by PATH, CHROMIUM_PATH and CJK_FONT_FILE. With a package manager it may use (a stand-in
 * apt-get, and sudo when not root) it installs them, saying what and why; without, it stops with
 * the one exact command. Nothing is really installed.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "../../scripts/system-deps.mjs");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const root = process.getuid?.() === 0;

/** A machine with none of the three: an empty PATH dir, and where Chromium and the font would be. */
function bareMachine() {
  const dir = mkdtempSync(path.join(tmpdir(), "jl-deps-"));
  dirs.push(dir);
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  return {
    dir,
    bin,
    env: {
      PATH: bin,
      CHROMIUM_PATH: path.join(dir, "chromium"),
      CJK_FONT_FILE: path.join(dir, "NotoSansCJK-Regular.ttc"),
    },
  };
}

function exe(file: string, body: string) {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

function run(mode: "start" | "test", env: Record<string, string>) {
  const r = spawnSync(process.execPath, [script, mode], { env, encoding: "utf8" });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe("system dependencies on a fresh machine", () => {
  it("when nothing may be installed, then npm test stops with the one exact command, and says why each is needed", () => {
    const m = bareMachine();
    exe(path.join(m.bin, "apt-get"), "exit 1"); // There, but not usable: not root and no sudo.
    const r = run("test", m.env);
    const command = "apt-get install -y redis-server chromium fonts-noto-cjk";
    if (root) {
      // Root may use apt-get: this case is the one below without apt-get at all.
      expect(r.status).toBe(1);
      expect(r.err).toContain("Installing failed. Run it yourself");
      expect(r.err).toContain(`  ${command}`);
    } else {
      expect(r.status).toBe(1);
      expect(r.err.trim().split("\n")).toEqual([
        "Run this once, then npm test again:",
        `  sudo ${command}`,
      ]);
    }
    expect(r.out).toContain("Missing redis-server: the tests start their own redis-server.");
    expect(r.out).toContain("Missing chromium: the browser tests drive Chromium at");
    expect(r.out).toContain(
      "Missing fonts-noto-cjk: the print tests read Chinese back out of PDFs",
    );
  });

  it("when there is no apt-get, then it names the packages and the command for Debian and macOS", () => {
    const m = bareMachine();
    const r = run("start", m.env);
    expect(r.status).toBe(1);
    expect(r.out).toContain("Missing redis-server: the service keeps its data in a redis-server");
    expect(r.err).toContain(`${root ? "" : "sudo "}apt-get install -y redis-server`);
    expect(r.err).toContain("brew install redis");
    // npm start needs no browser.
    expect(r.out).not.toContain("chromium");
  });

  it("when the package manager may be used, then it installs what is missing, saying what and why", () => {
    const m = bareMachine();
    const log = path.join(m.dir, "apt.log");
    // A stand-in apt-get: records what it was asked, and "installs" by making the files.
    exe(
      path.join(m.bin, "apt-get"),
      [
        `echo "$@" >> ${log}`,
        `if [ "$1" = install ]; then`,
        `  printf '#!/bin/sh\\n' > ${m.bin}/redis-server; /bin/chmod 755 ${m.bin}/redis-server`,
        `  printf '#!/bin/sh\\n' > ${m.env.CHROMIUM_PATH}; /bin/chmod 755 ${m.env.CHROMIUM_PATH}`,
        `  : > ${m.env.CJK_FONT_FILE}`,
        "fi",
      ].join("\n"),
    );
    // sudo without a password, when not root: runs the command as is.
    exe(path.join(m.bin, "sudo"), '[ "$1" = -n ] && shift\nexec "$@"');
    const r = run("test", m.env);
    expect(r.err).toBe("");
    expect(r.status).toBe(0);
    expect(r.out).toContain("Missing chromium: the browser tests drive Chromium");
    expect(r.out).toContain(
      `Installing redis-server, chromium, fonts-noto-cjk with apt-get (${root ? "as root" : "sudo without a password"})`,
    );
    expect(r.out).toContain("Installed redis-server, chromium, fonts-noto-cjk.");
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "update -qq",
      "install -y -qq --no-install-recommends redis-server chromium fonts-noto-cjk",
    ]);
    // Everything there now: nothing to say.
    expect(run("test", m.env)).toEqual({ status: 0, out: "", err: "" });
  });

  it("when REDIS_URL is set, then npm start needs no redis-server", () => {
    const m = bareMachine();
    expect(run("start", { ...m.env, REDIS_URL: "redis://127.0.0.1:6399" }).status).toBe(0);
  });
});
