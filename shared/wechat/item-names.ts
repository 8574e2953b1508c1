/** Finding the items a text names: the longest name wins (小白菜 is not 白菜 + 小). */
import { foldText } from "./text-view.js";

export interface NamedKey<T> {
  /** The folded name (see text-view foldText). */
  key: string;
  value: T;
}

export interface Mention<T> {
  start: number;
  end: number;
  key: string;
  /** Every value with this key (one listing may sell 西瓜 by the 斤 and by the 个). */
  values: T[];
}

/** Folded, trimmed, inner whitespace as one space: the form names are compared in. */
export function nameKey(name: string): string {
  return foldText(name).replace(/\s+/gu, " ").trim();
}

/** Names to look for, grouped by their first character, longest first (built once per text). */
export interface MentionIndex<T> {
  /** Every key, longest first. */
  all: Mention<T>[];
  /** By the UTF-16 code of the first character (no string made per character looked at). */
  byFirst: Map<number, Mention<T>[]>;
}

/** Group values by key, longest keys first, dropping empty keys. */
export function keyIndex<T>(entries: readonly NamedKey<T>[]): MentionIndex<T> {
  const byKey = new Map<string, T[]>();
  for (const { key, value } of entries) {
    if (key.length === 0) continue;
    const list = byKey.get(key) ?? [];
    list.push(value);
    byKey.set(key, list);
  }
  const all = [...byKey.entries()]
    .sort((a, b) => b[0].length - a[0].length)
    .map(([key, values]) => ({ start: 0, end: 0, key, values }));
  const byFirst = new Map<number, Mention<T>[]>();
  for (const entry of all) {
    const first = entry.key.charCodeAt(0);
    byFirst.set(first, [...(byFirst.get(first) ?? []), entry]);
  }
  return { all, byFirst };
}

const LATIN = /[a-z]/;

/** A Latin name must stand as a word: "apple" is not in "pineapple" (but "applex2" is apple ×2). */
function standsAlone(text: string, start: number, end: number, key: string): boolean {
  if (LATIN.test(key[0] ?? "") && LATIN.test(text[start - 1] ?? "")) return false;
  if (LATIN.test(key[key.length - 1] ?? "") && LATIN.test(text[end] ?? "")) {
    return text[end] === "x" && /[\d\s]/.test(text[end + 1] ?? "");
  }
  return true;
}

/** Every item name in text[from, to), left to right, the longest at each place. */
export function findMentions<T>(
  text: string,
  from: number,
  to: number,
  index: MentionIndex<T>,
): Mention<T>[] {
  const found: Mention<T>[] = [];
  let at = from;
  while (at < to) {
    const hit = index.byFirst
      .get(text.charCodeAt(at))
      ?.find(
        (entry) =>
          at + entry.key.length <= to &&
          text.startsWith(entry.key, at) &&
          standsAlone(text, at, at + entry.key.length, entry.key),
      );
    if (hit) {
      found.push({ start: at, end: at + hit.key.length, key: hit.key, values: hit.values });
      at += hit.key.length;
    } else {
      at++;
    }
  }
  return found;
}
