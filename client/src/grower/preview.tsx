/** Before posting: the chain as residents will see it, made from the filled-in form. */
import { isWeightUnit } from "../../../shared/quantity.js";
import type { ChainCreateInput } from "../../../shared/schemas.js";
import type { ItemView, SessionView } from "../../../shared/views.js";
import { ItemRow } from "../components/item-row.js";
import { cutoffLabel, dayLabel } from "../format.js";
import { currentLang, t } from "../i18n.js";
import { tw } from "./words.js";

interface Props {
  body: ChainCreateInput;
  session: SessionView;
  onClose(): void;
}

export function PostPreview({ body, session, onClose }: Props) {
  const lang = currentLang();
  const tz = session.community.timezone;
  const items: ItemView[] = body.items.map((i, n) => ({
    id: `p${n + 1}`,
    name: i.name,
    unit: i.unit,
    priceFen: i.priceFen,
    step: i.step ?? 1,
    stock: i.stock ?? null,
    limit: i.limit ?? null,
    sold: 0,
    remaining: i.stock ?? null,
    soldOut: i.stock === 0,
    weighed: isWeightUnit(i.unit),
  }));
  const dps = session.community.dropPoints.filter((d) => body.dropPointIds.includes(d.id));
  const who = session.user.village
    ? `${session.user.name} · ${session.user.village}`
    : session.user.name;
  return (
    <section class="g-preview" aria-labelledby="g-preview-title">
      <h2 id="g-preview-title">{tw("previewTitle")}</h2>
      <div class="card head">
        <h1>{body.title}</h1>
        <p class="grower">{who}</p>
        <p>
          {t("delivery")}: <strong>{dayLabel(body.deliveryDate ?? "", lang)}</strong> ·{" "}
          {t("cutoff")} {body.cutoffAt ? cutoffLabel(Date.parse(body.cutoffAt), tz, lang) : ""}
        </p>
        {body.note && <p class="note">{body.note}</p>}
        <ul class="plain">
          {dps.map((dp) => (
            <li key={dp.id}>
              <strong>{dp.name}</strong> {dp.window.start}–{dp.window.end}
            </li>
          ))}
        </ul>
        <ul class="items plain">
          {items.map((item) => (
            <ItemRow key={item.id} item={item} value={0} max={0} disabled onChange={() => {}} />
          ))}
        </ul>
      </div>
      <button type="button" class="wide" onClick={onClose}>
        {tw("previewClose")}
      </button>
    </section>
  );
}
