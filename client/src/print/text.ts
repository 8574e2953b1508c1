/** What the sheets and labels say, as plain strings (the tests read them back from the PDF). */
import { yuan } from "../../../shared/money.js";
import type {
  ItemTotal,
  LineView,
  PickupEntry,
  PickupList,
  PickupResident,
} from "../../../shared/views.js";
import { qty } from "../format.js";
import { tp } from "./words.js";

export const money = yuan;

/** 2026-11-28 21:05 in the community's timezone. */
export function stamp(at: number, tz: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** 2026-11-29 周日 / 2026-11-29 Sun: the delivery date with its weekday. */
export function dateLine(date: string, lang: "zh" | "en"): string {
  const [y, m, d] = date.split("-").map(Number);
  const weekday = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "UTC",
    weekday: "short",
  }).format(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  return `${date} ${weekday}`;
}

/** 11-28 21:05: when a late change was made (the year is the sheet's). */
export const shortStamp = (at: number, tz: string) => stamp(at, tz).slice(5);

export type ItemNames = Map<string, { name: string; unit: string }>;

export function itemNames(items: ItemTotal[]): ItemNames {
  return new Map(items.map((i) => [`${i.chainId}:${i.itemId}`, { name: i.name, unit: i.unit }]));
}

/** 五花肉 2斤 (实称 1.8斤): the ordered quantity, and the actual one once weighed. */
export function lineText(chainId: string, l: LineView, names: ItemNames): string {
  const item = names.get(`${chainId}:${l.itemId}`);
  const unit = item?.unit ?? "";
  const ordered = `${item?.name ?? l.itemId} ${qty(l.qty)}${unit}`;
  return l.actualQty === null
    ? ordered
    : `${ordered} (${tp("actual", { qty: `${qty(l.actualQty)}${unit}` })})`;
}

export const entryItems = (e: PickupEntry, names: ItemNames) =>
  e.lines.map((l) => lineText(e.chainId, l, names)).join("、");

/**
 * When a drop point gets more than one chain that day, entry numbers repeat across chains: each
 * chain gets a letter (A, B, …) in the order its items are listed, explained in the header.
 */
export function chainLetters(lists: PickupList[]): Map<string, string> {
  const ids: string[] = [];
  for (const list of lists) {
    for (const r of list.residents)
      for (const e of r.entries) if (!ids.includes(e.chainId)) ids.push(e.chainId);
  }
  ids.sort();
  if (ids.length < 2) return new Map();
  return new Map(ids.map((id, i) => [id, letter(i)]));
}

const letter = (i: number): string =>
  i < 26 ? String.fromCharCode(65 + i) : `${letter(Math.floor(i / 26) - 1)}${letter(i % 26)}`;

/** The chains on a list, for the header's legend: title and grower. */
export function chainsOf(list: PickupList): { chainId: string; title: string; grower: string }[] {
  const seen = new Map<string, { chainId: string; title: string; grower: string }>();
  for (const r of list.residents)
    for (const e of r.entries)
      if (!seen.has(e.chainId))
        seen.set(e.chainId, { chainId: e.chainId, title: e.chainTitle, grower: e.growerName });
  return [...seen.values()].sort((a, b) => (a.chainId < b.chainId ? -1 : 1));
}

/** A12 · 3218: the entry's number in its chain and its pickup code. */
export const entryNo = (e: PickupEntry, letters: Map<string, string>) =>
  `${letters.get(e.chainId) ?? ""}${e.no} · ${e.pickupCode}`;

/** Ticked only when every entry of the resident is. */
export const allChecked = (r: PickupResident, mark: "collected" | "paid" | "noShow") =>
  r.entries.length > 0 && r.entries.every((e) => e.checks[mark] !== null);

/** Whether any line of (chain, item) on the list was weighed, and the weighed-or-ordered sum. */
export function actualTotal(list: PickupList, item: ItemTotal): number | null {
  let weighed = false;
  let milli = 0;
  for (const r of list.residents)
    for (const e of r.entries) {
      if (e.chainId !== item.chainId) continue;
      for (const l of e.lines) {
        if (l.itemId !== item.itemId) continue;
        if (l.actualQty !== null) weighed = true;
        milli += Math.round((l.actualQty ?? l.qty) * 1000);
      }
    }
  return weighed ? milli / 1000 : null;
}
