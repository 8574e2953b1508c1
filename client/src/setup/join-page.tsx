/** Accepting an invite (or a sign-in link) from a coordinator; the phone stays signed in. */

import { useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import type { SessionView } from "../../../shared/views.js";
import { post } from "../http/api.js";
import { errorText, words } from "../i18n.js";

const tw = words({
  zh: {
    title: "加入社区",
    name: "您的名字",
    village: "村子 / 合作社（种植户填写）",
    ok: "确定",
    welcome: "欢迎，{name}！",
    grower: "去发布今天的菜",
    admin: "去管理页面",
  },
  en: {
    title: "Join the community",
    name: "Your name",
    village: "Village / co-op (growers)",
    ok: "OK",
    welcome: "Welcome, {name}!",
    grower: "Post today's produce",
    admin: "Go to the admin page",
  },
});

export function JoinPage() {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const [name, setName] = useState("");
  const [village, setVillage] = useState("");
  const [done, setDone] = useState<SessionView | null>(null);
  const [error, setError] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = { token };
    if (name.trim()) body.name = name.trim();
    if (village.trim()) body.village = village.trim();
    const r = await post<SessionView>("/invites/accept", body);
    if (r.ok) setDone(r.data);
    else setError(errorText(r.error.code, r.error.message));
  };
  if (done) {
    const grower = done.user.role === "grower";
    return (
      <section class="card">
        <p class="notice good">{tw("welcome", { name: done.user.name })}</p>
        <a class="primary-link" href={grower ? "/g" : "/admin"}>
          {grower ? tw("grower") : tw("admin")}
        </a>
      </section>
    );
  }
  return (
    <form class="card" onSubmit={submit}>
      <h1>{tw("title")}</h1>
      <label for="name">{tw("name")}</label>
      <input
        id="name"
        maxLength={LIMITS.nameMax}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="village">{tw("village")}</label>
      <input
        id="village"
        maxLength={LIMITS.nameMax}
        value={village}
        onInput={(e) => setVillage(e.currentTarget.value)}
      />
      <button class="primary" type="submit">
        {tw("ok")}
      </button>
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
