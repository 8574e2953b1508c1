/** While changing an entry: what will change, line by line, before it is saved. */
import "./edit-changes.css";
import type { ChainView, OwnEntry } from "../../../shared/views.js";
import { qty } from "../format.js";
import { words } from "../i18n.js";

/** Words only this part uses: they load with it, not with the resident page. */
const tc = words({
  zh: {
    changesTitle: "这次修改：",
    noChanges: "还没有改动",
    chQty: "{item}：{was} → {now}",
    chAdd: "{item}：新加 {now}",
    chDrop: "{item}：{was} → 不要了",
    chPoint: "取货点：{was} → {now}",
    chWho: "称呼门牌：{was} → {now}",
  },
  en: {
    changesTitle: "What changes:",
    noChanges: "Nothing changed yet",
    chQty: "{item}: {was} → {now}",
    chAdd: "{item}: add {now}",
    chDrop: "{item}: {was} → none",
    chPoint: "Pickup point: {was} → {now}",
    chWho: "Name and room: {was} → {now}",
  },
});

interface Props {
  chain: ChainView;
  entry: OwnEntry;
  qtys: Record<string, number>;
  dropPointId: string;
  name: string;
  building: string;
}

export function changesOf({ chain, entry, qtys, dropPointId, name, building }: Props): string[] {
  const out: string[] = [];
  for (const item of chain.items) {
    const was = entry.lines.find((l) => l.itemId === item.id)?.qty ?? 0;
    const now = qtys[item.id] ?? 0;
    if (was === now) continue;
    const amount = (n: number) => `${qty(n)}${item.unit}`;
    out.push(
      was === 0
        ? tc("chAdd", { item: item.name, now: amount(now) })
        : now === 0
          ? tc("chDrop", { item: item.name, was: amount(was) })
          : tc("chQty", { item: item.name, was: amount(was), now: amount(now) }),
    );
  }
  const dp = (id: string) => chain.dropPoints.find((d) => d.id === id)?.name ?? "?";
  if (dropPointId !== entry.dropPointId)
    out.push(tc("chPoint", { was: dp(entry.dropPointId), now: dp(dropPointId) }));
  if (name.trim() !== entry.name || building.trim() !== entry.building)
    out.push(
      tc("chWho", {
        was: `${entry.name} ${entry.building}`,
        now: `${name.trim()} ${building.trim()}`,
      }),
    );
  return out;
}

export function EditChanges(props: Props) {
  const changes = changesOf(props);
  return (
    <div class="edit-changes" aria-live="polite">
      <p>
        <strong>{tc("changesTitle")}</strong>
      </p>
      {changes.length ? (
        <ul>
          {changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">{tc("noChanges")}</p>
      )}
    </div>
  );
}
