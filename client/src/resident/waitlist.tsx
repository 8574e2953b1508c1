/**
 * The waitlist (候补) on the resident's page (issue 15): wait in line for a sold-out item, see
 * your place live, leave, and learn at once — or on the next visit — that the request became an
 * entry (候补转正), with its chain number and pickup code. The server does the promoting, inside
 * the script that frees the units; this page only asks and shows.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import {
  addMine,
  type ChainState,
  heldOf,
  placeInLine,
  putMyWaiter,
  waitingFor,
} from "../../../shared/chain-state.js";
import { takesWaitlist } from "../../../shared/chain-status.js";
import type { WaitlistJoin } from "../../../shared/schemas.js";
import type { ChainView, ItemView, OwnWaiter, WaitlistResult } from "../../../shared/views.js";
import { Stepper } from "../components/stepper.js";
import { qty } from "../format.js";
import { errorText, explainError, t, words } from "../i18n.js";
import { command, type LocalFailure } from "../live/socket.js";
import { type Prefs, requestId } from "../prefs.js";
import { startingDropPoint } from "./drop-point.js";
import type { LiveChain } from "./use-chain.js";

const tw = words({
  zh: {
    title: "候补",
    intro: "卖完了也能排队：有人取消或农户加货时，按排队顺序自动转成订单。",
    queue: "{n} 人在候补，共 {qty}{unit}",
    join: "排队候补",
    joinTitle: "候补 {item}",
    howMany: "要多少",
    confirm: "加入候补",
    place: "排在第 {n} 位",
    leave: "不要了",
    keep: "继续排队",
    confirmLeave: "确定不要了",
    promoted: "候补转正！接龙号 {no}，取货码 {code}",
    promotedNoCode: "候补转正！接龙号 {no}，正在取取货码…",
    mark: "候补转正",
    closed: "已截单，候补结束，没有排上",
    fillWho: "请填写姓名和楼栋门牌",
    close: "收起",
    chainNo: "接龙号",
    blocked:
      "你已经接了{held}{unit}，每人限{limit}{unit}：这个候补轮到你时也排不上。要改，请先点「不要了」，再按最多{room}{unit}排队。",
    blockedNone:
      "你已经接了{held}{unit}，到了每人限{limit}{unit}：这个候补排不上了，可以点「不要了」。",
    full: "你已经接了{held}{unit}，到了每人限{limit}{unit}，不能再排候补了。",
  },
  en: {
    title: "Waitlist",
    intro:
      "Sold out? Wait in line: when someone cancels or the grower adds more, it becomes an order, in line order.",
    queue: "{n} waiting, {qty} {unit} in all",
    join: "Join the waitlist",
    joinTitle: "Waitlist for {item}",
    howMany: "How much",
    confirm: "Join the waitlist",
    place: "You are number {n} in line",
    leave: "Leave",
    keep: "Stay in line",
    confirmLeave: "Yes, leave the line",
    promoted: "Off the waitlist! Number {no}, pickup code {code}",
    promotedNoCode: "Off the waitlist! Number {no}; getting the pickup code…",
    mark: "from waitlist",
    closed: "Cutoff passed: the waitlist is closed; this one didn't come through",
    fillWho: "Please fill in your name and building",
    close: "Close",
    chainNo: "Number",
    blocked:
      "You already have {held} {unit}, and the limit is {limit} {unit} each: this request can't be met when its turn comes. To change it, tap “Leave”, then wait for at most {room} {unit}.",
    blockedNone:
      "You already have {held} {unit}, the limit of {limit} {unit} each: this request can't be met. You can tap “Leave”.",
    full: "You already have {held} {unit}, the limit of {limit} {unit} each: no more waitlist requests for it.",
  },
});

/** 候补转正: the mark of an entry the waitlist made (the chain list, my entries). */
export function WaitlistMark() {
  return <em class="wl-mark"> · {tw("mark")}</em>;
}

interface Props {
  chain: ChainView;
  state: ChainState;
  live: LiveChain;
  prefs: Prefs;
  onPrefs(p: Partial<Prefs>): void;
  /** Asked from the order form: open the form for this item, filled in as that form is, and show it. */
  ask?: WaitAsk | null;
  onAsked?: () => void;
  /** A request joined the line (the order form stops holding that item). */
  onWaiting?: (itemId: string) => void;
}

/** A waitlist request asked for from the order form (a refusal, an item's row), as it was filled in. */
export interface WaitAsk {
  itemId: string;
  qty: number;
  dropPointId: string;
  name: string;
  building: string;
  phone: string;
}

