/**
 * Packing (/checkoff?view=pack&chain=…): the chain's entries by drop point, with a weight field
 * per weighed line. The grower types what the scale says; entry:weigh sets it and the amount
 * follows. Live: the chain is watched, and any event of it re-reads the entries.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ChainSnapshot, ChainView, SessionView, StaffEntry } from "../../../shared/views.js";
import { dayLabel, qty, yuan } from "../format.js";
import { get } from "../http/api.js";
import { currentLang, errorText } from "../i18n.js";
import { useChainWatch } from "../live/chain-watch.js";
import { type AppSocket, command } from "../live/socket.js";
import {
  addDays,
  compareText,
  dateInZone,
  entryKey,
  isNewer,
  isWeightUnit,
  mergeEntry,
  newRequestId,
} from "./lib.js";
import { failure, type Go, type Params, useDebounced } from "./shared.js";
import { type WeighLine, WeightForm } from "./weight-form.js";
import { tc } from "./words.js";

interface Props {
  session: SessionView;
  socket: AppSocket | null;
  params: Params;
  go: Go;
}

export function PackView({ session, socket, params, go }: Props) {
  const coordinator = session.user.role === "coordinator";
  return (
    <>
      {params.chain ? (
        socket && (
          <PackChain
            key={params.chain}
            chainId={params.chain}
            socket={socket}
            tz={session.community.timezone}
          />
        )
      ) : (
        <ChainChooser session={session} go={go} />
      )}
      {coordinator && (
        <p>
          <a
            class="co-tap"
            href="/checkoff"
            onClick={(e) => {
              e.preventDefault();
              go({ view: "checkoff", date: null, dp: null, chain: null });
            }}
          >
            {tc("toCheckoff")}
          </a>
        </p>
      )}
    </>
  );
}

/** Recent chains of this grower (or, for a coordinator, of the community). */
function ChainChooser({ session, go }: { session: SessionView; go: Go }) {
  const lang = currentLang();
  const [chains, setChains] = useState<ChainView[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    const since = addDays(dateInZone(session.community.timezone), -1);
    void get<ChainView[]>(`/communities/${session.community.id}/chains`).then((r) => {
      if (!r.ok) return setError(errorText(r.error.code, r.error.message));
      setChains(
        r.data
          .filter((c) => c.status !== "cancelled" && c.deliveryDate >= since)
          .sort((a, b) => compareText(a.deliveryDate, b.deliveryDate))
          .slice(0, 30),
      );
    });
  }, [session.community.id, session.community.timezone]);
  return (
    <section class="card" aria-labelledby="co-choose-title">
      <h1 id="co-choose-title">{tc("packTitle")}</h1>
      <h2 class="small">{tc("chooseChain")}</h2>
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
      {chains?.length === 0 && <p class="muted">{tc("noChains")}</p>}
      <ul class="plain co-points">
        {chains?.map((c) => (
          <li key={c.id}>
            <a
              class="co-point"
              href={`/checkoff?view=pack&chain=${c.id}`}
              onClick={(e) => {
                e.preventDefault();
                go({ view: "pack", chain: c.id, date: null, dp: null });
              }}
            >
              <strong class="co-point-name">{c.title}</strong>
              <span class="small">
                {tc("chainLine", { day: dayLabel(c.deliveryDate, lang), grower: c.grower.name })}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function PackChain({ chainId, socket, tz }: { chainId: string; socket: AppSocket; tz: string }) {
  const lang = currentLang();
  const [chain, setChain] = useState<ChainView | null>(null);
  const [entries, setEntries] = useState<StaffEntry[] | null>(null);
  const [error, setError] = useState("");
  const [onlyOpen, setOnlyOpen] = useState(false);

  const load = useDebounced(() => {
    void get<StaffEntry[]>(`/chains/${chainId}/entries`).then((r) => {
      if (!r.ok) {
        setError(
          r.error.code === "forbidden"
            ? tc("forbiddenChain")
            : tc("loadFailed", { message: errorText(r.error.code, r.error.message) }),
        );
        return;
      }
      setError("");
      // What came back replaces the list, except copies we already hold that are newer (an ack).
      setEntries((prev) => {
        const held = new Map((prev ?? []).map((e) => [entryKey(e), e]));
        return r.data.map((e) => {
          const mine = held.get(entryKey(e));
          return mine && isNewer(mine, e) ? mine : e;
        });
      });
    });
  }, 150);

  // Any change to the chain, and every catch-up after a reconnect, re-reads the staff list.
  const watch = useChainWatch(socket, chainId, { onChange: load, onCaughtUp: load });
  useEffect(() => {
    if (watch.state) setChain(watch.state.chain);
    else if (watch.missing) setError(tc("loadFailed", { message: errorText("not_found") }));
  }, [watch.state, watch.missing]);
  useEffect(() => {
    let live = true;
    // The chain itself also over HTTP, so the page fills in even before the socket connects.
    void get<ChainSnapshot>(`/chains/${chainId}`).then((r) => {
      if (!live) return;
      if (r.ok) setChain((c) => c ?? r.data.chain);
      else setError(errorText(r.error.code, r.error.message));
    });
    load();
    return () => {
      live = false;
    };
  }, [chainId, load]);

  const items = useMemo(
    () =>
      new Map(
        (chain?.items ?? []).map((i) => [
          i.id,
          { name: i.name, unit: i.unit, weighed: i.weighed || isWeightUnit(i.unit) },
        ]),
      ),
    [chain],
  );
  const active = (entries ?? []).filter((e) => e.status === "active");
  const weighedLines = (e: StaffEntry) => e.lines.filter((l) => items.get(l.itemId)?.weighed);
  const toWeigh = active.filter((e) => weighedLines(e).length > 0);
  const done = toWeigh.filter((e) => weighedLines(e).every((l) => l.actualQty !== null));
  const open = (e: StaffEntry) => weighedLines(e).some((l) => l.actualQty === null);

  const weigh = async (e: StaffEntry, lines: WeighLine[]): Promise<string | null> => {
    const reply = await command(socket, "entry:weigh", {
      requestId: newRequestId(),
      chainId,
      no: e.no,
      lines,
    });
    if (!reply.ok) return failure(reply);
    setEntries((prev) => (prev ? mergeEntry(prev, reply.data.entry, "upsert") : prev));
    return null;
  };

  const groups = (chain?.dropPoints ?? []).map((dp) => ({
    dp,
    entries: active
      .filter((e) => e.dropPointId === dp.id)
      .sort((a, b) => compareText(a.building, b.building) || a.no - b.no),
  }));
  // Entries at a drop point the chain no longer lists still need packing.
  const known = new Set(groups.map((g) => g.dp.id));
  const stray = active.filter((e) => !known.has(e.dropPointId));

  return (
    <section class="co-pack" aria-labelledby="co-pack-title">
      <div class="card">
        <h1 id="co-pack-title">{tc("packTitle")}</h1>
        {chain && (
          <>
            <h2>{chain.title}</h2>
            <p class="muted small">{chain.grower.name}</p>
            <p data-progress={`${done.length}/${toWeigh.length}`}>
              {tc("packFor", {
                day: dayLabel(chain.deliveryDate, lang),
                done: done.length,
                total: toWeigh.length,
              })}
            </p>
          </>
        )}
        {error && (
          <p class="notice bad" role="alert">
            {error}
          </p>
        )}
        {chain && items.size > 0 && ![...items.values()].some((i) => i.weighed) && (
          <p class="notice warn">{tc("packNoWeighed")}</p>
        )}
        {entries && active.length === 0 && <p class="muted">{tc("packNobody")}</p>}
        {toWeigh.length > 0 && (
          <label class="choice">
            <input
              type="checkbox"
              checked={onlyOpen}
              onChange={(e) => setOnlyOpen(e.currentTarget.checked)}
            />
            {tc("onlyUnweighed")}
          </label>
        )}
      </div>
      {[...groups, ...(stray.length ? [{ dp: null, entries: stray }] : [])].map((g) => {
        const list = onlyOpen ? g.entries.filter(open) : g.entries;
        if (list.length === 0) return null;
        return (
          <section key={g.dp?.id ?? "other"} class="card co-pack-group" data-point={g.dp?.id}>
            <h2>{tc("pointGroup", { point: g.dp?.name ?? "—", n: list.length })}</h2>
            <ol class="plain">
              {list.map((e) => (
                <li key={entryKey(e)} class="co-pack-entry" data-entry={entryKey(e)}>
                  <div class="co-resident-head">
                    <h3>
                      #{e.no} <span class="co-building">{e.building}</span> {e.name}
                    </h3>
                    <strong class="co-amount" data-fen={e.amountFen}>
                      {yuan(e.amountFen)}
                    </strong>
                  </div>
                  <p class="muted small">
                    {tc("code", { code: e.pickupCode })}
                    {e.late ? ` · ${tc("late")}` : ""}
                  </p>
                  <ul class="plain co-lines">
                    {e.lines
                      .filter((l) => !items.get(l.itemId)?.weighed)
                      .map((l) => {
                        const it = items.get(l.itemId);
                        return (
                          <li key={l.itemId} data-item={l.itemId}>
                            <span class="co-item">{it?.name ?? l.itemId}</span> {qty(l.qty)}
                            {it?.unit ?? ""}
                            <span class="co-line-amount" data-fen={l.amountFen}>
                              {yuan(l.amountFen)}
                            </span>
                          </li>
                        );
                      })}
                  </ul>
                  <WeightForm
                    entry={e}
                    item={(id) => items.get(id)}
                    idPrefix={`co-p-${e.no}`}
                    tz={tz}
                    onSave={(lines) => weigh(e, lines)}
                    advance
                  />
                </li>
              ))}
            </ol>
          </section>
        );
      })}
    </section>
  );
}
