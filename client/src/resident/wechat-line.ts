/**
 * A resident's own entry as the WeChat 接龙 line, `12. 张阿姨 3-201 西红柿2斤 黄瓜1斤`: the format of
 * shared/wechat/chain-text.ts `entryLine`, written small so the resident page does not carry the
 * WeChat text tools (tests/unit/wechat-line.test.ts checks both give the same line).
 */
import { formatQty, toMilli } from "../../../shared/quantity.js";
import { stripInvisible } from "../../../shared/text.js";

interface Item {
  id: string;
  name: string;
  unit: string;
}

interface Entry {
  no: number;
  name: string;
  building: string;
  lines: readonly { itemId: string; qty: number }[];
}

/** Typed text never reads as a chain line: "13. 假订单" becomes "13，假订单" (as chain-text does). */
function inert(text: string): string {
  return stripInvisible(text.normalize("NFKC"))
    .replace(/\s+/gu, " ")
    .trim()
    .replace(/(\d)[ \t]*[.、)。:：](?!\d)[ \t]*/gu, "$1，");
}

function amount(item: Item, qty: number): string {
  // A bundle unit ("3斤") is written 份, and a name ending in a digit keeps a space.
  const unit = /^[\d.半]/u.test(item.unit) ? "份" : item.unit;
  const space = /\d$/u.test(item.name) ? " " : "";
  const milli = toMilli(qty);
  return `${space}${milli === null ? String(qty) : formatQty(milli)}${unit}`;
}

export function wechatEntryLine(entry: Entry, items: readonly Item[]): string {
  const lines = entry.lines.flatMap((line) => {
    const item = items.find((i) => i.id === line.itemId);
    return item ? [`${item.name}${amount(item, line.qty)}`] : [];
  });
  return [`${entry.no}.`, inert(entry.name), inert(entry.building), ...lines].join(" ");
}
