/**
 * The first-run checklist at the top of the admin page's day tab (one line on the other tabs): drop points → invite a grower → first
 * chain → share its link → print. Each step is ticked from the server's state (GET
 * /api/communities/:id/first-run), read again whenever the tab changes, and the card goes once
 * every step is done. The share step has the chain's link, its QR code and a text for WeChat.
 */
import { useEffect, useState } from "preact/hooks";
import type { ChainView, CommunityView, FirstRunView } from "../../../shared/views.js";
import { copyText } from "../clipboard.js";
import { QrCode } from "../components/qr-code.js";
import { dayLabel, yuan } from "../format.js";
import { get } from "../http/api.js";
import { currentLang, words } from "../i18n.js";
import { useLoad } from "./util.js";

const fw = words({
  zh: {
    title: "开始使用：5 步",
    progress: "已完成 {n} / 5",
    mini: "开始使用：已完成 {n} / 5，看下一步",
    step1: "添加自提点",
    step1Hint: "居民在哪里取货，比如“3号楼东门”。",
    step1Go: "去添加自提点",
    step2: "邀请种植户",
    step2Hint: "生成邀请链接，发给种植户。",
    step2Waiting: "邀请已发出，等种植户打开链接。",
    step2Go: "去邀请",
    step3: "发布第一个接龙",
    step3Hint: "种植户打开邀请链接后，点“发布今天的菜”。",
    step4: "把接龙链接发到微信群",
    step4Hint: "有居民接龙后，这一步就完成了。",
    step4Wait: "先要有一个接龙。",
    copyWechat: "复制，发到微信群",
    copied: "已复制。去微信群长按输入框，粘贴发送。",
    copyFailed: "复制不了，请长按下面的文字手动复制。",
    wechatText: "发到微信群的文字",
    qr: "接龙链接的二维码",
    step5: "打印取货单",
    step5Hint: "送货前一天晚上打印，每个自提点一张。",
    step5Go: "去打印",
    done: "已完成",
    todo: "未完成",
    shareText: "【{title}】{day}送到，{items}\n点链接接龙（不用下载）：{link}",
  },
  en: {
    title: "Getting started: 5 steps",
    progress: "{n} of 5 done",
    mini: "Getting started: {n} of 5 done, see the next step",
    step1: "Add pickup points",
    step1Hint: "Where residents pick up, e.g. “Building 3 east gate”.",
    step1Go: "Add pickup points",
    step2: "Invite a grower",
    step2Hint: "Make an invite link and send it to the grower.",
    step2Waiting: "Invite sent: waiting for the grower to open it.",
    step2Go: "Invite",
    step3: "Post the first chain",
    step3Hint: "The grower opens the invite and taps “Post today's produce”.",
    step4: "Share the chain's link in the WeChat group",
    step4Hint: "Done once a resident has joined.",
    step4Wait: "There is no chain yet.",
    copyWechat: "Copy for WeChat",
    copied: "Copied. Paste it in the WeChat group.",
    copyFailed: "Could not copy: press and hold the text below to copy it.",
    wechatText: "Text for the WeChat group",
    qr: "QR code of the chain's link",
    step5: "Print the pickup sheets",
    step5Hint: "The evening before delivery, one per pickup point.",
    step5Go: "Print",
    done: "done",
    todo: "to do",
    shareText: "【{title}】delivered {day}, {items}\nJoin here (no app needed): {link}",
  },
});

/** The text to paste in the group: what, when, the prices, and the link. */
export function shareText(chain: ChainView, link: string): string {
  const lang = currentLang();
  const items = chain.items
    .map((i) => `${i.name}${yuan(i.priceFen)}/${i.unit}`)
    .join(lang === "zh" ? "、" : ", ");
  return fw("shareText", {
    title: chain.title,
    day: dayLabel(chain.deliveryDate, lang),
    items,
    link,
  });
}

