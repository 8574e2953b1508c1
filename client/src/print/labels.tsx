/**
 * Bag labels, one per resident per drop point: name, building, drop point, items, pickup code
 * and a QR code of the code. Thermal: one 60×40 mm label per page. A4: sheets of 3×8 stickers.
 */
import type { PickupList, PickupResident } from "../../../shared/views.js";
import { QrCode } from "../components/qr-code.js";
import { stickersPerSheet } from "./layout.js";
import { entryItems, itemNames } from "./text.js";
import { tp } from "./words.js";

export type LabelLayout = "thermal" | "a4";

interface Label {
  key: string;
  resident: PickupResident;
  dropPoint: string;
  items: string;
  codes: string[];
  nos: string;
}

export function labelsOf(lists: PickupList[], letters: Map<string, string>): Label[] {
  return lists.flatMap((list) => {
    const names = itemNames(list.items);
    return list.residents.map((r) => ({
      key: `${list.dropPoint.id}\u0000${r.building}\u0000${r.name}`,
      resident: r,
      dropPoint: list.dropPoint.name,
      items: r.entries.map((e) => entryItems(e, names)).join("；"),
      codes: r.entries.map((e) => e.pickupCode),
      nos: r.entries.map((e) => `${letters.get(e.chainId) ?? ""}${e.no}`).join(" "),
    }));
  });
}

function LabelBody({ label }: { label: Label }) {
  const code = label.codes[0] ?? "";
  return (
    <>
      <div class="label-text">
        <p class="label-who">
          <strong class="label-name">{label.resident.name}</strong>{" "}
          <span class="label-building">{label.resident.building}</span>
        </p>
        <p class="label-point">{label.dropPoint}</p>
        <p class="label-items">{label.items}</p>
      </div>
      <div class="label-code">
        <QrCode text={code} label={tp("qrOf", { code })} size={88} />
        <p class="label-pickup">
          <span class="label-no">#{label.nos}</span> <strong>{label.codes.join(" ")}</strong>
        </p>
      </div>
    </>
  );
}

export function Labels({
  lists,
  letters,
  layout,
  skip,
}: {
  lists: PickupList[];
  letters: Map<string, string>;
  layout: LabelLayout;
  skip: number;
}) {
  const labels = labelsOf(lists, letters);
  if (labels.length === 0) return <p class="card">{tp("noLabels")}</p>;
  if (layout === "thermal") {
    return (
      <div class="labels thermal">
        {labels.map((l) => (
          <article class="label thermal-label" key={l.key} data-code={l.codes[0]}>
            <LabelBody label={l} />
          </article>
        ))}
      </div>
    );
  }
  // Stickers already peeled off the first sheet stay blank.
  const cells: (Label | null)[] = [...Array<null>(skip).fill(null), ...labels];
  const sheets: (Label | null)[][] = [];
  for (let i = 0; i < cells.length; i += stickersPerSheet())
    sheets.push(cells.slice(i, i + stickersPerSheet()));
  return (
    <div class="labels a4">
      {sheets.map((cellsOfSheet, s) => (
        <div class="sticker-sheet" key={s}>
          {cellsOfSheet.map((l, i) =>
            l ? (
              <article class="label sticker" key={l.key} data-code={l.codes[0]}>
                <LabelBody label={l} />
              </article>
            ) : (
              <div class="sticker blank" key={`skip-${i}`} />
            ),
          )}
        </div>
      ))}
    </div>
  );
}

export const sheetCount = (labels: number, skip: number) =>
  Math.ceil((labels + skip) / stickersPerSheet());
