/** BENCHMARKS.md holds one section per benchmark script; each script rewrites only its own. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function writeSection(file: string, name: string, markdown: string): void {
  const start = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const i = current.indexOf(start);
  const j = current.indexOf(end);
  const next =
    i >= 0 && j > i
      ? current.slice(0, i) + block + current.slice(j + end.length)
      : `${current.trim()}${current.trim() ? "\n\n" : ""}${block}\n`;
  writeFileSync(file, next.endsWith("\n") ? next : `${next}\n`);
}
