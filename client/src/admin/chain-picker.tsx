/** Choosing one of the chains a coordinator may still write to (add for a resident, import). */

import { useState } from "preact/hooks";
import { staffCanWrite } from "../../../shared/chain-status.js";
import type { ChainView, CommunityView } from "../../../shared/views.js";
import { dayLabel } from "../format.js";
import { get } from "../http/api.js";
import { currentLang } from "../i18n.js";
import { dateInZone, useLoad } from "./util.js";
import { tw } from "./words.js";

/** Open chains and closed ones (after the cutoff), from today on, soonest first. */
export function useWritableChains(community: CommunityView, initial = "") {
  const today = dateInZone(community.timezone);
  const chains = useLoad("chains", () => get<ChainView[]>(`/communities/${community.id}/chains`));
  const usable = (chains.data ?? [])
    .filter((c) => c.deliveryDate >= today && staffCanWrite(c))
    .sort((a, b) => a.deliveryDate.localeCompare(b.deliveryDate) || a.createdAt - b.createdAt);
  const [chosen, setChosen] = useState(initial);
  const chain = usable.find((c) => c.id === chosen) ?? (chosen ? undefined : usable[0]);
  return { chains, usable, chain, choose: setChosen };
}

interface Props {
  id: string;
  picked: ReturnType<typeof useWritableChains>;
}

export function ChainPicker({ id, picked }: Props) {
  const lang = currentLang();
  const { chains, usable, chain, choose } = picked;
  return (
    <>
      {chains.error && <p class="notice bad">{chains.error}</p>}
      {chains.data && usable.length === 0 && <p class="muted">{tw("noOpenChains")}</p>}
      {usable.length > 0 && (
        <>
          <label for={id}>{tw("chainLabel")}</label>
          <select id={id} value={chain?.id ?? ""} onChange={(e) => choose(e.currentTarget.value)}>
            {!chain && <option value="">{tw("chooseChain")}</option>}
            {usable.map((c) => (
              <option key={c.id} value={c.id}>
                {dayLabel(c.deliveryDate, lang)} · {c.title} · {c.grower.name}
              </option>
            ))}
          </select>
        </>
      )}
    </>
  );
}
