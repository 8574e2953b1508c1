/** One of the grower's listings: share it, live harvest and load lists, change price or stock, close. */

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { chainPhase } from "../../../shared/chain-status.js";
import { ChainPatchBody, type ItemPatch } from "../../../shared/schemas.js";
import type {
  ChainSnapshot,
  ChainView,
  HarvestList,
  LoadList,
  PublicEntry,
  StaffEntry,
} from "../../../shared/views.js";
import { chainToText } from "../../../shared/wechat/chain-text.js";
import { copyText } from "../clipboard.js";
import { LinkGrid } from "../components/link-grid.js";
import { QrCode } from "../components/qr-code.js";
import { dayLabel, qty, timeIn, yuan } from "../format.js";
import { get, patch, post } from "../http/api.js";
import { currentLang, errorText, t } from "../i18n.js";
import { useChainWatch } from "../live/chain-watch.js";
import { useSocket } from "../live/socket.js";
import { dateIn, editable, fenToYuanInput, parseQty, yuanToFen } from "./lib.js";
import { tw } from "./words.js";

/** Re-fetch the lists at most this often while orders stream in. */
const REFRESH_DEBOUNCE_MS = 300;

export const chainLink = (chainId: string) => `${location.origin}/c/${chainId}`;

/** "11月29日 周日 · 接龙中 · 11月28日 周六 20:00 截单" */
export function ChainStatus({ chain }: { chain: ChainView }) {
  const lang = currentLang();
  const now = Date.now();
  const phase = chainPhase(chain, now);
  const status = {
    cancelled: () => tw("cancelled"),
    delivered: () => tw("delivered"),
    open: () =>
      tw("open", {
        time: `${dayLabel(dateIn(chain.timezone, chain.cutoffAt), lang)} ${timeIn(chain.cutoffAt, chain.timezone)}`,
      }),
    sold_out: () => tw("closedSoldOut"),
    closed_by_grower: () => tw("closedGrower"),
    past_cutoff: () => tw("closedCutoff"),
  }[phase]();
  const good = phase === "open";
  return (
    <span class="g-status">
      {t("delivery")} {dayLabel(chain.deliveryDate, lang)} ·{" "}
      <span class={good ? "g-ok" : "bad"}>{status}</span>
    </span>
  );
}

interface Live {
  chain: ChainView | null;
  entries: PublicEntry[];
  harvest: HarvestList | null;
  load: LoadList | null;
  error: string;
  /** connecting: not watching yet; live: watching the chain's room; offline: lost the socket. */
  link: "connecting" | "live" | "offline";
  setChain(chain: ChainView): void;
}

/**
 * The chain, its harvest and load lists, kept live: watch the chain's room and, on any change,
 * re-fetch the lists (debounced). Totals come from the server, so they are exact by construction.
 */
function useGrowerChain(chainId: string): Live {
  const [chain, setChain] = useState<ChainView | null>(null);
  const [entries, setEntries] = useState<PublicEntry[]>([]);
  const [harvest, setHarvest] = useState<HarvestList | null>(null);
  const [load, setLoad] = useState<LoadList | null>(null);
  const [error, setError] = useState("");
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    // Every entry (the staff list), not the public snapshot's latest ones: the shared text and
    // the list must hold the whole chain.
    const [s, e, h, l] = await Promise.all([
      get<ChainSnapshot>(`/chains/${chainId}`),
      get<StaffEntry[]>(`/chains/${chainId}/entries`),
      get<HarvestList>(`/chains/${chainId}/harvest`),
      get<LoadList>(`/chains/${chainId}/load`),
    ]);
    if (mine !== seq.current) return; // A newer refresh is on its way.
    const failed = [s, e, h, l].find((r) => !r.ok);
    if (failed && !failed.ok) setError(errorText(failed.error.code, failed.error.message));
    else setError("");
    if (s.ok) setChain(s.data.chain);
    if (e.ok) setEntries(e.data);
    if (h.ok) setHarvest(h.data);
    if (l.ok) setLoad(l.data);
  }, [chainId]);

  const soon = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void refresh(), REFRESH_DEBOUNCE_MS);
  }, [refresh]);
  useEffect(() => {
    void refresh();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [refresh]);
  // Any change to the chain (and every catch-up after a reconnect) re-reads the lists.
  const { socket, online } = useSocket();
  const watch = useChainWatch(socket, chainId, { onChange: soon, onCaughtUp: soon });
  const link: Live["link"] = !online ? "offline" : watch.state ? "live" : "connecting";

  return { chain, entries, harvest, load, error, link, setChain };
}

interface Props {
  chainId: string;
  justPosted: boolean;
  onBack(): void;
  onChanged(chain: ChainView): void;
}

