/**
 * Print views (/print), chosen by query parameters:
 *   ?view=pickup&date=YYYY-MM-DD&dp=<id|all>                 pickup sheets (A4 portrait)
 *   ?view=labels&date=…&dp=<id|all>&layout=thermal|a4[&skip=N] bag labels (60×40 mm, or 3×8 on A4)
 *   ?view=load&chain=<id>                                      grower's load sheet
 *   ?view=harvest&chain=<id>                                   grower's harvest list
 *   no view: links to all of these for a day.
 * Paper sizes come from ./print/layout.ts; the on-screen toolbar never prints.
 */
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import type { HarvestList, LoadList } from "../../../shared/views.js";
import { post } from "../http/api.js";
import { currentLang } from "../i18n.js";
import { Chooser, printUrl } from "./chooser.js";
import { type Loaded, loadChainSheet, loadPickup, useLoaded } from "./data.js";
import { LoadFailed } from "./failed.js";
import { HarvestSheet, LoadSheet } from "./grower-sheets.js";
import { type LabelLayout, Labels, labelsOf, sheetCount } from "./labels.js";
import { A4, paperVars, SHEET, STICKERS, THERMAL } from "./layout.js";
import { PickupSheet } from "./pickup-sheet.js";
import { chainLetters } from "./text.js";
import { type PrintWord, tp } from "./words.js";
import "./print.css";

type Paper = "sheet" | "thermal" | "stickers";

/** The @page rules of the view on screen (one kind of paper per view). */
function pageRules(paper: Paper): string {
  if (paper === "thermal")
    return `@page { size: ${THERMAL.width}mm ${THERMAL.height}mm; margin: 0; }`;
  if (paper === "stickers")
    return `@page { size: ${A4.width}mm ${A4.height}mm; margin: ${STICKERS.marginTop}mm 0 0 0; }`;
  const pageNo =
    currentLang() === "zh"
      ? `"第 " counter(page) " / " counter(pages) " 页"`
      : `"Page " counter(page) " of " counter(pages)`;
  return `@page {
  size: ${A4.width}mm ${A4.height}mm;
  margin: ${SHEET.marginTop}mm ${SHEET.marginSide}mm ${SHEET.marginBottom}mm;
  @bottom-right { content: ${pageNo}; font-size: 8pt; color: #444; }
}`;
}

/**
 * The rules go in through the CSSOM (a constructed sheet the document adopts) rather than a
 * <style> element, which the Content-Security-Policy (style-src 'self') refuses.
 */
function usePageRules(rules: string): void {
  useEffect(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(rules);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [rules]);
}

const HINTS = {
  sheet: "hintSheet",
  thermal: "hintThermal",
  stickers: "hintStickers",
} as const satisfies Record<Paper, PrintWord>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[a-z0-9]{4,24}$/;
const CHAIN = /^[a-z0-9]{4,24}-[a-z0-9]{4,24}$/;

export function PrintPage() {
  const q = new URLSearchParams(location.search);
  const view = q.get("view");
  const date = q.get("date") ?? "";
  const dp = q.get("dp") ?? "";
  const chain = q.get("chain") ?? "";
  if (view === "pickup" || view === "labels") {
    if (!DATE.test(date)) return <BadLink what="date=YYYY-MM-DD" />;
    if (dp !== "all" && !ID.test(dp)) return <BadLink what="dp=<id|all>" />;
    if (view === "pickup") return <PickupView date={date} dp={dp} />;
    const layout: LabelLayout = q.get("layout") === "thermal" ? "thermal" : "a4";
    const skip = Math.min(23, Math.max(0, Number.parseInt(q.get("skip") ?? "0", 10) || 0));
    return <LabelsView date={date} dp={dp} layout={layout} skip={layout === "a4" ? skip : 0} />;
  }
  if (view === "load" || view === "harvest") {
    if (!CHAIN.test(chain)) return <BadLink what="chain=<id>" />;
    return <ChainView chainId={chain} kind={view} />;
  }
  return <Chooser date={DATE.test(date) ? date : null} />;
}

function BadLink({ what }: { what: string }) {
  return (
    <div class="print-root">
      <LoadFailed message={tp("badLink", { what })} />
      <a href="/print">{tp("chooseTitle")}</a>
    </div>
  );
}

