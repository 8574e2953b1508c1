/** While changing an entry: what will change, line by line, before it is saved. */
import type { ChainView, OwnEntry } from "../../../shared/views.js";
import { qty } from "../format.js";
import { t } from "../i18n.js";

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
        ? t("chAdd", { item: item.name, now: amount(now) })
        : now === 0
          ? t("chDrop", { item: item.name, was: amount(was) })
          : t("chQty", { item: item.name, was: amount(was), now: amount(now) }),
    );
  }
  const dp = (id: string) => chain.dropPoints.find((d) => d.id === id)?.name ?? "?";
  if (dropPointId !== entry.dropPointId)
    out.push(t("chPoint", { was: dp(entry.dropPointId), now: dp(dropPointId) }));
  if (name.trim() !== entry.name || building.trim() !== entry.building)
    out.push(
      t("chWho", {
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
        <strong>{t("changesTitle")}</strong>
      </p>
      {changes.length ? (
        <ul>
          {changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t("noChanges")}</p>
      )}
    </div>
  );
}
