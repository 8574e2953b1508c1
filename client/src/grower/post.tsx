/** Posting a listing: repeat last time in one tap, or add items quickly; dates come filled in. */
import { useRef, useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import { ChainCreateBody, type ChainCreateInput } from "../../../shared/schemas.js";
import type { ChainView, SessionView } from "../../../shared/views.js";
import type { ListingItem } from "../../../shared/wechat/index.js";
import { dayLabel, qty } from "../format.js";
import { post } from "../http/api.js";
import { currentLang, errorText, t } from "../i18n.js";
import {
  addDays,
  dateIn,
  endOfDate,
  fenToYuanInput,
  firstPickupOf,
  latestChain,
  parseQty,
  proposeCutoff,
  timeOfDayIn,
  yuanToFen,
  zonedTime,
} from "./lib.js";
import { PastePost } from "./paste.js";
import { PostPreview } from "./preview.js";
import { tw } from "./words.js";

export const UNITS = ["斤", "把", "个", "根", "盒", "袋", "份", "kg"] as const;

interface Row {
  key: number;
  name: string;
  unit: string;
  price: string;
  stock: string;
  limit: string;
  step: number;
}

let nextKey = 1;
const blankRow = (): Row => ({
  key: nextKey++,
  name: "",
  unit: "斤",
  price: "",
  stock: "",
  limit: "",
  step: 1,
});

const rowsOf = (chain: ChainView): Row[] =>
  chain.items.map((i) => ({
    key: nextKey++,
    name: i.name,
    unit: i.unit,
    price: fenToYuanInput(i.priceFen),
    stock: i.stock === null ? "" : qty(i.stock),
    limit: i.limit === null ? "" : qty(i.limit),
    step: i.step,
  }));

/** Half steps when a stock or limit read from a price post needs them (限量7.5斤). */
function stepFor(item: ListingItem): number {
  const amounts = [item.stock, item.perPersonLimit].filter((n) => n !== undefined);
  const whole = amounts.every((n) => Number.isInteger(n));
  return !whole && amounts.every((n) => Number.isInteger(n * 2)) ? 0.5 : 1;
}

const rowOfListing = (item: ListingItem): Row => ({
  key: nextKey++,
  name: item.name,
  unit: item.unit,
  price: fenToYuanInput(item.priceFen),
  stock: item.stock === undefined ? "" : qty(item.stock),
  limit: item.perPersonLimit === undefined ? "" : qty(item.perPersonLimit),
  step: stepFor(item),
});

/** "圣女果：约1斤", one line per item described in the price post. */
const descriptionsOf = (items: ListingItem[]) =>
  items
    .filter((i) => i.description?.trim())
    .map((i) => `${i.name}：${i.description?.trim()}`)
    .join("\n");

interface Times {
  deliveryDate: string;
  cutoffDate: string;
  cutoffTime: string;
  moved: boolean;
  none: boolean;
}

function timesFor(deliveryDate: string, tz: string, windows: readonly { start: string }[]): Times {
  const p = proposeCutoff(deliveryDate, tz, Date.now(), firstPickupOf(deliveryDate, windows, tz));
  const at = p?.at ?? zonedTime(addDays(deliveryDate, -1), "20:00", tz);
  return {
    deliveryDate,
    cutoffDate: dateIn(tz, at),
    cutoffTime: timeOfDayIn(tz, at),
    moved: p?.moved ?? false,
    none: p === null,
  };
}

type Problem = { text: string; field?: string };

interface Props {
  session: SessionView;
  chains: ChainView[];
  onPosted(chain: ChainView): void;
}

export function PostForm({ session, chains, onPosted }: Props) {
  const tz = session.community.timezone;
  const last = latestChain(chains);
  const active = session.community.dropPoints.filter((d) => d.active);
  const lastDps = last ? active.filter((d) => last.dropPoints.some((l) => l.id === d.id)) : [];
  const fromLast = lastDps.length > 0;

  const who = session.user.village ?? session.user.name;
  const [title, setTitle] = useState(() => last?.title ?? tw("defaultTitle", { who }));
  const [note, setNote] = useState(last?.note ?? "");
  const [rows, setRows] = useState<Row[]>(() => [blankRow()]);
  const [dps, setDps] = useState<string[]>(() => (fromLast ? lastDps : active).map((d) => d.id));
  const windowsOf = (ids: string[]) =>
    active.filter((d) => ids.includes(d.id)).map((d) => d.window);
  const [times, setTimes] = useState<Times>(() =>
    timesFor(dateIn(tz, Date.now() + 86_400_000), tz, windowsOf(dps)),
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const [info, setInfo] = useState("");
  const [busy, setBusy] = useState(false);
  /** What residents will see, shown before posting when asked. */
  const [preview, setPreview] = useState<ChainCreateInput | null>(null);
  const form = useRef<HTMLFormElement>(null);
  /** The note before a price post filled it, and what it filled in: a second paste replaces it. */
  const pastedNote = useRef<{ before: string; filled: string } | null>(null);

  const setRow = (key: number, patch: Partial<Row>) =>
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const repeat = () => {
    if (!last) return;
    setTitle(last.title);
    setNote(last.note);
    setRows(rowsOf(last));
    setDps(lastDps.map((d) => d.id));
    setProblem(null);
    setInfo(tw("repeated", { title: last.title }));
    // Ready to adjust: the first price is where the grower usually starts.
    requestAnimationFrame(() => form.current?.querySelector<HTMLInputElement>(".g-price")?.focus());
  };

  const fillFromPost = (items: ListingItem[]) => {
    const filled = items.map(rowOfListing);
    setRows(filled);
    const prev = pastedNote.current;
    const before = prev && note === prev.filled ? prev.before : note;
    const next = [before.trim(), descriptionsOf(items)]
      .filter(Boolean)
      .join("\n")
      .slice(0, LIMITS.noteMax);
    pastedNote.current = { before, filled: next };
    setNote(next);
    setProblem(null);
    setInfo(tw("pasted", { n: items.length }));
    // Ready to check: the first item's name is where the grower reads on from.
    const first = filled[0];
    if (first) requestAnimationFrame(() => document.getElementById(`g-${first.key}-name`)?.focus());
  };

  const build = (): { ok: true; body: ChainCreateInput } | { ok: false; problem: Problem } => {
    const items: ChainCreateInput["items"] = [];
    for (const [i, r] of rows.entries()) {
      const n = i + 1;
      const bad = (what: string, field: string) => ({
        ok: false as const,
        problem: { text: tw("errItem", { n, what }), field: `g-${r.key}-${field}` },
      });
      if (!r.name.trim()) return bad(tw("errName"), "name");
      if (!r.unit.trim()) return bad(tw("errUnit"), "unit");
      const priceFen = yuanToFen(r.price);
      if (priceFen === null) return bad(tw("errPrice"), "price");
      if (priceFen === 0) return bad(tw("errPriceZero"), "price");
      const stock = r.stock.trim() ? parseQty(r.stock) : undefined;
      if (stock === null) return bad(tw("errStock"), "stock");
      const limit = r.limit.trim() ? parseQty(r.limit) : undefined;
      if (limit === null) return bad(tw("errLimit"), "limit");
      items.push({
        name: r.name.trim(),
        unit: r.unit.trim(),
        priceFen,
        step: r.step,
        ...(stock !== undefined && { stock }),
        ...(limit !== undefined && { limit }),
      });
    }
    if (!items.length) return { ok: false, problem: { text: tw("errNoItems") } };
    const now = Date.now();
    if (times.deliveryDate < dateIn(tz, now))
      return { ok: false, problem: { text: tw("errDeliveryPast"), field: "g-delivery" } };
    const cutoff = zonedTime(times.cutoffDate, times.cutoffTime, tz);
    if (!Number.isFinite(cutoff) || cutoff <= now)
      return { ok: false, problem: { text: tw("errCutoffPast"), field: "g-cutoff-time" } };
    if (cutoff > endOfDate(times.deliveryDate, tz))
      return { ok: false, problem: { text: tw("errCutoffLate"), field: "g-cutoff-date" } };
    if (!dps.length) return { ok: false, problem: { text: tw("errDropPoints") } };
    // Orders close before anyone collects (the server refuses it too: docs/api.md §5.15).
    const first = firstPickupOf(times.deliveryDate, windowsOf(dps), tz);
    if (first !== null && cutoff >= first)
      return {
        ok: false,
        problem: {
          text: tw("errCutoffPickup", {
            time: `${dayLabel(times.deliveryDate, currentLang())} ${timeOfDayIn(tz, first)}`,
          }),
          field: "g-cutoff-time",
        },
      };

    const body: ChainCreateInput = {
      title,
      note,
      deliveryDate: times.deliveryDate,
      cutoffAt: new Date(cutoff).toISOString(),
      // In the community's order, as the coordinator arranged them.
      dropPointIds: active.filter((d) => dps.includes(d.id)).map((d) => d.id),
      items,
    };
    // The same schema the server validates with.
    const parsed = ChainCreateBody.safeParse(body);
    if (parsed.success) return { ok: true, body };
    return { ok: false, problem: explainIssue(parsed.error.issues[0], rows) };
  };

  const showPreview = () => {
    setInfo("");
    const built = build();
    if (!built.ok) {
      setPreview(null);
      setProblem(built.problem);
      if (built.problem.field) document.getElementById(built.problem.field)?.focus();
      return;
    }
    setProblem(null);
    setPreview(built.body);
    requestAnimationFrame(() =>
      document.getElementById("g-preview-title")?.scrollIntoView({ block: "start" }),
    );
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setInfo("");
    const built = build();
    if (!built.ok) {
      setProblem(built.problem);
      if (built.problem.field) document.getElementById(built.problem.field)?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    const r = await post<ChainView>("/chains", built.body);
    setBusy(false);
    if (r.ok) onPosted(r.data);
    else if (/first pickup window/.test(r.error.message))
      setProblem({ text: tw("errCutoffPickupServer"), field: "g-cutoff-time" });
    else setProblem({ text: errorText(r.error.code, r.error.message) });
  };

  const lang = currentLang();
  return (
    <form
      class="card g-post"
      ref={form}
      onSubmit={submit}
      aria-labelledby="g-post-title"
      noValidate
    >
      <h1 id="g-post-title">{tw("postTitle")}</h1>
      {last ? (
        <button type="button" class="g-repeat" onClick={repeat}>
          {tw("repeat")}
          <span class="small muted"> · {last.title}</span>
        </button>
      ) : (
        <p class="muted">{tw("noLast")}</p>
      )}
      <PastePost onFill={fillFromPost} />
      {info && (
        <p class="notice good" role="status">
          {info}
        </p>
      )}

      {rows.map((r, i) => (
        <ItemFields
          key={r.key}
          row={r}
          n={i + 1}
          canRemove={rows.length > 1}
          onChange={(patch) => setRow(r.key, patch)}
          onRemove={() => setRows((list) => list.filter((x) => x.key !== r.key))}
        />
      ))}
      {rows.length < LIMITS.itemsMax && (
        <button
          type="button"
          class="g-add"
          onClick={() => {
            const row = blankRow();
            setRows((list) => [...list, row]);
            requestAnimationFrame(() => document.getElementById(`g-${row.key}-name`)?.focus());
          }}
        >
          {tw("addItem")}
        </button>
      )}

      <label for="g-title">{tw("title")}</label>
      <input
        id="g-title"
        value={title}
        maxLength={LIMITS.titleMax}
        onInput={(e) => setTitle(e.currentTarget.value)}
      />
      <label for="g-note">{tw("note")}</label>
      <textarea
        id="g-note"
        rows={2}
        value={note}
        maxLength={LIMITS.noteMax}
        onInput={(e) => setNote(e.currentTarget.value)}
      />

      <div class="g-when">
        <div>
          <label for="g-delivery">{tw("deliveryDate")}</label>
          <input
            id="g-delivery"
            type="date"
            value={times.deliveryDate}
            min={dateIn(tz)}
            required
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (/^\d{4}-\d{2}-\d{2}$/.test(v)) setTimes(timesFor(v, tz, windowsOf(dps)));
            }}
          />
        </div>
        <div>
          <label for="g-cutoff-date">{tw("cutoffDate")}</label>
          <input
            id="g-cutoff-date"
            type="date"
            value={times.cutoffDate}
            required
            onChange={(e) =>
              setTimes({ ...times, cutoffDate: e.currentTarget.value, moved: false, none: false })
            }
          />
        </div>
        <div>
          <label for="g-cutoff-time">{tw("cutoffTime")}</label>
          <input
            id="g-cutoff-time"
            type="time"
            value={times.cutoffTime}
            required
            onChange={(e) =>
              setTimes({ ...times, cutoffTime: e.currentTarget.value, moved: false, none: false })
            }
          />
        </div>
      </div>
      <p class="muted small">
        {t("delivery")} {dayLabel(times.deliveryDate, lang)} · {t("cutoff")}{" "}
        {dayLabel(times.cutoffDate, lang)} {times.cutoffTime}
      </p>
      {times.moved && (
        <p class="notice warn" role="status">
          {tw("cutoffMoved", { time: `${dayLabel(times.cutoffDate, lang)} ${times.cutoffTime}` })}
        </p>
      )}
      {times.none && (
        <p class="notice warn" role="status">
          {tw("cutoffNone")}
        </p>
      )}

      <fieldset>
        <legend>
          {tw("dropPoints")}
          {fromLast && <span class="muted small"> ({tw("dropPointsLast")})</span>}
        </legend>
        {active.length === 0 && <p class="notice warn">{tw("noDropPoints")}</p>}
        {active.map((dp) => (
          <label key={dp.id} class="choice">
            <input
              type="checkbox"
              checked={dps.includes(dp.id)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setDps((list) => (on ? [...list, dp.id] : list.filter((id) => id !== dp.id)));
              }}
            />
            {dp.name}{" "}
            <span class="muted small">
              {dp.window.start}–{dp.window.end}
            </span>
          </label>
        ))}
      </fieldset>

      {problem && (
        <p class="notice bad" role="alert">
          {problem.text}
        </p>
      )}
      <button type="button" class="wide" onClick={showPreview}>
        {tw("preview")}
      </button>
      {preview && <PostPreview body={preview} session={session} onClose={() => setPreview(null)} />}
      <button class="primary" type="submit" disabled={busy}>
        {busy ? tw("posting") : tw("post")}
      </button>
    </form>
  );
}

