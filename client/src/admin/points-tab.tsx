/** Drop points (自提点): add, change, deactivate and reactivate. They are never deleted. */

import { useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import { DropPointInput } from "../../../shared/schemas.js";
import type { CommunityView, DropPointView } from "../../../shared/views.js";
import { patch, post } from "../http/api.js";
import { failText, issueText } from "./util.js";
import { tw } from "./words.js";

interface Props {
  community: CommunityView;
  onCommunity(next: CommunityView): void;
}

const collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });

/** The community's drop points with one added or replaced, sorted by name like the server. */
function withPoint(community: CommunityView, dp: DropPointView): CommunityView {
  const rest = community.dropPoints.filter((d) => d.id !== dp.id);
  return {
    ...community,
    dropPoints: [...rest, dp].sort((a, b) => collator.compare(a.name, b.name)),
  };
}

export function PointsTab({ community, onCommunity }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState<{ text: string; bad: boolean } | null>(null);
  const base = `/communities/${community.id}/drop-points`;

  const saved = (dp: DropPointView, text: string) => {
    onCommunity(withPoint(community, dp));
    setStatus({ text, bad: false });
  };
  const setActive = async (dp: DropPointView, active: boolean) => {
    const r = await patch<DropPointView>(`${base}/${dp.id}`, { active });
    if (!r.ok) return setStatus({ text: failText(r), bad: true });
    saved(r.data, tw(active ? "pointReactivated" : "pointDeactivated", { name: r.data.name }));
  };

  return (
    <>
      <section class="card" aria-labelledby="points-title">
        <h2 id="points-title">{tw("pointsTitle")}</h2>
        {status && (
          <p class={`notice ${status.bad ? "bad" : "good"}`} role="status">
            {status.text}
          </p>
        )}
        {community.dropPoints.length === 0 && <p class="muted">{tw("pointsEmpty")}</p>}
        <ul class="plain">
          {community.dropPoints.map((dp) => (
            <li key={dp.id} class={`point ${dp.active ? "" : "inactive"}`} data-point={dp.id}>
              {editing === dp.id ? (
                <PointForm
                  idPrefix={`dp-${dp.id}`}
                  initial={dp}
                  submitLabel={tw("save")}
                  title={tw("editPoint")}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (input) => {
                    const r = await patch<DropPointView>(`${base}/${dp.id}`, input);
                    if (!r.ok) return failText(r);
                    setEditing(null);
                    saved(r.data, tw("pointSaved", { name: r.data.name }));
                    return null;
                  }}
                />
              ) : (
                <>
                  <h3>
                    {dp.name} {!dp.active && <span class="tag off">{tw("inactive")}</span>}
                  </h3>
                  <p>
                    {dp.window.start}–{dp.window.end}
                  </p>
                  {dp.description && <p class="muted small pre">{dp.description}</p>}
                  <div class="row">
                    <button
                      type="button"
                      onClick={() => setEditing(dp.id)}
                      aria-label={`${tw("edit")} ${dp.name}`}
                    >
                      {tw("edit")}
                    </button>
                    <button
                      type="button"
                      class={dp.active ? "danger" : ""}
                      onClick={() => setActive(dp, !dp.active)}
                      aria-label={`${tw(dp.active ? "deactivate" : "reactivate")} ${dp.name}`}
                    >
                      {tw(dp.active ? "deactivate" : "reactivate")}
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="dp-new-title">
        <PointForm
          key={community.dropPoints.length}
          idPrefix="dp-new"
          submitLabel={tw("addPoint")}
          title={tw("addPoint")}
          onSubmit={async (input) => {
            const r = await post<DropPointView>(base, input);
            if (!r.ok) return failText(r);
            saved(r.data, tw("pointAdded", { name: r.data.name }));
            return null;
          }}
        />
      </section>
    </>
  );
}

interface FormProps {
  idPrefix: string;
  title: string;
  initial?: DropPointView;
  submitLabel: string;
  onCancel?(): void;
  /** Resolves to an error text, or null when it worked. */
  onSubmit(input: {
    name: string;
    description: string;
    window: DropPointView["window"];
  }): Promise<string | null>;
}

function PointForm({ idPrefix, title, initial, submitLabel, onCancel, onSubmit }: FormProps) {
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [start, setStart] = useState(initial?.window.start ?? "07:30");
  const [end, setEnd] = useState(initial?.window.end ?? "09:00");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const id = (field: string) => `${idPrefix}-${field}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = DropPointInput.safeParse({ name, description, window: { start, end } });
    if (!parsed.success)
      return setError(
        issueText(parsed.error, {
          name: tw("pointName"),
          description: tw("pointDescription"),
          window: tw("window"),
          "window.start": tw("windowStart"),
          "window.end": tw("windowEnd"),
        }),
      );
    setBusy(true);
    const { active: _, ...input } = parsed.data;
    const failed = await onSubmit(input);
    setBusy(false);
    setError(failed ?? "");
  };

  return (
    <form onSubmit={submit} aria-labelledby={id("title")} class="point-form">
      <h3 id={id("title")}>{title}</h3>
      <label for={id("name")}>{tw("pointName")}</label>
      <input
        id={id("name")}
        value={name}
        maxLength={LIMITS.nameMax}
        placeholder={tw("pointNameHint")}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for={id("description")}>{tw("pointDescription")}</label>
      <textarea
        id={id("description")}
        value={description}
        maxLength={LIMITS.descriptionMax}
        rows={2}
        placeholder={tw("pointDescriptionHint")}
        onInput={(e) => setDescription(e.currentTarget.value)}
      />
      <div class="two">
        <div>
          <label for={id("start")}>{tw("windowStart")}</label>
          <input
            id={id("start")}
            type="time"
            value={start}
            onInput={(e) => setStart(e.currentTarget.value)}
          />
        </div>
        <div>
          <label for={id("end")}>{tw("windowEnd")}</label>
          <input
            id={id("end")}
            type="time"
            value={end}
            onInput={(e) => setEnd(e.currentTarget.value)}
          />
        </div>
      </div>
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {tw("cancel")}
          </button>
        )}
      </div>
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
