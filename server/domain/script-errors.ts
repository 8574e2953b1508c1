/** Turn a script's refusal into an AppError, with quantities in units and item names. */
import { fromMilli } from "../../shared/quantity.js";
import { AppError } from "../errors.js";
import type { ItemRecord } from "../store/records.js";
import type { ScriptFailure } from "../store/scripts.js";

export function scriptError(f: ScriptFailure, items: ItemRecord[] = []): AppError {
  const byId = new Map(items.map((i) => [i.id, i]));
  const label = (id: string) => byId.get(id)?.name ?? id;
  const qty = (id: string, milli: number) =>
    `${fromMilli(milli)} ${byId.get(id)?.unit ?? ""}`.trim();
  // Lists of items come in the chain's order, as the grower listed them (a Redis hash has none).
  const rank = new Map(items.map((i, n) => [i.id, n]));
  const inChainOrder = <T extends { itemId: string }>(list: T[]) =>
    [...list].sort(
      (a, b) => (rank.get(a.itemId) ?? items.length) - (rank.get(b.itemId) ?? items.length),
    );

  switch (f.err) {
    case "not_found":
      return new AppError("not_found", `${f.what ?? "chain"} not found`);
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
        `this ${f.where === "entry" ? "entry" : "chain"} has no item ${f.itemId}`,
        { itemId: f.itemId },
      );
    case "bad_quantity":
      return new AppError(
        "bad_quantity",
        `${label(f.itemId)} is sold in steps of ${qty(f.itemId, f.step)}`,
        { itemId: f.itemId, step: fromMilli(f.step) },
      );
    case "sold_out": {
      const short = inChainOrder(f.short);
      return new AppError(
        "sold_out",
        `sold out: ${short
          .map((s) => `${label(s.itemId)} has ${qty(s.itemId, Math.max(0, s.remaining))} left`)
          .join(", ")}`,
        {
          short: short.map((s) => ({
            itemId: s.itemId,
            name: label(s.itemId),
            wanted: fromMilli(s.wanted),
            remaining: fromMilli(Math.max(0, s.remaining)),
          })),
          left: inChainOrder(f.left).map((l) => ({
            itemId: l.itemId,
            name: label(l.itemId),
            unit: byId.get(l.itemId)?.unit ?? "",
            remaining: l.remaining < 0 ? null : fromMilli(l.remaining),
          })),
        },
      );
    }
    case "limit_exceeded":
      return new AppError(
        "limit_exceeded",
        `${label(f.itemId)} is limited to ${qty(f.itemId, f.limit)} per person; already ordered ${qty(f.itemId, f.already)}${f.by === "phone" ? " under this phone number" : ""}`,
        {
          itemId: f.itemId,
          limit: fromMilli(f.limit),
          already: fromMilli(f.already),
          ...(f.by === "phone" ? { by: "phone" as const } : {}),
        },
      );
    case "phone_required":
      return new AppError(
        "validation_failed",
        "phone: this community asks for at least the last 4 digits of a phone number",
        [
          {
            path: ["phone"],
            message: "required: at least the last 4 digits of a phone number",
            code: "custom",
            rule: "phone_required",
          },
        ],
      );
    case "too_many_entries":
      return new AppError(
        "too_many_entries",
        `one phone may hold at most ${f.max} orders in a chain; change or cancel one first`,
        { max: f.max },
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
      return new AppError(
        "forbidden",
        f.what === "waiter"
          ? "this place in line was taken on another device"
          : "this entry was made on another device",
      );
    case "stock_below_sold":
      return new AppError(
        "stock_below_sold",
        `${label(f.itemId)}: ${qty(f.itemId, f.sold)} already sold; stock cannot be lower`,
        { itemId: f.itemId, sold: fromMilli(f.sold) },
      );
    case "invalid_state":
      return f.from && f.to
        ? new AppError("invalid_state", `a chain cannot go from ${f.from} to ${f.to}`, {
            from: f.from,
            to: f.to,
          })
        : new AppError("invalid_state", f.message || "not possible now");
    case "validation_failed":
      return new AppError("validation_failed", f.message || "invalid input");
    case "not_sold_out":
      return new AppError(
        "not_sold_out",
        `${label(f.itemId)} is not sold out: join the chain instead`,
        { itemId: f.itemId, remaining: f.remaining < 0 ? null : fromMilli(f.remaining) },
      );
    case "already_waiting":
      return new AppError("already_waiting", `already waiting for ${label(f.itemId)}`, {
        itemId: f.itemId,
        waiterId: f.waiterId,
      });
    case "more_than_stock":
      return new AppError(
        "more_than_stock",
        `${label(f.itemId)}: only ${fromMilli(f.stock)} in all, so more can never be met`,
        { itemId: f.itemId, stock: fromMilli(f.stock) },
      );
    case "waitlist_full":
      return new AppError(
        "waitlist_full",
        `${f.max} requests already wait for ${label(f.itemId)}`,
        {
          itemId: f.itemId,
          max: f.max,
        },
      );
    case "retry":
      // store/chains.ts sends again with the keys it names; it only lands here after 3 tries.
      return new AppError("unavailable", "the entry kept moving; try again");
  }
}
