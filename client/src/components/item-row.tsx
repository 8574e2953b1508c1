import { isWeightUnit } from "../../../shared/quantity.js";
import type { ItemView } from "../../../shared/views.js";
import { qty, yuan } from "../format.js";
import { t } from "../i18n.js";
import { Stepper } from "./stepper.js";

interface Props {
  item: ItemView;
  value: number;
  max: number;
  disabled?: boolean;
  /** Say when the amount is more than can be had now (off while a refusal already says so). */
  warnOver?: boolean;
  /** The chain takes waitlist requests: the over row offers one for the amount chosen. */
  onWaitlist?: () => void;
  onChange(next: number): void;
}

/** The largest amount on the item's step that is at most `max`. */
export function onStep(max: number, step: number): number {
  const steps = Math.floor(Math.round(max * 1000) / Math.round(step * 1000));
  return Math.round(steps * step * 1000) / 1000;
}

/**
 * One item of a chain: price, stock left or sold out, the limit, and a stepper for how much.
 * When others buy the stock away (live), the chosen amount is kept, never lowered behind the
 * resident's back: the row says what can be had now and offers the change in one tap.
 */
export function ItemRow({
  item,
  value,
  max,
  disabled,
  warnOver = true,
  onWaitlist,
  onChange,
}: Props) {
  const over = warnOver && !disabled && value > max;
  const to = over ? onStep(max, item.step) : 0;
  return (
    <li class={`item ${item.soldOut && !value ? "sold-out" : ""}`}>
      <div>
        <strong>{item.name}</strong>{" "}
        <span class="price">
          {yuan(item.priceFen)}/{item.unit}
        </span>
        <div class="muted small">
          {item.soldOut ? (
            <span class="bad">{t("soldOut")}</span>
          ) : item.remaining !== null ? (
            t("left", { qty: qty(item.remaining), unit: item.unit })
          ) : null}
          {item.limit !== null ? ` · ${t("limit", { qty: qty(item.limit), unit: item.unit })}` : ""}
        </div>
        {over && (
          <div class="over" role="status">
            <span class="bad">{t("over", { have: qty(value), n: qty(to), unit: item.unit })}</span>
            <button type="button" class="fix" onClick={() => onChange(to)}>
              {to > 0
                ? t("changeTo", { item: item.name, n: qty(to), unit: item.unit })
                : t("dropItem", { item: item.name })}
            </button>
            {onWaitlist && (
              <button type="button" class="fix" onClick={onWaitlist}>
                {t("waitFor", { item: item.name })}
              </button>
            )}
          </div>
        )}
      </div>
      <Stepper
        label={item.name}
        value={value}
        step={item.step}
        max={max}
        disabled={disabled}
        typeUnit={isWeightUnit(item.unit) ? item.unit : undefined}
        onChange={onChange}
      />
    </li>
  );
}
