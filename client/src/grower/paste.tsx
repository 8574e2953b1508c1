/**
 * "Paste your price post": the grower pastes the price list they already typed in WeChat, sees at
 * once what was read from it (shared/wechat parseListing runs here, in the grower's lazy chunk),
 * and one tap fills the posting form, where anything can still be fixed before posting.
 */
import { useMemo, useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import { type ListingItem, parseListing } from "../../../shared/wechat/index.js";
import { qty, yuan } from "../format.js";
import { tw } from "./words.js";

/** How a stock or limit is counted: a bundle unit ("3斤") is counted in 份. */
export const countUnit = (unit: string) => (/^[\d.半]/u.test(unit) ? "份" : unit);

interface Props {
  onFill(items: ListingItem[]): void;
}

export function PastePost({ onFill }: Props) {
  const [text, setText] = useState("");
  const parsed = useMemo(() => (text.trim() ? parseListing(text) : null), [text]);
  const items = parsed?.items ?? [];
  const usable = items.slice(0, LIMITS.itemsMax);

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
        onInput={(e) => setText(e.currentTarget.value)}
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
          {usable.length > 0 && (
            <button type="button" class="g-main wide" onClick={() => onFill(usable)}>
              {tw("pasteFill", { n: usable.length })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
