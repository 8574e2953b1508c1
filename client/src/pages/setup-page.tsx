/** First run: the one-time link the server printed creates the community and its coordinator. */

import { useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import type { SessionView } from "../../../shared/views.js";
import { post } from "../api.js";
import { errorText, words } from "../i18n.js";

const tw = words({
  zh: {
    title: "创建社区",
    community: "社区名称",
    you: "您的名字（团长）",
    create: "创建",
    done: "已创建 {name}，您已登录。",
    next: "去管理页面",
  },
  en: {
    title: "Set up your community",
    community: "Community name",
    you: "Your name (coordinator)",
    create: "Create",
    done: "{name} is ready and you are signed in.",
    next: "Go to the admin page",
  },
});

export function SetupPage() {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const [community, setCommunity] = useState("");
  const [name, setName] = useState("");
  const [result, setResult] = useState<{ text: string; bad: boolean } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await post<SessionView>("/setup", {
      token,
      community: { name: community },
      coordinator: { name },
    });
    setResult(
      r.ok
        ? { text: tw("done", { name: r.data.community.name }), bad: false }
        : { text: errorText(r.error.code, r.error.message), bad: true },
    );
  };
  return (
    <form class="card" onSubmit={submit}>
      <h1>{tw("title")}</h1>
      <label for="community">{tw("community")}</label>
      <input
        id="community"
        required
        maxLength={LIMITS.communityNameMax}
        value={community}
        onInput={(e) => setCommunity(e.currentTarget.value)}
      />
      <label for="you">{tw("you")}</label>
      <input
        id="you"
        required
        maxLength={LIMITS.nameMax}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <button class="primary" type="submit">
        {tw("create")}
      </button>
      {result && (
        <p class={`notice ${result.bad ? "bad" : "good"}`} role="alert">
          {result.text} {!result.bad && <a href="/admin">{tw("next")}</a>}
        </p>
      )}
    </form>
  );
}
