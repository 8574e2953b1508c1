/**
 * Accepting an invite (or a sign-in link) from a coordinator; the phone stays signed in. The page
 * first asks the server who the link is for (GET /api/invites/status), then asks only what is
 * needed: a name, and a phone for a grower (and, optional, the village residents see with their
 * listings); a sign-in link asks nothing. A used or expired link
 * says so and points to the coordinator who sent it.
 */

import { useEffect, useState } from "preact/hooks";
import { z } from "zod";
import { LIMITS } from "../../../shared/limits.js";
import { InviteAcceptBody, nameText, Phone } from "../../../shared/schemas.js";
import type { InviteStatus, SessionView } from "../../../shared/views.js";
import { type IssueLike, issuesByField } from "../form-issues.js";
import { get, post } from "../http/api.js";
import { errorText, words } from "../i18n.js";
import "./setup.css";

const tw = words({
  zh: {
    title: "加入{community}",
    growerIntro: "您是种植户。填好名字和手机号，就能发布自己的菜。",
    coordinatorIntro: "您被邀请做团长。填好名字就可以了。",
    signInTitle: "登录{community}",
    signInIntro: "这是 {name} 的登录链接。点下面的按钮，这部手机就登录好了。",
    signInAs: "以 {name} 的身份登录",
    name: "您的名字",
    nameHint: "大家看到的称呼，如：李大姐",
    phone: "手机号",
    phoneHint: "团长联系您用，只有团长能看到",
    village: "村子 / 合作社（种植户填写）",
    villageHint: "选填。居民会看到，如：山后村",
    ok: "确定",
    sending: "正在提交…",
    welcome: "欢迎，{name}！",
    grower: "去发布今天的菜",
    admin: "去管理页面",
    usedTitle: "这个链接已经用过或者过期了",
    used: "每个邀请链接只能用一次，过几天也会失效。请联系发链接给您的团长，让他（她）再发一个新的。",
    usedSignedIn: "如果您已经用这个链接登录过，直接打开下面的页面就行：",
    loadFailed: "没有连上服务器，请检查网络后再试。",
    retry: "再试一次",
    nameLabel: "名字",
    phoneLabel: "手机号",
    villageLabel: "村子",
  },
  en: {
    title: "Join {community}",
    growerIntro:
      "You are invited as a grower. Fill in your name and phone and you can post your produce.",
    coordinatorIntro: "You are invited as a coordinator. Your name is all we need.",
    signInTitle: "Sign in to {community}",
    signInIntro: "This is {name}'s sign-in link. Tap the button and this phone is signed in.",
    signInAs: "Sign in as {name}",
    name: "Your name",
    nameHint: "What people see, e.g. Auntie Li",
    phone: "Phone number",
    phoneHint: "For the coordinator to reach you; only coordinators see it",
    village: "Village / co-op (growers)",
    villageHint: "Optional. Residents see it, e.g. Shanhou village",
    ok: "OK",
    sending: "Sending…",
    welcome: "Welcome, {name}!",
    grower: "Post today's produce",
    admin: "Go to the admin page",
    usedTitle: "This link was used or has expired",
    used: "Each invite link works once, and stops working after a few days. Ask the coordinator who sent it for a new one.",
    usedSignedIn: "If you already signed in with it, just open:",
    loadFailed: "Could not reach the server. Check the network and try again.",
    retry: "Try again",
    nameLabel: "name",
    phoneLabel: "phone number",
    villageLabel: "village",
  },
});

type State =
  | { kind: "loading" }
  | { kind: "used" }
  | { kind: "failed"; message: string }
  | { kind: "open"; status: InviteStatus };

export function JoinPage() {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const [state, setState] = useState<State>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState<SessionView | null>(null);
  // `attempt` is what says "ask again".
  useEffect(() => {
    if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return setState({ kind: "used" });
    void get<InviteStatus>(`/invites/status?token=${encodeURIComponent(token)}`).then((r) => {
      if (r.ok) setState({ kind: "open", status: r.data });
      else if (r.status === 404 || r.status === 403) setState({ kind: "used" });
      else setState({ kind: "failed", message: errorText(r.error.code, r.error.message) });
    });
  }, [token, attempt]);

  if (done) {
    const grower = done.user.role === "grower";
    return (
      <section class="card setup-card">
        <p class="notice good" role="status">
          {tw("welcome", { name: done.user.name })}
        </p>
        <a class="primary-link" href={grower ? "/g" : "/admin"}>
          {grower ? tw("grower") : tw("admin")}
        </a>
      </section>
    );
  }
  if (state.kind === "loading") return <p class="muted">…</p>;
  if (state.kind === "failed")
    return (
      <section class="card setup-card">
        <p class="notice bad" role="alert">
          {tw("loadFailed")}
        </p>
        <button class="primary" type="button" onClick={() => setAttempt((n) => n + 1)}>
          {tw("retry")}
        </button>
      </section>
    );
  if (state.kind === "used") return <UsedLink />;
  return (
    <JoinForm
      token={token}
      status={state.status}
      onDone={setDone}
      onUsed={() => setState({ kind: "used" })}
    />
  );
}

