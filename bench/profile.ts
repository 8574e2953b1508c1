/**
 * Read a V8 .cpuprofile (node --cpu-prof) and total the self time by function and by module
 * (an npm package, a file of ours, or Node itself), as shares of the time the process was busy.
 * `npx tsx bench/profile.ts FILE.cpuprofile [JOINS]` prints the same for any profile.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  where: string;
  selfMs: number;
  /** Share of busy time (everything but idle). */
  share: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  functions: Cost[];
  modules: Cost[];
}

const root = path.resolve(import.meta.dirname, "..");

/** V8's own entries: native code it cannot attribute, and the collector. */
const V8_BUCKETS = ["(program)", "(garbage collector)", "(root)"];

/** node_modules/<pkg>/…, a path inside the repo, or the URL as is (node:internal/…). */
function place(url: string): { module: string; file: string } {
  if (!url) return { module: "(native code)", file: "" };
  const p = url.startsWith("file://") ? new URL(url).pathname : url;
  const nm = p.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = p.slice(nm + "/node_modules/".length);
    const parts = rest.split("/");
    const pkg = rest.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? rest);
    return { module: pkg, file: rest };
  }
  if (p.startsWith(root)) {
    const rel = path.relative(root, p);
    return { module: rel, file: rel };
  }
  return { module: p.startsWith("node:") ? "node (built-in modules)" : p, file: p };
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; the time after it is the sample's own.
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  const fns = new Map<string, Cost>();
  const mods = new Map<string, Cost>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id);
    if (!f) continue;
    totalUs += us;
    if (f.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const { module, file: where } = place(f.url);
    const name = f.functionName || "(anonymous)";
    const fnKey = `${name}|${where}|${f.lineNumber}`;
    // Our .ts files run transpiled by tsx: their line numbers do not match the source.
    const line = where.endsWith(".ts") ? "" : `:${f.lineNumber + 1}`;
    const fn = fns.get(fnKey) ?? {
      name,
      where: where ? `${where}${line}` : "",
      selfMs: 0,
      share: 0,
    };
    fn.selfMs += us / 1000;
    fns.set(fnKey, fn);
    // Functions without a script are native (V8 builtins, Node's C++ bindings such as writev).
    const modName = f.url ? module : V8_BUCKETS.includes(name) ? name : "(native code)";
    const mod = mods.get(modName) ?? { name: modName, where: "", selfMs: 0, share: 0 };
    mod.selfMs += us / 1000;
    mods.set(modName, mod);
  }
  const busyMs = (totalUs - idleUs) / 1000;
  const rank = (m: Map<string, Cost>) =>
    [...m.values()]
      .map((c) => ({ ...c, share: busyMs > 0 ? c.selfMs / busyMs : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return { wallMs: totalUs / 1000, busyMs, functions: rank(fns), modules: rank(mods) };
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const [file, joins] = process.argv.slice(2);
  if (!file) {
    process.stderr.write("usage: npx tsx bench/profile.ts FILE.cpuprofile [JOINS]\n");
    process.exit(2);
  }
  const s = summariseProfile(file, 25);
  const n = Number(joins) || 0;
  const line = (c: Cost) =>
    `${(100 * c.share).toFixed(1).padStart(5)}%  ${c.selfMs.toFixed(0).padStart(7)} ms${n ? `  ${((c.selfMs * 1000) / n).toFixed(1).padStart(6)} µs/join` : ""}  ${c.name}  ${c.where}`;
  process.stdout.write(
    `busy ${s.busyMs.toFixed(0)} ms of ${s.wallMs.toFixed(0)} ms\n\nby function (self time):\n${s.functions.map(line).join("\n")}\n\nby module:\n${s.modules.map(line).join("\n")}\n`,
  );
}
