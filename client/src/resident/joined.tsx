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
    myLink: "我的订单链接（换手机也能打开、修改）",
    myLinkPrivate: "这个链接能改、能取消您的订单：只留给自己，不要发到群里。",
    copyMyLink: "复制我的订单链接（留给自己）",
    copiedMyLink: "已复制。可以发给“文件传输助手”留着，不要发到群里",
  },
  en: {
    joinedTitle: "You're in!",
    chainNo: "Number",
    pickAt: "Pick up",
    sum: "Total",
    copyLine: "Copy my line for the WeChat group",
    copiedLine: "Copied. Paste it in the WeChat group",
    copyFailed: "Could not copy; press and hold the line below to copy it",
    myLink: "My order link (opens and changes it on any phone)",
    myLinkPrivate:
      "This link can change or cancel your order: keep it to yourself, don't post it in the group.",
    copyMyLink: "Copy my order link (for me only)",
    copiedMyLink: "Copied. Keep it for yourself (e.g. send it to File Transfer), not to the group",
  },
});

/**
 * What goes to the group: `12. 张阿姨 3-201 西红柿2斤`, nothing more. The personal link can change
 * and cancel the entry, so it is copied on its own, for the resident alone: in the group any
 * neighbour could cancel the order with it.
 */
export function wechatLine(chain: ChainView, entry: OwnEntry): string {
  return entryLine(entry, chain.items);
}

interface Props {
  chain: ChainView;
  entry: OwnEntry;
  /** The personal link that finds this entry again (shown, and copied on its own). */
  link?: string | null;
  onAnother(): void;
}

export function JoinedCard({ chain, entry, link, onAnother }: Props) {
  const head = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<{ what: "line" | "link"; ok: boolean } | null>(null);
  useEffect(() => {
    head.current?.focus();
    head.current?.scrollIntoView({ block: "start" });
  }, []);
  const dp = chain.dropPoints.find((d) => d.id === entry.dropPointId);
  const items = new Map(chain.items.map((i) => [i.id, i]));
  const copy = async () =>
    setCopied({ what: "line", ok: await copyText(wechatLine(chain, entry)) });
  const copyLink = async () => link && setCopied({ what: "link", ok: await copyText(link) });
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
      {copied?.what === "line" && (
        <p class={`notice ${copied.ok ? "good" : "warn"}`} role="status">
          {copied.ok ? tj("copiedLine") : tj("copyFailed")}
        </p>
      )}
      {link && (
        <div class="my-link">
          <p>
            {tj("myLink")}:{" "}
            <a href={link} data-testid="my-link">
              {link}
            </a>
          </p>
          <p class="muted">{tj("myLinkPrivate")}</p>
          <button type="button" class="wide" onClick={copyLink}>
            {tj("copyMyLink")}
          </button>
          {copied?.what === "link" && (
            <p class={`notice ${copied.ok ? "good" : "warn"}`} role="status">
              {copied.ok ? tj("copiedMyLink") : tj("copyFailed")}
            </p>
          )}
        </div>
      )}
      <button type="button" class="wide" onClick={onAnother}>
        {t("another")}
      </button>
    </section>
  );
}
