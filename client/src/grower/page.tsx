/**
 * The grower's page (/g), on a phone: post today's listing in under a minute, share it, and watch
 * the harvest and load lists fill up live. Loaded apart from the resident page.
 *
 * Views live in the query string, so reload and the back button work:
 * /g (post), /g?view=mine (my listings), /g?chain=<id> (one listing).
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { ChainView, SessionView } from "../../../shared/views.js";
import { get } from "../http/api.js";
import { errorText } from "../i18n.js";
import "./grower.css";
import { ChainScreen, ChainStatus } from "./chain.js";
import { dateIn, sortMyChains } from "./lib.js";
import { PostForm } from "./post.js";
import { tw } from "./words.js";

type View = { kind: "post" } | { kind: "mine" } | { kind: "chain"; chainId: string };

function viewFromUrl(): View {
  const q = new URLSearchParams(location.search);
  const chainId = q.get("chain");
  if (chainId && /^[a-z0-9]+-[a-z0-9]+$/.test(chainId)) return { kind: "chain", chainId };
  return q.get("view") === "mine" ? { kind: "mine" } : { kind: "post" };
}

function urlOf(v: View): string {
  if (v.kind === "chain") return `/g?chain=${encodeURIComponent(v.chainId)}`;
  return v.kind === "mine" ? "/g?view=mine" : "/g";
}

type Me =
  | { state: "loading" }
  | { state: "out" }
  | { state: "error"; text: string }
  | { state: "in"; session: SessionView };

export function GrowerPage() {
  const [me, setMe] = useState<Me>({ state: "loading" });
  const [chains, setChains] = useState<ChainView[] | null>(null);
  const [view, setView] = useState<View>(viewFromUrl);
  const [justPosted, setJustPosted] = useState<string | null>(null);

  useEffect(() => {
    void get<SessionView>("/me").then((r) => {
      if (r.ok) setMe({ state: "in", session: r.data });
      else if (r.status === 401) setMe({ state: "out" });
      else setMe({ state: "error", text: errorText(r.error.code, r.error.message) });
    });
    const onPop = () => setView(viewFromUrl());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const communityId = me.state === "in" ? me.session.community.id : null;
  const loadChains = useCallback(async () => {
    if (!communityId) return;
    const r = await get<ChainView[]>(`/communities/${communityId}/chains`);
    setChains(r.ok ? r.data : []);
  }, [communityId]);
  useEffect(() => {
    void loadChains();
  }, [loadChains]);

  const go = (next: View) => {
    history.pushState(null, "", urlOf(next));
    setView(next);
    if (next.kind !== "chain") setJustPosted(null);
    window.scrollTo(0, 0);
  };

  if (me.state === "loading") return <p class="muted">{tw("signInTitle")}…</p>;
  if (me.state === "error")
    return (
      <p class="notice bad" role="alert">
        {me.text}
      </p>
    );
  if (me.state === "out") {
    return (
      <section class="card" aria-labelledby="g-signin">
        <h1 id="g-signin">{tw("signInTitle")}</h1>
        <p class="notice warn">{tw("signInHelp")}</p>
      </section>
    );
  }
  const { session } = me;
  if (session.user.role !== "grower") {
    return (
      <section class="card">
        <p>{tw("notGrower")}</p>
        <a class="primary-link" href="/admin">
          {tw("toAdmin")}
        </a>
      </section>
    );
  }

  return (
    <div class="grower">
      <p class="g-hello muted">
        {tw("hello", { name: session.user.name })}
        {session.user.village ? ` · ${session.user.village}` : ""}
      </p>
      <nav class="g-tabs" aria-label={tw("nav")}>
        <a
          href="/g"
          class="g-tab"
          aria-current={view.kind === "post" ? "page" : undefined}
          onClick={(e) => {
            e.preventDefault();
            go({ kind: "post" });
          }}
        >
          {tw("tabPost")}
        </a>
        <a
          href="/g?view=mine"
          class="g-tab"
          aria-current={view.kind !== "post" ? "page" : undefined}
          onClick={(e) => {
            e.preventDefault();
            go({ kind: "mine" });
          }}
        >
          {tw("tabMine")}
          {chains ? ` (${chains.length})` : ""}
        </a>
      </nav>
      {view.kind === "post" ? (
        chains === null ? (
          <p class="muted">…</p>
        ) : (
          <>
            <Current
              chains={chains}
              timezone={session.community.timezone}
              onOpen={(id) => go({ kind: "chain", chainId: id })}
            />
            <PostForm
              session={session}
              chains={chains}
              onPosted={(chain) => {
                setChains([chain, ...chains]);
                setJustPosted(chain.id);
                go({ kind: "chain", chainId: chain.id });
              }}
            />
          </>
        )
      ) : view.kind === "mine" ? (
        <MyChains
          chains={chains}
          timezone={session.community.timezone}
          onOpen={(id) => go({ kind: "chain", chainId: id })}
        />
      ) : (
        <ChainScreen
          key={view.chainId}
          chainId={view.chainId}
          justPosted={justPosted === view.chainId}
          onBack={() => {
            void loadChains();
            go({ kind: "mine" });
          }}
          onChanged={(chain) =>
            setChains((list) => list?.map((c) => (c.id === chain.id ? chain : c)) ?? list)
          }
        />
      )}
    </div>
  );
}

/**
 * Above the posting form: the listings still under way (taking orders, or closed and not yet
 * delivered), one tap from their orders and harvest and load lists.
 */
function Current({
  chains,
  timezone,
  onOpen,
}: {
  chains: ChainView[];
  timezone: string;
  onOpen(id: string): void;
}) {
  const today = dateIn(timezone);
  const current = sortMyChains(chains, today).filter(
    (c) => (c.status === "open" || c.status === "closed") && c.deliveryDate >= today,
  );
  if (!current.length) return null;
  return (
    <section class="card" aria-labelledby="g-current">
      <h2 id="g-current">{tw("current")}</h2>
      <ul class="plain g-chains">
        {current.map((c) => (
          <li key={c.id}>
            <button type="button" class="g-chain" onClick={() => onOpen(c.id)}>
              <strong>{c.title}</strong>
              <ChainStatus chain={c} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MyChains({
  chains,
  timezone,
  onOpen,
}: {
  chains: ChainView[] | null;
  timezone: string;
  onOpen(id: string): void;
}) {
  if (chains === null) return <p class="muted">…</p>;
  const sorted = sortMyChains(chains, dateIn(timezone));
  return (
    <section class="card" aria-labelledby="g-mine">
      <h1 id="g-mine">{tw("mineTitle")}</h1>
      {sorted.length === 0 ? (
        <p class="muted">{tw("noChains")}</p>
      ) : (
        <ul class="plain g-chains">
          {sorted.map((c) => (
            <li key={c.id}>
              <button type="button" class="g-chain" onClick={() => onOpen(c.id)}>
                <strong>{c.title}</strong>
                <ChainStatus chain={c} />
                <span class="muted small">{c.items.map((i) => `${i.name}`).join(" · ")}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
