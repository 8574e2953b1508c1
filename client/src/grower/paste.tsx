/**
 * "Paste your price post": the grower pastes the price list they already typed in WeChat, sees at
 * once what was read from it (shared/wechat parseListing runs here, in the grower's lazy chunk),
 * and one tap fills the posting form, where anything can still be fixed before posting.
 */
import { useMemo, useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import {
  type ListingItem,
  type ListingReview,
  parseListing,
  wordReason,
} from "../../../shared/wechat/index.js";
import { qty, yuan } from "../format.js";
import { currentLang } from "../i18n.js";
import { tw } from "./words.js";

/** How a stock or limit is counted: a bundle unit ("3斤") is counted in 份. */
export const countUnit = (unit: string) => (/^[\d.半]/u.test(unit) ? "份" : unit);

interface Props {
  onFill(items: ListingItem[]): void;
}

type Answer = "stock" | "limit";

/**
 * 限10袋 says neither "in all" nor "each": the grower answers, and the answer goes where it
 * belongs. Never guessed.
 */
export function applyAnswers(
  items: ListingItem[],
  questions: ListingReview[],
  answers: Record<number, Answer>,
): ListingItem[] {
  return items.map((item) => {
    let out = item;
    questions.forEach((q, i) => {
      const answer = answers[i];
      if (!answer || !q.amount || !q.items?.includes(item.name)) return;
      out =
        answer === "stock"
          ? { ...out, stock: q.amount.qty }
          : { ...out, perPersonLimit: q.amount.qty };
    });
    return out;
  });
}

export function PastePost({ onFill }: Props) {
  const [text, setText] = useState("");
  const parsed = useMemo(() => (text.trim() ? parseListing(text) : null), [text]);
  const [answers, setAnswers] = useState<Record<number, Answer>>({});
  const questions = (parsed?.review ?? []).filter(
    (r) => r.code === "stock_or_limit" && r.amount && r.items?.length,
  );
  const others = (parsed?.review ?? []).filter((r) => !questions.includes(r));
  const open = questions.filter((_, i) => !answers[i]).length;
  const items = applyAnswers(parsed?.items ?? [], questions, answers);
  const usable = items.slice(0, LIMITS.itemsMax);
  const lang = currentLang();

  return (
    <section class="g-paste" aria-labelledby="g-paste-title">
      <h2 id="g-paste-title">{tw("pasteTitle")}</h2>
      <p class="muted small">{tw("pasteHelp")}</p>
      <label for="g-paste">{tw("pasteLabel")}</label>
      <textarea
        id="g-paste"
        rows={4}
        value={text}
        placeholder={tw("pastePlaceholder")}
        autocomplete="off"
        onInput={(e) => {
          setText(e.currentTarget.value);
          setAnswers({});
        }}
      />
      {parsed && (
        <div class="g-paste-preview">
          <p class={items.length ? "g-ok" : "notice warn"} role="status">
            {items.length ? tw("pasteFound", { n: items.length }) : tw("pasteNone")}
          </p>
          {items.length > 0 && (
            <ol class="g-parsed" aria-label={tw("pasteItems")}>
              {items.map((item, i) => (
                <li key={i} class={i >= LIMITS.itemsMax ? "muted" : undefined}>
                  <strong>{item.name}</strong>{" "}
                  <span class="price">
                    {yuan(item.priceFen)}/{item.unit}
                  </span>
                  {item.stock !== undefined && (
                    <span class="g-fact">
                      {tw("pasteStock", { qty: qty(item.stock), unit: countUnit(item.unit) })}
                    </span>
                  )}
                  {item.perPersonLimit !== undefined && (
                    <span class="g-fact">
                      {tw("pasteLimit", {
                        qty: qty(item.perPersonLimit),
                        unit: countUnit(item.unit),
                      })}
                    </span>
                  )}
                  {item.description && (
                    <span class="muted small g-desc">（{item.description}）</span>
                  )}
                </li>
              ))}
            </ol>
          )}
          {parsed.notes.length > 0 && (
            <div class="g-notes">
              <p class="small muted">{tw("pasteNotes")}</p>
              <ul class="small" aria-label={tw("pasteNotes")}>
                {parsed.notes.map((note, i) => (
                  <li key={i}>{note}</li>
                ))}
              </ul>
            </div>
          )}
          {items.length > LIMITS.itemsMax && (
            <p class="notice warn">{tw("pasteTooMany", { max: LIMITS.itemsMax })}</p>
          )}
          {questions.map((q, i) => {
            const amount = `${qty(q.amount?.qty ?? 0)}${q.amount?.unit ?? ""}`;
            return (
              // biome-ignore lint/a11y/useSemanticElements: a question with two answers as buttons
              <div
                key={q.raw}
                class="g-ask"
                role="group"
                aria-label={wordReason(q.code, { text: q.text }, lang === "zh" ? "zh" : "en")}
              >
                <p>
                  <strong>{q.items?.join("、")}</strong>:{" "}
                  {wordReason(q.code, { text: q.text }, lang === "zh" ? "zh" : "en")}
                </p>
                <div class="g-chips">
                  <button
                    type="button"
                    class="g-chip"
                    aria-pressed={answers[i] === "stock"}
                    onClick={() => setAnswers({ ...answers, [i]: "stock" })}
                  >
                    {tw("askStock", { amount })}
                  </button>
                  <button
                    type="button"
                    class="g-chip"
                    aria-pressed={answers[i] === "limit"}
                    onClick={() => setAnswers({ ...answers, [i]: "limit" })}
                  >
                    {tw("askLimit", { amount })}
                  </button>
                </div>
              </div>
            );
          })}
          {others.length > 0 && (
            <div class="g-notes">
              <p class="small">{tw("pasteCheck")}</p>
              <ul class="small">
                {others.map((r) => (
                  <li key={r.raw}>
                    {r.raw} —{" "}
                    {wordReason(
                      r.code,
                      { item: r.items?.[0], unit: r.amount?.unit ?? undefined, text: r.text },
                      lang === "zh" ? "zh" : "en",
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {usable.length > 0 && open > 0 && (
            <p class="notice warn" role="status">
              {tw("askFirst", { n: open })}
            </p>
          )}
          {usable.length > 0 && (
            <button
              type="button"
              class="g-main wide"
              disabled={open > 0}
              onClick={() => onFill(usable)}
            >
              {tw("pasteFill", { n: usable.length })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