export function ChainScreen({ chainId, justPosted, onBack, onChanged }: Props) {
  const live = useGrowerChain(chainId);
  const { chain } = live;
  const back = (
    <button type="button" class="g-back" onClick={onBack}>
      {tw("back")}
    </button>
  );
  if (!chain) {
    return (
      <>
        {back}
        {live.error ? (
          <p class="notice bad" role="alert">
            {live.error}
          </p>
        ) : (
          <p class="muted">{t("loading")}</p>
        )}
      </>
    );
  }
  const changed = (c: ChainView) => {
    live.setChain(c);
    onChanged(c);
  };
  return (
    <>
      {back}
      {justPosted && (
        <p class="notice good" role="status">
          {tw("posted")}
        </p>
      )}
      {live.link === "offline" && (
        <p class="notice warn" role="status">
          {tw("offline")}
        </p>
      )}
      {live.error && (
        <p class="notice bad" role="alert">
          {live.error}
        </p>
      )}
      <section class="card" aria-labelledby="g-chain-title">
        <h1 id="g-chain-title">{chain.title}</h1>
        <p>
          <ChainStatus chain={chain} />
        </p>
        <p class="muted small">{chain.dropPoints.map((d) => d.name).join(" · ")}</p>
      </section>
      {/* Just posted: sharing it comes first. Later visits are for the lists: they come first. */}
      {justPosted && <Share chain={chain} entries={live.entries} />}
      <Harvest
        harvest={live.harvest}
        live={live.link === "live"}
        ended={!!live.chain && Date.now() >= live.chain.cutoffAt}
      />
      <Load load={live.load} />
      {!justPosted && <Share chain={chain} entries={live.entries} />}
      <Packing chainId={chain.id} />
      <EditItems chain={chain} onSaved={changed} />
      <CloseEarly chain={chain} onClosed={changed} />
      <Entries chain={chain} entries={live.entries} />
    </>
  );
}

/**
 * The listing as WeChat 接龙 text (shared/wechat/chain-text.ts), with the link as one more header
 * line, so it reads back the same (the entries stay last, where people add their own line).
 */
export function chainAsText(chain: ChainView, entries: PublicEntry[]): string {
  const note = [chain.note.trim(), `点链接接龙：${chainLink(chain.id)}`].filter(Boolean).join("\n");
  return chainToText({ ...chain, note }, entries);
}

function Share({ chain, entries }: { chain: ChainView; entries: PublicEntry[] }) {
  const [said, setSaid] = useState<{ text: string; bad: boolean } | null>(null);
  const link = chainLink(chain.id);
  const copy = async (text: string, done: string) => {
    const ok = await copyText(text);
    setSaid(ok ? { text: done, bad: false } : { text: tw("copyFailed"), bad: true });
  };
  return (
    <section class="card g-share" aria-labelledby="g-share-title">
      <h2 id="g-share-title">{tw("share")}</h2>
      <label for="g-link">{tw("link")}</label>
      <input id="g-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
      <div class="g-buttons">
        <button type="button" class="g-main" onClick={() => copy(link, tw("linkCopied"))}>
          {tw("copyLink")}
        </button>
        <button
          type="button"
          class="g-main"
          onClick={() => copy(chainAsText(chain, entries), tw("textCopied"))}
        >
          {tw("copyText")}
        </button>
      </div>
      {said && (
        <p class={`notice ${said.bad ? "bad" : "good"}`} role="status">
          {said.text}
        </p>
      )}
      <div class="g-qr">
        <QrCode text={link} label={tw("qr")} />
      </div>
      <a class="g-link" href={`/c/${chain.id}`}>
        {tw("viewAsResident")}
      </a>
    </section>
  );
}

