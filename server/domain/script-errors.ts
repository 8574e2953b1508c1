/** Turn a script's { err, ...details } into an AppError, with quantities in units and item names. */
import type { ErrorCode } from "../../shared/errors.js";
import { fromMilli } from "../../shared/quantity.js";
import { AppError } from "../errors.js";
import type { ItemRecord } from "../store/records.js";
import type { ScriptFailure } from "../store/scripts.js";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" ? v : 0);

export function scriptError(f: ScriptFailure, items: ItemRecord[] = []): AppError {
  const byId = new Map(items.map((i) => [i.id, i]));
  const item = (id: unknown) => byId.get(str(id));
  const label = (id: unknown) => {
    const i = item(id);
    return i ? `${i.name}` : str(id);
  };
  const qty = (id: unknown, milli: number) => `${fromMilli(milli)} ${item(id)?.unit ?? ""}`.trim();

  switch (f.err) {
    case "not_found":
      return new AppError("not_found", `${str(f.what) || "chain"} not found`);
    case "chain_closed":
      return new AppError(
        "chain_closed",
        f.editing
          ? "this chain is closed and can no longer be edited"
          : "this chain is closed for orders",
      );
    case "unknown_drop_point":
      return new AppError("unknown_drop_point", "this chain does not deliver to that drop point", {
        dropPointId: f.dropPointId,
      });
    case "unknown_item":
      return new AppError(
        "unknown_item",
        `this ${f.where === "entry" ? "entry" : "chain"} has no item ${str(f.itemId)}`,
        {
          itemId: f.itemId,
        },
      );
    case "bad_quantity":
      return new AppError(
        "bad_quantity",
        `${label(f.itemId)} is sold in steps of ${qty(f.itemId, num(f.step))}`,
        { itemId: f.itemId, step: fromMilli(num(f.step)) },
      );
    case "sold_out": {
      const short = (f.short as { itemId: string; wanted: number; remaining: number }[]) ?? [];
      const left = (f.left as { itemId: string; remaining: number }[]) ?? [];
      return new AppError(
        "sold_out",
        `sold out: ${short.map((s) => `${label(s.itemId)} has ${qty(s.itemId, Math.max(0, s.remaining))} left`).join(", ")}`,
        {
          short: short.map((s) => ({
            itemId: s.itemId,
            name: label(s.itemId),
            wanted: fromMilli(s.wanted),
            remaining: fromMilli(Math.max(0, s.remaining)),
          })),
          left: left.map((l) => ({
            itemId: l.itemId,
            name: label(l.itemId),
            unit: item(l.itemId)?.unit ?? "",
            remaining: l.remaining < 0 ? null : fromMilli(l.remaining),
          })),
        },
      );
    }
    case "limit_exceeded":
      return new AppError(
        "limit_exceeded",
        `${label(f.itemId)} is limited to ${qty(f.itemId, num(f.limit))} per person; already ordered ${qty(f.itemId, num(f.already))}${f.by === "phone" ? " under this phone number" : ""}`,
        {
          itemId: f.itemId,
          limit: fromMilli(num(f.limit)),
          already: fromMilli(num(f.already)),
          ...(f.by === "phone" ? { by: "phone" } : {}),
        },
      );
    case "phone_required":
      return new AppError(
        "validation_failed",
        "phone: this community asks for at least the last 4 digits of a phone number",
        [{ path: ["phone"], message: "required: at least the last 4 digits of a phone number" }],
      );
    case "too_many_entries":
      return new AppError(
        "too_many_entries",
        `one phone may hold at most ${num(f.max)} orders in a chain; change or cancel one first`,
        { max: num(f.max) },
      );
    case "codes_exhausted":
      return new AppError(
        "codes_exhausted",
        "this drop point has handed out every pickup code for that day",
        { dropPointId: f.dropPointId },
      );
    case "request_id_conflict":
      return new AppError(
        "request_id_conflict",
        "this request id was already used for a different request",
      );
    case "entry_cancelled":
      return new AppError("entry_cancelled", "this entry is cancelled");
    case "forbidden":
      return new AppError("forbidden", "this entry was made on another device");
    case "stock_below_sold":
      return new AppError(
        "stock_below_sold",
        `${label(f.itemId)}: ${qty(f.itemId, num(f.sold))} already sold; stock cannot be lower`,
        { itemId: f.itemId, sold: fromMilli(num(f.sold)) },
      );
    case "invalid_state":
      return new AppError(
        "invalid_state",
        f.from
          ? `a chain cannot go from ${str(f.from)} to ${str(f.to)}`
          : str(f.message) || "not possible now",
        f.from ? { from: f.from, to: f.to } : undefined,
      );
    case "validation_failed":
      return new AppError("validation_failed", str(f.message) || "invalid input");
    default:
      return new AppError(f.err as ErrorCode, str(f.message) || f.err);
  }
}
