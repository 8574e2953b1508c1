/** /print without a view: links to every printable sheet of a day (coordinators) or chain. */

import { useState } from "preact/hooks";
import { tomorrowIn } from "../../../shared/dates.js";
import type { ChainView, SessionView } from "../../../shared/views.js";
import { dayLabel } from "../format.js";
import { currentLang } from "../i18n.js";
import { loadChooser, useLoaded } from "./data.js";
import { LoadFailed } from "./failed.js";
import { tp } from "./words.js";

export function printUrl(params: Record<string, string>): string {
  return `/print?${new URLSearchParams(params).toString()}`;
}

export function Chooser({ date: initial }: { date: string | null }) {
  const [date, setDate] = useState(initial);
  const state = useLoaded(() => loadChooser(date), date ?? "");
  if (state.kind === "loading") return <p class="muted">…</p>;
  if (state.kind === "failed") return <LoadFailed message={state.message} />;
  const { session, chains } = state.data;
  const day = date ?? tomorrowIn(session.community.timezone);
  const pick = (next: string) => {
    history.replaceState(null, "", printUrl({ date: next }));
    setDate(next);
  };
  const coordinator = session.user.role === "coordinator";
  return (
    <div class="chooser">
      <h1>{tp("chooseTitle")}</h1>
      <label class="card">
        {tp("chooseDate")}
        <input type="date" value={day} onChange={(e) => pick(e.currentTarget.value)} />
      </label>
      {coordinator && <PickupLinks session={session} date={day} />}
      <ChainLinks
        chains={date || coordinator ? chains.filter((c) => c.deliveryDate === day) : chains}
        empty={date || coordinator ? tp("noChainsDay") : tp("noChains")}
      />
    </div>
  );
}

function PickupLinks({ session, date }: { session: SessionView; date: string }) {
  const rows = [
    { id: "all", name: tp("allPoints") },
    ...session.community.dropPoints.map((d) => ({ id: d.id, name: d.name })),
  ];
  return (
    <section class="card">
      <h2>
        {tp("pickupSheets")} · {dayLabel(date, currentLang())}
      </h2>
      <ul class="plain chooser-list">
        {rows.map((r) => (
          <li key={r.id}>
            <strong>{r.name}</strong>
            <span class="chooser-links">
              <a href={printUrl({ view: "pickup", date, dp: r.id })}>{tp("pickupSheets")}</a>
              <a href={printUrl({ view: "labels", date, dp: r.id, layout: "thermal" })}>
                {tp("labelsThermal")}
              </a>
              <a href={printUrl({ view: "labels", date, dp: r.id, layout: "a4" })}>
                {tp("labelsA4")}
              </a>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ChainLinks({ chains, empty }: { chains: ChainView[]; empty: string }) {
  return (
    <section class="card">
      <h2>{tp("growerSheets")}</h2>
      {chains.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <ul class="plain chooser-list">
          {chains.map((c) => (
            <li key={c.id}>
              <strong>
                {c.title} · {c.grower.name} · {c.deliveryDate}
              </strong>
              <span class="chooser-links">
                <a href={printUrl({ view: "load", chain: c.id })}>{tp("loadSheet")}</a>
                <a href={printUrl({ view: "harvest", chain: c.id })}>{tp("harvestSheet")}</a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
