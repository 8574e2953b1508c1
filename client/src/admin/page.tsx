/**
 * The coordinator's page (/admin): the day's chains and live pickup lists, orders on a resident's
 * behalf, pickup points, invites and settings. Loaded apart from the resident page.
 */
import { useEffect, useState } from "preact/hooks";
import type { CommunityView, SessionView } from "../../../shared/views.js";
import { t } from "../i18n.js";
import { AddTab } from "./add-tab.js";
import { DayTab } from "./day-tab.js";
import { FirstRun } from "./first-run.js";
import { ImportTab } from "./import-tab.js";
import { PeopleTab } from "./people-tab.js";
import { PointsTab } from "./points-tab.js";
import { SettingsTab } from "./settings-tab.js";
import { tw, type Word } from "./words.js";
import "./admin.css";
import { useMe } from "../http/me.js";
import { useSocket } from "../live/socket.js";

export function AdminPage() {
  const { me, reload: load } = useMe();

  if (me.kind === "loading") return <p class="muted">{t("loading")}</p>;
  if (me.kind === "anonymous") return <SignInHelp />;
  if (me.kind === "failed")
    return (
      <section class="card">
        <p class="notice bad" role="alert">
          {tw("loadFailed", { message: me.message })}
        </p>
        <button type="button" onClick={load}>
          {tw("retry")}
        </button>
      </section>
    );
  if (me.session.user.role !== "coordinator")
    return (
      <section class="card">
        <p>{tw("growersGoTo")}</p>
        <a class="primary-link" href="/g">
          {tw("growerPage")}
        </a>
      </section>
    );
  return <Admin session={me.session} />;
}

function SignInHelp() {
  return (
    <section class="card" aria-labelledby="signin-title">
      <h1 id="signin-title">{tw("notSignedIn")}</h1>
      <p>{tw("signInFirst")}</p>
      <p>{tw("signInInvite")}</p>
    </section>
  );
}

const TABS = [
  ["day", "tabDay"],
  ["add", "tabAdd"],
  ["import", "tabImport"],
  ["points", "tabPoints"],
  ["people", "tabPeople"],
  ["settings", "tabSettings"],
] as const satisfies readonly (readonly [string, Word])[];
export type Tab = (typeof TABS)[number][0];

/** #tab, or #tab/<argument> (#import/<chainId> opens the import for that chain). */
const tabFromHash = (): Tab => {
  const h = location.hash.slice(1).split("/")[0] ?? "";
  return TABS.some(([id]) => id === h) ? (h as Tab) : "day";
};
const argFromHash = (): string => {
  const arg = location.hash.slice(1).split("/")[1] ?? "";
  return /^[a-z0-9]+-[a-z0-9]+$/.test(arg) ? arg : "";
};

function Admin({ session }: { session: SessionView }) {
  const [community, setCommunity] = useState<CommunityView>(session.community);
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [arg, setArg] = useState(argFromHash);
  const { socket, online } = useSocket();
  useEffect(() => {
    const onHash = () => {
      setTab(tabFromHash());
      setArg(argFromHash());
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  return (
    <div class="admin">
      <header class="admin-head no-print">
        <h1>{tw("title")}</h1>
        <p class="muted">
          {tw("signedInAs", { community: community.name, name: session.user.name })}
        </p>
      </header>
      <nav class="admin-tabs no-print" aria-label={tw("tabsLabel")}>
        {TABS.map(([id, word]) => (
          <a key={id} href={`#${id}`} aria-current={tab === id ? "page" : undefined}>
            {tw(word)}
          </a>
        ))}
      </nav>
      <FirstRun community={community} tab={tab} />
      {!online && (
        <p class="notice warn no-print" role="status">
          {tw("reconnecting")}
        </p>
      )}
      {tab === "day" && <DayTab community={community} socket={socket} />}
      {tab === "add" && <AddTab community={community} socket={socket} online={online} />}
      {tab === "import" && <ImportTab key={arg} community={community} chainId={arg} />}
      {tab === "points" && <PointsTab community={community} onCommunity={setCommunity} />}
      {tab === "people" && <PeopleTab community={community} me={session.user} />}
      {tab === "settings" && <SettingsTab community={community} onCommunity={setCommunity} />}
    </div>
  );
}
