/** The resident's page: the live numbered chain, and joining it in a few taps. */

import { useEffect, useRef, useState } from "preact/hooks";
import { type ChainState, heldOf } from "../../../shared/chain-state.js";
import { takesOrders, takesWaitlist } from "../../../shared/chain-status.js";
import { LIMITS } from "../../../shared/limits.js";
import { lineAmountFen, toMilli } from "../../../shared/quantity.js";
import type { EntryJoin } from "../../../shared/schemas.js";
import type {
  ChainView,
  EntryFound,
  ItemView,
  OwnEntry,
  PublicEntry,
} from "../../../shared/views.js";
import { ItemRow } from "../components/item-row.js";
import { countdown, cutoffLabel, dayLabel, qty, yuan } from "../format.js";
import { post } from "../http/api.js";
import { currentLang, errorText, explainError, t } from "../i18n.js";
import { useLazy } from "../lazy.js";
import type { PendingWrite } from "../live/pending.js";
import type { Prefs } from "../prefs.js";
import { requestId } from "../prefs.js";
import { startingDropPoint } from "./drop-point.js";
import { dropKey, keysOf, linkOf, saveKey, takeKeyFromAddress } from "./entry-keys.js";
import { JoinedCard } from "./joined.js";
import { isSoldOut, type SoldOutError, SoldOutNotice } from "./sold-out.js";
import { type Outcome, useChain } from "./use-chain.js";
import { type WaitAsk, Waitlist, WaitlistMark } from "./waitlist.js";

interface Props {
  chainId: string;
  prefs: Prefs;
  onPrefs(p: Partial<Prefs>): void;
}

/** What the page shows in place of the form after a join: its success, or that it waits. */
type After = { kind: "joined"; no: number } | { kind: "queued"; requestId: string };