function UsedLink() {
  return (
    <section class="card setup-card" aria-labelledby="join-used">
      <h1 id="join-used">{tw("usedTitle")}</h1>
      <p class="big-text">{tw("used")}</p>
      <p class="muted">{tw("usedSignedIn")}</p>
      <div class="setup-links">
        <a class="link-button" href="/g">
          {tw("grower")}
        </a>
        <a class="link-button" href="/admin">
          {tw("admin")}
        </a>
      </div>
    </section>
  );
}

interface FormProps {
  token: string;
  status: InviteStatus;
  onDone(view: SessionView): void;
  onUsed(): void;
}

function JoinForm({ token, status, onDone, onUsed }: FormProps) {
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const [village, setVillage] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const grower = status.role === "grower";
  const signIn = status.kind === "sign_in";
  const labels = { name: tw("nameLabel"), phone: tw("phoneLabel"), village: tw("villageLabel") };

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem("");
    let body: InviteAcceptBody = { token };
    if (!signIn) {
      // What this invite needs: a name, and a phone for a grower.
      const schema = InviteAcceptBody.extend({
        name: nameText(LIMITS.nameMax),
        phone: grower ? Phone : z.undefined().optional(),
      });
      const parsed = schema.safeParse({
        token,
        name,
        ...(grower && phone.trim() ? { phone } : {}),
        ...(grower && village.trim() ? { village } : {}),
      });
      if (!parsed.success) {
        const found = issuesByField(parsed.error.issues as IssueLike[], labels);
        setErrors(found);
        document.getElementById(found.name ? "name" : found.phone ? "phone" : "village")?.focus();
        return;
      }
      body = parsed.data;
    }
    setErrors({});
    setBusy(true);
    const r = await post<SessionView>("/invites/accept", body);
    setBusy(false);
    if (r.ok) return onDone(r.data);
    if (r.status === 404) return onUsed();
    const details = "details" in r.error ? r.error.details : undefined;
    if (r.error.code === "validation_failed" && Array.isArray(details) && details.length)
      return setErrors(issuesByField(details as IssueLike[], labels));
    setProblem(errorText(r.error.code, r.error.message));
  };

  const field = (
    id: "name" | "phone" | "village",
    label: string,
    hint: string,
    value: string,
    set: (v: string) => void,
  ) => (
    <div class="setup-field">
      <label for={id}>{label}</label>
      <p class="muted small" id={`${id}-hint`}>
        {hint}
      </p>
      <input
        id={id}
        type={(id === "phone" ? "tel" : "text") as "text"}
        autocomplete={id === "phone" ? "tel" : id === "name" ? "name" : "off"}
        maxLength={id === "phone" ? LIMITS.phoneMax : LIMITS.nameMax}
        value={value}
        aria-invalid={errors[id] ? true : undefined}
        aria-describedby={errors[id] ? `${id}-error` : `${id}-hint`}
        onInput={(e) => {
          set(e.currentTarget.value);
          if (errors[id]) setErrors(({ [id]: _, ...rest }) => rest);
        }}
      />
      {errors[id] && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {errors[id]}
        </p>
      )}
    </div>
  );

  return (
    <form class="card setup-card" onSubmit={submit} noValidate>
      {signIn ? (
        <>
          <h1>{tw("signInTitle", { community: status.community })}</h1>
          <p class="big-text">{tw("signInIntro", { name: status.name ?? "" })}</p>
        </>
      ) : (
        <>
          <h1>{tw("title", { community: status.community })}</h1>
          <p class="big-text">{tw(grower ? "growerIntro" : "coordinatorIntro")}</p>
          {field("name", tw("name"), tw("nameHint"), name, setName)}
          {grower && field("phone", tw("phone"), tw("phoneHint"), phone, setPhone)}
          {grower && field("village", tw("village"), tw("villageHint"), village, setVillage)}
        </>
      )}
      <button class="primary" type="submit" disabled={busy}>
        {busy ? tw("sending") : signIn ? tw("signInAs", { name: status.name ?? "" }) : tw("ok")}
      </button>
      {problem && (
        <p class="notice bad" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
