/**
 * A refused order because stock ran short: which item, how much is left, and one tap to change the
 * order to what is left. Kept apart from the form so other answers to `sold_out` (a waitlist) can
 * sit beside it.
 */
import type { ErrorBody } from "../../../shared/errors.js";
import type { ItemView } from "../../../shared/views.js";
import { onStep } from "../components/item-row.js";
import { qty } from "../format.js";
import { explainError, t } from "../i18n.js";

export type SoldOutError = Extract<ErrorBody, { code: "sold_out" }>;

export const isSoldOut = (e: { code: string }): e is SoldOutError => e.code === "sold_out";

/** What each short item can still be: the form's amount less what was missing, on the step. */
export function fixesFor(
  error: SoldOutError,
  items: readonly ItemView[],
  qtys: Record<string, number>,
): { item: ItemView; to: number }[] {
  const out: { item: ItemView; to: number }[] = [];
  for (const s of error.details?.short ?? []) {
    const item = items.find((i) => i.id === s.itemId);
    const have = qtys[s.itemId] ?? 0;
    if (!item || !have) continue;
    const room = have - s.wanted + Math.max(0, s.remaining);
    out.push({ item, to: Math.max(0, onStep(room, item.step)) });
  }
  return out;
}

interface Props {
  error: SoldOutError;
  items: readonly ItemView[];
  qtys: Record<string, number>;
  onFix(itemId: string, to: number): void;
  /** The chain takes waitlist requests now: each short item gets a 排队候补 button. */
  onWaitlist?: (itemId: string, qty: number) => void;
}

export function SoldOutNotice({ error, items, qtys, onFix, onWaitlist }: Props) {
  const fixes = fixesFor(error, items, qtys);
  return (
    <div class="notice bad sold-out-notice order-msg" role="alert">
      <p>{explainError(error, items)}</p>
      <p>{t("notPlaced", { send: t("send") })}</p>
      {fixes.length > 0 && (
        <div class="row">
          {fixes.map(({ item, to }) => (
            <button key={item.id} type="button" class="fix" onClick={() => onFix(item.id, to)}>
              {to > 0
                ? t("changeTo", { item: item.name, n: qty(to), unit: item.unit })
                : t("dropItem", { item: item.name })}
            </button>
          ))}
          {onWaitlist &&
            fixes.map(({ item }) => (
              <button
                key={`wl-${item.id}`}
                type="button"
                class="fix"
                onClick={() => onWaitlist(item.id, qtys[item.id] ?? item.step)}
              >
                {t("waitFor", { item: item.name })}
              </button>
            ))}
        </div>
      )}
    </div>
  );
}
