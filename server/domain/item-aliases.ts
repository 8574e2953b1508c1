/** The community's words for items, taught in the import review (docs/api.md §5.38). */
import type { SessionInfo } from "../../shared/events.js";
import { ITEM_ALIASES_MAX, type ItemAlias } from "../../shared/item-aliases.js";
import type { ItemAliasBody } from "../../shared/schemas.js";
import type { Ctx } from "../context.js";
import { AppError } from "../errors.js";
import { deleteItemAlias, readItemAliases, saveItemAlias } from "../store/item-aliases.js";
import { requireCoordinator } from "./access.js";

export async function listItemAliases(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
): Promise<ItemAlias[]> {
  requireCoordinator(session, communityId);
  return readItemAliases(ctx, communityId);
}

export async function addItemAlias(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  body: ItemAliasBody,
): Promise<ItemAlias[]> {
  requireCoordinator(session, communityId);
  if (!(await saveItemAlias(ctx, communityId, body, ITEM_ALIASES_MAX)))
    throw new AppError("validation_failed", `at most ${ITEM_ALIASES_MAX} item aliases`);
  return readItemAliases(ctx, communityId);
}

export async function removeItemAlias(
  ctx: Ctx,
  session: SessionInfo | null,
  communityId: string,
  alias: string,
): Promise<ItemAlias[]> {
  requireCoordinator(session, communityId);
  if (!(await deleteItemAlias(ctx, communityId, alias)))
    throw new AppError("not_found", "no such item alias");
  return readItemAliases(ctx, communityId);
}