function Harvest({
  harvest,
  live,
  ended,
}: {
  harvest: HarvestList | null;
  live: boolean;
  ended: boolean;
}) {
  return (
    <section class="card" aria-labelledby="g-harvest-title">
      <h2 id="g-harvest-title">
        {tw("harvest")} {live && <span class="g-live">{tw("live")}</span>}
      </h2>
      {!harvest ? (
        <p class="muted">{t("loading")}</p>
      ) : (
        <>
          <table class="g-table">
            <thead>
              <tr>
                <th scope="col">{tw("itemCol")}</th>
                <th scope="col" class="num">
                  {tw("qtyCol")}
                </th>
                <th scope="col" class="num">
                  {tw("amountCol")}
                </th>
              </tr>
            </thead>
            <tbody aria-live="polite">
              {harvest.items.map((i) => (
                <tr key={i.itemId} data-item={i.itemId} class={i.qty === 0 ? "muted" : ""}>
                  <th scope="row">{i.name}</th>
                  <td class="num">
                    {qty(i.qty)}
                    {i.unit}
                  </td>
                  <td class="num">{yuan(i.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="g-totals" aria-live="polite">
            {tw("harvestTotals", {
              entries: harvest.totals.entries,
              amount: yuan(harvest.totals.amountFen),
            })}
          </p>
          {harvest.unmet.length > 0 && (
            <div class="g-unmet" data-testid="unmet">
              <h3>{tw(ended ? "waitlistEnded" : "waitlist")}</h3>
              <ul class="plain" aria-live="polite">
                {harvest.unmet.map((u) => (
                  <li key={u.itemId} data-item={u.itemId}>
                    {tw("waitlistRow", {
                      name: u.name,
                      requests: u.requests,
                      qty: qty(u.qty),
                      unit: u.unit,
                    })}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Load({ load }: { load: LoadList | null }) {
  return (
    <section class="card" aria-labelledby="g-load-title">
      <h2 id="g-load-title">{tw("load")}</h2>
      {!load ? (
        <p class="muted">{t("loading")}</p>
      ) : (
        <ul class="plain g-load">
          {load.dropPoints.map((row) => {
            const some = row.items.filter((i) => i.qty > 0);
            return (
              <li key={row.dropPoint.id} data-drop-point={row.dropPoint.id}>
                <div class="g-load-head">
                  <strong>{row.dropPoint.name}</strong>
                  <span class="muted small">
                    {row.dropPoint.window.start}–{row.dropPoint.window.end}
                  </span>
                  <span class="g-bags">
                    {tw("bags", { bags: row.bags, amount: yuan(row.amountFen) })}
                  </span>
                </div>
                <p class={some.length ? "" : "muted small"}>
                  {some.length
                    ? some.map((i) => `${i.name} ${qty(i.qty)}${i.unit}`).join("，")
                    : tw("nothingHere")}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

type Draft = Record<string, { price: string; stock: string }>;
const draftOf = (chain: ChainView): Draft =>
  Object.fromEntries(
    chain.items.map((i) => [
      i.id,
      { price: fenToYuanInput(i.priceFen), stock: i.stock === null ? "" : qty(i.stock) },
    ]),
  );

function EditItems({ chain, onSaved }: { chain: ChainView; onSaved(c: ChainView): void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(chain));
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; bad: boolean } | null>(null);
  const can = editable(chain, Date.now());

  const save = async (e: Event) => {
    e.preventDefault();
    const items: ItemPatch[] = [];
    for (const item of chain.items) {
      const d = draft[item.id];
      if (!d) continue;
      const priceFen = yuanToFen(d.price);
      if (priceFen === null || priceFen === 0) {
        return setSaid({ text: `${item.name}：${tw("errPrice")}`, bad: true });
      }
      const stock = d.stock.trim() ? parseQty(d.stock) : null;
      if (d.stock.trim() && stock === null) {
        return setSaid({ text: `${item.name}：${tw("errStock")}`, bad: true });
      }
      const change: ItemPatch = { id: item.id };
      if (priceFen !== item.priceFen) change.priceFen = priceFen;
      if (stock !== item.stock) change.stock = stock;
      if (change.priceFen !== undefined || change.stock !== undefined) items.push(change);
    }
    if (!items.length) return setSaid({ text: tw("nothingChanged"), bad: false });
    const parsed = ChainPatchBody.safeParse({ items });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const item = chain.items[Number(issue?.path[1] ?? -1)];
      return setSaid({
        text: errorText("validation_failed", `${item?.name ?? ""} ${issue?.message ?? ""}`),
        bad: true,
      });
    }
    setBusy(true);
    const r = await patch<ChainView>(`/chains/${chain.id}`, parsed.data);
    setBusy(false);
    if (r.ok) {
      setDraft(draftOf(r.data));
      setSaid({ text: tw("saved"), bad: false });
      onSaved(r.data);
      return;
    }
    const details = (r.error as { details?: { itemId?: string; step?: number; sold?: number } })
      .details;
    const item = chain.items.find((i) => i.id === details?.itemId);
    const text =
      r.error.code === "bad_quantity" && item
        ? tw("errStepMultiple", { what: tw("stock"), step: qty(item.step) })
        : r.error.code === "stock_below_sold" && item
          ? `${errorText("stock_below_sold")}（${tw("sold", { qty: qty(details?.sold ?? item.sold), unit: item.unit })}）`
          : errorText(r.error.code, r.error.message);
    setSaid({ text: item ? `${item.name}：${text}` : text, bad: true });
  };

  return (
    <form class="card" onSubmit={save} aria-labelledby="g-edit-title" noValidate>
      <h2 id="g-edit-title">{tw("edit")}</h2>
      {!can ? (
        <p class="muted">{tw("notEditable")}</p>
      ) : (
        <>
          <ul class="plain">
            {chain.items.map((item) => {
              const d = draft[item.id] ?? { price: "", stock: "" };
              const set = (p: Partial<typeof d>) =>
                setDraft((all) => ({ ...all, [item.id]: { ...d, ...p } }));
              return (
                <li key={item.id} class="g-edit-item">
                  <p>
                    <strong>{item.name}</strong>{" "}
                    <span class="muted small">
                      {tw("sold", { qty: qty(item.sold), unit: item.unit })}
                      {item.soldOut ? ` · ${t("soldOut")}` : ""}
                    </span>
                  </p>
                  <div class="g-nums two">
                    <div>
                      <label for={`g-edit-${item.id}-price`}>
                        <span class="sr-only">{item.name} </span>
                        {tw("newPrice")}
                      </label>
                      <input
                        id={`g-edit-${item.id}-price`}
                        inputMode="decimal"
                        autocomplete="off"
                        value={d.price}
                        onInput={(e) => set({ price: e.currentTarget.value })}
                      />
                    </div>
                    <div>
                      <label for={`g-edit-${item.id}-stock`}>
                        <span class="sr-only">{item.name} </span>
                        {tw("newStock")}
                      </label>
                      <input
                        id={`g-edit-${item.id}-stock`}
                        inputMode="decimal"
                        autocomplete="off"
                        value={d.stock}
                        onInput={(e) => set({ stock: e.currentTarget.value })}
                      />
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
          <button type="submit" class="g-main wide" disabled={busy}>
            {busy ? tw("saving") : tw("save")}
          </button>
        </>
      )}
      {said && (
        <p class={`notice ${said.bad ? "bad" : "good"}`} role={said.bad ? "alert" : "status"}>
          {said.text}
        </p>
      )}
    </form>
  );
}

function CloseEarly({ chain, onClosed }: { chain: ChainView; onClosed(c: ChainView): void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <p class="notice good" role="status">
        {tw("closedNow")}
      </p>
    );
  }
  if (chain.status !== "open" || Date.now() >= chain.cutoffAt) return null;
  const close = async () => {
    setBusy(true);
    const r = await post<ChainView>(`/chains/${chain.id}/close`);
    setBusy(false);
    setAsking(false);
    if (r.ok) {
      setDone(true);
      onClosed(r.data);
    } else setError(errorText(r.error.code, r.error.message));
  };
  return (
    <section class="card" aria-label={tw("closeEarly")}>
      {asking ? (
        <>
          <p class="g-confirm">{tw("closeConfirm")}</p>
          <div class="g-buttons">
            <button type="button" class="danger" disabled={busy} onClick={close}>
              {tw("closeYes")}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {tw("closeNo")}
            </button>
          </div>
        </>
      ) : (
        <button type="button" class="danger wide" onClick={() => setAsking(true)}>
          {tw("closeEarly")}
        </button>
      )}
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Entries({ chain, entries }: { chain: ChainView; entries: PublicEntry[] }) {
  const items = new Map(chain.items.map((i) => [i.id, i]));
  const active = entries.filter((e) => e.status === "active").length;
  return (
    <section class="card" aria-labelledby="g-entries-title">
      <h2 id="g-entries-title">{tw("entries", { n: active })}</h2>
      {entries.length === 0 ? (
        <p class="muted">{tw("nothingHere")}</p>
      ) : (
        <ol class="chain plain">
          {entries.map((e) => {
            const text = `${e.no}. ${e.name} ${e.building} ${e.lines
              .map(
                (l) =>
                  `${items.get(l.itemId)?.name ?? "?"}${qty(l.qty)}${items.get(l.itemId)?.unit ?? ""}`,
              )
              .join(" ")}`;
            return (
              <li key={e.no} class={e.status === "cancelled" ? "cancelled" : ""}>
                {e.status === "cancelled" ? <del>{text}</del> : text}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** Delivery day for the grower: print the harvest and load sheets, weigh, export. */
function Packing({ chainId }: { chainId: string }) {
  const links = [
    [`/print?view=harvest&chain=${chainId}`, tw("printHarvest")],
    [`/print?view=load&chain=${chainId}`, tw("printLoad")],
    [`/checkoff?chain=${chainId}&view=pack`, tw("weighAndPack")],
    [`/api/chains/${chainId}/export.xlsx`, tw("exportChainXlsx")],
  ] as const;
  return (
    <section class="card" aria-labelledby="g-packing-title">
      <h2 id="g-packing-title">{tw("packing")}</h2>
      <LinkGrid links={links} />
    </section>
  );
}