export function ChainPage({ chainId, prefs, onPrefs }: Props) {
  const live = useChain(chainId);
  const [keys, setKeys] = useState(() => {
    takeKeyFromAddress(chainId);
    return keysOf(chainId);
  });
  const remember = (key: string | undefined) => {
    if (!key) return;
    saveKey(chainId, key);
    setKeys(keysOf(chainId));
  };
  /** Keys being looked up now. */
  const asking = useRef(new Set<string>());
  const mineNos = live.state?.mine.map((e) => e.no).join(",");
  useEffect(() => {
    // Entries this phone holds a key for but does not see as its own (the device key is gone, or
    // a fresh snapshot replaced the list): ask for them by key.
    const state = live.state;
    if (!state) return;
    for (const [no, key] of Object.entries(keys)) {
      if (state.mine.some((e) => e.no === Number(no)) || asking.current.has(key)) continue;
      asking.current.add(key);
      void post<EntryFound>(`/chains/${chainId}/entry-by-key`, { key }).then((r) => {
        asking.current.delete(key);
        if (r.ok) live.adopt(r.data.entry);
        else if (r.status === 404) {
          dropKey(chainId, Number(no));
          setKeys(keysOf(chainId));
        }
      });
    }
    // live.adopt and live.state change with every event; the list of own numbers is what matters.
  }, [chainId, keys, mineNos, live.state === null]);
  const [editing, setEditing] = useState<OwnEntry | null>(null);
  const [after, setAfter] = useState<After | null>(null);
  /** The entry whose change was just saved: said where the entry shows. */
  const [saved, setSaved] = useState<Saved | null>(null);
  /** A new form (empty amounts) only when the resident asks for another order. */
  const [formNo, setFormNo] = useState(0);
  /** 排队候补 asked for from the order form (a refusal, an item's row): the waitlist opens its form. */
  const [waitAsk, setWaitAsk] = useState<WaitAsk | null>(null);
  /** The last waitlist request made on this page: the form stops holding that item. */
  const [waited, setWaited] = useState<{ itemId: string; n: number } | null>(null);
  const resolved = live.resolved;
  useEffect(() => {
    // A join that waited (offline, or being confirmed) got its answer: show its success, or the
    // form again with its amounts and the reason.
    if (resolved?.kind !== "join") return;
    if (resolved.outcome.ok) {
      remember(resolved.outcome.result.key);
      setAfter({ kind: "joined", no: resolved.outcome.result.entry.no });
    } else if (!resolved.outcome.pending)
      setAfter((a) => (a?.kind === "queued" && a.requestId === resolved.requestId ? null : a));
  }, [resolved]);
  if (live.missing) return <p class="notice bad">{t("notFound")}</p>;
  const state = live.state;
  if (!state && !live.online) return <OfflinePage pending={live.pending} onRetry={live.retry} />;
  if (!state)
    return (
      <>
        <p class="muted">{t("loading")}</p>
        {live.pending.length > 0 && (
          <section class="card" aria-labelledby="mine-title">
            <h2 id="mine-title">{t("mine")}</h2>
            <ul class="plain">
              <PendingJoins pending={live.pending} />
            </ul>
          </section>
        )}
      </>
    );
  const { chain } = state;
  const open = takesOrders(chain, Date.now());
  const joined =
    after?.kind === "joined" && !editing ? state.mine.find((e) => e.no === after.no) : undefined;
  const queued = after?.kind === "queued" && !editing;
  const another = () => {
    setAfter(null);
    setFormNo((n) => n + 1);
  };
  return (
    <>
      {!live.online && (
        <p class="notice warn" role="status">
          {t("offline")}
        </p>
      )}
      {joined && (
        <JoinedCard
          chain={chain}
          entry={joined}
          link={keys[joined.no] ? linkOf(chain.id, keys[joined.no] ?? "") : null}
          onAnother={another}
        />
      )}
      {queued && <QueuedCard onAnother={another} />}
      <ChainHeader chain={chain} />
      <OrderForm
        key={editing ? `edit-${editing.no}` : `new-${formNo}`}
        hidden={Boolean(joined || queued)}
        chain={chain}
        open={open}
        prefs={prefs}
        onPrefs={onPrefs}
        mine={state.mine}
        editing={editing}
        onDone={() => {
          const no = editing?.no;
          setEditing(null);
          // Back where the change was asked for.
          requestAnimationFrame(() =>
            document.querySelector(`[data-mine="${no}"]`)?.scrollIntoView({ block: "center" }),
          );
        }}
        onSaved={(no, confirmed) => {
          setSaved({ no, confirmed, codeBefore: editing?.pickupCode ?? null });
          setEditing(null);
        }}
        onJoined={(no, key) => {
          remember(key);
          setAfter({ kind: "joined", no });
        }}
        keyOf={(no) => keys[no]}
        onQueued={(requestId) => setAfter({ kind: "queued", requestId })}
        onWaitlist={setWaitAsk}
        waited={waited}
        live={live}
      />
      {/* The waitlist (issue 15) lives in waitlist.tsx. */}
      <Waitlist
        chain={chain}
        state={state}
        live={live}
        prefs={prefs}
        onPrefs={onPrefs}
        ask={waitAsk}
        onAsked={() => setWaitAsk(null)}
        onWaiting={(itemId) => setWaited((w) => ({ itemId, n: (w?.n ?? 0) + 1 }))}
      />
      <MyEntries
        chain={chain}
        mine={state.mine}
        pending={live.pending}
        open={open}
        onEdit={(e) => {
          setAfter(null);
          setSaved(null);
          setEditing(e);
        }}
        saved={saved}
        keyOf={(no) => keys[no]}
        live={live}
      />
      <FindOrder
        chainId={chain.id}
        onFound={(f) => {
          remember(f.key);
          live.adopt(f.entry);
        }}
      />
      <ChainList chain={chain} state={state} open={open} onOlder={live.loadOlder} />
      {open && !joined && !queued && <div class="paybar-space" />}
    </>
  );
}

/** 找回我的订单: its form loads when opened (most residents never need it). */
function FindOrder(props: { chainId: string; onFound(f: EntryFound): void }) {
  const [open, setOpen] = useState(false);
  const Form = useLazy(() => import("./find-order.js").then((m) => m.FindOrderForm), open);
  return (
    <details class="card find-order" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>{t("findTitle")}</h2>
      </summary>
      {open && (Form ? <Form {...props} /> : <p class="muted">{t("loading")}</p>)}
    </details>
  );
}

