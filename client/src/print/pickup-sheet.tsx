/**
 * The pickup sheet (取货单) of one drop point for one date: a header repeated on every page (the
 * table's thead), one row per resident in the API's order (building, then chain number), and a
 * footer with per-item totals and the grand total.
 */
import type { CommunityView, PickupList, PickupResident } from "../../../shared/views.js";
import { qty } from "../format.js";
import { currentLang } from "../i18n.js";
import {
  actualTotal,
  allChecked,
  chainsOf,
  dateLine,
  entryItems,
  entryNo,
  type ItemNames,
  itemNames,
  money,
  shortStamp,
  stamp,
} from "./text.js";
import { tp } from "./words.js";

export interface SheetProps {
  community: CommunityView;
  list: PickupList;
  letters: Map<string, string>;
  at: number;
}

export function PickupSheet({ community, list, letters, at }: SheetProps) {
  const names = itemNames(list.items);
  const tz = community.timezone;
  const dp = list.dropPoint;
  const chains = chainsOf(list);
  return (
    <section class="sheet pickup-sheet" data-drop-point={dp.id} aria-label={dp.name}>
      <table class="pickup-table">
        <colgroup>
          <col class="c-no" />
          <col class="c-name" />
          <col class="c-building" />
          <col class="c-items" />
          <col class="c-amount" />
          <col class="c-checks" />
        </colgroup>
        <thead>
          <tr class="sheet-head">
            <th colSpan={6} scope="colgroup">
              <div class="head-line">
                <h1 class="head-title">
                  {tp("pickupTitle")} · {dp.name}
                </h1>
                <span class="head-community">{community.name}</span>
              </div>
              <p class="head-sub">
                <span>{tp("deliveryOn", { day: dateLine(list.date, currentLang()) })}</span>
                <span>{tp("window", { start: dp.window.start, end: dp.window.end })}</span>
                <span>{tp("printedAt", { time: stamp(at, tz) })}</span>
              </p>
              <p class="head-chains">
                {chains.map((c) => (
                  <span key={c.chainId}>
                    {letters.get(c.chainId) ? <b>{letters.get(c.chainId)} </b> : null}
                    {tp("chainBy", { title: c.title, grower: c.grower })}
                  </span>
                ))}
              </p>
            </th>
          </tr>
          <tr class="col-head">
            <th scope="col">{tp("colNo")}</th>
            <th scope="col">{tp("colName")}</th>
            <th scope="col">{tp("colBuilding")}</th>
            <th scope="col">{tp("colItems")}</th>
            <th scope="col" class="num">
              {tp("colAmount")}
            </th>
            <th scope="col">{tp("colChecks")}</th>
          </tr>
        </thead>
        <tbody>
          {list.residents.length === 0 ? (
            <tr class="resident-row empty">
              <td colSpan={6}>{tp("nobodyHere")}</td>
            </tr>
          ) : (
            list.residents.map((r) => (
              <ResidentRow
                key={`${r.building}\u0000${r.name}`}
                r={r}
                names={names}
                letters={letters}
                tz={tz}
              />
            ))
          )}
        </tbody>
      </table>
      <SheetFoot list={list} names={names} letters={letters} />
    </section>
  );
}

function ResidentRow({
  r,
  names,
  letters,
  tz,
}: {
  r: PickupResident;
  names: ItemNames;
  letters: Map<string, string>;
  tz: string;
}) {
  const box = (on: boolean) => (on ? "☑" : "☐");
  return (
    <tr class="resident-row" data-resident={r.name}>
      <td class="c-no">
        {r.entries.map((e) => (
          <div key={`${e.chainId}:${e.no}`}>{entryNo(e, letters)}</div>
        ))}
      </td>
      <td class="c-name">
        <strong>{r.name}</strong>
      </td>
      <td class="c-building">{r.building}</td>
      <td class="c-items">
        {r.entries.map((e) => {
          const by = e.changedBy ?? e.addedBy;
          return (
            <div key={`${e.chainId}:${e.no}`}>
              {letters.get(e.chainId) ? <b class="chain-mark">{letters.get(e.chainId)} </b> : null}
              {entryItems(e, names)}
              {e.late && (
                <span class="tag late">
                  {by ? tp("lateBy", { name: by.name, time: shortStamp(by.at, tz) }) : tp("late")}
                </span>
              )}
              {e.checks.noShow && <span class="tag">{tp("noShow")}</span>}
            </div>
          );
        })}
      </td>
      <td class="c-amount num">{money(r.amountFen)}</td>
      <td class="c-checks">
        <span class="check">
          {box(allChecked(r, "collected"))}
          {tp("collected")}
        </span>{" "}
        <span class="check">
          {box(allChecked(r, "paid"))}
          {tp("paid")}
        </span>
      </td>
    </tr>
  );
}

function SheetFoot({
  list,
  names,
  letters,
}: {
  list: PickupList;
  names: ItemNames;
  letters: Map<string, string>;
}) {
  if (list.residents.length === 0) return null;
  return (
    <div class="sheet-foot">
      <h2 class="foot-title">{tp("totalsTitle")}</h2>
      <table class="foot-table">
        <colgroup>
          <col class="f-name" />
          <col class="f-qty" />
          <col class="f-amount" />
        </colgroup>
        <tbody>
          {list.items.map((i) => {
            const unit = names.get(`${i.chainId}:${i.itemId}`)?.unit ?? i.unit;
            const actual = actualTotal(list, i);
            return (
              <tr class="foot-row" key={`${i.chainId}:${i.itemId}`}>
                <th scope="row">
                  {letters.get(i.chainId) ? <b>{letters.get(i.chainId)} </b> : null}
                  {i.name}
                </th>
                <td>
                  {qty(i.qty)}
                  {unit}
                  {actual !== null && (
                    <span class="muted">
                      {" "}
                      ({tp("actualTotal", { qty: `${qty(actual)}${unit}` })})
                    </span>
                  )}
                </td>
                <td class="num">{money(i.amountFen)}</td>
              </tr>
            );
          })}
          <tr class="foot-total">
            <th scope="row" colSpan={2}>
              {tp("grandTotal", {
                residents: list.totals.residents,
                entries: list.totals.entries,
              })}
            </th>
            <td class="num">{money(list.totals.amountFen)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
