/**
 * First run: the one-time link the server printed creates the community and its coordinator.
 * A link opened again after setup says so and points to the sign-in page instead of the form;
 * an expired link says how to get a fresh one.
 */
import { useEffect, useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import type { SessionView, SetupStatus } from "../../../shared/views.js";
import { get, post } from "../http/api.js";
import { errorText, words } from "../i18n.js";
import "./setup.css";

const tw = words({
  zh: {
    title: "创建社区",
    community: "社区名称",
    you: "您的名字（团长）",
    create: "创建",
    done: "已创建 {name}，您已登录。",
    next: "去管理页面",
    alreadyTitle: "已经设置好了，在这里登录",
    already:
      "这个设置链接已经用过了，社区已经建好。团长在这部手机上登录过的话，点下面的按钮就能进去；换了手机，请用自己的登录链接。",
    signIn: "在这里登录",
    expiredTitle: "链接无效或已过期",
    expired: "请让管理服务器的人运行 npm run setup-link，生成一个新的设置链接。",
  },
  en: {
    title: "Set up your community",
    community: "Community name",
    you: "Your name (coordinator)",
    create: "Create",
    done: "{name} is ready and you are signed in.",
    next: "Go to the admin page",
    alreadyTitle: "Already set up: sign in here",
    already:
      "This setup link was already used and the community exists. If you signed in on this phone before, tap below; on another phone, use your own sign-in link.",
    signIn: "Sign in here",
    expiredTitle: "This link is not valid or has expired",
    expired: "Ask whoever runs the server to run npm run setup-link for a fresh setup link.",
  },
});

export function SetupPage() {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const [community, setCommunity] = useState("");
  const [name, setName] = useState("");
  const [result, setResult] = useState<{ text: string; bad: boolean } | null>(null);
  const [status, setStatus] = useState<SetupStatus["status"] | null>(null);
  useEffect(() => {
    void get<SetupStatus>(`/setup?token=${encodeURIComponent(token)}`).then((r) =>
      // Unknown (offline): show the form; sending it says what is wrong.
      setStatus(r.ok ? r.data.status : "open"),
    );
  }, [token]);
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
  if (status === null) return <p class="muted">…</p>;
  if (status !== "open" && !result) {
    const done = status === "done";
    return (
      <section class="card setup-card" aria-labelledby="setup-state">
        <h1 id="setup-state">{tw(done ? "alreadyTitle" : "expiredTitle")}</h1>
        <p class="big-text">{tw(done ? "already" : "expired")}</p>
        {done && (
          <a class="primary-link" href="/admin">
            {tw("signIn")}
          </a>
        )}
      </section>
    );
  }
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
