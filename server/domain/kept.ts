/**
 * Views rebuilt only when something they show changed. Each has a tag, read first in one small
 * round trip (the versions the scripts bump on every change it shows); a view built at that tag is
 * kept and given again, the same object, so the transport can keep its encoding with it
 * (http/tagged-json.ts) and answer `304` to a client that has it. The tag is read before the build,
 * so a change during a build makes the next read rebuild: a kept view is never older than its tag.
 */
import type { Ctx } from "../context.js";

export interface Kept<T> {
  tag: string;
  value: T;
}

/** Per app (ctx): kept views by what they are of. Bounded: cleared when it grows past this. */
const KEPT_MAX = 500;
const kept = new WeakMap<Ctx, Map<string, Kept<object>>>();

export async function keptAt<T extends object>(
  ctx: Ctx,
  key: string,
  tag: string,
  build: () => Promise<T>,
): Promise<Kept<T>> {
  let views = kept.get(ctx);
  if (!views) {
    views = new Map();
    kept.set(ctx, views);
  }
  const hit = views.get(key);
  if (hit?.tag === tag) return hit as Kept<T>;
  const fresh = { tag, value: await build() };
  if (views.size >= KEPT_MAX) views.clear();
  views.set(key, fresh);
  return fresh;
}