type Reply = WaitlistResult | { error: { code: string; message: string } };

/** Answers that say nothing about whether it was applied: the same request goes again. */
const AGAIN = new Set(["timeout", "outcome_unknown", "unavailable"]);

export function Waitlist({ chain, state, live, prefs, onPrefs, ask, onAsked, onWaiting }: Props) {
  const [now, setNow] = useState(Date.now());
  const [joining, setJoining] = useState<string | null>(null);
  /** A request just joined here: its place in line is scrolled to and focused. */
  const [joined, setJoined] = useState<number | null>(null);
  useEffect(() => {
    if (joined === null) return;
    const line = document.querySelector<HTMLElement>(`[data-waiter="${joined}"]`);
    line?.scrollIntoView({ block: "center" });
    line?.focus();
  }, [joined]);
  /** What the join form starts from, when asked from the order form. */
  const [start, setStart] = useState<WaitAsk | null>(null);
  useEffect(() => {
    if (!ask) return;
    setJoining(ask.itemId);
    setStart(ask);
    onAsked?.();
    requestAnimationFrame(() => {
      // The form, or (already waiting for it) the waitlist card with the place in line.
      const title = document.getElementById(`wl-join-${ask.itemId}`);
      const to = title ?? document.querySelector<HTMLElement>("[data-testid=waitlist]");
      to?.scrollIntoView({ block: "start" });
      title?.focus();
    });
  }, [ask]);
  /** Places from acks, until the broadcast of the same change arrives. */
  const [acked, setAcked] = useState<Record<number, number>>({});
  const asked = useRef(new Set<number>());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);

  // A request of mine became an entry: fetch the entry (its pickup code) once.
  useEffect(() => {
    const missing = state.myWaits.filter(
      (w) =>
        w.status === "promoted" &&
        w.entryNo !== null &&
        !state.mine.some((e) => e.no === w.entryNo) &&
        !asked.current.has(w.id),
    );
    const socket = live.socket;
    if (!missing.length || !socket) return;
    for (const w of missing) asked.current.add(w.id);
    void command(socket, "waitlist:mine", { chainId: chain.id }).then((reply) => {
      const held = live.current();
      if (!held) return;
      if (!reply.ok) {
        for (const w of missing) asked.current.delete(w.id);
        return;
      }
      let next = held;
      for (const e of reply.data.entries) next = addMine(next, e);
      for (const w of reply.data.waiters) next = putMyWaiter(next, w);
      live.put(next);
    });
  }, [state.myWaits, state.mine, live, chain.id]);

  const open = takesWaitlist(chain, now);
  const mine = state.myWaits.filter((w) => w.status !== "left");
  const waitingFor_ = new Set(mine.filter((w) => w.status === "waiting").map((w) => w.itemId));
  // The item asked for from a refusal may not show as sold out yet (its event is on the way).
  const soldOut = chain.items.filter((i) => i.stock !== null && (i.soldOut || i.id === joining));
  if (!mine.length && !(open && soldOut.length)) return null;

  /** Send a waitlist command; without a definite answer, the same request again (same id). */
  const send = async <E extends "waitlist:join" | "waitlist:leave">(
    event: E,
    payload: E extends "waitlist:join"
      ? WaitlistJoin
      : { requestId: string; chainId: string; waiterId: number },
  ): Promise<Reply> => {
    for (let attempt = 0; ; attempt++) {
      const socket = live.socket;
      const reply = socket
        ? await command(socket, event, payload as never)
        : ({ ok: false, error: { code: "offline", message: "" } } as LocalFailure);
      if (reply.ok) {
        const r = reply.data as WaitlistResult;
        const held = live.current();
        if (held) {
          let next = putMyWaiter(held, r.waiter);
          if (r.entry) next = addMine(next, r.entry);
          live.put(next);
        }
        setAcked((a) => ({ ...a, [r.waiter.id]: r.position }));
        if (event === "waitlist:join") {
          setJoined(r.waiter.id);
          onWaiting?.(r.waiter.itemId);
        }
        return r;
      }
      if (!AGAIN.has(reply.error.code) || attempt >= 4) return { error: reply.error };
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
    }
  };

  return (
    <section class="card wl" aria-labelledby="wl-title" data-testid="waitlist">
      <h2 id="wl-title">{tw("title")}</h2>
      {mine.length > 0 && (
        <ul class="plain">
          {mine.map((w) => (
            <MyWaiter
              key={w.id}
              w={w}
              chain={chain}
              state={state}
              open={open}
              place={placeInLine(state, w) || acked[w.id] || 0}
              onLeave={() =>
                send("waitlist:leave", {
                  requestId: requestId(),
                  chainId: chain.id,
                  waiterId: w.id,
                })
              }
            />
          ))}
        </ul>
      )}
      {open && soldOut.some((i) => !waitingFor_.has(i.id)) && (
        <>
          <p class="muted small">{tw("intro")}</p>
          <ul class="plain">
            {soldOut
              .filter((i) => !waitingFor_.has(i.id))
              .map((item) =>
                joining === item.id ? (
                  <JoinForm
                    key={item.id}
                    chain={chain}
                    item={item}
                    prefs={prefs}
                    onPrefs={onPrefs}
                    start={start?.itemId === item.id ? start : null}
                    held={heldOf(state.mine, item.id)}
                    onClose={() => {
                      setJoining(null);
                      setStart(null);
                    }}
                    onSend={(p) => send("waitlist:join", p)}
                  />
                ) : (
                  <li key={item.id} class="wl-item">
                    <div>
                      <strong>{item.name}</strong> <span class="bad">{t("soldOut")}</span>
                      <QueueSize state={state} item={item} />
                    </div>
                    <button
                      type="button"
                      class="primary"
                      onClick={() => {
                        setJoining(item.id);
                        setStart(null);
                      }}
                    >
                      {tw("join")}
                    </button>
                  </li>
                ),
              )}
          </ul>
        </>
      )}
    </section>
  );
}

