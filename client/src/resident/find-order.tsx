/** Find my order without the device key: the last 4 digits of the phone and the pickup code. */
import { useState } from "preact/hooks";
import type { EntryFound } from "../../../shared/views.js";
import { post } from "../http/api.js";
import { errorText, t } from "../i18n.js";

interface Props {
  chainId: string;
  onFound(found: EntryFound): void;
}

export function FindOrder({ chainId, onFound }: Props) {
  const [phone4, setPhone4] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!/^\d{4}$/.test(phone4)) return setMessage({ text: t("findPhoneBad"), bad: true });
    if (!/^\d{3,7}$/.test(code)) return setMessage({ text: t("findCodeBad"), bad: true });
    setBusy(true);
    const r = await post<EntryFound>(`/chains/${chainId}/find`, { phone4, pickupCode: code });
    setBusy(false);
    if (r.ok) {
      setMessage({ text: t("found", { no: r.data.entry.no }), bad: false });
      onFound(r.data);
    } else
      setMessage({
        text: r.error.code === "not_found" ? t("notFoundOrder") : errorText(r.error.code),
        bad: true,
      });
  };
  return (
    <details class="card find-order">
      <summary>
        <h2>{t("findTitle")}</h2>
      </summary>
      <form onSubmit={submit}>
        <p class="muted">{t("findHelp")}</p>
        <label for="find-phone">{t("findPhone")}</label>
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
          {busy ? t("sending") : t("findButton")}
        </button>
        {message && (
          <p
            class={`notice ${message.bad ? "bad" : "good"}`}
            role={message.bad ? "alert" : "status"}
          >
            {message.text}
          </p>
        )}
      </form>
    </details>
  );
}
