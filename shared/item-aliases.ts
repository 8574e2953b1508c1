/**
 * The community's words for items (白菜 → 小白菜) as more names of a chain's items, for the 接龙
 * parser: an alias is one more name of every item called its target, with that item's id and
 * unit. An alias that is already an item's own name changes nothing; one whose item this chain
 * doesn't sell is left out.
 */

export interface ItemAlias {
  alias: string;
  item: string;
}

/** Most aliases a community keeps. */
export const ITEM_ALIASES_MAX = 200;

export function withItemAliases<T extends { id: string; name: string; unit: string }>(
  items: readonly T[],
  aliases: readonly ItemAlias[],
): { id: string; name: string; unit: string }[] {
  const names = new Set(items.map((i) => i.name));
  const more = aliases.flatMap((a) =>
    names.has(a.alias)
      ? []
      : items
          .filter((i) => i.name === a.item)
          .map((i) => ({ id: i.id, name: a.alias, unit: i.unit })),
  );
  return [...items.map((i) => ({ id: i.id, name: i.name, unit: i.unit })), ...more];
}
