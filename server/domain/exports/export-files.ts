/**
 * Downloads for spreadsheets: a day's pickup lists (every drop point) and a chain's orders, as
 * CSV and as XLSX. The JSON of the same data is the existing API (pickup lists, chain entries).
 *
 * This file holds the use cases behind the routes (with the access checks of the JSON routes
 * they read from) and the file they answer; the builders are pure: book.ts (rows), columns.ts
 * (columns, words, cells), csv.ts and xlsx.ts.
 */
import type { SessionInfo } from "../../../shared/events.js";
import type { Ctx } from "../../context.js";
import { getChainView, harvestList, listStaffEntries, loadList } from "../chains.js";
import { getCommunity } from "../communities.js";
import { buildPickupList, dayOverview } from "../pickup-list.js";
import { chainBook, dayBook, type ExportBook, type ExportLang } from "./book.js";
import { toCsv } from "./csv.js";
import { toXlsx } from "./xlsx.js";

export { EXPORT_LANGS, type ExportLang } from "./book.js";
export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  contentType: string;
  /** The Content-Disposition header: attachment, ASCII name and RFC 5987 UTF-8 name. */
  disposition: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** `attachment; filename="ascii.csv"; filename*=UTF-8''%E5%8F%96…` (RFC 6266, RFC 5987). */
export function contentDisposition(fileName: string, asciiName: string): string {
  const ascii = asciiName.replace(/[^A-Za-z0-9._-]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function renderBook(book: ExportBook, format: ExportFormat): Promise<ExportFile> {
  const body = format === "csv" ? Buffer.from(toCsv(book), "utf8") : await toXlsx(book);
  return {
    contentType: CONTENT_TYPES[format],
    disposition: contentDisposition(`${book.fileName}.${format}`, `${book.asciiName}.${format}`),
    body,
  };
}

/**
 * A day's pickup lists, every drop point of the community that is active or has entries that
 * day. Coordinators of the community only (the pickup list's rule).
 */
export async function exportDay(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  date: string,
  format: ExportFormat,
  lang: ExportLang,
): Promise<ExportFile> {
  const overview = await dayOverview(ctx, session, communityId, date);
  const community = await getCommunity(ctx, session, communityId);
  const points = overview.dropPoints.filter((p) => p.dropPoint.active || p.entries > 0);
  const lists = await Promise.all(
    points.map((p) => buildPickupList(ctx, session, communityId, date, p.dropPoint.id)),
  );
  return renderBook(dayBook(community, date, lists, lang), format);
}

/** A chain's orders: the chain's grower or a coordinator of its community (as for /entries). */
export async function exportChain(
  ctx: Ctx,
  session: SessionInfo | null,
  chainId: string,
  format: ExportFormat,
  lang: ExportLang,
): Promise<ExportFile> {
  const entries = await listStaffEntries(ctx, session, chainId);
  const [chain, load, harvest] = await Promise.all([
    getChainView(ctx, chainId),
    loadList(ctx, session, chainId),
    harvestList(ctx, session, chainId),
  ]);
  return renderBook(chainBook(chain, entries, load, harvest, lang), format);
}
