/**
 * One resident at the drop point: who, where, what they ordered (and what it weighed), what they
 * owe, and per entry the big "collected" and "paid" toggles, a "no-show" toggle and the weights.
 */
import { useState } from "preact/hooks";
import type { PickupEntry } from "../../../shared/views.js";
import { qty, yuan } from "../format.js";
import { clock, entryKey, type Match, type Resident } from "./lib.js";
import { type WeighItem, type WeighLine, WeightForm } from "./weight-form.js";
import { tc } from "./words.js";

export type Mark = "collected" | "paid" | "noShow";

/** The card's element id: from its first entry, which is stable while the resident is listed. */
export const cardId = (r: Resident<PickupEntry>) =>
  `co-r-${r.entries[0] ? entryKey(r.entries[0]).replace("/", "-") : "none"}`;

interface Props {
  resident: Resident<PickupEntry>;
  match: Match | null;
  hit: boolean;
  tz: string;
  busy: Set<string>;
  item(chainId: string, itemId: string): WeighItem | undefined;
  onMark(entry: PickupEntry, mark: Mark, on: boolean): void;
  onWeigh(entry: PickupEntry, lines: WeighLine[]): Promise<string | null>;
}

export function ResidentCard({ resident: r, match, hit, tz, busy, item, onMark, onWeigh }: Props) {
  const done = r.entries.every((e) => e.checks.collected);
  const gone = r.entries.every((e) => e.checks.noShow);
  const id = cardId(r);
  const headId = `${id}-name`;
  const reasons = match?.reasons ?? new Set();
  return (
    <li
      class={`co-resident${hit ? " co-hit" : ""}${done ? " co-done" : ""}${gone ? " co-gone" : ""}`}
      id={id}
      data-resident={`${r.building} ${r.name}`}
      aria-labelledby={headId}
    >
      <div class="co-resident-head">
        <h3 id={headId}>
          <span class={`co-building${reasons.has("building") ? " co-match" : ""}`}>
            {r.building}
          </span>{" "}
          <span class={reasons.has("name") ? "co-match" : ""}>{r.name}</span>
        </h3>
        <span class="co-amount">{yuan(r.amountFen)}</span>
      </div>
      {r.phone && (
        <a
          class={`co-tap co-phone${reasons.has("phone") ? " co-match" : ""}`}
          href={`tel:${r.phone.replace(/[^\d+]/g, "")}`}
          aria-label={`${tc("call", { name: r.name })} ${r.phone}`}
        >
          ☎ {r.phone}
        </a>
      )}
      <ul class="plain">
        {r.entries.map((e) => (
          <EntryBlock
            key={entryKey(e)}
            entry={e}
            codeMatched={reasons.has("code") || !!match?.exactCode}
            tz={tz}
            busy={busy}
            item={(itemId) => item(e.chainId, itemId)}
            onMark={onMark}
            onWeigh={onWeigh}
          />
        ))}
      </ul>
    </li>
  );
}

interface EntryProps {
  entry: PickupEntry;
  codeMatched: boolean;
  tz: string;
  busy: Set<string>;
  item(itemId: string): WeighItem | undefined;
  onMark(entry: PickupEntry, mark: Mark, on: boolean): void;
  onWeigh(entry: PickupEntry, lines: WeighLine[]): Promise<string | null>;
}

function EntryBlock({ entry: e, codeMatched, tz, busy, item, onMark, onWeigh }: EntryProps) {
  const [weighing, setWeighing] = useState(false);
  const key = entryKey(e);
  const formId = `co-w-${key.replace("/", "-")}`;
  const weighed = e.lines.filter((l) => item(l.itemId)?.weighed);
  const toWeigh = weighed.some((l) => l.actualQty === null);
  const lateBy = e.changedBy ?? e.addedBy;
  const toggle = (mark: Mark, on: boolean, label: string, cls: string) => (
    <button
      type="button"
      class={`co-toggle ${cls}`}
      aria-pressed={on}
      aria-busy={busy.has(`${key}:${mark}`)}
      disabled={busy.has(`${key}:${mark}`)}
      onClick={() => onMark(e, mark, !on)}
    >
      <span aria-hidden="true" class="co-check">
        {on ? "✓" : ""}
      </span>
      {label}
    </button>
  );
  return (
    <li class="co-entry" data-entry={key}>
      <p class="co-entry-head">
        <span>{tc("chainNo", { title: e.chainTitle, no: e.no })}</span>
        <span class={`co-code${codeMatched ? " co-match" : ""}`}>
          {tc("code", { code: e.pickupCode })}
        </span>
        {e.late && (
          <span
            class="co-tag co-late"
            title={
              lateBy ? tc("lateBy", { name: lateBy.name, time: clock(lateBy.at, tz) }) : undefined
            }
          >
            {tc("late")}
            {lateBy ? ` · ${lateBy.name} ${clock(lateBy.at, tz)}` : ""}
          </span>
        )}
      </p>
      <ul class="plain co-lines">
        {e.lines.map((l) => {
          const it = item(l.itemId);
          const unit = it?.unit ?? "";
          return (
            <li key={l.itemId} data-item={l.itemId}>
              <span class="co-item">{it?.name ?? l.itemId}</span>{" "}
              <span>{tc("ordered", { qty: qty(l.qty), unit })}</span>
              {l.actualQty !== null && (
                <strong class="co-actual">
                  {" "}
                  · {tc("actual", { qty: qty(l.actualQty), unit })}
                </strong>
              )}
              {it?.weighed && l.actualQty === null && (
                <span class="co-tag co-to-weigh">{tc("notWeighed")}</span>
              )}
              <span class="co-line-amount" data-fen={l.amountFen}>
                {yuan(l.amountFen)}
              </span>
            </li>
          );
        })}
      </ul>
      <p class="co-due">
        <strong data-fen={e.amountFen}>{tc("amountDue", { amount: yuan(e.amountFen) })}</strong>
      </p>
      <div class="co-toggles">
        {toggle("collected", !!e.checks.collected, tc("markCollected"), "co-collected")}
        {toggle("paid", !!e.checks.paid, tc("markPaid"), "co-paid")}
      </div>
      <div class="co-toggles co-secondary">
        {toggle("noShow", !!e.checks.noShow, tc("markNoShow"), "co-noshow")}
        {weighed.length > 0 && (
          <button
            type="button"
            class={`co-btn${toWeigh ? " co-attention" : ""}`}
            aria-expanded={weighing}
            aria-controls={formId}
            onClick={() => setWeighing(!weighing)}
          >
            {tc("weigh")}
          </button>
        )}
      </div>
      <Marks entry={e} tz={tz} />
      {weighing && (
        <div id={formId}>
          <WeightForm
            entry={e}
            item={item}
            idPrefix={formId}
            tz={tz}
            onSave={(lines) => onWeigh(e, lines)}
          />
        </div>
      )}
    </li>
  );
}

function Marks({ entry: e, tz }: { entry: PickupEntry; tz: string }) {
  const parts: string[] = [];
  const { collected, paid, noShow } = e.checks;
  if (collected)
    parts.push(tc("collectedBy", { name: collected.name, time: clock(collected.at, tz) }));
  if (noShow) parts.push(tc("noShowBy", { name: noShow.name, time: clock(noShow.at, tz) }));
  if (paid) parts.push(tc("paidBy", { name: paid.name, time: clock(paid.at, tz) }));
  if (parts.length === 0) return null;
  return <p class="muted small co-marks">{parts.join(" · ")}</p>;
}
