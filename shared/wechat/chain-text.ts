/**
 * A chain written as WeChat 接龙 text, ready to paste into the group for those who don't open
 * links: a header (title, grower, delivery date), the items with prices, the cutoff, then the
 * numbered entries in the usual format (`12. 张阿姨 3-201 西红柿2斤 黄瓜1斤`). Cancelled entries are
 * left out and every entry keeps its number. parseChainText reads it back to the same entries.
 */
import { yuan } from "../money.js";
import { formatQty, toMilli } from "../quantity.js";
import { stripInvisible } from "../text.js";
import { findMarkers } from "./chain-layout.js";
import { viewText } from "./text-view.js";
import { GENERIC_UNIT } from "./units.js";

/** The parts of an item this needs (shared/views.ts ItemView fits). */
export interface TextItem {
  id: string;
  name: string;
  unit: string;
  priceFen: number;
  stock?: number | null;
  limit?: number | null;
  soldOut?: boolean;
}

/** The parts of a chain this needs (shared/views.ts ChainView fits). */
export interface TextChain {
  title: string;
  note?: string;
  /** yyyy-MM-dd */
  deliveryDate?: string;
  /** ISO 8601 in the community's timezone, e.g. 2026-11-28T20:00:00+08:00. */
  cutoffIso?: string;
  grower?: { name: string; village?: string | null };
  dropPoints?: readonly { name: string; active?: boolean }[];
  items: readonly TextItem[];
  /** Anything but open is said on the first line, so nobody replies to a closed chain. */
  status?: "open" | "closed" | "delivered" | "cancelled";
}

const STATUS_MARK: Record<NonNullable<TextChain["status"]>, string> = {
  open: "",
  closed: "【已截单】",
  delivered: "【已送达】",
  cancelled: "【已取消】",
};

/** The parts of an entry this needs (shared/views.ts PublicEntry fits). */
export interface TextEntry {
  no: number;
  name: string;
  building: string;
  status: "active" | "cancelled";
  lines: readonly { itemId: string; qty: number }[];
}

const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];

export function chainToText(chain: TextChain, entries: readonly TextEntry[]): string {
  const header = [
    `#接龙 ${oneLine(chain.title)}${STATUS_MARK[chain.status ?? "open"]}`,
    growerLine(chain),
    ...noteLines(chain.note),
    "",
    ...chain.items.map(itemLine),
    ...dropPointLine(chain),
    ...cutoffLine(chain.cutoffIso),
  ].filter((line): line is string => line !== null);
  const body = entries
    .filter((entry) => entry.status === "active")
    .sort((a, b) => a.no - b.no)
    .map((entry) => entryLine(entry, chain.items));
  return [...header.map(quiet), ...(body.length > 0 ? ["", ...body] : [])].join("\n").trim();
}

/** One entry in WeChat's format: `12. 张阿姨 3-201 西红柿2斤 黄瓜1斤`. */
export function entryLine(entry: TextEntry, items: readonly TextItem[]): string {
  const lines = entry.lines.flatMap((line) => {
    const item = items.find((candidate) => candidate.id === line.itemId);
    return item ? [`${item.name}${amountText(item, line.qty)}`] : [];
  });
  return [`${entry.no}.`, oneLine(entry.name), oneLine(entry.building), ...lines].join(" ");
}

/**
 * "2斤"; a unit that starts with a digit is written 份 (土豆 sold by "3斤": 1份, not "13斤"),
 * and a space keeps a name that ends in a digit apart from its quantity.
 */
function amountText(item: TextItem, qty: number): string {
  const unit = /^[\d.半]/u.test(item.unit) ? GENERIC_UNIT : item.unit;
  const space = /\d$/u.test(item.name) ? " " : "";
  return `${space}${quantityText(qty)}${unit}`;
}

function quantityText(qty: number): string {
  const milli = toMilli(qty);
  return milli === null ? String(qty) : formatQty(milli);
}

