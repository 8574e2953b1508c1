/** Invite growers and coordinators by link or QR; give someone a new sign-in link. */
import { useState } from "preact/hooks";
import type { InviteCreateBody, Role } from "../../../../shared/schemas.js";
import type { CommunityView, InviteView, UserView } from "../../../../shared/views.js";
import { get, post } from "../../api.js";
import { copyText } from "../../clipboard.js";
import { QrCode } from "../../components/qr-code.js";
import { currentLang } from "../../i18n.js";
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
  const [invite, setInvite] = useState<InviteView | null>(null);
  const [signIn, setSignIn] = useState<InviteView | null>(null);
  const [error, setError] = useState("");

  const create = async (body: InviteCreateBody, put: (v: InviteView) => void) => {
    const r = await post<InviteView>(`${base}/invites`, body);
    if (r.ok) {
      put(r.data);
      setError("");
    } else setError(failText(r));
  };

  return (
    <>
      <section class="card" aria-labelledby="invite-title">
        <h2 id="invite-title">{tw("inviteTitle")}</h2>
        <p class="muted small">{tw("inviteHint")}</p>
        <div class="row">
          {(["grower", "coordinator"] as const).map((role) => (
            <button key={role} type="button" onClick={() => create({ role }, setInvite)}>
              {tw(role === "grower" ? "inviteGrower" : "inviteCoordinator")}
            </button>
          ))}
        </div>
        {error && (
          <p class="notice bad" role="alert">
            {error}
          </p>
        )}
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
          <button type="button" onClick={users.reload}>
            {tw("refresh")}
          </button>
        </div>
        <p class="muted small">{tw("signInLinkHint")}</p>
        {users.error && <p class="notice bad">{users.error}</p>}
        {users.data?.length === 0 && <p class="muted">{tw("nobody")}</p>}
        <ul class="plain">
          {users.data?.map((u) => (
            <li key={u.id} class="person" data-user={u.id}>
              <div>
                <strong>{u.name}</strong>
                {u.id === me.id ? tw("you") : ""}{" "}
                <span class={`tag ${u.role}`}>{roleWord(u.role)}</span>
                {(u.village || u.phone) && (
                  <p class="muted small">{[u.village, u.phone].filter(Boolean).join(" · ")}</p>
                )}
              </div>
              <button
                type="button"
                onClick={() => create({ userId: u.id }, setSignIn)}
                aria-label={`${tw("signInLink")}: ${u.name}`}
              >
                {tw("signInLink")}
              </button>
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
      </section>
    </>
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
