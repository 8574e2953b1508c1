/** An order on a resident's behalf (an elderly neighbour without a phone), also after the cutoff. */

import { useState } from "preact/hooks";
import { LIMITS } from "../../../shared/limits.js";
import { lineAmountFen, toMilli } from "../../../shared/quantity.js";
import { EntryJoin } from "../../../shared/schemas.js";
import type { ChainView, CommunityView, ItemView } from "../../../shared/views.js";
import { ItemRow } from "../components/item-row.js";
import { yuan } from "../format.js";
import { errorText, explainError } from "../i18n.js";
import { type AppSocket, command } from "../live/socket.js";
import { requestId } from "../prefs.js";
import { ChainPicker, useWritableChains } from "./chain-picker.js";
import { issueText } from "./util.js";
import { tw } from "./words.js";

interface Props {
  community: CommunityView;
  socket: AppSocket | null;
  online: boolean;
}

export function AddTab({ community, socket, online }: Props) {
  const picked = useWritableChains(community);
  const { chain, chains } = picked;

  return (
    <section class="card" aria-labelledby="add-title">
      <h2 id="add-title">{tw("addTitle")}</h2>
      <p class="muted small">{tw("addHint")}</p>
      <ChainPicker id="add-chain" picked={picked} />
      {chain && (
        <AddForm
          key={chain.id}
          chain={chain}
          socket={socket}
          online={online}
          onAdded={chains.reload}
        />
      )}
    </section>
  );
}

/** Most of an item one entry may hold: stock left and the per-person limit. */
function maxFor(item: ItemView): number {
  const byStock = item.remaining ?? Number.POSITIVE_INFINITY;
  const byLimit = item.limit ?? Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(byStock, byLimit, 9999));
}

interface FormProps {
  chain: ChainView;
  socket: AppSocket | null;
  online: boolean;
  onAdded(): void;
}

function AddForm({ chain, socket, online, onAdded }: FormProps) {
  const points = chain.dropPoints.filter((d) => d.active);
  // With several drop points none is chosen for the resident: a guessed one is a bag at the
  // wrong gate (the resident page does the same).
  const [dropPointId, setDropPointId] = useState(points.length === 1 ? (points[0]?.id ?? "") : "");
  const [qtys, setQtys] = useState<Record<string, number>>({});
  const [name, setName] = useState("");
  const [building, setBuilding] = useState("");
  const [phone, setPhone] = useState("");
  // Kept until it succeeds, so a retry after a timeout can never add the entry twice.
  const [reqId, setReqId] = useState(requestId);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const closed = chain.status !== "open" || Date.now() >= chain.cutoffAt;
  /** A problem is old news once the form is changed. */
  const touched = () => {
    if (message?.bad) setMessage(null);
  };

  const lines = chain.items
    .map((item) => ({ item, qty: qtys[item.id] ?? 0 }))
    .filter((l) => l.qty > 0);
  const total = lines.reduce((s, l) => s + lineAmountFen(l.item.priceFen, toMilli(l.qty) ?? 0), 0);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!lines.length) return setMessage({ text: tw("chooseItems"), bad: true });
    if (!dropPointId) return setMessage({ text: tw("addChoosePoint"), bad: true });
    const parsed = EntryJoin.safeParse({
      requestId: reqId,
      chainId: chain.id,
      dropPointId,
      name,
      building,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      lines: lines.map((l) => ({ itemId: l.item.id, qty: l.qty })),
    });
    if (!parsed.success)
      return setMessage({
        text: issueText(parsed.error, {
          name: tw("nameLabel"),
          building: tw("buildingLabel"),
          phone: tw("phoneOptional"),
          dropPointId: tw("pointLabel"),
          lines: tw("quantities"),
        }),
        bad: true,
      });
    if (!socket) return setMessage({ text: errorText("timeout"), bad: true });
    setBusy(true);
    const reply = await command(socket, "entry:join", parsed.data);
    setBusy(false);
    if (reply.ok) {
      const { entry } = reply.data;
      setMessage({ text: tw("added", { no: entry.no, code: entry.pickupCode }), bad: false });
      setQtys({});
      setName("");
      setBuilding("");
      setPhone("");
      setReqId(requestId());
      onAdded();
      return;
    }
    setMessage({ text: explainError(reply.error, chain.items), bad: true });
  };

  return (
    <form class="add-form" onSubmit={submit} aria-label={tw("addTitle")}>
      {closed && <p class="notice warn">{tw("afterCutoff")}</p>}
      <fieldset>
        <legend>{tw("pointLabel")}</legend>
        {points.map((dp) => (
          <label key={dp.id} class="choice">
            <input
              type="radio"
              name="add-point"
              value={dp.id}
              checked={dropPointId === dp.id}
              onChange={() => {
                touched();
                setDropPointId(dp.id);
              }}
            />
            {dp.name}{" "}
            <span class="muted small">
              {dp.window.start}–{dp.window.end}
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{tw("quantities")}</legend>
        <ul class="items plain">
          {chain.items.map((item) => (
            <ItemRow
              key={item.id}
              item={item}
              value={qtys[item.id] ?? 0}
              max={maxFor(item)}
              onChange={(v) => {
                touched();
                setQtys({ ...qtys, [item.id]: v });
              }}
            />
          ))}
        </ul>
      </fieldset>
      <label for="add-name">{tw("nameLabel")}</label>
      <input
        id="add-name"
        value={name}
        maxLength={LIMITS.nameMax}
        autocomplete="off"
        onInput={(e) => {
          touched();
          setName(e.currentTarget.value);
        }}
      />
      <label for="add-building">{tw("buildingLabel")}</label>
      <input
        id="add-building"
        value={building}
        maxLength={LIMITS.buildingMax}
        autocomplete="off"
        onInput={(e) => {
          touched();
          setBuilding(e.currentTarget.value);
        }}
      />
      <label for="add-phone">{tw("phoneOptional")}</label>
      <input
        id="add-phone"
        type="tel"
        value={phone}
        maxLength={LIMITS.phoneMax}
        autocomplete="off"
        onInput={(e) => {
          touched();
          setPhone(e.currentTarget.value);
        }}
      />
      <button class="primary" type="submit" disabled={busy || !online}>
        {busy ? tw("adding") : tw("addSend", { amount: yuan(total) })}
      </button>
      {message && (
        <p class={`notice ${message.bad ? "bad" : "good"}`} role="alert">
          {message.text}
        </p>
      )}
    </form>
  );
}
