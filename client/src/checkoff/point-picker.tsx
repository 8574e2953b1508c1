/** Choose the day and the drop point to check off; the day's record shows how far each one is. */
import { useEffect, useState } from "preact/hooks";
import type { ChainView, CommunityView, DaySummary } from "../../../shared/views.js";
import { dayLabel } from "../format.js";
import { get } from "../http/api.js";
import { currentLang, errorText } from "../i18n.js";
import { dateInZone, isIsoDate } from "./lib.js";
import type { Go, Params } from "./shared.js";
import { tc } from "./words.js";

interface Props {
  community: CommunityView;
  params: Params;
  go: Go;
}

export function PointPicker({ community, params, go }: Props) {
  const lang = currentLang();
  const date = params.date ?? dateInZone(community.timezone);
  const [summary, setSummary] = useState<DaySummary | null>(null);
  const [chains, setChains] = useState<ChainView[]>([]);
  const [error, setError] = useState("");
  const base = `/communities/${community.id}`;
  useEffect(() => {
    let live = true;
    setSummary(null);
    void get<DaySummary>(`${base}/days/${date}/summary`).then((r) => {
      if (!live) return;
      if (r.ok) setSummary(r.data);
      else setError(errorText(r.error.code, r.error.message));
    });
    void get<ChainView[]>(`${base}/chains?date=${date}`).then((r) => {
      if (live && r.ok) setChains(r.data.filter((c) => c.status !== "cancelled"));
    });
    return () => {
      live = false;
    };
  }, [base, date]);

  const points = [...community.dropPoints].sort((a, b) => Number(b.active) - Number(a.active));
  const open = (dp: string) => go({ ...params, view: "checkoff", date, dp });

  return (
    <>
      <section class="card" aria-labelledby="co-pick-title">
        <h1 id="co-pick-title">{tc("title")}</h1>
        <label for="co-date">{tc("date")}</label>
        <input
          id="co-date"
          type="date"
          value={date}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (isIsoDate(v)) go({ ...params, date: v, dp: null });
          }}
        />
        <p class="muted small">{dayLabel(date, lang)}</p>
        {error && (
          <p class="notice bad" role="alert">
            {error}
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="co-points-title">
        <h2 id="co-points-title">{tc("choosePoint")}</h2>
        {points.length === 0 && <p class="muted">{tc("noPoints")}</p>}
        <ul class="plain co-points">
          {points.map((dp) => {
            const row = summary?.dropPoints.find((d) => d.dropPoint.id === dp.id);
            const href = `/checkoff?date=${date}&dp=${dp.id}`;
            return (
              <li key={dp.id}>
                <a
                  class="co-point"
                  href={href}
                  data-point={dp.id}
                  onClick={(e) => {
                    e.preventDefault();
                    open(dp.id);
                  }}
                >
                  <strong class="co-point-name">
                    {dp.name}
                    {dp.active ? "" : tc("inactive")}
                  </strong>
                  <span class="small">
                    {tc("window", {
                      day: dayLabel(date, lang),
                      start: dp.window.start,
                      end: dp.window.end,
                    })}
                  </span>
                  {row && (
                    <span class="small co-point-stats">
                      {row.entries === 0
                        ? tc("pointEmpty")
                        : tc("pointStats", {
                            entries: row.entries,
                            collected: row.collected,
                            waiting: row.waiting,
                          })}
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
      </section>
      {chains.length > 0 && (
        <section class="card" aria-labelledby="co-pack-links">
          <h2 id="co-pack-links">{tc("packingLinks")}</h2>
          <ul class="plain">
            {chains.map((c) => (
              <li key={c.id}>
                <a
                  class="co-tap"
                  href={`/checkoff?view=pack&chain=${c.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    go({ view: "pack", chain: c.id, date: null, dp: null });
                  }}
                >
                  {c.title} · {c.grower.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
