/** The chains of a delivery day (it opens on the next day that has chains), the day overview, and a live pickup list per drop point. */

import { useRef, useState } from "preact/hooks";
import { chainPhase, staffCanWrite } from "../../../shared/chain-status.js";
import type {
  ChainView,
  CommunityView,
  DayOverview,
  DropPointView,
  HarvestList,
  PickupEntry,
  PickupList,
} from "../../../shared/views.js";
import { copyText } from "../clipboard.js";
import { dayLabel, qty, timeIn, yuan } from "../format.js";
import { get } from "../http/api.js";
import { currentLang, errorText, t } from "../i18n.js";
import { usePickupWatch } from "../live/pickup-watch.js";
import type { AppSocket } from "../live/socket.js";
import { DeliveryCard } from "./delivery-card.js";
import { applyPickupChange, itemNames } from "./pickup.js";
import { addDays, dateInZone, failText, getText, useDebounced, useLoad } from "./util.js";
import { tw } from "./words.js";

interface Props {
  community: CommunityView;
  socket: AppSocket | null;
}

/**
 * The day the page opens on: the next delivery day (today or later) with a chain still in play
 * (not cancelled or delivered); else the next with any chain; else tomorrow.
 */
export function nextChainDay(chains: readonly ChainView[], today: string): string | null {
  const ahead = chains.filter((c) => c.deliveryDate >= today);
  const first = (list: readonly ChainView[]) => list.map((c) => c.deliveryDate).sort()[0] ?? null;
  return (
    first(ahead.filter((c) => c.status !== "cancelled" && c.status !== "delivered")) ?? first(ahead)
  );
}

export function DayTab({ community, socket }: Props) {
  const today = dateInZone(community.timezone);
  const tomorrow = addDays(today, 1);
  const base = `/communities/${community.id}`;
  // Every chain (latest 200): which day has chains. Loaded once, when the tab opens.
  const all = useLoad(`chains:${community.id}`, () => get<ChainView[]>(`${base}/chains`));
  const [picked, setPicked] = useState<string | null>(null);
  const next = all.data ? nextChainDay(all.data, today) : null;
  const auto = all.data || all.error ? (next ?? tomorrow) : null;
  const date = picked ?? auto;
  if (date === null) return <p class="muted card">{t("loading")}</p>;
  // Today, tomorrow, and the next day with chains when it is neither.
  const days = [tomorrow, today, ...(next && next !== today && next !== tomorrow ? [next] : [])];
  if (!days.includes(date)) days.push(date);
  return (
    <DayView
      key={date}
      community={community}
      socket={socket}
      date={date}
      days={days}
      today={today}
      onPick={setPicked}
    />
  );
}

interface ViewProps extends Props {
  date: string;
  days: string[];
  today: string;
  onPick(date: string): void;
}

