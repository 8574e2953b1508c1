/**
 * One entry as a WeChat 接龙 line (`12. 张阿姨 3-201 西红柿2斤 黄瓜1斤`), apart from the rest of
 * chain-text.ts so the resident page can copy its own line without the whole parser.
 */
import { formatQty, toMilli } from "../quantity.js";
import { stripInvisible } from "../text.js";
import type { TextEntry, TextItem } from "./chain-text.js";
import { viewText } from "./text-view.js";
import { GENERIC_UNIT } from "./units.js";

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

export function quantityText(qty: number): string {
  const milli = toMilli(qty);
  return milli === null ? String(qty) : formatQty(milli);
}

export function oneLine(text: string): string {
  return inert(String(text).replace(/\s+/gu, " ").trim());
}

/**
 * What people typed never reads as a chain line: a name or building like "13. 假订单 5-501" (or
 * "１３、…") would otherwise make a fake entry 13 in the copied text, for people and for the
 * parser. Whatever the context, a number followed by a list mark gets a "，" instead (as quiet
 * does), and invisible bidi and zero-width characters are dropped. Ordinary names, buildings
 * (3-201, 3.5) and items are left as they are.
 */
export function inert(text: string): string {
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
