// `npm start` and `npm test` run this first: what the machine needs besides Node and
// node_modules, installed when the package manager can be used without a prompt (root, or sudo
// without a password), as .ci/run does; otherwise it stops with the one exact command to run.
//
//   node scripts/system-deps.mjs start   redis-server (unless REDIS_URL is set)
//   node scripts/system-deps.mjs test    redis-server, Chromium and a CJK font
//
// No npm package ships these offline: redis-server packages download a build at install time,
// and playwright's Chromium download is what Debian's /usr/bin/chromium replaces here.
// JIELONG_SKIP_SYSTEM_DEPS=1 skips the check (a machine set up another way).
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";

const mode = process.argv[2] === "test" ? "test" : "start";
const env = process.env;
if (env.JIELONG_SKIP_SYSTEM_DEPS === "1") process.exit(0);

/** Is `name` an executable on PATH (or an executable path)? */
function onPath(name) {
  if (name.includes("/")) return executable(name);
  return (env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir && executable(path.join(dir, name)));
}
function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const CHROMIUM = env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CJK_FONT = env.CJK_FONT_FILE ?? "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/** What is needed: the Debian package, whether it is there, and why it is needed. */
const needs = [
  {
    pkg: "redis-server",
    there: () =>
      Boolean(env.REDIS_URL && mode === "start") || onPath(env.REDIS_SERVER_BIN ?? "redis-server"),
    why:
      mode === "start"
        ? "the service keeps its data in a redis-server it starts (or set REDIS_URL)"
        : "the tests start their own redis-server",
  },
  ...(mode === "test"
    ? [
        {
          pkg: "chromium",
          there: () => executable(CHROMIUM),
          why: `the browser tests drive Chromium at ${CHROMIUM} (or set CHROMIUM_PATH)`,
        },
        {
          pkg: "fonts-noto-cjk",
          there: () => existsSync(CJK_FONT),
          why: "the print tests read Chinese back out of PDFs, which needs a CJK font",
        },
      ]
    : []),
];

const missing = needs.filter((n) => !n.there());
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((n) => n.pkg);
const root = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = onPath("apt-get");
const sudoOk =
  !root &&
  hasApt &&
  onPath("sudo") &&
  spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
const command = `${root ? "" : "sudo "}apt-get install -y ${pkgs.join(" ")}`;

for (const n of missing) process.stdout.write(`Missing ${n.pkg}: ${n.why}.\n`);

if (!hasApt || !(root || sudoOk)) {
  const how = hasApt
    ? `Run this once, then npm ${mode} again:\n  ${command}\n`
    : `Install ${pkgs.join(", ")} with your package manager (Debian/Ubuntu: ${command}; macOS: brew install ${pkgs.includes("redis-server") ? "redis " : ""}${pkgs.includes("chromium") ? "--cask chromium " : ""}${pkgs.includes("fonts-noto-cjk") ? "font-noto-sans-cjk" : ""}), then npm ${mode} again.\n`;
  process.stderr.write(how);
  process.exit(1);
}

process.stdout.write(
  `Installing ${pkgs.join(", ")} with apt-get (${root ? "as root" : "sudo without a password"})…\n`,
);
const run = (args) =>
  execFileSync(root ? "apt-get" : "sudo", root ? args : ["-n", "apt-get", ...args], {
    stdio: "inherit",
    env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
  });
try {
  run(["update", "-qq"]);
  run(["install", "-y", "-qq", "--no-install-recommends", ...pkgs]);
} catch {
  process.stderr.write(
    `Installing failed. Run it yourself, then npm ${mode} again:\n  ${command}\n`,
  );
  process.exit(1);
}
const still = missing.filter((n) => !n.there()).map((n) => n.pkg);
if (still.length) {
  process.stderr.write(`Still missing after installing: ${still.join(", ")}.\n`);
  process.exit(1);
}
process.stdout.write(`Installed ${pkgs.join(", ")}.\n`);
