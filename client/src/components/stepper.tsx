import { useEffect, useState } from "preact/hooks";
import { onStep, readTypedQty } from "../../../shared/quantity.js";
import { qty as fmt } from "../format.js";
import { t } from "../i18n.js";

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

/**
 * The amount as a field: what is typed counts once it is an exact amount on the item's step and
 * within what may be ordered; otherwise it says why, and the order keeps the last good amount.
 */
function TypedAmount(props: {
  label: string;
  value: number;
  step: number;
  max: number;
  unit: string;
  disabled?: boolean;
  onChange(next: number): void;
}) {
  const { label, value, step, max, unit, disabled, onChange } = props;
  const [text, setText] = useState(fmt(value));
  const [problem, setProblem] = useState("");
  useEffect(() => {
    // The buttons moved it (or the form was reset): show the new amount.
    if (readTypedQty(text, unit) !== value) {
      setText(value ? fmt(value) : "0");
      setProblem("");
    }
  }, [value]);
  const typed = (next: string) => {
    setText(next);
    const q = readTypedQty(next, unit);
    if (q === null) return setProblem(t("typeBad", { unit }));
    if (!onStep(q, step)) return setProblem(t("typeStep", { step: fmt(step), unit }));
    if (q > max) return setProblem(t("typeMax", { max: fmt(max), unit }));
    setProblem("");
    if (q !== value) onChange(q);
  };
  return (
    <span class="typed">
      <input
        class="qty-input"
        inputMode="decimal"
        autocomplete="off"
        aria-label={t("typeLabel", { item: label, unit })}
        aria-invalid={problem ? true : undefined}
        disabled={disabled}
        value={text}
        onFocus={(e) => e.currentTarget.select()}
        onInput={(e) => typed(e.currentTarget.value)}
        onBlur={() => !problem && setText(fmt(value))}
      />
      {problem && (
        <span class="typed-problem" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