/** The first load found no network: say so plainly, with a retry, instead of loading forever. */
function OfflinePage({ pending, onRetry }: { pending: PendingWrite[]; onRetry(): void }) {
  return (
    <section class="card offline-page" aria-labelledby="offline-title">
      <h1 id="offline-title">{t("offlineTitle")}</h1>
      <p>{t("offlineHelp")}</p>
      <button type="button" class="primary" onClick={onRetry}>
        {t("retry")}
      </button>
      {pending.length > 0 && (
        <>
          <p class="muted">{t("offlineSaved")}</p>
          <ul class="plain">
            <PendingJoins pending={pending} />
          </ul>
        </>
      )}
    </section>
  );
}

/** A change just saved (or being confirmed), and the pickup code the entry had before it. */
interface Saved {
  no: number;
  confirmed: boolean;
  codeBefore: string | null;
}

/** A join made offline: saved on the phone, sent when the network returns. */
function QueuedCard({ onAnother }: { onAnother(): void }) {
  return (
    <section class="card joined queued" aria-labelledby="queued-title">
      <h2 id="queued-title">{t("queuedTitle")}</h2>
      <p class="notice warn" role="status">
        {t("pending")}
      </p>
      <button type="button" class="wide" onClick={onAnother}>
        {t("another")}
      </button>
    </section>
  );
}