function DayView({ community, socket, date, days, today, onPick }: ViewProps) {
  const lang = currentLang();
  const base = `/communities/${community.id}`;
  const chains = useLoad(`chains:${date}`, () => get<ChainView[]>(`${base}/chains?date=${date}`));
  const overview = useLoad(`day:${date}`, () => get<DayOverview>(`${base}/days/${date}`));
  const usable = community.dropPoints.filter((d) => d.active);
  const [dropPointId, setDropPointId] = useState(usable[0]?.id ?? "");
  const dropPoint = community.dropPoints.find((d) => d.id === dropPointId);
  // A change on the watched list also moves the chains' sold figures and the overview.
  const refreshDay = useDebounced(() => {
    chains.reload();
    overview.reload();
  }, 400);

  const pickPoint = (id: string) => {
    setDropPointId(id);
    requestAnimationFrame(() =>
      document.getElementById("pickup-title")?.scrollIntoView({ block: "start" }),
    );
  };

  return (
    <>
      <fieldset class="card day-pick no-print">
        <legend>{tw("dayPick")}</legend>
        <div class="row">
          {days.map((d) => (
            <button
              key={d}
              type="button"
              class="toggle"
              aria-pressed={date === d}
              onClick={() => onPick(d)}
            >
              <strong>
                {d === today ? tw("today") : d === addDays(today, 1) ? tw("tomorrow") : tw("later")}
              </strong>
              <span class="small">{dayLabel(d, lang)}</span>
            </button>
          ))}
        </div>
      </fieldset>

      <section class="card no-print" aria-labelledby="chains-title">
        <h2 id="chains-title">{tw("chainsOf", { day: dayLabel(date, lang) })}</h2>
        {chains.error && <p class="notice bad">{chains.error}</p>}
        {chains.data && chains.data.length === 0 && <p class="muted">{tw("noChains")}</p>}
        <ul class="plain">
          {chains.data?.map((c) => (
            <ChainRow key={c.id} chain={c} />
          ))}
        </ul>
      </section>

      <section class="card no-print" aria-labelledby="overview-title">
        <h2 id="overview-title">{tw("overview")}</h2>
        {overview.error && <p class="notice bad">{overview.error}</p>}
        {overview.data && <Overview day={overview.data} onPick={pickPoint} />}
      </section>

      <DeliveryCard community={community} date={date} dropPointId={dropPointId} />

      <section class="card pickup" aria-labelledby="pickup-title">
        {community.dropPoints.length === 0 ? (
          <>
            <h2 id="pickup-title">{tw("pickupList")}</h2>
            <p class="muted">{tw("noPoints")}</p>
          </>
        ) : (
          <>
            <div class="no-print">
              <label for="pickup-point">{tw("choosePoint")}</label>
              <select
                id="pickup-point"
                value={dropPointId}
                onChange={(e) => setDropPointId(e.currentTarget.value)}
              >
                {!dropPoint && <option value="">—</option>}
                {community.dropPoints.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                    {d.active ? "" : tw("inactiveMark")}
                  </option>
                ))}
              </select>
            </div>
            {dropPoint && socket ? (
              <PickupPanel
                key={`${date}/${dropPoint.id}`}
                communityId={community.id}
                date={date}
                dropPoint={dropPoint}
                socket={socket}
                chains={chains.data ?? []}
                onChanged={refreshDay}
              />
            ) : (
              <h2 id="pickup-title">{tw("pickupList")}</h2>
            )}
          </>
        )}
      </section>
    </>
  );
}

function statusText(c: ChainView, now: number): { text: string; open: boolean } {
  const phase = chainPhase(c, now);
  const text = {
    cancelled: () => tw("statusCancelled"),
    delivered: () => tw("statusDelivered"),
    open: () => tw("statusOpen", { time: timeIn(c.cutoffAt, c.timezone) }),
    sold_out: () => tw("statusSoldOut"),
    closed_by_grower: () => tw("statusGrowerClosed"),
    past_cutoff: () => tw("statusClosed"),
  }[phase]();
  return { text, open: phase === "open" };
}

function ChainRow({ chain }: { chain: ChainView }) {
  const status = statusText(chain, Date.now());
  const sold = chain.items
    .filter((i) => i.sold > 0)
    .map((i) => `${i.name} ${qty(i.sold)}${i.unit}`)
    .join("，");
  return (
    <li class="chain-row" data-chain={chain.id}>
      <a class="tap" id={`chain-title-${chain.id}`} href={`/c/${chain.id}`}>
        {chain.title}
      </a>
      <p class="muted small">
        {tw("chainBy", {
          grower: `${chain.grower.name}${chain.grower.village ? ` · ${chain.grower.village}` : ""}`,
        })}
        {chain.grower.removed && <span class="tag off">{tw("removedTag")}</span>}
      </p>
      <p class={`status ${status.open ? "ok" : "bad"}`}>{status.text}</p>
      <p class="small">{sold ? tw("soldLine", { items: sold }) : tw("nothingSold")}</p>
      {chain.items.some((i) => i.soldOut) && <WaitlistLine chain={chain} />}
      <CopyAsText chain={chain} />
    </li>
  );
}

/** What a sold-out chain's waitlist still wants (the harvest list's `unmet`), per item. */
function WaitlistLine({ chain }: { chain: ChainView }) {
  const harvest = useLoad(`waitlist:${chain.id}:${chain.version}`, () =>
    get<HarvestList>(`/chains/${chain.id}/harvest`),
  );
  const unmet = harvest.data?.unmet ?? [];
  if (!unmet.length) return null;
  const items = unmet
    .map((u) => tw("waitlistItem", { name: u.name, qty: qty(u.qty), unit: u.unit, n: u.requests }))
    .join("，");
  const ended = Date.now() >= chain.cutoffAt;
  return (
    <p class="small" data-testid="chain-waitlist">
      {tw(ended ? "waitlistEndedLine" : "waitlistLine", { items })}
    </p>
  );
}

