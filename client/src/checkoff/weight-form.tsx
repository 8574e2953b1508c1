/**
 * Actual weights of one entry's weighed lines: a free decimal field per line (no stepper, no
 * spinner: 1.85 is typed as read off the scale), the amount it will cost beside it, and one save
 * that sends entry:weigh. Enter saves; on the packing page it then moves to the next entry.
 */
import { useRef, useState } from "preact/hooks";
import { toMilli } from "../../../shared/quantity.js";
import type { StaffEntry } from "../../../shared/views.js";
import { qty, yuan } from "../format.js";
import { amountAt, clock, lineAmountFen, parseWeight } from "./lib.js";
import { tc } from "./words.js";

export interface WeighItem {
  name: string;
  unit: string;
  weighed: boolean;
}

export type WeighLine = { itemId: string; actualQty: number | null };

interface Props {
  entry: StaffEntry;
  item(itemId: string): WeighItem | undefined;
  /** Unique per entry on the page: the fields' ids. */
  idPrefix: string;
  tz: string;
  /** Resolves to an error in plain words, or null once saved. */
  onSave(lines: WeighLine[]): Promise<string | null>;
  /** Move on to the next entry's first field after saving (packing). */
  advance?: boolean;
}

export function WeightForm({ entry, item, idPrefix, tz, onSave, advance }: Props) {
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const lines = entry.lines.filter((l) => item(l.itemId)?.weighed);
  if (lines.length === 0) return null;

  const shown = (itemId: string, actual: number | null) =>
    drafts[itemId] ?? (actual === null ? "" : qty(actual));
  const dirty = lines.some((l) => {
    const draft = drafts[l.itemId];
    if (draft === undefined) return false;
    const parsed = parseWeight(draft);
    return !parsed.ok || parsed.value !== l.actualQty;
  });

  const moveOn = () => {
    if (!advance || !form.current) return;
    const all = [...document.querySelectorAll<HTMLFormElement>("form.co-weigh-form")];
    const next = all[all.indexOf(form.current) + 1];
    const field = next?.querySelector<HTMLInputElement>("input");
    if (field) {
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (saving) return;
    const send: WeighLine[] = [];
    for (const l of lines) {
      const draft = drafts[l.itemId];
      if (draft === undefined) continue;
      const parsed = parseWeight(draft);
      const name = item(l.itemId)?.name ?? l.itemId;
      if (!parsed.ok) {
        setError(
          tc(
            parsed.problem === "zero"
              ? "weightZero"
              : parsed.problem === "tooBig"
                ? "weightTooBig"
                : "weightFormat",
            { item: name },
          ),
        );
        return;
      }
      if (parsed.value !== l.actualQty) send.push({ itemId: l.itemId, actualQty: parsed.value });
    }
    setError("");
    if (send.length === 0) {
      setDrafts({});
      moveOn();
      return;
    }
    setSaving(true);
    setSaved(false);
    const problem = await onSave(send);
    setSaving(false);
    if (problem) {
      setError(problem);
      return;
    }
    setDrafts({});
    setSaved(true);
    moveOn();
  };

  return (
    <form
      class="co-weigh-form"
      onSubmit={submit}
      noValidate
      data-weigh={`${entry.chainId}/${entry.no}`}
    >
      {lines.map((l) => {
        const it = item(l.itemId);
        const unit = it?.unit ?? "";
        const id = `${idPrefix}-${l.itemId}`;
        const text = shown(l.itemId, l.actualQty);
        const parsed = parseWeight(text);
        const preview = parsed.ok
          ? parsed.value === null
            ? lineAmountFen(l.priceFen, toMilli(l.qty) ?? 0)
            : amountAt(l.priceFen, parsed.value)
          : null;
        return (
          <div class="co-weigh-line" key={l.itemId}>
            <label for={id}>{tc("actualLabel", { item: it?.name ?? l.itemId, unit })}</label>
            <div class="co-weigh-row">
              <input
                id={id}
                type="text"
                inputMode="decimal"
                autocomplete="off"
                enterKeyHint="done"
                spellcheck={false}
                placeholder={tc("actualPlaceholder", { qty: qty(l.qty) })}
                value={text}
                aria-describedby={`${id}-hint`}
                aria-invalid={!parsed.ok}
                onInput={(e) => {
                  const v = e.currentTarget.value;
                  setDrafts((d) => ({ ...d, [l.itemId]: v }));
                  setSaved(false);
                }}
              />
              <output class="co-preview" for={id} data-fen={preview ?? ""}>
                {preview === null ? "" : tc("willCost", { amount: yuan(preview) })}
              </output>
            </div>
            <p id={`${id}-hint`} class="muted small">
              {tc("ordered", { qty: qty(l.qty), unit })} · {yuan(l.priceFen)}/{unit}
            </p>
          </div>
        );
      })}
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
      <div class="co-weigh-actions">
        <button type="submit" class="co-btn co-save" disabled={saving}>
          {saving ? tc("saving") : tc("saveWeights")}
        </button>
        <span class="small" role="status">
          {dirty ? tc("unsaved") : saved ? tc("saved") : ""}
        </span>
      </div>
      {entry.weighedBy && (
        <p class="muted small">
          {tc("weighedBy", { name: entry.weighedBy.name, time: clock(entry.weighedBy.at, tz) })}
        </p>
      )}
    </form>
  );
}