function ChainHeader({ chain }: { chain: ChainView }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const lang = currentLang();
  const statusText =
    chain.status === "cancelled"
      ? t("cancelledChain")
      : chain.status === "delivered"
        ? t("delivered")
        : chain.status === "closed" || now >= chain.cutoffAt
          ? chain.closedReason === "sold_out"
            ? t("soldOutClosed")
            : t("closed")
          : t("closesIn", { time: countdown(chain.cutoffAt - now, lang) });
  return (
    <section class="card head" aria-labelledby="chain-title">
      <h1 id="chain-title">{chain.title}</h1>
      <p class="grower">
        {chain.grower.name}
        {chain.grower.village ? ` · ${chain.grower.village}` : ""}
      </p>
      <p>
        {t("delivery")}: <strong>{dayLabel(chain.deliveryDate, lang)}</strong> · {t("cutoff")}{" "}
        {cutoffLabel(chain.cutoffAt, chain.timezone, lang)}
      </p>
      <p class={`status ${takesOrders(chain, now) ? "ok" : "bad"}`} role="timer">
        {statusText}
      </p>
      {chain.note && <p class="note">{chain.note}</p>}
      <details open>
        <summary>
          {t("dropPoints")} ({chain.dropPoints.length})
        </summary>
        <ul class="plain">
          {chain.dropPoints.map((dp) => (
            <li key={dp.id}>
              <strong>{dp.name}</strong> {dp.window.start}–{dp.window.end}
              {dp.description ? ` · ${dp.description}` : ""}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

/** Most of an item a resident may still add: stock left and the per-person limit. */
function maxFor(item: ItemView, mine: OwnEntry[], editing: OwnEntry | null): number {
  const held = (e: OwnEntry) => e.lines.find((l) => l.itemId === item.id)?.qty ?? 0;
  const inEdit = editing ? held(editing) : 0;
  const byStock = item.remaining === null ? Number.POSITIVE_INFINITY : item.remaining + inEdit;
  const byLimit =
    item.limit === null
      ? Number.POSITIVE_INFINITY
      : item.limit - heldOf(mine, item.id, editing?.no);
  return Math.max(0, Math.min(byStock, byLimit, 9999));
}

interface OrderProps {
  chain: ChainView;
  open: boolean;
  prefs: Prefs;
  onPrefs(p: Partial<Prefs>): void;
  mine: OwnEntry[];
  editing: OwnEntry | null;
  hidden: boolean;
  onDone(): void;
  /** A change was saved (true) or is being confirmed (false). */
  onSaved(no: number, confirmed: boolean): void;
  onJoined(no: number, key?: string): void;
  /** The personal key this phone holds for an entry, sent with its changes. */
  keyOf(no: number): string | undefined;
  onQueued(requestId: string): void;
  /** From a sold-out refusal or an item's row: wait in line for the item instead. */
  onWaitlist(ask: WaitAsk): void;
  /** A waitlist request was just made for this item (here or from the waitlist card). */
  waited: { itemId: string; n: number } | null;
  live: ReturnType<typeof useChain>;
}

const loadSchemas = () => import("../../../shared/schemas.js");

/** What a change changes: loaded when a change starts. */
function LazyEditChanges(props: Parameters<typeof import("./edit-changes.js").EditChanges>[0]) {
  const View = useLazy(() => import("./edit-changes.js").then((m) => m.EditChanges), true);
  return View ? <View {...props} /> : null;
}

function OrderForm(props: OrderProps) {
  const { chain, open, prefs, onPrefs, mine, editing, hidden, onDone, live } = props;
  const [qtys, setQtys] = useState<Record<string, number>>(() =>
    Object.fromEntries((editing?.lines ?? []).map((l) => [l.itemId, l.qty])),
  );
  const remembered = prefs.dropPoint[chain.communityId];
  const [dropPointId, setDropPoint] = useState(
    editing?.dropPointId ?? startingDropPoint(chain.dropPoints, remembered),
  );
  const [name, setName] = useState(editing?.name ?? prefs.name);
  const [building, setBuilding] = useState(editing?.building ?? prefs.building);
  const [phone, setPhone] = useState(editing?.phone ?? prefs.phone);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{
    text: string;
    bad: boolean;
    soldOut?: SoldOutError;
    /** About the network: stale once the connection is back. */
    network?: boolean;
  } | null>(null);
  useEffect(() => {
    if (live.online) setMessage((m) => (m?.network ? null : m));
  }, [live.online]);
  /** The request id of the last send: its late answer (after 正在确认…) replaces the message. */
  const [sent, setSent] = useState<string | null>(null);
  /** Wait in line for an item with what this form holds: the amount, the drop point, who. */
  const askWaitlist = (itemId: string, amount: number) =>
    props.onWaitlist({ itemId, qty: amount, dropPointId, name, building, phone });
  // Waiting in line for an item instead: the form no longer holds it, and says what is left to do.
  useEffect(() => {
    if (!props.waited || editing) return;
    const item = chain.items.find((i) => i.id === props.waited?.itemId);
    if (!item || !(qtys[item.id] ?? 0)) return;
    const next = { ...qtys, [item.id]: 0 };
    setQtys(next);
    const rest = chain.items
      .filter((i) => (next[i.id] ?? 0) > 0)
      .map((i) =>
        currentLang() === "en"
          ? `${i.name} ${qty(next[i.id] ?? 0)} ${i.unit}`
          : `${i.name}${qty(next[i.id] ?? 0)}${i.unit}`,
      )
      .join(currentLang() === "en" ? ", " : "、");
    setMessage({
      text: rest
        ? t("waitedRest", { item: item.name, rest, send: t("send") })
        : t("waited", { item: item.name }),
      bad: false,
    });
  }, [props.waited]);

  const lines = chain.items
    .map((item) => ({ item, qty: qtys[item.id] ?? 0 }))
    .filter((l) => l.qty > 0);
  const total = lines.reduce((s, l) => s + lineAmountFen(l.item.priceFen, toMilli(l.qty) ?? 0), 0);

  const explain = (o: Outcome) => {
    if (o.ok)
      return {
        text: t("joined", { no: o.result.entry.no, code: o.result.entry.pickupCode }),
        bad: false,
      };
    if (o.pending)
      return { text: t(o.pending === "queued" ? "pending" : "confirming"), bad: false };
    if (isSoldOut(o.error)) return { text: "", bad: true, soldOut: o.error };
    const network = ["timeout", "offline", "unavailable"].includes(o.error.code);
    return { text: explainError(o.error, chain.items), bad: true, network };
  };
  const resolved = live.resolved;
  useEffect(() => {
    // A refusal shows where the resident looks: the bottom bar's button may be far from it.
    if (message) document.querySelector(".order-msg")?.scrollIntoView({ block: "center" });
  }, [message]);
  useEffect(() => {
    if (resolved && resolved.requestId === sent) setMessage(explain(resolved.outcome));
    // explain reads only the chain's items, which the resolution does not change.
  }, [resolved, sent]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!lines.length) return setMessage({ text: t("chooseSomething"), bad: true });
    if (!dropPointId) return setMessage({ text: t("choosePoint"), bad: true });
    const payload = {
      requestId: requestId(),
      chainId: chain.id,
      dropPointId,
      name,
      building,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      lines: lines.map((l) => ({ itemId: l.item.id, qty: l.qty })),
    };
    // The shared schema (zod) loads apart from the page; fetched early, see below. Without it
    // (it could not load offline) the server's own check still words any problem.
    const schemas = await loadSchemas().catch(() => null);
    const parsed = schemas
      ? schemas.EntryJoin.safeParse(payload)
      : { success: true as const, data: payload as EntryJoin };
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const field = String(first?.path[0] ?? "");
      const label =
        field === "name"
          ? t("name")
          : field === "building"
            ? t("building")
            : field === "phone"
              ? t("phone")
              : field;
      return setMessage({
        text: errorText("validation_failed", `${label} ${first?.message ?? ""}`),
        bad: true,
      });
    }
    setBusy(true);
    setSent(payload.requestId);
    onPrefs({
      name,
      building,
      phone,
      dropPoint: { ...prefs.dropPoint, [chain.communityId]: dropPointId },
    });
    const outcome = editing
      ? await live.update({
          requestId: payload.requestId,
          chainId: chain.id,
          no: editing.no,
          ...(props.keyOf(editing.no) ? { key: props.keyOf(editing.no) } : {}),
          dropPointId,
          name: parsed.data.name,
          building: parsed.data.building,
          phone: parsed.data.phone ?? null,
          lines: parsed.data.lines,
        })
      : await live.join(parsed.data);
    setBusy(false);
    if (!editing && outcome.ok) {
      // The success state takes over; the amounts stay (hidden) until another order is asked for.
      setMessage(null);
      props.onJoined(outcome.result.entry.no, outcome.result.key);
      return;
    }
    if (!editing && !outcome.ok && outcome.pending === "queued") {
      setMessage(null);
      props.onQueued(payload.requestId);
      return;
    }
    if (editing && (outcome.ok || outcome.pending)) {
      props.onSaved(editing.no, outcome.ok);
      return;
    }
    setMessage(explain(outcome));
  };
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // Ready before the first 接龙, so the form checks with the server's own schema.
    void loadSchemas().catch(() => {});
  }, []);
  useEffect(() => {
    // Changing an entry starts at the form, wherever the 修改 button was.
    if (!editing) return;
    formRef.current?.scrollIntoView({ block: "start" });
    formRef.current?.querySelector<HTMLElement>("h2")?.focus();
  }, []);

  return (
    <form
      class={`card ${editing ? "editing" : ""}`}
      ref={formRef}
      onSubmit={submit}
      aria-labelledby="order-title"
      hidden={hidden}
    >
      <h2 id="order-title" tabIndex={-1}>
        {editing ? t("editing", { no: editing.no }) : t("yourOrder")}
      </h2>
      <ul class="items plain">
        {chain.items.map((item) => (
          <ItemRow
            key={item.id}
            item={item}
            value={qtys[item.id] ?? 0}
            max={maxFor(item, mine, editing)}
            disabled={!open}
            warnOver={!message?.soldOut}
            onWaitlist={
              takesWaitlist(chain, Date.now())
                ? () => askWaitlist(item.id, qtys[item.id] ?? item.step)
                : undefined
            }
            onChange={(v) => setQtys({ ...qtys, [item.id]: v })}
          />
        ))}
      </ul>
      {open && (
        <>
          <fieldset>
            <legend>{t("pickPoint")}</legend>
            {chain.dropPoints.map((dp) => (
              <label key={dp.id} class="choice">
                <input
                  type="radio"
                  name="dropPoint"
                  value={dp.id}
                  checked={dropPointId === dp.id}
                  onChange={() => setDropPoint(dp.id)}
                />
                {dp.name}{" "}
                <span class="muted small">
                  {dp.window.start}–{dp.window.end}
                </span>
              </label>
            ))}
          </fieldset>
          <label for="name">{t("name")}</label>
          <input
            id="name"
            value={name}
            maxLength={LIMITS.nameMax}
            placeholder={t("namePlaceholder")}
            autocomplete="name"
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <label for="building">{t("building")}</label>
          <input
            id="building"
            value={building}
            maxLength={LIMITS.buildingMax}
            placeholder={t("buildingPlaceholder")}
            onInput={(e) => setBuilding(e.currentTarget.value)}
          />
          <label for="phone">{t(chain.requirePhone4 ? "phoneRequired" : "phone")}</label>
          <input
            id="phone"
            type="tel"
            inputMode="numeric"
            required={chain.requirePhone4}
            value={phone}
            maxLength={LIMITS.phoneMax}
            autocomplete="tel"
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
          {editing && (
            <>
              <LazyEditChanges
                chain={chain}
                entry={editing}
                qtys={qtys}
                dropPointId={dropPointId}
                name={name}
                building={building}
              />
              <button type="button" class="wide" onClick={onDone}>
                {t("stopEdit")}
              </button>
            </>
          )}
          <div class="paybar">
            <div class="paybar-in">
              <p class="paybar-sum" aria-live="polite">
                {t("total", { amount: yuan(total) })}
              </p>
              <button class="primary" disabled={busy} type="submit">
                {busy ? t("sending") : editing ? t("save") : t("send")}
              </button>
            </div>
          </div>
        </>
      )}
      {message?.soldOut ? (
        <SoldOutNotice
          error={message.soldOut}
          items={chain.items}
          qtys={qtys}
          onFix={(itemId, to) => {
            setQtys({ ...qtys, [itemId]: to });
            setMessage(null);
          }}
          onWaitlist={
            takesWaitlist(chain, Date.now())
              ? // The notice stays while the waitlist form is open: another short item may be waited
                // for too. Once a request is in line, `waited` above says what is left to order.
                askWaitlist
              : undefined
          }
        />
      ) : (
        message && (
          <p class={`notice order-msg ${message.bad ? "bad" : "good"}`} role="alert">
            {message.text}
          </p>
        )
      )}
    </form>
  );
}

function lineText(chain: ChainView, e: PublicEntry): string {
  const items = new Map(chain.items.map((i) => [i.id, i]));
  return e.lines
    .map(
      (l) => `${items.get(l.itemId)?.name ?? "?"}${qty(l.qty)}${items.get(l.itemId)?.unit ?? ""}`,
    )
    .join(" ");
}

/** Joins still waiting for a definite answer: offline (等待提交) or being confirmed. */
function PendingJoins({ pending }: { pending: PendingWrite[] }) {
  return (
    <>
      {pending.map((p) =>
        p.kind === "join" ? (
          <li key={p.payload.requestId} class="entry pending" data-state={p.state}>
            … {p.payload.name} {p.payload.building}{" "}
            <em>({t(p.state === "queued" ? "pendingLine" : "confirmingLine")})</em>
          </li>
        ) : null,
      )}
    </>
  );
}

interface MineProps {
  chain: ChainView;
  mine: OwnEntry[];
  pending: PendingWrite[];
  open: boolean;
  onEdit(e: OwnEntry): void;
  keyOf(no: number): string | undefined;
  saved: Saved | null;
  live: ReturnType<typeof useChain>;
}

function MyEntries({ chain, mine, pending, open, onEdit, keyOf, saved, live }: MineProps) {
  const savedRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (saved) savedRef.current?.scrollIntoView({ block: "center" });
  }, [saved]);
  const [confirming, setConfirming] = useState<number | null>(null);
  /** The entry just cancelled here: said where it shows (not the earlier "changed"). */
  const [cancelled, setCancelled] = useState<number | null>(null);
  const [error, setError] = useState("");
  if (!mine.length && !pending.length) return null;
  const cancel = async (no: number) => {
    const key = keyOf(no);
    const o = await live.cancel({
      requestId: requestId(),
      chainId: chain.id,
      no,
      ...(key ? { key } : {}),
    });
    setConfirming(null);
    if (o.ok) setCancelled(no);
    setError(o.ok ? "" : o.pending ? "" : errorText(o.error.code, o.error.message));
  };
  // Changes and cancels of an entry that are still being confirmed.
  const waiting = new Set(pending.flatMap((p) => (p.kind === "join" ? [] : [p.payload.no])));
  return (
    <section class="card" aria-labelledby="mine-title">
      <h2 id="mine-title">{t("mine")}</h2>
      <ul class="plain">
        <PendingJoins pending={pending} />
        {mine.map((e) => (
          <li
            key={e.no}
            data-mine={e.no}
            class={`entry ${e.status === "cancelled" ? "cancelled" : ""}`}
          >
            <div>
              <strong>{e.no}.</strong> {e.name} {e.building} {lineText(chain, e)} ·{" "}
              {yuan(e.amountFen)}
              {e.status === "cancelled"
                ? ` (${t("cancelledMark")})`
                : ` · ${t("pickupCode")} ${e.pickupCode}`}
              {e.fromWaitlist && <WaitlistMark />}
              {waiting.has(e.no) && <em> ({t("confirmingLine")})</em>}
            </div>
            {cancelled === e.no && e.status === "cancelled" && (
              <p class="notice good" role="status">
                {t("cancelledNo", { no: e.no })}
              </p>
            )}
            {saved?.no === e.no && e.status === "active" && (
              <p ref={savedRef} class="notice good" role="status">
                {saved.confirmed || !waiting.has(e.no)
                  ? t("savedNo", { no: e.no })
                  : t("savingQueued")}
                {/* A new drop point gives a new pickup code: say so, the old one is no use. */}
                {saved.codeBefore && e.pickupCode && saved.codeBefore !== e.pickupCode && (
                  <strong class="code-changed">
                    {" "}
                    {t("codeChanged", { from: saved.codeBefore, to: e.pickupCode })}
                  </strong>
                )}
              </p>
            )}
            {open && e.status === "active" && !waiting.has(e.no) && (
              <div class="row">
                <button type="button" onClick={() => onEdit(e)}>
                  {t("change")}
                </button>
                {confirming !== e.no && (
                  <button type="button" onClick={() => setConfirming(e.no)}>
                    {t("cancel")}
                  </button>
                )}
              </div>
            )}
            {confirming === e.no && e.status === "active" && (
              // biome-ignore lint/a11y/useSemanticElements: a question with its two answers
              <div class="ask" role="group" aria-label={t("confirmCancel", { no: e.no })}>
                <p>
                  <strong>{t("confirmCancel", { no: e.no })}</strong>
                </p>
                <p>{t("cancelExplain", { no: e.no, what: lineText(chain, e) })}</p>
                <div class="row">
                  <button type="button" class="danger" onClick={() => cancel(e.no)}>
                    {t("confirmCancelYes")}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t("keep")}
                  </button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function ChainList({
  chain,
  state,
  open,
  onOlder,
}: {
  chain: ChainView;
  state: ChainState;
  open: boolean;
  onOlder(): Promise<void>;
}) {
  const { entries } = state;
  const [loading, setLoading] = useState(false);
  const older = async () => {
    setLoading(true);
    await onOlder();
    setLoading(false);
  };
  return (
    <section class="card" aria-labelledby="list-title">
      <h2 id="list-title">
        {t("chain")} ({state.activeEntries})
      </h2>
      {state.from > 1 && (
        <button type="button" class="older" disabled={loading} onClick={older}>
          {t("showOlder", { n: state.from - 1 })}
        </button>
      )}
      {entries.length === 0 && state.from <= 1 ? (
        <p class="muted">{t(open ? "nobodyYet" : "nobodyClosed")}</p>
      ) : (
        <ol class="chain plain" aria-live="polite">
          {entries.map((e) => (
            <li key={e.no} class={e.status === "cancelled" ? "cancelled" : ""} data-no={e.no}>
              {e.status === "cancelled" ? (
                <del>
                  {e.no}. {e.name} {e.building} {lineText(chain, e)}
                </del>
              ) : (
                <>
                  {e.no}. {e.name} {e.building} {lineText(chain, e)}
                  {e.fromWaitlist && <WaitlistMark />}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
