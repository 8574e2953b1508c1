/**
 * Invite growers and coordinators by link or QR; give someone a new sign-in link; see where each
 * person is signed in, sign them out everywhere or remove them; revoke invites not yet used.
 * Any coordinator manages growers; only the owner (who set the community up) manages coordinators.
 */
import { useState } from "preact/hooks";
import type { InviteCreateBody, Role } from "../../../shared/schemas.js";
import type {
  CommunityView,
  InviteView,
  OpenInviteView,
  SessionEntryView,
  UserView,
} from "../../../shared/views.js";
import { copyText } from "../clipboard.js";
import { QrCode } from "../components/qr-code.js";
import { del, get, post } from "../http/api.js";
import { currentLang } from "../i18n.js";
import { failText, momentIn, useLoad } from "./util.js";
import { tw } from "./words.js";

interface Props {
  community: CommunityView;
  me: UserView;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The link to hand over. A server without PUBLIC_URL makes links to localhost, which no other
 * phone can open: then the address this browser reached the server at is the better guess.
 */
export function shareUrl(url: string): string {
  try {
    const u = new URL(url);
    return LOOPBACK.has(u.hostname) ? `${location.origin}${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}

const roleWord = (role: Role) => tw(role === "grower" ? "roleGrower" : "roleCoordinator");

export function PeopleTab({ community, me }: Props) {
  const base = `/communities/${community.id}`;
  const users = useLoad("users", () => get<UserView[]>(`${base}/users`));
  const sessions = useLoad("sessions", () => get<SessionEntryView[]>(`${base}/sessions`));
  const invites = useLoad("invites", () => get<OpenInviteView[]>(`${base}/invites`));
  const [invite, setInvite] = useState<InviteView | null>(null);
  const [signIn, setSignIn] = useState<InviteView | null>(null);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");

  const reloadAll = () => {
    users.reload();
    sessions.reload();
    invites.reload();
  };
  const create = async (body: InviteCreateBody, put: (v: InviteView) => void) => {
    const r = await post<InviteView>(`${base}/invites`, body);
    if (r.ok) {
      put(r.data);
      setError("");
      invites.reload();
    } else setError(failText(r));
  };
  /** Run an action on a person, then say what happened and reload. */
  const act = async (run: () => ReturnType<typeof post>, said: string) => {
    const r = await run();
    if (r.ok) {
      setDone(said);
      setError("");
    } else {
      setDone("");
      setError(failText(r));
    }
    reloadAll();
  };
  const signOut = (u: UserView) =>
    act(
      () => post<{ ended: number }>(`${base}/users/${u.id}/sign-out`),
      tw("signedOut", { name: u.name, n: String(devicesOf(u.id).length) }),
    );
  const remove = (u: UserView) =>
    act(() => del<UserView>(`${base}/users/${u.id}`), tw("removed", { name: u.name }));

  const devicesOf = (userId: string) => (sessions.data ?? []).filter((s) => s.userId === userId);
  /** What this coordinator may do to that person (the server checks it again). */
  const manages = (u: UserView) =>
    !u.removed && (u.id === me.id || (!u.owner && (u.role === "grower" || me.owner)));
  const active = users.data?.filter((u) => !u.removed) ?? [];
  const removed = users.data?.filter((u) => u.removed) ?? [];

  return (
    <>
      <section class="card" aria-labelledby="invite-title">
        <h2 id="invite-title">{tw("inviteTitle")}</h2>
        <p class="muted small">{tw("inviteHint")}</p>
        <div class="row">
          {(me.owner ? (["grower", "coordinator"] as const) : (["grower"] as const)).map((role) => (
            <button key={role} type="button" onClick={() => create({ role }, setInvite)}>
              {tw(role === "grower" ? "inviteGrower" : "inviteCoordinator")}
            </button>
          ))}
        </div>
        {!me.owner && <p class="muted small">{tw("ownerOnlyHint")}</p>}
        {invite && (
          <LinkShare
            key={invite.token}
            title={tw("inviteFor", { role: roleWord(invite.role) })}
            invite={invite}
            timezone={community.timezone}
          />
        )}
      </section>

      <section class="card" aria-labelledby="people-title">
        <div class="row spread">
          <h2 id="people-title">{tw("peopleTitle")}</h2>
          <button type="button" onClick={reloadAll}>
            {tw("refresh")}
          </button>
        </div>
        <p class="muted small">{tw("signInLinkHint")}</p>
        {error && (
          <p class="notice bad" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p class="notice good" role="status">
            {done}
          </p>
        )}
        {users.error && <p class="notice bad">{users.error}</p>}
        {users.data?.length === 0 && <p class="muted">{tw("nobody")}</p>}
        <ul class="plain">
          {active.map((u) => (
            <li key={u.id} class="person" data-user={u.id}>
              <div>
                <strong>{u.name}</strong>
                {u.id === me.id ? tw("you") : ""}{" "}
                <span class={`tag ${u.role}`}>{roleWord(u.role)}</span>
                {u.owner && <span class="tag owner">{tw("ownerTag")}</span>}
                {(u.village || u.phone) && (
                  <p class="muted small">{[u.village, u.phone].filter(Boolean).join(" · ")}</p>
                )}
                <Devices
                  devices={devicesOf(u.id)}
                  timezone={community.timezone}
                  loaded={sessions.data !== null}
                />
              </div>
              {manages(u) && (
                <div class="row person-actions">
                  <button
                    type="button"
                    onClick={() => create({ userId: u.id }, setSignIn)}
                    aria-label={`${tw("signInLink")}: ${u.name}`}
                  >
                    {tw("signInLink")}
                  </button>
                  {devicesOf(u.id).length > 0 && (
                    <Confirmed
                      label={tw("signOutAll")}
                      ask={tw("signOutAllAsk", { name: u.name })}
                      name={u.name}
                      run={() => signOut(u)}
                    />
                  )}
                  {u.id !== me.id && (
                    <Confirmed
                      label={tw("remove")}
                      ask={tw("removeAsk", { name: u.name })}
                      name={u.name}
                      run={() => remove(u)}
                    />
                  )}
                </div>
              )}
              {signIn?.userId === u.id && (
                <LinkShare
                  key={signIn.token}
                  title={tw("signInLinkFor", { name: u.name })}
                  warn={tw("signInWarn", { name: u.name })}
                  invite={signIn}
                  timezone={community.timezone}
                />
              )}
            </li>
          ))}
        </ul>
        {removed.length > 0 && (
          <>
            <h3>{tw("removedTitle")}</h3>
            <ul class="plain">
              {removed.map((u) => (
                <li key={u.id} class="person removed" data-user={u.id}>
                  <span>
                    {u.name} <span class={`tag ${u.role}`}>{roleWord(u.role)}</span>{" "}
                    <span class="tag">{tw("removedTag")}</span>
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="open-invites-title">
        <h2 id="open-invites-title">{tw("openInvitesTitle")}</h2>
        <p class="muted small">{tw("openInvitesHint")}</p>
        {invites.error && <p class="notice bad">{invites.error}</p>}
        {invites.data?.length === 0 && <p class="muted">{tw("noOpenInvites")}</p>}
        <ul class="plain">
          {invites.data?.map((i) => (
            <li key={i.id} class="person" data-invite={i.id}>
              <div>
                <strong>
                  {i.userId
                    ? tw("openSignIn", { name: i.userName ?? "" })
                    : tw("openInvite", { role: roleWord(i.role) })}
                </strong>
                <p class="muted small">
                  {tw("openInviteBy", {
                    name: i.createdBy.name,
                    time: momentIn(i.expiresAt, community.timezone, currentLang()),
                  })}
                </p>
              </div>
              <button
                type="button"
                aria-label={`${tw("revoke")}: ${i.userName ?? roleWord(i.role)}`}
                onClick={() => act(() => del(`${base}/invites/${i.id}`), tw("revoked"))}
              >
                {tw("revoke")}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** Where someone is signed in: a short device name and when it was last used. */
function Devices({
  devices,
  timezone,
  loaded,
}: {
  devices: SessionEntryView[];
  timezone: string;
  loaded: boolean;
}) {
  if (!loaded) return null;
  if (devices.length === 0) return <p class="muted small">{tw("noDevices")}</p>;
  const lang = currentLang();
  return (
    <details class="devices">
      <summary class="small">{tw("devices", { n: String(devices.length) })}</summary>
      <ul class="plain small">
        {devices.map((d) => (
          <li key={d.id}>
            {d.lastSeenAt
              ? tw("deviceSeen", {
                  device: deviceName(d.userAgent),
                  time: momentIn(d.lastSeenAt, timezone, lang),
                })
              : tw("deviceNew", {
                  device: deviceName(d.userAgent),
                  time: momentIn(d.createdAt, timezone, lang),
                })}
            {d.current ? tw("deviceThis") : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** "iPhone · 微信", "Android · Chrome": enough to tell two phones apart. */
export function deviceName(ua: string | null): string {
  if (!ua) return tw("deviceUnknown");
  const os =
    [
      [/iPhone|iPad|iPod/, "iPhone"],
      [/Android/, "Android"],
      [/HarmonyOS/, "HarmonyOS"],
      [/Windows/, "Windows"],
      [/Mac OS X|Macintosh/, "Mac"],
      [/Linux/, "Linux"],
    ].find(([re]) => (re as RegExp).test(ua))?.[1] ?? "";
  const app =
    [
      [/MicroMessenger/, "微信"],
      [/Edg\//, "Edge"],
      [/Firefox\//, "Firefox"],
      [/Chrome\//, "Chrome"],
      [/Safari\//, "Safari"],
    ].find(([re]) => (re as RegExp).test(ua))?.[1] ?? "";
  return [os, app].filter(Boolean).join(" · ") || ua.slice(0, 40);
}

/** A button that asks once more, in place, before it acts. */
function Confirmed({
  label,
  ask,
  name,
  run,
}: {
  label: string;
  ask: string;
  name: string;
  run: () => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <button type="button" aria-label={`${label}: ${name}`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <div class="confirm">
      <p class="notice warn">{ask}</p>
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await run();
          setBusy(false);
          setAsking(false);
        }}
      >
        {tw("yes")}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {tw("no")}
      </button>
    </div>
  );
}

interface ShareProps {
  title: string;
  warn?: string;
  invite: InviteView;
  timezone: string;
}

/** A link to hand over: the text, a copy button and its QR code. */
function LinkShare({ title, warn, invite, timezone }: ShareProps) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const id = `link-${invite.token.slice(0, 8)}`;
  const url = shareUrl(invite.url);
  return (
    <section class="share" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {warn && <p class="notice warn">{warn}</p>}
      <label for={id}>{tw("link")}</label>
      <input
        id={id}
        class="link-text"
        readOnly
        value={url}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" onClick={async () => setCopied(await copyText(url))} aria-live="polite">
        {copied === true ? tw("copied") : tw("copy")}
      </button>
      {copied === false && <p class="notice bad">{tw("copyFailed")}</p>}
      <div class="qr-box">
        <QrCode text={url} label={tw("qrOf", { what: title })} />
      </div>
      <p class="muted small">
        {tw("expires", { time: momentIn(invite.expiresAt, timezone, currentLang()) })}
      </p>
    </section>
  );
}