/** The chain as WeChat 接龙 text (the server writes it), for the group's non-clickers. */
function CopyAsText({ chain }: { chain: ChainView }) {
  const [said, setSaid] = useState<{ text: string; bad: boolean } | null>(null);
  const [manual, setManual] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const copy = async () => {
    setBusy(true);
    const r = await getText(`/chains/${chain.id}/text`);
    if (!r.ok) {
      setBusy(false);
      return setSaid({ text: failText(r), bad: true });
    }
    const ok = await copyText(r.data);
    setBusy(false);
    setManual(ok ? null : r.data);
    setSaid(
      ok ? { text: tw("textCopied"), bad: false } : { text: tw("copyTextFailed"), bad: true },
    );
  };
  const importable = staffCanWrite(chain);
  return (
    <>
      <div class="row chain-actions">
        <button
          type="button"
          aria-describedby={`chain-title-${chain.id}`}
          disabled={busy}
          onClick={copy}
        >
          {tw("copyText")}
        </button>
        {importable && (
          <a
            class="tap button-link"
            href={`#import/${chain.id}`}
            aria-describedby={`chain-title-${chain.id}`}
          >
            {tw("importChain")}
          </a>
        )}
      </div>
      {said && (
        <p class={`notice ${said.bad ? "bad" : "good"}`} role="status">
          {said.text}
        </p>
      )}
      {manual !== null && (
        <>
          <label for={`text-${chain.id}`}>{tw("chainText")}</label>
          <textarea
            id={`text-${chain.id}`}
            readOnly
            rows={8}
            value={manual}
            onFocus={(e) => e.currentTarget.select()}
          />
        </>
      )}
    </>
  );
}