interface ItemProps {
  row: Row;
  n: number;
  canRemove: boolean;
  onChange(patch: Partial<Row>): void;
  onRemove(): void;
}

function ItemFields({ row, n, canRemove, onChange, onRemove }: ItemProps) {
  const id = (f: string) => `g-${row.key}-${f}`;
  const steps = row.step === 1 || row.step === 0.5 ? [1, 0.5] : [1, 0.5, row.step];
  const unit = row.unit.trim() || "…";
  return (
    <fieldset class="g-item">
      <legend>{tw("itemN", { n })}</legend>
      {canRemove && (
        <button
          type="button"
          class="g-remove"
          aria-label={tw("removeItem", { n })}
          onClick={onRemove}
        >
          ×
        </button>
      )}
      <label for={id("name")}>{tw("itemName")}</label>
      <input
        id={id("name")}
        value={row.name}
        maxLength={LIMITS.itemNameMax}
        placeholder={tw("itemNamePlaceholder")}
        onInput={(e) => onChange({ name: e.currentTarget.value })}
      />
      <label for={id("unit")}>{tw("unit")}</label>
      <div class="g-unit-row">
        <input
          id={id("unit")}
          class="g-unit"
          value={row.unit}
          maxLength={LIMITS.unitMax}
          onInput={(e) => onChange({ unit: e.currentTarget.value })}
        />
        {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not form fields */}
        <div class="g-chips" role="group" aria-label={tw("commonUnits")}>
          {UNITS.map((u) => (
            <button
              key={u}
              type="button"
              class="g-chip"
              aria-pressed={row.unit.trim() === u}
              onClick={() => onChange({ unit: u })}
            >
              {u}
            </button>
          ))}
        </div>
      </div>
      <label for={id("price")}>{tw("price", { unit })}</label>
      <input
        id={id("price")}
        class="g-price"
        inputMode="decimal"
        autocomplete="off"
        value={row.price}
        placeholder="3.5"
        onInput={(e) => onChange({ price: e.currentTarget.value })}
      />
      {/* Stock and limit side by side, each with an example: 限10袋 is one or the other. */}
      <div class="g-nums two">
        <div>
          <label for={id("stock")}>{tw("stock")}</label>
          <input
            id={id("stock")}
            inputMode="decimal"
            autocomplete="off"
            value={row.stock}
            placeholder={tw("stockExample")}
            aria-describedby={id("stock-hint")}
            onInput={(e) => onChange({ stock: e.currentTarget.value })}
          />
          <p class="g-hint" id={id("stock-hint")}>
            {tw("stockHint", { unit })}
          </p>
        </div>
        <div>
          <label for={id("limit")}>{tw("limit")}</label>
          <input
            id={id("limit")}
            inputMode="decimal"
            autocomplete="off"
            value={row.limit}
            placeholder={tw("limitExample")}
            aria-describedby={id("limit-hint")}
            onInput={(e) => onChange({ limit: e.currentTarget.value })}
          />
          <p class="g-hint" id={id("limit-hint")}>
            {tw("limitHint", { unit })}
          </p>
        </div>
      </div>
      <fieldset class="g-step">
        <legend>{tw("step")}</legend>
        <div class="g-chips">
          {steps.map((s) => (
            <button
              key={s}
              type="button"
              class="g-chip"
              aria-pressed={row.step === s}
              onClick={() => onChange({ step: s })}
            >
              {qty(s)}
              {row.unit.trim()}
              {s === 0.5 && row.unit.trim() === "斤" ? ` (${tw("halfStep")})` : ""}
            </button>
          ))}
        </div>
      </fieldset>
    </fieldset>
  );
}

