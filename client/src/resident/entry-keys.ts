/**
 * Personal entry keys this phone holds, per chain (`<no>.<mac>`, docs/api.md §5.16b): from a join,
 * from "find my order", or from a personal link `/c/<chainId>#k=<key>`. They let this phone see
 * and manage those entries even when its device key is gone (WeChat's browser loses it).
 */
const STORE = "jl:keys";

type Keys = Record<string, Record<string, string>>;

function readAll(): Keys {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? "{}") as Keys;
  } catch {
    return {};
  }
}

function writeAll(all: Keys): void {
  try {
    localStorage.setItem(STORE, JSON.stringify(all));
  } catch {
    // Private mode or full storage: the link itself still works.
  }
}

/** Entry number → key, for one chain. */
export function keysOf(chainId: string): Record<number, string> {
  return { ...(readAll()[chainId] ?? {}) };
}

export const noOfKey = (key: string) => Number(key.split(".")[0]);

export function saveKey(chainId: string, key: string): void {
  const all = readAll();
  all[chainId] = { ...(all[chainId] ?? {}), [noOfKey(key)]: key };
  writeAll(all);
}

export function dropKey(chainId: string, no: number): void {
  const all = readAll();
  if (!all[chainId]) return;
  delete all[chainId][no];
  writeAll(all);
}

/** A key in the address (`#k=…`): kept, and taken out of the address bar. */
export function takeKeyFromAddress(chainId: string): void {
  const m = /[#&]k=([\w.-]{1,40})/.exec(location.hash);
  if (!m?.[1]) return;
  saveKey(chainId, m[1]);
  history.replaceState(null, "", location.pathname + location.search);
}

export const linkOf = (chainId: string, key: string) => `${location.origin}/c/${chainId}#k=${key}`;
