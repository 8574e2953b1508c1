/**
 * One drop point on one day, for the volunteers handing out bags. `pickup:watch` brings the list;
 * every `pickup:changed` (another volunteer's tick, a weight, a late entry) is merged in at once,
 * and the summary is recomputed from the entries. After a reconnect the list is watched again.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type {
  CommunityView,
  DropPointView,
  ItemTotal,
  PickupEntry,
  PickupList,
} from "../../../shared/views.js";
import { dayLabel, yuan } from "../format.js";
import { get } from "../http/api.js";
import { currentLang } from "../i18n.js";
import { usePickupWatch } from "../live/pickup-watch.js";
import { type AppSocket, command } from "../live/socket.js";
import {
  entryKey,
  findResidents,
  groupResidents,
  isWaiting,
  isWeightUnit,
  type Match,
  mergeEntry,
  newRequestId,
  type Resident,
  readScan,
  summarize,
} from "./lib.js";
import { cardId, type Mark, ResidentCard } from "./resident-card.js";
import { Scanner, useScanSupport } from "./scanner.js";
import { failure, type Go, useDebounced } from "./shared.js";
import type { WeighItem, WeighLine } from "./weight-form.js";
import { tc } from "./words.js";

interface Props {
  community: CommunityView;
  date: string;
  dropPoint: DropPointView;
  socket: AppSocket;
  online: boolean;
  go: Go;
}

type Filter = "all" | "waiting" | "unpaid";
type Names = Map<string, { name: string; unit: string }>;

const addNames = (names: Names, items: ItemTotal[]): Names => {
  const next = new Map(names);
  for (const i of items) next.set(`${i.chainId}:${i.itemId}`, { name: i.name, unit: i.unit });
  return next;
};

export function CheckoffView({ community, date, dropPoint, socket, online, go }: Props) {
  const lang = currentLang();
  const tz = community.timezone;
  const [entries, setEntries] = useState<PickupEntry[] | null>(null);
  const [names, setNames] = useState<Names>(() => new Map());
  const [error, setError] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState<Set<string>>(() => new Set());
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<Filter>("all");
  const [hit, setHit] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const [scanning, setScanning] = useState(false);
  const canScan = useScanSupport();
  const search = useRef<HTMLInputElement>(null);
  const namesRef = useRef(names);
  namesRef.current = names;
  const path = `/communities/${community.id}/days/${date}/drop-points/${dropPoint.id}`;

  // A change that brings an item we have no name for (a late entry): read the list for its names.
  const reread = useDebounced(() => {
    void get<PickupList>(path).then((r) => {
      if (!r.ok) return;
      setNames((n) => addNames(n, r.data.items));
      setEntries((prev) => {
        let next = prev ?? [];
        for (const e of r.data.residents.flatMap((x) => x.entries))
          next = mergeEntry(next, e, "upsert");
        return next;
      });
    });
  }, 200);

  usePickupWatch(socket, date, dropPoint.id, {
    onList(list) {
      setEntries(list.residents.flatMap((r) => r.entries));
      setNames((n) => addNames(n, list.items));
      setError("");
    },
    onChange(c) {
      setEntries((prev) => (prev ? mergeEntry(prev, c.entry, c.change) : prev));
      if (c.entry.lines.some((l) => !namesRef.current.has(`${c.entry.chainId}:${l.itemId}`)))
        reread();
    },
    onFail: (reply) => setError(failure(reply)),
  });

  // A hardware scanner types wherever the focus is (often a toggle just tapped): the first
  // character of a scan takes the focus back to the search box, replacing what was there.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const box = search.current;
      if (!box || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1 || e.key === " ") return;
      const at = e.target as HTMLElement | null;
      if (at?.closest("input, textarea, select, [contenteditable], [role=dialog]")) return;
      box.focus();
      box.select();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const residents = useMemo(() => groupResidents(entries ?? []), [entries]);
  const summary = useMemo(() => summarize(entries ?? []), [entries]);
  const counts = {
    all: residents.length,
    waiting: residents.filter((r) => r.entries.some(isWaiting)).length,
    unpaid: residents.filter((r) => r.entries.some((e) => !e.checks.paid)).length,
  };
  const keep = (r: Resident<PickupEntry>) =>
    filter === "all" ||
    (filter === "waiting" ? r.entries.some(isWaiting) : r.entries.some((e) => !e.checks.paid));
  const shown: { resident: Resident<PickupEntry>; match: Match | null }[] = (
    query.trim()
      ? findResidents(residents, query)
      : residents.map((resident) => ({ resident, match: null }))
  ).filter((f) => keep(f.resident));

  const item = (chainId: string, itemId: string): WeighItem | undefined => {
    const n = names.get(`${chainId}:${itemId}`);
    return n && { ...n, weighed: isWeightUnit(n.unit) };
  };

  const withBusy = (key: string, on: boolean) =>
    setBusy((b) => {
      const next = new Set(b);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  const mark = async (e: PickupEntry, m: Mark, on: boolean): Promise<boolean> => {
    const key = `${entryKey(e)}:${m}`;
    withBusy(key, true);
    const reply = await command(socket, "entry:mark", {
      requestId: newRequestId(),
      chainId: e.chainId,
      no: e.no,
      mark: m,
      on,
    });
    withBusy(key, false);
    if (!reply.ok) {
      setProblem(failure(reply));
      return false;
    }
    setProblem("");
    const fresh = { ...e, ...reply.data.entry };
    setEntries((prev) => (prev ? mergeEntry(prev, fresh, "upsert") : prev));
    return true;
  };

  /**
   * At the end of the pickup window: every bag still waiting becomes a no-show, one entry:mark
   * each (the same atomic path as a tap), stopping at the first refusal.
   */
  const [rest, setRest] = useState<"ask" | { done: number; total: number } | null>(null);
  const markRestNoShow = async () => {
    const waiting = (entries ?? []).filter(isWaiting);
    let done = 0;
    setRest({ done, total: waiting.length });
    for (const e of waiting) {
      if (!(await mark(e, "noShow", true))) break;
      done++;
      setRest({ done, total: waiting.length });
    }
    setRest(null);
    setSaid(tc("restNoShowDone", { n: done }));
  };

  const weigh = async (e: PickupEntry, lines: WeighLine[]): Promise<string | null> => {
    const reply = await command(socket, "entry:weigh", {
      requestId: newRequestId(),
      chainId: e.chainId,
      no: e.no,
      lines,
    });
    if (!reply.ok) return failure(reply);
    const fresh = { ...e, ...reply.data.entry };
    setEntries((prev) => (prev ? mergeEntry(prev, fresh, "upsert") : prev));
    return null;
  };

  /** Enter in the search box or a scan: an exact pickup code (or a single result) is jumped to. */
  const jump = (raw: string) => {
    const q = readScan(raw);
    setQuery(q);
    const found = findResidents(residents, q);
    const target = found.find((f) => f.match.exactCode) ?? (found.length === 1 ? found[0] : null);
    if (!target) {
      setHit(null);
      setSaid(q ? tc("notFound", { q }) : "");
      return;
    }
    const r = target.resident;
    setFilter("all");
    setHit(r.key);
    setSaid(tc("jumped", { name: r.name, building: r.building }));
    requestAnimationFrame(() => {
      document.getElementById(cardId(r))?.scrollIntoView({ block: "start" });
      // The next scan replaces this code.
      search.current?.select();
    });
  };

  return (
    <>
      <section class="card co-head" aria-labelledby="co-title">
        <h1 id="co-title">{dropPoint.name}</h1>
        <p>
          {tc("window", {
            day: dayLabel(date, lang),
            start: dropPoint.window.start,
            end: dropPoint.window.end,
          })}
        </p>
        <div class="co-head-row">
          <a
            class="co-tap"
            href={`/checkoff?date=${date}`}
            onClick={(e) => {
              e.preventDefault();
              go({ view: "checkoff", date, dp: null, chain: null });
            }}
          >
            {tc("changePoint")}
          </a>
          {online && entries && <span class="co-live">{tc("live")}</span>}
        </div>
      </section>

      {error && (
        <p class="notice bad" role="alert">
          {tc("loadFailed", { message: error })}
        </p>
      )}

      <div class="co-sticky">
        <section class="co-summary" aria-label={tc("summary")}>
          <Sum name="collected" label={tc("collected")} value={summary.collected} bags />
          <Sum name="waiting" label={tc("waiting")} value={summary.waiting} bags />
          <Sum name="paid" label={tc("paidSum")} value={summary.paidFen} />
          <Sum name="unpaid" label={tc("unpaidSum")} value={summary.unpaidFen} />
        </section>
        <search>
          <form
            class="co-search"
            onSubmit={(e) => {
              e.preventDefault();
              jump(query);
            }}
          >
            <label for="co-search" class="small">
              {tc("search")}
            </label>
            <div class="co-search-row">
              <input
                ref={search}
                id="co-search"
                type="search"
                enterKeyHint="search"
                autocomplete="off"
                spellcheck={false}
                placeholder={tc("searchPlaceholder")}
                value={query}
                onInput={(e) => {
                  setQuery(e.currentTarget.value);
                  setHit(null);
                  setSaid("");
                }}
              />
              <button type="submit" class="co-btn">
                {tc("find")}
              </button>
              {canScan && (
                <button type="button" class="co-btn co-scan" onClick={() => setScanning(true)}>
                  {tc("scan")}
                </button>
              )}
            </div>
          </form>
        </search>
        {problem && (
          <p class="notice bad" role="alert">
            {problem}
          </p>
        )}
      </div>

      {summary.noShow > 0 && <p class="muted small">{tc("noShowCount", { n: summary.noShow })}</p>}

      <fieldset class="co-filter">
        <legend class="sr-only">{tc("filter")}</legend>
        {(["all", "waiting", "unpaid"] as const).map((f) => (
          <button
            key={f}
            type="button"
            class="co-chip"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {tc(f === "all" ? "filterAll" : f === "waiting" ? "filterWaiting" : "filterUnpaid", {
              n: counts[f],
            })}
          </button>
        ))}
      </fieldset>

      <p class="co-found" role="status">
        {said || (query.trim() ? tc("found", { n: shown.length }) : "")}
        {query && (
          <button
            type="button"
            class="co-btn co-clear"
            onClick={() => {
              setQuery("");
              setHit(null);
              setSaid("");
              search.current?.focus();
            }}
          >
            {tc("clear")}
          </button>
        )}
      </p>

      {entries && residents.length === 0 && <p class="muted">{tc("nobody")}</p>}
      {entries && residents.length > 0 && shown.length === 0 && !query && (
        <p class="muted">{tc("nobodyFiltered")}</p>
      )}
      <ol class="plain co-residents">
        {shown.map(({ resident, match }) => (
          <ResidentCard
            key={resident.key}
            resident={resident}
            match={match}
            hit={hit === resident.key}
            tz={tz}
            busy={busy}
            item={item}
            onMark={mark}
            onWeigh={weigh}
          />
        ))}
      </ol>

      {entries && summary.waiting > 0 && !query && (
        <section class="card co-rest" aria-label={tc("restNoShow", { n: summary.waiting })}>
          {rest === null && (
            <button type="button" class="co-btn co-attention" onClick={() => setRest("ask")}>
              {tc("restNoShow", { n: summary.waiting })}
            </button>
          )}
          {rest === "ask" && (
            <>
              <p>{tc("restNoShowAsk", { n: summary.waiting })}</p>
              <div class="co-head-row">
                <button type="button" class="co-btn co-attention" onClick={markRestNoShow}>
                  {tc("restNoShowYes")}
                </button>
                <button type="button" class="co-btn" onClick={() => setRest(null)}>
                  {tc("restNoShowNo")}
                </button>
              </div>
            </>
          )}
          {rest !== null && rest !== "ask" && (
            <p role="status">{tc("restNoShowGoing", { done: rest.done, total: rest.total })}</p>
          )}
        </section>
      )}

      {scanning && (
        <Scanner
          onClose={() => setScanning(false)}
          onCode={(raw) => {
            setScanning(false);
            jump(raw);
          }}
        />
      )}
    </>
  );
}

function Sum(props: { name: string; label: string; value: number; bags?: boolean }) {
  return (
    <div class={`co-sum co-sum-${props.name}`} data-sum={props.name} data-value={props.value}>
      <span class="co-sum-label">{props.label}</span>
      <strong class="co-sum-value">
        {props.bags ? tc("bags", { n: props.value }) : yuan(props.value)}
      </strong>
    </div>
  );
}
