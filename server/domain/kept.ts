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
const kept = new WeakMap<Ctx, Map<string, { tag: string; value: Promise<object> }>>();

/**
 * The view `key` at `tag`: the kept one, or one `build` makes. Requests that arrive while a build
 * for the same tag is under way wait for that build (50 check-off phones refreshing right after a
 * join make one list, not 50). A build that fails is not kept.
 */
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
  if (hit?.tag === tag) return { tag, value: (await hit.value) as T };
  const value = build();
  const entry = { tag, value: value as Promise<object> };
  if (views.size >= KEPT_MAX) views.clear();
  views.set(key, entry);
  try {
    return { tag, value: await value };
  } catch (err) {
    if (views.get(key) === entry) views.delete(key);
    throw err;
  }
}
