import { qty as fmt } from "../format.js";
import { t } from "../i18n.js";
import { TypedAmount } from "./typed-amount.js";

interface Props {
  label: string;
  value: number;
  step: number;
  max: number;
  disabled?: boolean;
  /** Items sold by weight: the amount can also be typed (1.5, 1.5斤, 半斤), in this unit. */
  typeUnit?: string;
  onChange(next: number): void;
}

/** − 1.5 + : moves by the item's step, never below 0 or above what may be ordered. */
export function Stepper({ label, value, step, max, disabled, typeUnit, onChange }: Props) {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return (
    <fieldset class="stepper">
      <legend class="sr-only">{label}</legend>
      <button
        type="button"
        aria-label={`${t("minus")} ${label}`}
        disabled={disabled || value <= 0}
        onClick={() => onChange(round(Math.max(0, value - step)))}
      >
        −
      </button>
      {typeUnit === undefined ? (
        <output aria-live="polite">{fmt(value)}</output>
      ) : (
        <TypedAmount
          label={label}
          value={value}
          step={step}
          max={max}
          unit={typeUnit}
          disabled={disabled}
          onChange={onChange}
        />
      )}
      <button
        type="button"
        aria-label={`${t("plus")} ${label}`}
        disabled={disabled || round(value + step) > max}
        onClick={() => onChange(round(value + step))}
      >
        +
      </button>
    </fieldset>
  );
}
