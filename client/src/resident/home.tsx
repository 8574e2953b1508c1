/** The site root: the open chains of the resident's community, or a plain reason why none show. */
import "./home.css";
import { useEffect, useState } from "preact/hooks";
import type { ResidentHome } from "../../../shared/views.js";
import { cutoffLabel, dayLabel } from "../format.js";
import { get } from "../http/api.js";
import { currentLang, t, words } from "../i18n.js";
import { loadPrefs } from "../prefs.js";

/** Words only this part uses: they load with it, not with the resident page. */
const th = words({
  zh: {
    homeOpen: "正在接龙的菜，点一下就能下单：",
    homeNoChains: "现在没有正在接龙的菜。新的接龙会发在小区的微信群里，到时点群里的链接就能下单。",
    homeNone: "这里还没有开通小区接龙。等团长开通后，会在小区微信群里发接龙链接，点链接就能下单。",
    homeSeveral: "这里有好几个小区的接龙。请点您小区微信群里发的接龙链接，就能看到和下单。",
    homeJoin: "去接龙 ›",
  },
  en: {
    homeOpen: "Taking orders now; tap one to order:",
    homeNoChains:
      "Nothing is taking orders right now. New chains are posted in your community's WeChat group: tap the link there to order.",
    homeNone:
      "No community is set up here yet. Once it is, chain links are posted in your community's WeChat group.",
    homeSeveral:
      "Several communities order here. Tap the chain link posted in your community's WeChat group.",
    homeJoin: "Order ›",
  },
});

export function HomePage() {
  const prefs = loadPrefs();
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
        <p>{th(home.reason === "several" ? "homeSeveral" : "homeNone")}</p>
      </section>
    );
  const lang = currentLang();
  return (
    <>
      <section class="card" aria-labelledby="home-title">
        <h1 id="home-title">{home.community.name}</h1>
        <p>{th(home.chains.length ? "homeOpen" : "homeNoChains")}</p>
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
                {c.soldOut ? t("soldOutClosed") : th("homeJoin")}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
