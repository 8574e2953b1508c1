/**
 * The grower's sheets for one chain: the load sheet (装车单: per drop point, the bags and the
 * items to load) and the harvest list (采摘单: totals per item for the whole chain).
 */
import type { ChainView, HarvestList, ItemTotal, LoadList } from "../../../shared/views.js";
import { qty } from "../format.js";
import { currentLang } from "../i18n.js";
import { dateLine, money, stamp } from "./text.js";
import { tp } from "./words.js";

function ChainHead({ chain, title, at }: { chain: ChainView; title: string; at: number }) {
  return (
    <header class="chain-head">
      <div class="head-line">
        <h1 class="head-title">
          {title} · {chain.title}
        </h1>
        <span class="head-community">{tp("growerLine", { name: chain.grower.name })}</span>
      </div>
      <p class="head-sub">
        <span>
          {tp("deliveryOn", {
            day: dateLine(chain.deliveryDate, currentLang()),
          })}
        </span>
        <span>{tp("printedAt", { time: stamp(at, chain.timezone) })}</span>
      </p>
    </header>
  );
}

const box = "☐";

function ItemsTable({
  items,
  withPrice,
  tick = true,
}: {
  items: ItemTotal[];
  withPrice: boolean;
  tick?: boolean;
}) {
  return (
    <table class="grower-table">
      <thead>
        <tr>
          <th scope="col">{tp("colItem")}</th>
          <th scope="col" class="num">
            {tp("colQty")}
          </th>
          {withPrice && (
            <th scope="col" class="num">
              {tp("colAmount")}
            </th>
          )}
          {tick && (
            <th scope="col" class="tick">
              {withPrice ? tp("picked") : tp("loaded")}
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.itemId} class="item-row" data-item={i.itemId}>
            <th scope="row">{i.name}</th>
            <td class="num">
              {qty(i.qty)}
              {i.unit}
            </td>
            {withPrice && <td class="num">{money(i.amountFen)}</td>}
            {tick && <td class="tick">{box}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LoadSheet({ chain, load, at }: { chain: ChainView; load: LoadList; at: number }) {
  const bags = load.dropPoints.reduce((n, d) => n + d.bags, 0);
  const totals = new Map<string, ItemTotal>();
  for (const d of load.dropPoints)
    for (const i of d.items) {
      const t = totals.get(i.itemId) ?? { ...i, qty: 0, amountFen: 0 };
      t.qty = Math.round((t.qty + i.qty) * 1000) / 1000;
      t.amountFen += i.amountFen;
      totals.set(i.itemId, t);
    }
  const served = load.dropPoints.filter((d) => d.bags > 0);
  return (
    <section class="sheet grower-sheet load-sheet">
      <ChainHead chain={chain} title={tp("loadTitle")} at={at} />
      {served.map((d) => (
        <section class="load-point" key={d.dropPoint.id} data-drop-point={d.dropPoint.id}>
          <h2 class="point-head">
            <span>{d.dropPoint.name}</span>
            <span>
              {tp("window", { start: d.dropPoint.window.start, end: d.dropPoint.window.end })}
            </span>
            <strong class="bags">{tp("bags", { bags: d.bags })}</strong>
            <span class="check">
              {box}
              {tp("loaded")}
            </span>
          </h2>
          <ItemsTable items={d.items.filter((i) => i.qty > 0)} withPrice={false} />
        </section>
      ))}
      {served.length === 0 && <p>{tp("nothingHere")}</p>}
      <section class="load-point load-total">
        <h2 class="point-head">
          <span>{tp("loadTotal")}</span>
          <strong class="bags">{tp("bags", { bags })}</strong>
        </h2>
        <ItemsTable
          items={[...totals.values()].filter((i) => i.qty > 0)}
          withPrice={false}
          tick={false}
        />
      </section>
    </section>
  );
}

export function HarvestSheet({
  chain,
  harvest,
  at,
}: {
  chain: ChainView;
  harvest: HarvestList;
  at: number;
}) {
  return (
    <section class="sheet grower-sheet harvest-sheet">
      <ChainHead chain={chain} title={tp("harvestTitle")} at={at} />
      <ItemsTable items={harvest.items} withPrice={true} />
      <p class="grower-total">
        <span>{tp("entriesAmount", { entries: harvest.totals.entries })}</span>
        <strong>{money(harvest.totals.amountFen)}</strong>
      </p>
      {harvest.unmet.length > 0 && (
        <p class="grower-unmet">
          {tp("unmet", {
            list: harvest.unmet.map((u) => `${u.name} ${u.qty}${u.unit}`).join(" · "),
          })}
        </p>
      )}
    </section>
  );
}