function Overview({ day, onPick }: { day: DayOverview; onPick(id: string): void }) {
  return (
    <table class="overview">
      <thead>
        <tr>
          <th scope="col">{tw("overviewPoint")}</th>
          <th scope="col" class="num">
            {tw("overviewEntries")}
          </th>
          <th scope="col" class="num">
            {tw("overviewAmount")}
          </th>
        </tr>
      </thead>
      <tbody>
        {day.dropPoints.map((row) => (
          <tr key={row.dropPoint.id}>
            <td>
              <button
                type="button"
                class="link"
                onClick={() => onPick(row.dropPoint.id)}
                aria-label={`${tw("showList")}: ${row.dropPoint.name}`}
              >
                {row.dropPoint.name}
                {row.dropPoint.active ? "" : tw("inactiveMark")}
              </button>
            </td>
            <td class="num">{row.entries}</td>
            <td class="num">{yuan(row.amountFen)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{tw("overviewTotal")}</th>
          <td class="num">{day.totals.entries}</td>
          <td class="num">{yuan(day.totals.amountFen)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

interface PanelProps {
  communityId: string;
  date: string;
  dropPoint: DropPointView;
  socket: AppSocket;
  chains: ChainView[];
  onChanged(): void;
}

/** Watch one pickup list: the ack brings the list, then `pickup:changed` keeps it current. */
function PickupPanel({ communityId, date, dropPoint, socket, chains, onChanged }: PanelProps) {
  const lang = currentLang();
  const [list, setList] = useState<PickupList | null>(null);
  const [error, setError] = useState("");
  const chainsRef = useRef(chains);
  chainsRef.current = chains;
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;
  const path = `/communities/${communityId}/days/${date}/drop-points/${dropPoint.id}`;
  // The server's figures win: re-read the whole list once the changes settle. A read that a
  // change overtook (sent before it, answered after it) is dropped: it would hide that change,
  // and the change has already asked for a read of its own.
  const changes = useRef(0);
  const reread = useDebounced(() => {
    const sent = changes.current;
    void get<PickupList>(path).then((r) => {
      if (r.ok && changes.current === sent) setList(r.data);
    });
  }, 300);

  usePickupWatch(socket, date, dropPoint.id, {
    onList(l) {
      setList(l);
      setError("");
    },
    onChange(c) {
      changes.current++;
      setList((l) => (l ? applyPickupChange(l, c, chainsRef.current) : l));
      reread();
      onChangedRef.current();
    },
    onFail: (reply) => setError(errorText(reply.error.code, reply.error.message)),
  });

  const names = list ? itemNames(list, chains) : new Map<string, { name: string; unit: string }>();
  const lineText = (e: PickupEntry) =>
    e.lines
      .map((l) => {
        const item = names.get(`${e.chainId}:${l.itemId}`);
        return `${item?.name ?? l.itemId}${qty(l.qty)}${item?.unit ?? ""}`;
      })
      .join(" ");
  const manyChains = new Set(list?.items.map((i) => i.chainId)).size > 1;
  const chainTitle = (id: string) => chains.find((c) => c.id === id)?.title ?? "";

  return (
    <div class="pickup-list" data-drop-point={dropPoint.id}>
      <div class="pickup-head">
        <h2 id="pickup-title">{tw("pickupOf", { point: dropPoint.name })}</h2>
        <p>
          {tw("pickupFor", {
            day: dayLabel(date, lang),
            start: dropPoint.window.start,
            end: dropPoint.window.end,
          })}
        </p>
        {dropPoint.description && <p class="muted small pre">{dropPoint.description}</p>}
      </div>
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
      {list && (
        <>
          <div class="row no-print">
            <span class="live-dot">{tw("live")}</span>
            <button type="button" class="print" onClick={() => window.print()}>
              {tw("print")}
            </button>
            <a class="link-button" href={`/print?view=pickup&date=${date}&dp=${dropPoint.id}`}>
              {tw("printThisPoint")}
            </a>
          </div>
          <p class="totals-line">
            {tw("residentsCount", {
              residents: list.totals.residents,
              entries: list.totals.entries,
              amount: yuan(list.totals.amountFen),
            })}
          </p>
          {list.residents.length === 0 ? (
            <p class="muted">{tw("nobodyHere")}</p>
          ) : (
            <ol class="plain residents" aria-live="polite">
              {list.residents.map((r) => (
                <li key={`${r.building}\u0000${r.name}`} class="resident">
                  <div class="resident-head">
                    <strong class="building">{r.building}</strong>
                    <strong>{r.name}</strong>
                    {r.phone && (
                      <a class="tap phone" href={`tel:${r.phone}`}>
                        {r.phone}
                      </a>
                    )}
                    <span class="amount">{yuan(r.amountFen)}</span>
                  </div>
                  <ul class="plain">
                    {r.entries.map((e) => (
                      <li key={`${e.chainId}/${e.no}`} class="pickup-entry" data-no={e.no}>
                        <span class="entry-no">#{e.no}</span> {lineText(e)}{" "}
                        <span class="muted small">
                          · {e.chainTitle}
                          {e.growerName ? `（${e.growerName}）` : ""} · {yuan(e.amountFen)} ·{" "}
                          {tw("code", { code: e.pickupCode })}
                        </span>
                        {e.addedBy && (
                          <span class="tag staff">{tw("addedBy", { name: e.addedBy.name })}</span>
                        )}
                        {!e.addedBy && e.changedBy && (
                          <span class="tag staff">
                            {tw("changedBy", { name: e.changedBy.name })}
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
          {list.items.length > 0 && (
            <table class="item-totals">
              <caption>{tw("itemTotals")}</caption>
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
              <tbody>
                {list.items.map((i) => (
                  <tr key={`${i.chainId}:${i.itemId}`}>
                    <td>
                      {i.name}
                      {manyChains && chainTitle(i.chainId) && (
                        <span class="muted small"> · {chainTitle(i.chainId)}</span>
                      )}
                    </td>
                    <td class="num">
                      {qty(i.qty)}
                      {i.unit}
                    </td>
                    <td class="num">{yuan(i.amountFen)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{tw("grandTotal")}</th>
                  <td />
                  <td class="num grand-total">{yuan(list.totals.amountFen)}</td>
                </tr>
              </tfoot>
            </table>
          )}
        </>
      )}
    </div>
  );
}
