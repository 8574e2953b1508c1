/** Community settings: its name, time zone, and whether residents must give a phone ending. */

import { useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import { CommunityPatch } from "../../../shared/schemas.js";
import type { CommunityView } from "../../../shared/views.js";
import { patch } from "../http/api.js";
import { failText, issueText } from "./util.js";
import { tw } from "./words.js";

interface Props {
  community: CommunityView;
  onCommunity(next: CommunityView): void;
}

const COMMON_ZONES = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore"];

function zones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return COMMON_ZONES; // Older WebViews: a few to pick from, any other can still be typed.
  }
}

export function SettingsTab({ community, onCommunity }: Props) {
  const [name, setName] = useState(community.name);
  const [timezone, setTimezone] = useState(community.timezone);
  const [requirePhone4, setRequirePhone4] = useState(community.requirePhone4);
  const [status, setStatus] = useState<{ text: string; bad: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = CommunityPatch.safeParse({ name, timezone: timezone.trim(), requirePhone4 });
    if (!parsed.success)
      return setStatus({
        text: issueText(parsed.error, { name: tw("communityName"), timezone: tw("timezone") }),
        bad: true,
      });
    setBusy(true);
    const r = await patch<CommunityView>(`/communities/${community.id}`, parsed.data);
    setBusy(false);
    if (!r.ok) return setStatus({ text: failText(r), bad: true });
    onCommunity(r.data);
    setStatus({ text: tw("saved"), bad: false });
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="settings-title">
      <h2 id="settings-title">{tw("settingsTitle")}</h2>
      <label for="community-name">{tw("communityName")}</label>
      <input
        id="community-name"
        value={name}
        maxLength={LIMITS.communityNameMax}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="community-tz">{tw("timezone")}</label>
      <input
        id="community-tz"
        value={timezone}
        list="tz-list"
        autocomplete="off"
        spellcheck={false}
        aria-describedby="community-tz-hint"
        onInput={(e) => setTimezone(e.currentTarget.value)}
      />
      <datalist id="tz-list">
        {zones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <p id="community-tz-hint" class="muted small">
        {tw("timezoneHint")}
      </p>
      <label class="choice">
        <input
          type="checkbox"
          checked={requirePhone4}
          aria-describedby="require-phone4-hint"
          onChange={(e) => setRequirePhone4(e.currentTarget.checked)}
        />
        {tw("requirePhone4")}
      </label>
      <p id="require-phone4-hint" class="muted small">
        {tw("requirePhone4Hint")}
      </p>
      <button class="primary" type="submit" disabled={busy}>
        {tw("save")}
      </button>
      {status && (
        <p class={`notice ${status.bad ? "bad" : "good"}`} role="alert">
          {status.text}
        </p>
      )}
    </form>
  );
}