/** The first schema issue in plain words, pointing at its field. */
function explainIssue(
  issue: { path: PropertyKey[]; message: string } | undefined,
  rows: Row[],
): Problem {
  if (!issue) return { text: errorText("validation_failed", "") };
  const [head, index, field] = issue.path;
  const markup = /< or >/.test(issue.message);
  const tooLong = /at most/.test(issue.message);
  if (head === "title") return { text: tw("errTitle"), field: "g-title" };
  if (head === "note") return { text: tw("errNote"), field: "g-note" };
  if (head === "dropPointIds") return { text: tw("errDropPoints") };
  if (head === "items" && typeof index === "number") {
    const row = rows[index];
    const n = index + 1;
    if (field === undefined) return { text: tw("errDuplicate") };
    const label =
      field === "name"
        ? tw("itemName")
        : field === "unit"
          ? tw("unit")
          : field === "stock"
            ? tw("stock")
            : field === "limit"
              ? tw("limit")
              : field === "priceFen"
                ? tw("price", { unit: row?.unit ?? "" })
                : String(field);
    const what = /multiple of the step/.test(issue.message)
      ? tw("errStepMultiple", { what: label, step: qty(row?.step ?? 1) })
      : `${label} ${markup ? tw("errMarkup") : tooLong ? tw("errTooLong") : issue.message}`;
    const key = field === "priceFen" ? "price" : String(field);
    return { text: tw("errItem", { n, what }), field: row ? `g-${row.key}-${key}` : undefined };
  }
  return { text: errorText("validation_failed", issue.message) };
}