function QueueSize({ state, item }: { state: ChainState; item: ItemView }) {
  const q = waitingFor(state, item.id);
  if (!q.requests) return null;
  return (
    <div class="muted small">
      {tw("queue", { n: q.requests, qty: qty(q.qty), unit: item.unit })}
    </div>
  );
}

function MyWaiter(props: {
  w: OwnWaiter;
  chain: ChainView;
  state: ChainState;
  open: boolean;
  place: number;
  onLeave(): Promise<Reply>;
}) {
  const { w, chain, state, open, place, onLeave } = props;
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState("");
  const item = chain.items.find((i) => i.id === w.itemId);
  const what = `${item?.name ?? "?"} ${qty(w.qty)}${item?.unit ?? ""}`;
  // Promoted while the page is open: the news is brought on screen, as a join's success is.
  const seen = useRef(w.status);
  const promotedRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (seen.current === "waiting" && w.status === "promoted") {
      promotedRef.current?.scrollIntoView({ block: "center" });
      promotedRef.current?.focus();
    }
    seen.current = w.status;
  }, [w.status]);
  if (w.status === "promoted") {
    const entry = state.mine.find((e) => e.no === w.entryNo);
    return (
      <li class="entry wl-promoted" data-waiter={w.id} tabIndex={-1} ref={promotedRef}>
        <p class="notice good" role="status">
          {what} ·{" "}
          {entry
            ? tw("promoted", { no: entry.no, code: entry.pickupCode })
            : tw("promotedNoCode", { no: w.entryNo ?? "" })}
        </p>
        {entry && (
          <div class="wl-big">
            <p>
              <span class="muted">{tw("chainNo")}</span>
              <strong>{entry.no}</strong>
            </p>
            <p>
              <span class="muted">{t("pickupCode")}</span>
              <strong>{entry.pickupCode}</strong>
            </p>
          </div>
        )}
      </li>
    );
  }
  const leave = async () => {
    const r = await onLeave();
    setConfirming(false);
    setError("error" in r ? errorText(r.error.code, r.error.message) : "");
  };
  // The phone's own entries may already hold the item up to the per-person limit: the request
  // keeps its place (docs §7.13) but cannot be met, so say so.
  const held = heldOf(state.mine, w.itemId);
  const limit = item?.limit ?? null;
  const blocked = open && limit !== null && held > 0 && held + w.qty > limit;
  const room = limit === null ? 0 : Math.max(0, Math.round((limit - held) * 1000) / 1000);
  const unit = item?.unit ?? "";
  return (
    <li class="entry wl-mine" data-waiter={w.id} tabIndex={-1}>
      <div>
        <strong>{what}</strong> ·{" "}
        {open ? (
          <strong class="wl-place">{place ? tw("place", { n: place }) : "…"}</strong>
        ) : (
          <span class="muted">{tw("closed")}</span>
        )}
      </div>
      {blocked && (
        <p class="notice bad" role="status">
          {room > 0
            ? tw("blocked", { held: qty(held), limit: qty(limit ?? 0), room: qty(room), unit })
            : tw("blockedNone", { held: qty(held), limit: qty(limit ?? 0), unit })}
        </p>
      )}
      {open && (
        <div class="row">
          {confirming ? (
            <>
              <button type="button" class="danger" onClick={leave}>
                {tw("confirmLeave")}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {tw("keep")}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              {tw("leave")}
            </button>
          )}
        </div>
      )}
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function JoinForm(props: {
  chain: ChainView;
  item: ItemView;
  prefs: Prefs;
  onPrefs(p: Partial<Prefs>): void;
  start?: WaitAsk | null;
  /** What this phone's active entries hold of the item already (the limit counts it). */
  held?: number;
  onClose(): void;
  onSend(p: WaitlistJoin): Promise<Reply>;
}) {
  const { chain, item, prefs, onPrefs, onClose, onSend } = props;
  const remembered = prefs.dropPoint[chain.communityId];
  const { start } = props;
  const held = props.held ?? 0;
  /** The most a request can ask for and still be met: the limit less what is held already. */
  const most = Math.min(item.limit === null ? 9999 : item.limit - held, 9999);
  const [amount, setAmount] = useState(Math.min(start?.qty || item.step, Math.max(most, 0)));
  const [dropPointId, setDropPoint] = useState(
    start?.dropPointId || startingDropPoint(chain.dropPoints, remembered),
  );
  const [name, setName] = useState(start?.name || prefs.name);
  const [building, setBuilding] = useState(start?.building || prefs.building);
  const [phone, setPhone] = useState(start?.phone || prefs.phone);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const payload: WaitlistJoin = {
      requestId: requestId(),
      chainId: chain.id,
      itemId: item.id,
      qty: amount,
      dropPointId,
      name,
      building,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
    };
    // The shared schema (zod) loads apart from the page, as for a join (chain-page.tsx); without
    // it (offline) the server's own check still words any problem.
    const schemas = await import("../../../shared/schemas.js").catch(() => null);
    const parsed = schemas
      ? schemas.WaitlistJoin.safeParse(payload)
      : { success: true as const, data: payload };
    if (!dropPointId) return setMessage({ text: t("choosePoint"), bad: true });
    if (!parsed.success || amount <= 0) return setMessage({ text: tw("fillWho"), bad: true });
    setBusy(true);
    onPrefs({
      name,
      building,
      phone,
      dropPoint: { ...prefs.dropPoint, [chain.communityId]: dropPointId },
    });
    const r = await onSend(parsed.data);
    setBusy(false);
    if ("error" in r) setMessage({ text: explainError(r.error, chain.items), bad: true });
    else onClose();
  };

  return (
    <li class="wl-item">
      <form onSubmit={submit} aria-labelledby={`wl-join-${item.id}`} class="wl-form">
        <h3 id={`wl-join-${item.id}`} tabIndex={-1}>
          {tw("joinTitle", { item: item.name })}
        </h3>
        <div class="row">
          <span>
            {tw("howMany")} ({item.unit})
          </span>
          <Stepper
            label={item.name}
            value={amount}
            step={item.step}
            max={Math.max(most, 0)}
            onChange={setAmount}
          />
        </div>
        {most <= 0 && item.limit !== null && (
          <p class="notice bad" role="status">
            {tw("full", { held: qty(held), limit: qty(item.limit), unit: item.unit })}
          </p>
        )}
        <fieldset>
          <legend>{t("pickPoint")}</legend>
          {chain.dropPoints
            .filter((dp) => dp.active)
            .map((dp) => (
              <label key={dp.id} class="choice">
                <input
                  type="radio"
                  name={`wl-dp-${item.id}`}
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
        <label for={`wl-name-${item.id}`}>{t("name")}</label>
        <input
          id={`wl-name-${item.id}`}
          value={name}
          autocomplete="name"
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <label for={`wl-building-${item.id}`}>{t("building")}</label>
        <input
          id={`wl-building-${item.id}`}
          value={building}
          onInput={(e) => setBuilding(e.currentTarget.value)}
        />
        <label for={`wl-phone-${item.id}`}>
          {t(chain.requirePhone4 ? "phoneRequired" : "phone")}
        </label>
        <input
          id={`wl-phone-${item.id}`}
          type="tel"
          inputMode="numeric"
          required={chain.requirePhone4}
          value={phone}
          autocomplete="tel"
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
        <div class="row">
          <button class="primary" type="submit" disabled={busy || most <= 0}>
            {busy ? t("sending") : tw("confirm")}
          </button>
          <button type="button" onClick={onClose}>
            {tw("close")}
          </button>
        </div>
        {message && (
          <p class={`notice ${message.bad ? "bad" : "good"}`} role="alert">
            {message.text}
          </p>
        )}
      </form>
    </li>
  );
}
