/**
 * After joining: a clear success state at the top of the page — the chain number, the pickup code
 * and drop point, what was ordered — and the familiar WeChat line to copy into the group.
 */
import "./joined.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { lineAmountFen, toMilli } from "../../../shared/quantity.js";
import type { ChainView, OwnEntry } from "../../../shared/views.js";
import { copyText } from "../clipboard.js";
import { dayLabel, qty, yuan } from "../format.js";
import { currentLang, t, words } from "../i18n.js";
import { wechatEntryLine as entryLine } from "./wechat-line.js";

/** Words only this part uses: they load with it, not with the resident page. */
const tj = words({
  zh: {
    joinedTitle: "接龙成功！",
    chainNo: "接龙号",
    pickAt: "取货",
    sum: "合计",
    copyLine: "复制我的接龙发到群",
    copiedLine: "已复制，到微信群里长按粘贴就可以了",
    copyFailed: "没能复制，请长按下面这行自己复制",
    myLinkLine: "我的订单：{link}",
    myLink: "我的订单链接（换手机也能打开、修改）",
  },
  en: {
    joinedTitle: "You're in!",
    chainNo: "Number",
    pickAt: "Pick up",
    sum: "Total",
    copyLine: "Copy my line for the WeChat group",
    copiedLine: "Copied. Paste it in the WeChat group",
    copyFailed: "Could not copy; press and hold the line below to copy it",
    myLinkLine: "My order: {link}",
    myLink: "My order link (opens and changes it on any phone)",
  },
});

/** What goes to the group: `12. 张阿姨 3-201 西红柿2斤`, and the personal link when there is one. */
export function wechatLine(chain: ChainView, entry: OwnEntry, link?: string | null): string {
  const line = entryLine(entry, chain.items);
  return link ? `${line}\n${tj("myLinkLine", { link })}` : line;
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
        {tj("joinedTitle")}
      </h2>
      <div class="joined-big">
        <p>
          <span class="muted">{tj("chainNo")}</span>
          <strong data-testid="joined-no">{entry.no}</strong>
        </p>
        <p>
          <span class="muted">{t("pickupCode")}</span>
          <strong data-testid="joined-code">{entry.pickupCode}</strong>
        </p>
      </div>
      <p>
        {tj("pickAt")}: <strong>{dp?.name ?? "?"}</strong>
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
          <span>{tj("sum")}</span>
          <span>{yuan(entry.amountFen)}</span>
        </li>
      </ul>
      <button type="button" class="primary" onClick={copy}>
        {tj("copyLine")}
      </button>
      <p class="wechat-line">{entryLine(entry, chain.items)}</p>
      {link && (
        <p class="my-link">
          {tj("myLink")}:{" "}
          <a href={link} data-testid="my-link">
            {link}
          </a>
        </p>
      )}
      {copied !== null && (
        <p class={`notice ${copied ? "good" : "warn"}`} role="status">
          {copied ? tj("copiedLine") : tj("copyFailed")}
        </p>
      )}
      <button type="button" class="wide" onClick={onAnother}>
        {t("another")}
      </button>
    </section>
  );
}
