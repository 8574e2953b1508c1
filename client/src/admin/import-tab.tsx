/**
 * Import a 接龙 copied from a WeChat group into a chain. The text is read here as it is pasted
 * (shared/wechat, in the coordinator's lazy chunk); lines that can't be read safely wait for a
 * person to fix or leave out. What is sent is exactly what the person sees, and the server makes
 * each line through the normal join script, so importing the same text twice makes nothing new.
 */

import { useMemo, useState } from "preact/hooks";
import { type ItemAlias, withItemAliases } from "../../../shared/item-aliases.js";
import { LIMITS } from "../../../shared/limits.js";
import { lineAmountFen, toMilli } from "../../../shared/quantity.js";
import { ImportBody, ImportEntry } from "../../../shared/schemas.js";
import type {
  ChainView,
  CommunityView,
  DropPointView,
  ImportResult,
  ItemView,
} from "../../../shared/views.js";
import { parseChainText } from "../../../shared/wechat/index.js";
import { qty, yuan } from "../format.js";
import { del, get, post } from "../http/api.js";
import { explainError } from "../i18n.js";
import { ChainPicker, useWritableChains } from "./chain-picker.js";
import {
  asksForPoint,
  type Decision,
  type Fix,
  flagsOf,
  type ImportLine,
  type ImportRow,
  importRows,
  likelyItems,
  parseQty,
  reasonText,
  rowState,
  unknownWords,
} from "./import-lib.js";
import { failText, issueText, useLoad } from "./util.js";
import { tw } from "./words.js";

interface Props {
  community: CommunityView;
  /** From the link on a chain of the day tab (#import/<chainId>). */
  chainId: string;
}

export function ImportTab({ community, chainId }: Props) {
  const picked = useWritableChains(community, chainId);
  const { chain, chains } = picked;
  // Kept when another chain is chosen: pasting first and choosing after is fine.
  const [text, setText] = useState("");
  const aliasPath = `/communities/${community.id}/item-aliases`;
  const aliases = useLoad<ItemAlias[]>(aliasPath, () => get<ItemAlias[]>(aliasPath));

  return (
    <section class="card" aria-labelledby="import-title">
      <h2 id="import-title">{tw("importTitle")}</h2>
      <p class="muted small">{tw("importHint")}</p>
      <ChainPicker id="import-chain" picked={picked} />
      {chain && (
        <ImportForm
          key={chain.id}
          chain={chain}
          text={text}
          onText={setText}
          onImported={chains.reload}
          aliases={aliases.data ?? []}
          aliasPath={aliasPath}
          onAliases={aliases.set}
        />
      )}
    </section>
  );
}

const itemsLine = (items: readonly ItemView[], lines: readonly ImportLine[]) =>
  lines
    .map((l) => {
      const item = items.find((i) => i.id === l.itemId);
      return `${item?.name ?? l.itemId} ${qty(l.qty)}${item?.unit ?? ""}`;
    })
    .join("，");

const amountOf = (items: readonly ItemView[], lines: readonly ImportLine[]) =>
  lines.reduce((sum, l) => {
    const item = items.find((i) => i.id === l.itemId);
    return sum + (item ? lineAmountFen(item.priceFen, toMilli(l.qty) ?? 0) : 0);
  }, 0);

interface FormProps {
  chain: ChainView;
  text: string;
  onText(text: string): void;
  onImported(): void;
  /** The community's words for items (白菜 → 小白菜), taught here with one tap. */
  aliases: readonly ItemAlias[];
  aliasPath: string;
  onAliases(next: ItemAlias[]): void;
}

