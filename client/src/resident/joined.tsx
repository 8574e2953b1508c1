/**
 * After joining: a clear success state at the top of the page — the chain number, the pickup code
 * and drop point, what was ordered — and the familiar WeChat line to copy into the group.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { lineAmountFen, toMilli } from "../../../shared/quantity.js";
import type { ChainView, OwnEntry } from "../../../shared/views.js";
import { entryLine } from "../../../shared/wechat/entry-line.js";
import { copyText } from "../clipboard.js";
import { dayLabel, qty, yuan } from "../format.js";
import { currentLang, t } from "../i18n.js";

/** What goes to the group: `12. 张阿姨 3-201 西红柿2斤`, and the personal link when there is one. */
export function wechatLine(chain: ChainView, entry: OwnEntry, link?: string | null): string {
  const line = entryLine(entry, chain.items);
  return link ? `${line}\n${t("myLinkLine", { link })}` : line;
}

interface Props {
  chain: ChainView;
  entry: OwnEntry;
  /** The personal link that finds this entry again (shown and copied with the line). */
  link?: string | null;
  onAnother(): void;
}

export function JoinedCard({ chain, entry, link, onAnother }: Props) {
  const head = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => {
    head.current?.focus();
    head.current?.scrollIntoView({ block: "start" });
  }, []);
  const dp = chain.dropPoints.find((d) => d.id === entry.dropPointId);
  const items = new Map(chain.items.map((i) => [i.id, i]));
  const copy = async () => setCopied(await copyText(wechatLine(chain, entry, link)));
  return (
    <section class="card joined" aria-labelledby="joined-title">
      <h2 id="joined-title" ref={head} tabIndex={-1}>
        {t("joinedTitle")}
      </h2>
      <div class="joined-big">
        <p>
          <span class="muted">{t("chainNo")}</span>
          <strong data-testid="joined-no">{entry.no}</strong>
        </p>
        <p>
          <span class="muted">{t("pickupCode")}</span>
          <strong data-testid="joined-code">{entry.pickupCode}</strong>
        </p>
      </div>
      <p>
        {t("pickAt")}: <strong>{dp?.name ?? "?"}</strong>
        {dp
          ? ` · ${dayLabel(chain.deliveryDate, currentLang())} ${dp.window.start}–${dp.window.end}`
          : ""}
      </p>
      <ul class="plain joined-lines">
        {entry.lines.map((l) => {
          const item = items.get(l.itemId);
          return (
            <li key={l.itemId}>
              <span>
                {item?.name ?? "?"} {qty(l.qty)}
                {item?.unit ?? ""}
              </span>
              <span>{item ? yuan(lineAmountFen(item.priceFen, toMilli(l.qty) ?? 0)) : ""}</span>
            </li>
          );
        })}
        <li class="joined-total">
          <span>{t("sum")}</span>
          <span>{yuan(entry.amountFen)}</span>
        </li>
      </ul>
      <button type="button" class="primary" onClick={copy}>
        {t("copyLine")}
      </button>
      <p class="wechat-line">{entryLine(entry, chain.items)}</p>
      {link && (
        <p class="my-link">
          {t("myLink")}:{" "}
          <a href={link} data-testid="my-link">
            {link}
          </a>
        </p>
      )}
      {copied !== null && (
        <p class={`notice ${copied ? "good" : "warn"}`} role="status">
          {copied ? t("copiedLine") : t("copyFailed")}
        </p>
      )}
      <button type="button" class="wide" onClick={onAnother}>
        {t("another")}
      </button>
    </section>
  );
}
