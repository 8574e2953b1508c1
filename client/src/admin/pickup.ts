/**
 * A drop point's pickup list, kept live: apply each `pickup:changed` (upsert or remove the entry
 * in its resident's group) and recompute the totals. The page also re-reads the list over HTTP a
 * moment later, so the server's figures always win in the end.
 */
import { compareText, groupResidents, isNewer } from "../../../shared/pickup.js";
import type {
  ChainView,
  ItemTotal,
  PickupChange,
  PickupEntry,
  PickupList,
  PickupResident,
} from "../../../shared/views.js";

const sameEntry = (a: PickupEntry, b: PickupEntry) => a.chainId === b.chainId && a.no === b.no;

/** Item names and units by `chainId:itemId`, from what we already know. */
export function itemNames(list: PickupList, chains: ChainView[] = []) {
  const names = new Map<string, { name: string; unit: string }>();
  for (const c of chains)
    for (const i of c.items) names.set(`${c.id}:${i.id}`, { name: i.name, unit: i.unit });
  for (const i of list.items) names.set(`${i.chainId}:${i.itemId}`, i);
  return names;
}

export function applyPickupChange(
  list: PickupList,
  change: PickupChange,
  chains: ChainView[] = [],
): PickupList {
  if (change.date !== list.date || change.dropPointId !== list.dropPoint.id) return list;
  const { entry } = change;
  const held = list.residents.flatMap((r) => r.entries);
  // A change older than the copy held (the list was re-read after it happened) changes nothing.
  if (held.some((e) => sameEntry(e, entry) && isNewer(e, entry))) return list;
  const entries = held.filter((e) => !sameEntry(e, entry));
  if (change.change === "upsert" && entry.status === "active") entries.push(entry);

  const residents: PickupResident[] = groupResidents(entries);

  const names = itemNames(list, chains);
  const totals = new Map<string, ItemTotal>();
  for (const e of entries) {
    for (const l of e.lines) {
      const key = `${e.chainId}:${l.itemId}`;
      const known = names.get(key);
      const t = totals.get(key) ?? {
        chainId: e.chainId,
        itemId: l.itemId,
        name: known?.name ?? l.itemId,
        unit: known?.unit ?? "",
        qty: 0,
        amountFen: 0,
      };
      t.qty = Math.round((t.qty + l.qty) * 1000) / 1000;
      t.amountFen += l.amountFen;
      totals.set(key, t);
    }
  }
  const items = [...totals.values()].sort(
    (a, b) => compareText(a.chainId, b.chainId) || compareText(a.itemId, b.itemId),
  );
  return {
    ...list,
    residents,
    items,
    totals: {
      entries: entries.length,
      residents: residents.length,
      amountFen: entries.reduce((s, e) => s + e.amountFen, 0),
    },
  };
}