/** The page around a view: the toolbar on screen, the paper's rules, the sheets themselves. */
function Frame<T>({
  state,
  paper,
  title,
  back,
  info,
  onPrint,
  children,
}: {
  state: Loaded<T>;
  /** Told when the print button is tapped (the first-run checklist's last step). */
  onPrint?: (data: T) => void;
  paper: Paper;
  title: string;
  back: string;
  info?: (data: T) => string;
  children: (data: T) => ComponentChildren;
}) {
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);
  usePageRules(pageRules(paper));
  const ready = state.kind === "ready";
  return (
    <div class={`print-root paper-${paper}`} style={paperVars()} data-ready={ready || undefined}>
      <div class="print-toolbar no-print">
        <a href={back} class="print-back">
          ← {tp("back")}
        </a>
        <span class="print-title">
          {title}
          {ready && info ? <span class="muted"> · {info(state.data)}</span> : null}
        </span>
        <span class="print-hint muted">{tp(HINTS[paper])}</span>
        <button
          type="button"
          class="print-button"
          disabled={!ready}
          onClick={() => {
            if (state.kind === "ready") onPrint?.(state.data);
            window.print();
          }}
        >
          {tp("print")}
        </button>
      </div>
      {state.kind === "loading" && <p class="muted no-print">…</p>}
      {state.kind === "failed" && <LoadFailed message={state.message} />}
      {state.kind === "ready" && children(state.data)}
    </div>
  );
}

function PickupView({ date, dp }: { date: string; dp: string }) {
  const state = useLoaded(() => loadPickup(date, dp), `${date}|${dp}`);
  const name =
    state.kind === "ready" && dp !== "all" ? state.data.lists[0]?.dropPoint.name : tp("allPoints");
  return (
    <Frame
      state={state}
      paper="sheet"
      title={`${tp("pickupTitle")} · ${name ?? ""} · ${date}`}
      back={printUrl({ date })}
      onPrint={(d) => {
        // The first-run checklist's "print" step; a failure here never stops the printing.
        void post(`/communities/${d.session.community.id}/first-run/printed`);
      }}
    >
      {(d) => {
        const letters = chainLetters(d.lists);
        if (d.lists.length === 0) return <p class="card">{tp("nothingDay")}</p>;
        return d.lists.map((list) => (
          <PickupSheet
            key={list.dropPoint.id}
            community={d.session.community}
            list={list}
            letters={letters}
            at={d.at}
          />
        ));
      }}
    </Frame>
  );
}

function LabelsView({
  date,
  dp,
  layout,
  skip,
}: {
  date: string;
  dp: string;
  layout: LabelLayout;
  skip: number;
}) {
  const state = useLoaded(() => loadPickup(date, dp), `${date}|${dp}`);
  const word: PrintWord = layout === "thermal" ? "labelsThermal" : "labelsA4";
  return (
    <Frame
      state={state}
      paper={layout === "thermal" ? "thermal" : "stickers"}
      title={`${tp("labelsTitle")} · ${tp(word)} · ${date}`}
      back={printUrl({ date })}
      info={(d) => {
        const count = labelsOf(d.lists, new Map()).length;
        const text = tp("labelsCount", { count });
        return layout === "a4"
          ? `${text} · ${tp("sheetsCount", { sheets: sheetCount(count, skip) })}`
          : text;
      }}
    >
      {(d) => (
        <Labels lists={d.lists} letters={chainLetters(d.lists)} layout={layout} skip={skip} />
      )}
    </Frame>
  );
}

function ChainView({ chainId, kind }: { chainId: string; kind: "load" | "harvest" }) {
  const state = useLoaded(
    () => loadChainSheet<LoadList | HarvestList>(chainId, kind),
    `${chainId}|${kind}`,
  );
  const title = kind === "load" ? tp("loadTitle") : tp("harvestTitle");
  return (
    <Frame
      state={state}
      paper="sheet"
      title={state.kind === "ready" ? `${title} · ${state.data.chain.title}` : title}
      back={printUrl({})}
    >
      {(d) =>
        kind === "load" ? (
          <LoadSheet chain={d.chain} load={d.sheet as LoadList} at={d.at} />
        ) : (
          <HarvestSheet chain={d.chain} harvest={d.sheet as HarvestList} at={d.at} />
        )
      }
    </Frame>
  );
}
