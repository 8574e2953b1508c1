/** What the device remembers: language, elder mode, name and building, and its device key. */
import type { Lang } from "./i18n.js";

const KEY = "jl:prefs";

export interface Prefs {
  lang: Lang;
  elder: boolean;
  name: string;
  building: string;
  phone: string;
  /** Drop point last picked, per community. */
  dropPoint: Record<string, string>;
}

const DEFAULTS: Prefs = {
  lang: "zh",
  elder: false,
  name: "",
  building: "",
  phone: "",
  dropPoint: {},
};

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? { ...fallback, ...JSON.parse(raw) } : fallback;
  } catch {
    return fallback;
  }
}

export function loadPrefs(): Prefs {
  return read(KEY, DEFAULTS);
}

export function savePrefs(prefs: Prefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Private mode: nothing is remembered, everything still works.
  }
}

/** A random key that marks this device's entries as its own. */
export function deviceKey(): string {
  let key = localStorage.getItem("jl:device");
  if (!key) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    key = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    localStorage.setItem("jl:device", key);
  }
  return key;
}

export { newRequestId as requestId } from "../../shared/ids.js";
