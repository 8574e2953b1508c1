/** A weight typed rather than stepped (1.5, 1.5斤, 半斤), for items sold by weight. */
import { useEffect, useState } from "preact/hooks";
import { onStep, readTypedQty } from "../../../shared/quantity.js";
import { qty as fmt } from "../format.js";
import { words } from "../i18n.js";

const tt = words({
  zh: {
    typeLabel: "{item}要几{unit}",
    typeBad: "请填数字，如 1.5",
    typeStep: "要按 {step}{unit} 一份",
    typeMax: "最多 {max}{unit}",
  },
  en: {
    typeLabel: "{item}: how many {unit}",
    typeBad: "Type a number, e.g. 1.5",
    typeStep: "In steps of {step} {unit}",
    typeMax: "At most {max} {unit}",
  },
});

/**
 * The amount as a field: what is typed counts once it is an exact amount on the item's step and
 * within what may be ordered; otherwise it says why, and the order keeps the last good amount.
 */
export function TypedAmount(props: {
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
    if (q === null) return setProblem(tt("typeBad", { unit }));
    if (!onStep(q, step)) return setProblem(tt("typeStep", { step: fmt(step), unit }));
    if (q > max) return setProblem(tt("typeMax", { max: fmt(max), unit }));
    setProblem("");
    if (q !== value) onChange(q);
  };
  const id = `qty-${label}`.replace(/\s+/g, "-");
  return (
    <span class="typed">
      <label class="sr-only" for={id}>
        {tt("typeLabel", { item: label, unit })}
      </label>
      <input
        id={id}
        class="qty-input"
        inputMode="decimal"
        autocomplete="off"
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
