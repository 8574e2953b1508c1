/**
 * A drop point's pickup list, kept live: apply each `pickup:changed` (upsert or remove the entry
 * in its resident's group) and recompute the totals. The page also re-reads the list over HTTP a
 * moment later, so the server's figures always win in the end.
 */
import type {
  ChainView,
  ItemTotal,
  PickupChange,
  PickupEntry,
  PickupList,
  PickupResident,
} from "../../../../shared/views.js";

const collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });

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
  if (held.some((e) => sameEntry(e, entry) && e.version > entry.version)) return list;
  const entries = held.filter((e) => !sameEntry(e, entry));
  if (change.change === "upsert" && entry.status === "active") entries.push(entry);

  // One resident is one (building, name), as the server groups them.
  const groups = new Map<string, PickupResident>();
  for (const e of [...entries].sort(
    (a, b) => a.no - b.no || collator.compare(a.chainId, b.chainId),
  )) {
    const key = `${e.building}\u0000${e.name}`;
    const r = groups.get(key) ?? {
      name: e.name,
      building: e.building,
      phone: null,
      entries: [],
      amountFen: 0,
    };
    r.entries.push(e);
    r.amountFen += e.amountFen;
    r.phone ??= e.phone;
    groups.set(key, r);
  }
  const firstNo = (r: PickupResident) => Math.min(...r.entries.map((e) => e.no));
  const residents = [...groups.values()].sort(
    (a, b) => collator.compare(a.building, b.building) || firstNo(a) - firstNo(b),
  );

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
    (a, b) => collator.compare(a.chainId, b.chainId) || collator.compare(a.itemId, b.itemId),
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