function ImportForm({ chain, text, onText, onImported, aliases, aliasPath, onAliases }: FormProps) {
  const points = chain.dropPoints.filter((d) => d.active);
  // With several drop points none is taken for granted: a line naming none asks.
  const [dropPointId, setDropPointId] = useState(points.length === 1 ? (points[0]?.id ?? "") : "");
  const [taught, setTaught] = useState("");
  // Kept by line, so a fix survives editing the text around it.
  const [decisions, setDecisions] = useState<Record<string, Decision>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const [result, setResult] = useState<ImportResult | null>(null);

  const parseItems = useMemo(() => withItemAliases(chain.items, aliases), [chain.items, aliases]);
  const rows = useMemo(
    () =>
      text.trim()
        ? importRows(
            parseChainText(text, parseItems, {
              dropPoints: chain.dropPoints.filter((d) => d.active),
            }),
            chain.items,
          )
        : [],
    [text, parseItems, chain.items, chain.dropPoints],
  );
  const states = rows.map((row) => ({
    row,
    state: rowState(row, decisions[row.key], dropPointId),
  }));
  const entries = states.flatMap(({ state }) => (state.kind === "entry" ? [state.entry] : []));
  const pending = states.filter(
    ({ state }) => state.kind === "pending" || state.kind === "needs_point",
  ).length;
  // Rows that will be orders, and rows that only wait for their drop point, in the text's order.
  // Once imported, the result says what happened to each line: the rows are not judged again
  // against the stock they themselves took.
  const flags = result
    ? new Map<string, string[]>()
    : flagsOf(
        states.map(({ row, state }) => ({
          key: row.key,
          lines:
            state.kind === "entry"
              ? state.entry.lines
              : state.kind === "needs_point" || (state.kind === "pending" && asksForPoint(row))
                ? row.lines
                : null,
        })),
        chain.items,
      );
  const read = states.filter(({ row }) => row.problem === null);
  const review = states.filter(({ row }) => row.problem !== null);
  const pointName = (id: string) => chain.dropPoints.find((d) => d.id === id)?.name ?? "";

  const decide = (key: string, decision: Decision | null) => {
    setDecisions((all) => {
      const next = { ...all };
      if (decision) next[key] = decision;
      else delete next[key];
      return next;
    });
    setEditing(null);
    setProblem("");
    setResult(null);
  };

  /** One tap: "白菜" is 小白菜, for this import and every later one in the community. */
  const teach = async (word: string, item: ItemView) => {
    setProblem("");
    const r = await post<ItemAlias[]>(aliasPath, { alias: word, item: item.name });
    if (!r.ok) return setProblem(failText(r));
    onAliases(r.data);
    setTaught(tw("aliasSaved", { word, item: item.name }));
  };
  const forget = async (word: string) => {
    const r = await del<ItemAlias[]>(`${aliasPath}/${encodeURIComponent(word)}`);
    if (!r.ok) return setProblem(failText(r));
    onAliases(r.data);
    setTaught("");
  };

  const confirm = async () => {
    setProblem("");
    if (pending > 0) return setProblem(tw("importPending", { n: pending }));
    if (!entries.length) return setProblem(tw("importNothing"));
    const parsed = ImportBody.safeParse({ dropPointId: dropPointId || points[0]?.id, entries });
    if (!parsed.success) {
      const at = parsed.error.issues[0]?.path[1];
      const entry = typeof at === "number" ? entries[at] : undefined;
      const text = issueText(parsed.error, {
        dropPointId: tw("importPoint"),
        entries: tw("importEntriesLabel"),
      });
      return setProblem(entry ? `${entry.raw}：${text}` : text);
    }
    setBusy(true);
    const r = await post<ImportResult>(`/chains/${chain.id}/import`, parsed.data);
    setBusy(false);
    if (!r.ok) return setProblem(failText(r));
    setResult(r.data);
    onImported();
    requestAnimationFrame(() =>
      document.getElementById("import-result")?.scrollIntoView({ block: "start" }),
    );
  };

  return (
    <div class="import-form">
      <p class="small import-items">
        {tw("importItems")}{" "}
        {chain.items.map((i) => `${i.name} ${yuan(i.priceFen)}/${i.unit}`).join(" · ")}
      </p>
      <label for="import-point">{tw("importPoint")}</label>
      <select
        id="import-point"
        value={dropPointId}
        onChange={(e) => {
          setDropPointId(e.currentTarget.value);
          setResult(null);
        }}
      >
        {points.length > 1 && <option value="">{tw("importPointNone")}</option>}
        {points.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
      <label for="import-text">{tw("importText")}</label>
      <textarea
        id="import-text"
        rows={6}
        value={text}
        placeholder={tw("importPlaceholder")}
        autocomplete="off"
        onInput={(e) => {
          onText(e.currentTarget.value);
          setProblem("");
          setResult(null);
        }}
      />

      {text.trim() && (
        <>
          <h3 id="import-entries-title">{tw("importEntries", { n: read.length })}</h3>
          {read.length === 0 ? (
            <p class="muted">{tw("importNoEntries")}</p>
          ) : (
            <ol class="plain import-rows" aria-labelledby="import-entries-title">
              {read.map(({ row, state }) => (
                <RowView
                  key={row.key}
                  row={row}
                  state={state}
                  chain={chain}
                  defaultPoint={pointName(dropPointId)}
                  editing={editing === row.key}
                  pointName={pointName}
                  points={points}
                  flags={flags.get(row.key) ?? []}
                  words={unknownWords(row, parseItems)}
                  onTeach={teach}
                  onEdit={() => setEditing(row.key)}
                  onDecide={(d) => decide(row.key, d)}
                  onCancelEdit={() => setEditing(null)}
                />
              ))}
            </ol>
          )}
          {review.length > 0 && (
            <>
              <h3 id="import-review-title">{tw("importReview", { n: review.length })}</h3>
              <p class="muted small">{tw("importReviewHint")}</p>
              <ol class="plain import-rows" aria-labelledby="import-review-title">
                {review.map(({ row, state }) => (
                  <RowView
                    key={row.key}
                    row={row}
                    state={state}
                    chain={chain}
                    defaultPoint={pointName(dropPointId)}
                    editing={
                      editing === row.key || (state.kind === "pending" && !asksForPoint(row))
                    }
                    pointName={pointName}
                    points={points}
                    flags={flags.get(row.key) ?? []}
                    words={unknownWords(row, parseItems)}
                    onTeach={teach}
                    onEdit={() => setEditing(row.key)}
                    onDecide={(d) => decide(row.key, d)}
                    onCancelEdit={() => setEditing(null)}
                  />
                ))}
              </ol>
            </>
          )}
          {taught && (
            <p class="notice good" role="status">
              {taught}
            </p>
          )}
          {pending > 0 && (
            <p class="notice warn" role="status">
              {tw("importPending", { n: pending })}
            </p>
          )}
          {flags.size > 0 && (
            <p class="notice warn" role="status">
              {tw("flagSummary", { n: flags.size })}
            </p>
          )}
          {aliases.length > 0 && (
            <details class="import-aliases">
              <summary>{tw("aliasesTitle")}</summary>
              <ul class="plain">
                {aliases.map((a) => (
                  <li key={a.alias}>
                    “{a.alias}” = {a.item}{" "}
                    <button type="button" onClick={() => forget(a.alias)}>
                      {tw("aliasForget", { word: a.alias })}
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          )}
          {problem && (
            <p class="notice bad" role="alert">
              {problem}
            </p>
          )}
          <button
            class="primary"
            type="button"
            disabled={busy || pending > 0 || entries.length === 0}
            onClick={confirm}
          >
            {busy ? tw("importing") : tw("importConfirm", { n: entries.length })}
          </button>
        </>
      )}
      {result && <ResultView result={result} chain={chain} />}
    </div>
  );
}

interface RowProps {
  row: ImportRow;
  state: ReturnType<typeof rowState>;
  chain: ChainView;
  defaultPoint: string;
  editing: boolean;
  pointName(id: string): string;
  points: readonly DropPointView[];
  /** What the server would refuse (over a limit, past the stock), said before confirming. */
  flags: readonly string[];
  /** Words of the line the chain doesn't sell, to teach with one tap. */
  words: readonly string[];
  onTeach(word: string, item: ItemView): void;
  onEdit(): void;
  onDecide(d: Decision | null): void;
  onCancelEdit(): void;
}

function RowView({
  row,
  state,
  chain,
  defaultPoint,
  editing,
  pointName,
  points,
  flags,
  words,
  onTeach,
  onEdit,
  onDecide,
  onCancelEdit,
}: RowProps) {
  const who = row.problem === null ? `${row.name} ${row.building}` : row.raw;
  const cls = `import-row ${row.problem === null ? "" : "review"} ${state.kind}`;
  // A line read whole but for its drop point: one tap on a drop point makes it an order.
  const asksPoint = state.kind === "needs_point" || (state.kind === "pending" && asksForPoint(row));
  return (
    <li class={cls} data-raw={row.raw}>
      {row.problem !== null && (
        <>
          <p class="import-raw">
            <span class="muted small">{tw("importRaw")}</span>{" "}
            {row.no !== null && <span class="entry-no">{row.no}. </span>}
            {row.raw}
          </p>
          <p class="small bad">{tw("importWhy", { reason: reasonText(row.problem) })}</p>
        </>
      )}
      {flags.map((f) => (
        <p key={f} class="import-flag" role="note">
          {f}
        </p>
      ))}
      {state.kind === "pending" && words.length > 0 && (
        <div class="import-alias">
          {words.slice(0, 2).map((word) => (
            <div key={word}>
              <p class="small">{tw("aliasAsk", { word })}</p>
              <div class="row">
                {likelyItems(word, chain.items)
                  .slice(0, 4)
                  .map((item) => (
                    <button
                      key={item.id}
                      class="choice-button"
                      type="button"
                      onClick={() => onTeach(word, item)}
                    >
                      {tw("aliasIs", { word, item: item.name })}
                    </button>
                  ))}
              </div>
            </div>
          ))}
        </div>
      )}
      {asksPoint && !editing ? (
        <div class="import-line">
          <p class="import-head">
            {row.no !== null && <span class="entry-no">{row.no}.</span>} <strong>{row.name}</strong>{" "}
            <span>{row.building}</span>
            <span class="amount">{yuan(amountOf(chain.items, row.lines))}</span>
          </p>
          <p>{itemsLine(chain.items, row.lines)}</p>
          {state.kind === "needs_point" && <p class="small bad">{tw("importNeedPoint")}</p>}
          <p class="small">{tw("importPointAsk")}</p>
          <div class="import-points">
            {[...points]
              .sort(
                (a, b) =>
                  Number(row.pointCandidates.includes(b.id)) -
                  Number(row.pointCandidates.includes(a.id)),
              )
              .map((d) => (
                <button
                  key={d.id}
                  class="choice-button"
                  type="button"
                  aria-label={tw("importPointAskOf", { what: who, name: d.name })}
                  onClick={() => onDecide({ kind: "point", dropPointId: d.id })}
                >
                  {d.name}
                </button>
              ))}
          </div>
          <EditOrLeaveOut who={who} onEdit={onEdit} onDrop={() => onDecide({ kind: "drop" })} />
        </div>
      ) : state.kind === "dropped" ? (
        <div class="import-line">
          <p>
            {row.problem === null && (
              <>
                <del>
                  {row.no !== null && `${row.no}. `}
                  {`${row.name} ${row.building} ${itemsLine(chain.items, row.lines)}`}
                </del>{" "}
              </>
            )}
            <span class="tag off">{tw("leftOut")}</span>
          </p>
          <div class="row">
            <button
              type="button"
              aria-label={tw("restoreOf", { what: who })}
              onClick={() => onDecide(null)}
            >
              {tw("restore")}
            </button>
          </div>
        </div>
      ) : editing ? (
        <EntryEditor
          row={row}
          chain={chain}
          defaultPoint={defaultPoint}
          initial={
            state.kind === "entry"
              ? {
                  name: state.entry.name,
                  building: state.entry.building,
                  lines: state.entry.lines,
                  dropPointId: state.entry.dropPointId ?? "",
                }
              : {
                  // What was understood of the line, for the person to finish.
                  name: row.name,
                  building: row.building,
                  lines: row.lines,
                  dropPointId: row.dropPointId ?? "",
                }
          }
          pending={state.kind === "pending" || state.kind === "needs_point"}
          onSave={(fix) => onDecide({ kind: "fix", fix })}
          onDrop={() => onDecide({ kind: "drop" })}
          onCancel={onCancelEdit}
        />
      ) : state.kind === "entry" ? (
        <div class="import-line">
          <p class="import-head">
            {row.no !== null && <span class="entry-no">{row.no}.</span>}{" "}
            <strong>{state.entry.name}</strong> <span>{state.entry.building}</span>
            <span class="amount">{yuan(amountOf(chain.items, state.entry.lines))}</span>
          </p>
          <p>{itemsLine(chain.items, state.entry.lines)}</p>
          {(state.entry.dropPointId || state.changed) && (
            <p class="small">
              {state.entry.dropPointId &&
                tw("importPointOf", { name: pointName(state.entry.dropPointId) })}{" "}
              {state.changed && (
                <span class="tag staff">{row.problem === null ? tw("edited") : tw("fixed")}</span>
              )}
            </p>
          )}
          <EditOrLeaveOut who={who} onEdit={onEdit} onDrop={() => onDecide({ kind: "drop" })} />
        </div>
      ) : null}
    </li>
  );
}

let editors = 0;

interface EditorProps {
  row: ImportRow;
  chain: ChainView;
  defaultPoint: string;
  initial: Fix;
  /** A review line not dealt with yet: its buttons are "use" and "leave out". */
  pending: boolean;
  onSave(fix: Fix): void;
  onDrop(): void;
  onCancel(): void;
}

function EntryEditor({
  row,
  chain,
  defaultPoint,
  initial,
  pending,
  onSave,
  onDrop,
  onCancel,
}: EditorProps) {
  // Not useId: that would pull one more hook into the resident bundle, where preact/hooks lives.
  const [uid] = useState(() => ++editors);
  const id = (f: string) => `imp-${uid}-${f}`;
  const [name, setName] = useState(initial.name);
  const [building, setBuilding] = useState(initial.building);
  const [qtys, setQtys] = useState<Record<string, string>>(() =>
    Object.fromEntries(initial.lines.map((l) => [l.itemId, qty(l.qty)])),
  );
  const [dropPointId, setDropPointId] = useState(initial.dropPointId);
  const [problem, setProblem] = useState("");
  const points = chain.dropPoints.filter((d) => d.active);
  const who = row.problem === null ? `${row.name} ${row.building}` : row.raw;

  const save = () => {
    const lines: ImportLine[] = [];
    for (const item of chain.items) {
      const typed = (qtys[item.id] ?? "").trim();
      if (!typed) continue;
      const q = parseQty(typed);
      if (q === null) return setProblem(tw("errQty", { item: item.name }));
      const milli = toMilli(q) ?? 0;
      const step = toMilli(item.step) ?? 1000;
      if (milli % step !== 0)
        return setProblem(
          tw("errStep", { item: item.name, step: qty(item.step), unit: item.unit }),
        );
      lines.push({ itemId: item.id, qty: q });
    }
    if (!lines.length) return setProblem(tw("chooseItems"));
    // Items in the order they were written, then any added, in the chain's order.
    const rank = (itemId: string) => {
      const at = initial.lines.findIndex((l) => l.itemId === itemId);
      return at === -1 ? initial.lines.length : at;
    };
    lines.sort((a, b) => rank(a.itemId) - rank(b.itemId));
    const parsed = ImportEntry.safeParse({ raw: row.raw, name, building, lines });
    if (!parsed.success)
      return setProblem(
        issueText(parsed.error, { name: tw("nameLabel"), building: tw("buildingLabel") }),
      );
    if (!dropPointId && !defaultPoint) return setProblem(tw("reasonNoPoint"));
    onSave({ name: parsed.data.name, building: parsed.data.building, lines, dropPointId });
  };

  return (
    <fieldset class="import-edit">
      <legend>{pending ? tw("fixLine") : tw("editLine", { what: who })}</legend>
      <div class="two">
        <div>
          <label for={id("name")}>{tw("nameLabel")}</label>
          <input
            id={id("name")}
            value={name}
            maxLength={LIMITS.nameMax}
            autocomplete="off"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div>
          <label for={id("building")}>{tw("buildingLabel")}</label>
          <input
            id={id("building")}
            value={building}
            maxLength={LIMITS.buildingMax}
            autocomplete="off"
            onInput={(e) => setBuilding(e.currentTarget.value)}
          />
        </div>
      </div>
      <div class="import-qtys">
        {chain.items.map((item) => (
          <div key={item.id}>
            <label for={id(item.id)}>{tw("qtyOf", { item: item.name, unit: item.unit })}</label>
            <input
              id={id(item.id)}
              inputMode="decimal"
              autocomplete="off"
              value={qtys[item.id] ?? ""}
              onInput={(e) => setQtys({ ...qtys, [item.id]: e.currentTarget.value })}
            />
          </div>
        ))}
      </div>
      <label for={id("point")}>{tw("pointLabel")}</label>
      <select
        id={id("point")}
        value={dropPointId}
        onChange={(e) => setDropPointId(e.currentTarget.value)}
      >
        <option value="">
          {defaultPoint ? tw("importPointDefault", { name: defaultPoint }) : tw("importPointNone")}
        </option>
        {points.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
      {problem && (
        <p class="notice bad" role="alert">
          {problem}
        </p>
      )}
      <div class="row">
        <button type="button" class="use" onClick={save}>
          {pending ? tw("useLine") : tw("save")}
        </button>
        {pending ? (
          <button type="button" aria-label={tw("leaveOutOf", { what: who })} onClick={onDrop}>
            {tw("leaveOut")}
          </button>
        ) : (
          <button type="button" onClick={onCancel}>
            {tw("cancel")}
          </button>
        )}
      </div>
    </fieldset>
  );
}

function ResultView({ result, chain }: { result: ImportResult; chain: ChainView }) {
  // A line imported before (even with other details then) comes back "already", as it stands.
  const refused = result.results.filter((r) => r.status === "refused").length;
  return (
    <section class="import-result" id="import-result" aria-labelledby="import-result-title">
      <h3 id="import-result-title">{tw("importResult")}</h3>
      <p class={`notice ${refused ? "warn" : "good"}`} role="status">
        {tw("importDone", { created: result.created, already: result.already, refused })}
      </p>
      <ul class="plain">
        {result.results.map((r, i) =>
          r.status === "refused" ? (
            <li key={i} class="import-res refused">
              <span class="tag off">{tw("resRefused")}</span> {r.raw}
              <p class="bad small">{explainError(r.error, chain.items)}</p>
            </li>
          ) : (
            <li key={i} class={`import-res ${r.status}`}>
              <span class={`tag ${r.status === "created" ? "grower" : ""}`}>
                {r.status === "created" ? tw("resCreated") : tw("resAlready")}
              </span>{" "}
              <span class="entry-no">{r.entry.no}.</span> {r.entry.name} {r.entry.building}{" "}
              {itemsLine(chain.items, r.entry.lines)}
            </li>
          ),
        )}
      </ul>
      <a class="tap" href={`/c/${chain.id}`}>
        {tw("openChain")}
      </a>
    </section>
  );
}

/** A row's two ways on: fix it by hand, or leave it out of the import. */
function EditOrLeaveOut({ who, onEdit, onDrop }: { who: string; onEdit(): void; onDrop(): void }) {
  return (
    <div class="row">
      <button type="button" aria-label={tw("editOf", { what: who })} onClick={onEdit}>
        {tw("edit")}
      </button>
      <button type="button" aria-label={tw("leaveOutOf", { what: who })} onClick={onDrop}>
        {tw("leaveOut")}
      </button>
    </div>
  );
}
