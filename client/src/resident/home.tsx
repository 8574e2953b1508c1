/** The site root: the open chains of the resident's community, or a plain reason why none show. */
import { useEffect, useState } from "preact/hooks";
import type { ResidentHome } from "../../../shared/views.js";
import { cutoffLabel, dayLabel } from "../format.js";
import { get } from "../http/api.js";
import { currentLang, t } from "../i18n.js";
import type { Prefs } from "../prefs.js";

export function HomePage({ prefs }: { prefs: Prefs }) {
  const [home, setHome] = useState<ResidentHome | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // The community this phone ordered in last, if any.
  const known = Object.keys(prefs.dropPoint).at(-1);
  useEffect(() => {
    setFailed(false);
    void get<ResidentHome>(`/home${known ? `?community=${encodeURIComponent(known)}` : ""}`).then(
      (r) => (r.ok ? setHome(r.data) : setFailed(true)),
    );
  }, [known, attempt]);
  if (failed)
    return (
      <section class="card offline-page" aria-labelledby="home-title">
        <h1 id="home-title">{t("homeOfflineTitle")}</h1>
        <p>{t("offlineHelp")}</p>
        <button type="button" class="primary" onClick={() => setAttempt((n) => n + 1)}>
          {t("retry")}
        </button>
      </section>
    );
  if (!home) return <p class="muted">{t("loading")}</p>;
  if (!home.community)
    return (
      <section class="card" aria-labelledby="home-title">
        <h1 id="home-title">{t("appName")}</h1>
        <p>{t(home.reason === "several" ? "homeSeveral" : "homeNone")}</p>
      </section>
    );
  const lang = currentLang();
  return (
    <>
      <section class="card" aria-labelledby="home-title">
        <h1 id="home-title">{home.community.name}</h1>
        <p>{t(home.chains.length ? "homeOpen" : "homeNoChains")}</p>
      </section>
      <ul class="plain home-chains">
        {home.chains.map((c) => (
          <li key={c.id} class="card">
            <a class="home-chain" href={`/c/${c.id}`}>
              <strong>{c.title}</strong>
              <span class="muted">{c.grower}</span>
              <span>
                {t("delivery")}: {dayLabel(c.deliveryDate, lang)} · {t("cutoff")}{" "}
                {cutoffLabel(c.cutoffAt, c.timezone, lang)}
              </span>
              <span class="small">{c.items.join("、")}</span>
              <span class={`status ${c.soldOut ? "bad" : "ok"}`}>
                {c.soldOut ? t("soldOutClosed") : t("homeJoin")}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
