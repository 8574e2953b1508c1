/** Delivery day from the coordinator's phone: sheets, labels, check-off, exports, the day's record. */
import type { CommunityView, DaySummary } from "../../../shared/views.js";
import { LinkGrid } from "../components/link-grid.js";
import { yuan } from "../format.js";
import { get } from "../http/api.js";
import { useLoad } from "./util.js";
import { tw } from "./words.js";

interface Props {
  community: CommunityView;
  date: string;
  dropPointId: string;
}

export function DeliveryCard({ community, date, dropPointId }: Props) {
  const summary = useLoad(`summary:${date}`, () =>
    get<DaySummary>(`/communities/${community.id}/days/${date}/summary`),
  );
  const api = `/api/communities/${community.id}/days/${date}`;
  const links = [
    [`/print?view=pickup&date=${date}&dp=all`, tw("printAll")],
    [`/print?view=labels&date=${date}&dp=all&layout=thermal`, tw("printLabelsThermal")],
    [`/print?view=labels&date=${date}&dp=all&layout=a4`, tw("printLabelsA4")],
    [`/checkoff?date=${date}${dropPointId ? `&dp=${dropPointId}` : ""}`, tw("checkoffHere")],
    [`${api}/export.xlsx`, tw("exportXlsx")],
    [`${api}/export.csv`, tw("exportCsv")],
  ] as const;
  return (
    <section class="card no-print" aria-labelledby="delivery-title">
      <h2 id="delivery-title">{tw("deliveryDay")}</h2>
      <LinkGrid links={links} />
      {summary.data && (
        <>
          <h3>{tw("summary")}</h3>
          <SummaryTable
            head={tw("summaryPoint")}
            rows={summary.data.dropPoints.map((d) => ({
              key: d.dropPoint.id,
              name: d.dropPoint.name,
              ...d,
            }))}
          />
          <SummaryTable
            head={tw("summaryGrower")}
            rows={summary.data.growers.map((g) => ({ key: g.growerId, name: g.growerName, ...g }))}
          />
        </>
      )}
    </section>
  );
}

interface Row {
  key: string;
  name: string;
  entries: number;
  collected: number;
  waiting: number;
  noShow: number;
  paidFen: number;
  unpaidFen: number;
}

function SummaryTable({ head, rows }: { head: string; rows: Row[] }) {
  return (
    <div class="table-scroll">
      <table class="summary">
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{tw("summaryEntries")}</th>
            <th scope="col">{tw("summaryCollected")}</th>
            <th scope="col">{tw("summaryWaiting")}</th>
            <th scope="col">{tw("summaryNoShow")}</th>
            <th scope="col">{tw("summaryPaid")}</th>
            <th scope="col">{tw("summaryUnpaid")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td>{r.entries}</td>
              <td>{r.collected}</td>
              <td>{r.waiting}</td>
              <td>{r.noShow}</td>
              <td>{yuan(r.paidFen)}</td>
              <td>{yuan(r.unpaidFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
