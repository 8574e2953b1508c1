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
  onChange(next: number): void;
}

/** One item of a chain: price, stock left or sold out, the limit, and a stepper for how much. */
export function ItemRow({ item, value, max, disabled, onChange }: Props) {
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