export function FirstRun({ community, tab }: { community: CommunityView; tab: string }) {
  const path = `/communities/${community.id}/first-run`;
  const state = useLoad<FirstRunView>(path, () => get<FirstRunView>(path));
  // Read again when the person comes back from a step (another tab, or the print page).
  useEffect(() => state.reload(), [tab, community.dropPoints]);
  useEffect(() => {
    const again = () => document.visibilityState === "visible" && state.reload();
    document.addEventListener("visibilitychange", again);
    return () => document.removeEventListener("visibilitychange", again);
  }, [state.reload]);
  const run = state.data;
  if (!run || run.done) return null;
  const { steps } = run;
  const n = Object.values(steps).filter(Boolean).length;
  // On the other tabs, one line: the tab's own work comes first.
  if (tab !== "day")
    return (
      <p class="first-run-mini no-print">
        <a class="link-button" href="#day">
          {fw("mini", { n })}
        </a>
      </p>
    );
  const printUrl = run.chain
    ? `/print?view=pickup&date=${run.chain.deliveryDate}&dp=all`
    : "/print";
  return (
    <section class="card first-run no-print" aria-labelledby="first-run-title">
      <h2 id="first-run-title">{fw("title")}</h2>
      <p class="muted">{fw("progress", { n })}</p>
      <ol class="plain first-run-steps">
        <Step no={1} done={steps.dropPoints} title={fw("step1")}>
          <p class="small muted">{fw("step1Hint")}</p>
          <a class="link-button" href="#points">
            {fw("step1Go")}
          </a>
        </Step>
        <Step no={2} done={steps.grower} title={fw("step2")}>
          <p class="small muted">
            {steps.grower && !run.growerJoined ? fw("step2Waiting") : fw("step2Hint")}
          </p>
          {!steps.grower && (
            <a class="link-button" href="#people">
              {fw("step2Go")}
            </a>
          )}
        </Step>
        <Step no={3} done={steps.chain} title={fw("step3")}>
          <p class="small muted">{fw("step3Hint")}</p>
        </Step>
        <Step no={4} done={steps.shared} title={fw("step4")}>
          {run.chain ? (
            <ShareChain chainId={run.chain.id} />
          ) : (
            <p class="small muted">{fw("step4Wait")}</p>
          )}
        </Step>
        <Step no={5} done={steps.printed} title={fw("step5")}>
          <p class="small muted">{fw("step5Hint")}</p>
          <a class="link-button" href={printUrl}>
            {fw("step5Go")}
          </a>
        </Step>
      </ol>
    </section>
  );
}

function Step({
  no,
  done,
  title,
  children,
}: {
  no: number;
  done: boolean;
  title: string;
  children: preact.ComponentChildren;
}) {
  return (
    <li class={`first-run-step ${done ? "done" : ""}`} data-step={no}>
      <p class="first-run-head">
        <span class="first-run-mark" aria-hidden="true">
          {done ? "✓" : no}
        </span>
        <strong>{title}</strong>
        <span class="sr-only">（{done ? fw("done") : fw("todo")}）</span>
      </p>
      {!done && <div class="first-run-body">{children}</div>}
    </li>
  );
}

function ShareChain({ chainId }: { chainId: string }) {
  const chain = useLoad<ChainView>(`share:${chainId}`, () =>
    get<{ chain: ChainView }>(`/chains/${chainId}`).then((r) =>
      r.ok ? { ok: true as const, data: r.data.chain } : r,
    ),
  );
  const [said, setSaid] = useState<{ text: string; bad: boolean } | null>(null);
  if (!chain.data) return null;
  const link = `${location.origin}/c/${chainId}`;
  const text = shareText(chain.data, link);
  const copy = async () => {
    const ok = await copyText(text);
    setSaid(ok ? { text: fw("copied"), bad: false } : { text: fw("copyFailed"), bad: true });
  };
  return (
    <div class="first-run-share">
      <p class="small muted">{fw("step4Hint")}</p>
      <label for="first-run-text">{fw("wechatText")}</label>
      <textarea id="first-run-text" readOnly rows={6} value={text} />
      <button class="primary" type="button" onClick={copy}>
        {fw("copyWechat")}
      </button>
      {said && (
        <p class={`notice ${said.bad ? "bad" : "good"}`} role="status">
          {said.text}
        </p>
      )}
      <div class="first-run-qr">
        <QrCode text={link} label={fw("qr")} size={200} />
      </div>
    </div>
  );
}
