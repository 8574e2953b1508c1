/** Find my order without the device key: the last 4 digits of the phone and the pickup code. */
import { useState } from "preact/hooks";
import type { EntryFound } from "../../../shared/views.js";
import { post } from "../http/api.js";
import { errorText, t, words } from "../i18n.js";

/** Words only this part uses: they load with it, not with the resident page. */
const tf = words({
  zh: {
    findHelp: "换了手机，或在微信里打开后看不到自己的订单？填手机号后4位和取货码就能找回。",
    findPhone: "手机尾号（后4位）",
    findButton: "找回",
    findPhoneBad: "请填手机号的最后4位数字",
    findCodeBad: "请填取货码（数字）",
    found: "找到了：第 {no} 号，在上面“我的接龙”里",
    notFoundOrder:
      "没有找到。请看看手机尾号和取货码对不对；接龙时没填手机号的，请用接龙后复制的链接找回",
  },
  en: {
    findHelp:
      "New phone, or opened in WeChat and can't see your order? Enter the last 4 digits of your phone and your pickup code.",
    findPhone: "Last 4 digits of your phone",
    findButton: "Find",
    findPhoneBad: "Enter the last 4 digits of your phone",
    findCodeBad: "Enter your pickup code (digits)",
    found: "Found: number {no}, in My orders above",
    notFoundOrder:
      "Not found. Check the phone ending and pickup code; if you gave no phone, use the link copied after ordering",
  },
});

interface Props {
  chainId: string;
  onFound(found: EntryFound): void;
}

export function FindOrderForm({ chainId, onFound }: Props) {
  const [phone4, setPhone4] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!/^\d{4}$/.test(phone4)) return setMessage({ text: tf("findPhoneBad"), bad: true });
    if (!/^\d{3,7}$/.test(code)) return setMessage({ text: tf("findCodeBad"), bad: true });
    setBusy(true);
    const r = await post<EntryFound>(`/chains/${chainId}/find`, { phone4, pickupCode: code });
    setBusy(false);
    if (r.ok) {
      setMessage({ text: tf("found", { no: r.data.entry.no }), bad: false });
      onFound(r.data);
    } else
      setMessage({
        text: r.error.code === "not_found" ? tf("notFoundOrder") : errorText(r.error.code),
        bad: true,
      });
  };
  return (
    <form onSubmit={submit}>
      <p class="muted">{tf("findHelp")}</p>
      <label for="find-phone">{tf("findPhone")}</label>
      <input
        id="find-phone"
        inputMode="numeric"
        autocomplete="off"
        maxLength={4}
        value={phone4}
        onInput={(e) => setPhone4(e.currentTarget.value.trim())}
      />
      <label for="find-code">{t("pickupCode")}</label>
      <input
        id="find-code"
        inputMode="numeric"
        autocomplete="off"
        maxLength={7}
        value={code}
        onInput={(e) => setCode(e.currentTarget.value.trim())}
      />
      <button type="submit" class="wide" disabled={busy}>
        {busy ? t("sending") : tf("findButton")}
      </button>
      {message && (
        <p class={`notice ${message.bad ? "bad" : "good"}`} role={message.bad ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </form>
  );
}
