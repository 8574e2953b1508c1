import "./no-eval.js";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "./styles.css";
import { currentLang, setLang, t } from "./i18n.js";
import { loadPrefs, savePrefs } from "./prefs.js";
import { ChainPage } from "./resident/chain-page.js";

/** Grower and coordinator pages load apart, so a resident's phone downloads only what it uses. */
const lazyPages = {
  grower: () => import("./grower/page.js").then((m) => m.GrowerPage),
  admin: () => import("./admin/page.js").then((m) => m.AdminPage),
  join: () => import("./setup/join-page.js").then((m) => m.JoinPage),
  setup: () => import("./setup/page.js").then((m) => m.SetupPage),
  print: () => import("./print/page.js").then((m) => m.PrintPage),
  checkoff: () => import("./checkoff/page.js").then((m) => m.CheckoffPage),
  home: () => import("./resident/home.js").then((m) => m.HomePage),
};
type LazyName = keyof typeof lazyPages;

function route(path: string): { page: "chain"; chainId: string } | { page: LazyName } {
  const chain = /^\/c\/([a-z0-9]+-[a-z0-9]+)\/?$/.exec(path);
  if (chain?.[1]) return { page: "chain", chainId: chain[1] };
  if (path.startsWith("/g")) return { page: "grower" };
  if (path.startsWith("/admin")) return { page: "admin" };
  if (path.startsWith("/join")) return { page: "join" };
  if (path.startsWith("/setup")) return { page: "setup" };
  if (path.startsWith("/print")) return { page: "print" };
  if (path.startsWith("/checkoff")) return { page: "checkoff" };
  return { page: "home" };
}

function Lazy({ name }: { name: LazyName }) {
  const [Page, setPage] = useState<(() => preact.JSX.Element) | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    lazyPages[name]()
      .then((p) => setPage(() => p))
      .catch(() => setFailed(true));
  }, [name]);
  if (failed)
    return (
      <section class="card offline-page">
        <h1>{t("homeOfflineTitle")}</h1>
        <p>{t("offlineHelp")}</p>
        <button type="button" class="primary" onClick={() => location.reload()}>
          {t("retry")}
        </button>
      </section>
    );
  return Page ? <Page /> : <p class="muted">{t("loading")}</p>;
}

function App() {
  const [prefs, setPrefs] = useState(loadPrefs);
  setLang(prefs.lang);
  document.documentElement.classList.toggle("elder", prefs.elder);
  const update = (p: Partial<typeof prefs>) => {
    const next = { ...prefs, ...p };
    savePrefs(next);
    setPrefs(next);
  };
  const r = route(location.pathname);
  return (
    <>
      <header class="bar">
        <strong>{t("appName")}</strong>
        <span class="bar-actions">
          <button
            type="button"
            class="chip"
            onClick={() => update({ elder: !prefs.elder })}
            aria-pressed={prefs.elder}
          >
            {prefs.elder ? t("elderOff") : t("elderOn")}
          </button>
          <button
            type="button"
            class="chip"
            lang={currentLang() === "zh" ? "en" : "zh-CN"}
            onClick={() => update({ lang: currentLang() === "zh" ? "en" : "zh" })}
          >
            {t("language")}
          </button>
        </span>
      </header>
      <main>
        {r.page === "chain" ? (
          <ChainPage chainId={r.chainId} prefs={prefs} onPrefs={update} />
        ) : (
          <Lazy name={r.page} />
        )}
      </main>
    </>
  );
}

// Keeps the page on the phone, so a link opened offline says so plainly (client/sw.js). Only
// where the browser allows it (HTTPS, or this computer); plain-HTTP LAN phones go without.
if ("serviceWorker" in navigator && window.isSecureContext)
  navigator.serviceWorker.register("/sw.js").catch(() => {});

const root = document.getElementById("app");
if (root) render(<App />, root);