function growerLine(chain: TextChain): string | null {
  const grower = chain.grower
    ? `${oneLine(chain.grower.name)}${chain.grower.village ? `（${oneLine(chain.grower.village)}）` : ""}`
    : "";
  const delivery = chain.deliveryDate ? `${dateText(chain.deliveryDate)}送达` : "";
  const line = [grower, delivery].filter(Boolean).join(" · ");
  return line.length > 0 ? line : null;
}

function noteLines(note: string | undefined): string[] {
  return (note ?? "")
    .split(/\r\n|[\r\n\u2028\u2029]/u)
    .map((line) => inert(line).trim())
    .filter(Boolean);
}

function itemLine(item: TextItem): string {
  const unit = /^[\d.半]/u.test(item.unit) ? GENERIC_UNIT : item.unit;
  const parts = [`${oneLine(item.name)} ${yuan(item.priceFen)}/${oneLine(item.unit)}`];
  if (item.stock !== undefined && item.stock !== null)
    parts.push(`限量${quantityText(item.stock)}${unit}`);
  if (item.limit !== undefined && item.limit !== null)
    parts.push(`每人限${quantityText(item.limit)}${unit}`);
  if (item.soldOut) parts.push("已售完");
  return parts.join(" ");
}

function dropPointLine(chain: TextChain): string[] {
  const names = (chain.dropPoints ?? [])
    .filter((point) => point.active !== false)
    .map((point) => oneLine(point.name));
  return names.length > 0 ? [`自提点: ${names.join("、")}`] : [];
}

function cutoffLine(cutoffIso: string | undefined): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/u.exec(cutoffIso ?? "");
  if (!match) return [];
  const [, , month, day, hour, minute] = match;
  return [`截单: ${Number(month)}月${Number(day)}日 ${hour}:${minute}`];
}

/** 2026-11-29 → 11月29日（周日）; anything else as given. */
function dateText(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  if (!match) return oneLine(date);
  const [, year, month, day] = match.map(Number);
  const weekday = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1)).getUTCDay();
  return `${month}月${day}日（周${WEEKDAYS[weekday] ?? ""}）`;
}

/** A field on one line, that cannot start a chain line of its own (see inert). */
function oneLine(text: string): string {
  return inert(String(text).replace(/\s+/gu, " ").trim());
}

/**
 * What people typed never reads as a chain line: a name or building like "13. 假订单 5-501" (or
 * "１３、…") would otherwise make a fake entry 13 in the copied text, for people and for the
 * parser. Whatever the context, a number followed by a list mark gets a "，" instead (as quiet
 * does), and invisible bidi and zero-width characters are dropped. Ordinary names, buildings
 * (3-201, 3.5) and items are left as they are.
 */
function inert(text: string): string {
  const view = viewText(stripInvisible(text));
  let out = "";
  let from = 0;
  for (const m of view.folded.matchAll(/\d[ \t]*([.、)。:：])(?!\d)[ \t]*/gu)) {
    const digit = view.origin[m.index] ?? 0;
    const mark = view.origin[m.index + m[0].indexOf(m[1] ?? "", 1)] ?? 0;
    // ① folds to "1.": one typed character, which becomes "1，".
    out += view.original.slice(from, mark) + (mark === digit ? `${m[0][0]}，` : "，");
    from = view.origin[m.index + m[0].length] ?? view.original.length;
  }
  return out + view.original.slice(from);
}

/**
 * Header lines must not read as entries: "1. 自带袋子" in a note becomes "1，自带袋子", so the
 * parser still finds the first entry where the entries start. Asks the parser's own marker finder.
 */
function quiet(line: string): string {
  let text = line;
  for (let guard = 0; guard < line.length; guard++) {
    const view = viewText(text);
    const [marker] = findMarkers(view.folded, 0, view.folded.length, 0);
    if (!marker) return text;
    const from = view.origin[marker.start] ?? 0;
    const to = view.origin[marker.end] ?? text.length;
    text = `${text.slice(0, from)}${marker.no}，${text.slice(to)}`;
  }
  return text;
}
