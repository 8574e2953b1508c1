/**
 * Every payload that crosses an edge (HTTP body, socket payload) is declared here once,
 * with its type beside it. The client's forms and the server's validators use the same schemas.
 */
import { z } from "zod";
import { LIMITS } from "./limits.js";
import { toMilli } from "./quantity.js";
import { BROKEN_CHARACTER, stripInvisible, wellFormed } from "./text.js";
import { isValidTimeZone } from "./timezone.js";

// ---- building blocks ----------------------------------------------------------------------

/** Control characters, and the line and paragraph separators U+2028/U+2029 that break a line too. */
const CONTROL_CHARS = /[\p{Cc}\p{Zl}\p{Zp}]/u;
const ANGLE_BRACKETS = /[<>]/;

/** Any text: whole characters only (shared/text.ts). */
const wholeText = () => z.string().refine(wellFormed, BROKEN_CHARACTER);

/** Bidi controls and zero-width characters are dropped first, so every text field is stored without them. */
const visible = () => wholeText().transform(stripInvisible);

/** One line of plain text: trimmed, no control characters. */
export const plainLine = (max: number) =>
  visible().pipe(
    z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(max, `at most ${max} characters`)
      .refine((s) => !CONTROL_CHARS.test(s), "must not contain control characters"),
  );

/** A person's or place's name: plain text without markup. */
export const nameText = (max: number) =>
  plainLine(max).refine((s) => !ANGLE_BRACKETS.test(s), "must not contain < or >");

/** Free text (notes): newlines and tabs allowed, rendered as text only. */
export const freeText = (max: number) =>
  visible().pipe(
    z
      .string()
      .trim()
      .max(max, `at most ${max} characters`)
      .refine(
        (s) => !CONTROL_CHARS.test(s.replace(/[\n\t]/g, "")),
        "must not contain control characters",
      ),
  );

export const Id = z.string().regex(/^[a-z0-9]{4,24}$/, "not an id");
export const ChainId = z.string().regex(/^[a-z0-9]{4,24}-[a-z0-9]{4,24}$/, "not a chain id");
export const ItemId = z.string().regex(/^i[0-9]{1,3}$/, "not an item id");
export const RequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "8–64 letters, digits, - or _");
export const DeviceKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, "16–128 letters, digits, - or _");
export const Token = z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, "not a token");
export const IsoDate = z.iso.date();
export const TimeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "HH:MM");
export const TimeZone = z.string().refine(isValidTimeZone, "unknown time zone");
export const EntryNo = z.int().positive().max(1_000_000);

/** A quantity in the item's unit: positive, at most 3 decimals. */
export const Quantity = z
  .number()
  .positive("must be more than 0")
  .max(LIMITS.qtyMax, `at most ${LIMITS.qtyMax}`)
  .refine((q) => toMilli(q) !== null, "at most 3 decimals");

export const PriceFen = z.int().min(1, "at least 1 fen").max(LIMITS.priceMaxFen);
export const Stock = z
  .number()
  .min(0)
  .max(LIMITS.stockMax)
  .refine((q) => toMilli(q) !== null, "at most 3 decimals");
export const Step = z
  .number()
  .positive()
  .max(LIMITS.stepMax)
  .refine((q) => toMilli(q) !== null, "at most 3 decimals");
export const Phone = z
  .string()
  .trim()
  .regex(
    new RegExp(`^\\+?[0-9][0-9 -]{${LIMITS.phoneMin - 1},${LIMITS.phoneMax - 2}}$`),
    "digits, spaces or - only (the last 4 digits will do)",
  );
/**
 * Buildings are compared and sorted, so full-width forms become ASCII (３-２０１ → 3-201).
 * Normalised before the checks, so ＜ and ＞ cannot slip through as < and >.
 */
export const Building = z
  .string()
  .transform((s) => s.normalize("NFKC"))
  .pipe(nameText(LIMITS.buildingMax));

// ---- community, people ----------------------------------------------------------------------

export const PickupWindow = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay })
  .refine((w) => w.start < w.end, "start must be before end");
export type PickupWindow = z.infer<typeof PickupWindow>;

export const DropPointInput = z.strictObject({
  name: nameText(LIMITS.nameMax),
  description: freeText(LIMITS.descriptionMax).default(""),
  window: PickupWindow,
  active: z.boolean().default(true),
});
export type DropPointInput = z.infer<typeof DropPointInput>;

export const DropPointPatch = z.strictObject({
  name: nameText(LIMITS.nameMax).optional(),
  description: freeText(LIMITS.descriptionMax).optional(),
  window: PickupWindow.optional(),
  active: z.boolean().optional(),
});
export type DropPointPatch = z.infer<typeof DropPointPatch>;

export const CommunityInput = z.strictObject({
  name: nameText(LIMITS.communityNameMax),
  timezone: TimeZone.optional(),
});

export const CommunityPatch = z.strictObject({
  name: nameText(LIMITS.communityNameMax).optional(),
  timezone: TimeZone.optional(),
  /** Residents must give at least a phone's last 4 digits; per-person limits count by them. */
  requirePhone4: z.boolean().optional(),
});
export type CommunityPatch = z.infer<typeof CommunityPatch>;

export const SetupBody = z.strictObject({
  token: Token,
  community: CommunityInput,
  coordinator: z.strictObject({ name: nameText(LIMITS.nameMax) }),
});
export type SetupBody = z.infer<typeof SetupBody>;

export const Role = z.enum(["coordinator", "grower"]);
export type Role = z.infer<typeof Role>;

/** Invite a new grower or coordinator, or (with userId) give an existing one a sign-in link. */
export const InviteCreateBody = z.union([
  z.strictObject({ role: Role }),
  z.strictObject({ userId: Id }),
]);
export type InviteCreateBody = z.infer<typeof InviteCreateBody>;

/** name is required when the link creates a new person; a sign-in link ignores these fields. */
export const InviteAcceptBody = z.strictObject({
  token: Token,
  name: nameText(LIMITS.nameMax).optional(),
  village: nameText(LIMITS.nameMax).optional(),
  phone: Phone.optional(),
});
export type InviteAcceptBody = z.infer<typeof InviteAcceptBody>;

// ---- chains -----------------------------------------------------------------------------

export const ItemInput = z
  .strictObject({
    name: nameText(LIMITS.itemNameMax),
    unit: nameText(LIMITS.unitMax),
    priceFen: PriceFen,
    step: Step.default(1),
    stock: Stock.optional(),
    limit: Quantity.optional(),
  })
  .superRefine((item, ctx) => {
    const step = toMilli(item.step) ?? 1;
    for (const key of ["stock", "limit"] as const) {
      const value = item[key];
      if (value !== undefined && (toMilli(value) ?? 0) % step !== 0) {
        ctx.addIssue({ code: "custom", path: [key], message: "must be a multiple of the step" });
      }
    }
  });
export type ItemInput = z.infer<typeof ItemInput>;

const uniqueBy =
  <T>(key: (t: T) => string, what: string) =>
  (list: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    for (const [i, t] of list.entries()) {
      const k = key(t);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate ${what}` });
      seen.add(k);
    }
  };

export const ChainCreateBody = z.strictObject({
  title: nameText(LIMITS.titleMax),
  note: freeText(LIMITS.noteMax).default(""),
  deliveryDate: IsoDate.optional(),
  cutoffAt: z.iso.datetime({ offset: true }).optional(),
  dropPointIds: z
    .array(Id)
    .min(1)
    .max(LIMITS.dropPointsMax)
    .superRefine(uniqueBy((s) => s, "drop point")),
  items: z
    .array(ItemInput)
    .min(1)
    .max(LIMITS.itemsMax)
    .superRefine(uniqueBy((i) => `${i.name}\u0000${i.unit}`, "item")),
});
export type ChainCreateBody = z.infer<typeof ChainCreateBody>;
/** What a client sends (defaults not yet applied). */
export type ChainCreateInput = z.input<typeof ChainCreateBody>;

export const ItemPatch = z.strictObject({
  id: ItemId,
  priceFen: PriceFen.optional(),
  /** null removes the cap. */
  stock: Stock.nullable().optional(),
});
export type ItemPatch = z.infer<typeof ItemPatch>;

export const ChainPatchBody = z
  .strictObject({
    title: nameText(LIMITS.titleMax).optional(),
    note: freeText(LIMITS.noteMax).optional(),
    cutoffAt: z.iso.datetime({ offset: true }).optional(),
    items: z
      .array(ItemPatch)
      .max(LIMITS.itemsMax)
      .superRefine(uniqueBy((i) => i.id, "item"))
      .optional(),
  })
  .refine(
    (p) => Object.values(p).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
    "nothing to change",
  );
export type ChainPatchBody = z.infer<typeof ChainPatchBody>;

export const ChainStatus = z.enum(["open", "closed", "delivered", "cancelled"]);
export type ChainStatus = z.infer<typeof ChainStatus>;

export const ChainListQuery = z.strictObject({ date: IsoDate.optional() });

// ---- entries (socket commands) --------------------------------------------------------------

export const LineInput = z.strictObject({ itemId: ItemId, qty: Quantity });
export type LineInput = z.infer<typeof LineInput>;

const Lines = z
  .array(LineInput)
  .min(1, "choose at least one item")
  .max(LIMITS.linesMax)
  .superRefine(uniqueBy((l) => l.itemId, "item"));

export const EntryJoin = z.strictObject({
  requestId: RequestId,
  chainId: ChainId,
  dropPointId: Id,
  name: nameText(LIMITS.nameMax),
  building: Building,
  phone: Phone.optional(),
  lines: Lines,
});
export type EntryJoin = z.infer<typeof EntryJoin>;

/** A personal entry key (`<no>.<mac>`), from the link shown after joining. */
export const EntryKey = wholeText().max(40);

export const EntryUpdate = z
  .strictObject({
    requestId: RequestId,
    chainId: ChainId,
    no: EntryNo,
    /** Acts for the device that made the entry; only for the entry the key is for. */
    key: EntryKey.optional(),
    dropPointId: Id.optional(),
    name: nameText(LIMITS.nameMax).optional(),
    building: Building.optional(),
    /** null removes the phone. */
    phone: Phone.nullable().optional(),
    lines: Lines.optional(),
  })
  .refine(
    (u) => Object.keys(u).some((k) => !["requestId", "chainId", "no", "key"].includes(k)),
    "nothing to change",
  );
export type EntryUpdate = z.infer<typeof EntryUpdate>;

export const EntryCancel = z.strictObject({
  requestId: RequestId,
  chainId: ChainId,
  no: EntryNo,
  key: EntryKey.optional(),
});

/** Find my order: the last 4 digits of the phone and the pickup code. */
export const EntryFindBody = z.strictObject({
  phone4: z.string().regex(/^\d{4}$/, "the last 4 digits of the phone"),
  pickupCode: z.string().regex(/^\d{3,7}$/, "the pickup code"),
});
export type EntryFindBody = z.infer<typeof EntryFindBody>;

export const EntryKeyBody = z.strictObject({ key: EntryKey });
export type EntryCancel = z.infer<typeof EntryCancel>;

// ---- the waitlist (socket commands) ---------------------------------------------------------

/** Wait in line for an item that is sold out: the same who and where as a join, one item. */
export const WaitlistJoin = z.strictObject({
  requestId: RequestId,
  chainId: ChainId,
  itemId: ItemId,
  qty: Quantity,
  dropPointId: Id,
  name: nameText(LIMITS.nameMax),
  building: Building,
  phone: Phone.optional(),
});
export type WaitlistJoin = z.infer<typeof WaitlistJoin>;

export const WaiterId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const WaitlistLeave = z.strictObject({
  requestId: RequestId,
  chainId: ChainId,
  waiterId: WaiterId,
});
export type WaitlistLeave = z.infer<typeof WaitlistLeave>;

/** This device's waiting requests of a chain, and the entries the waitlist made of them. */
export const WaitlistMine = z.strictObject({ chainId: ChainId });
export type WaitlistMine = z.infer<typeof WaitlistMine>;

/** Check-off at the drop point: set or undo one mark. */
export const EntryMark = z.strictObject({
  requestId: RequestId,
  chainId: ChainId,
  no: EntryNo,
  mark: z.enum(["collected", "paid", "noShow"]),
  on: z.boolean(),
});
export type EntryMark = z.infer<typeof EntryMark>;

/** Actual weights of weighed lines; null clears a recorded weight. */
export const EntryWeigh = z.strictObject({
  requestId: RequestId,
  chainId: ChainId,
  no: EntryNo,
  lines: z
    .array(z.strictObject({ itemId: ItemId, actualQty: Quantity.nullable() }))
    .min(1)
    .max(LIMITS.linesMax)
    .superRefine(uniqueBy((l) => l.itemId, "item")),
});
export type EntryWeigh = z.infer<typeof EntryWeigh>;

export const ChainWatch = z.strictObject({
  chainId: ChainId,
  sinceVersion: z.int().min(0).optional(),
});
export type ChainWatch = z.infer<typeof ChainWatch>;

export const ChainUnwatch = z.strictObject({ chainId: ChainId });

/** A page of a chain's older entries: numbers below `before`, newest page first. */
export const ChainEntriesQuery = z.strictObject({
  chainId: ChainId,
  before: EntryNo,
  limit: z.int().min(1).max(500).default(200),
});
/** What a client sends (limit may be left out). */
export type ChainEntriesQuery = z.input<typeof ChainEntriesQuery>;
/** The same, from an HTTP query string. */
export const ChainPageQuery = z.strictObject({
  before: z.coerce.number().pipe(EntryNo),
  limit: z.coerce.number().pipe(z.int().min(1).max(500)).default(200),
});
export type ChainUnwatch = z.infer<typeof ChainUnwatch>;

export const PickupWatch = z.strictObject({ date: IsoDate, dropPointId: Id });
export type PickupWatch = z.infer<typeof PickupWatch>;

/** Socket.IO handshake `auth`. */
export const SocketAuth = z.object({
  token: Token.optional(),
  deviceKey: DeviceKey.optional(),
});
export type SocketAuth = z.infer<typeof SocketAuth>;

// ---- WeChat text import (coordinators) -------------------------------------------------------

export const ImportPreviewBody = z.strictObject({
  // Fits the 32 kB body limit: ~10,000 Chinese characters is a 接龙 of several hundred lines.
  text: wholeText().max(10_000, "at most 10,000 characters"),
});
export type ImportPreviewBody = z.infer<typeof ImportPreviewBody>;

/** The entries to create, as previewed and fixed by a person. `raw` is the line as typed. */
export const ImportEntry = z.strictObject({
  raw: wholeText().max(1000),
  name: nameText(LIMITS.nameMax),
  building: Building,
  dropPointId: Id.optional(),
  lines: Lines,
});
export type ImportEntry = z.infer<typeof ImportEntry>;

export const ImportBody = z.strictObject({
  /** Where entries without their own drop point pick up. */
  dropPointId: Id,
  entries: z.array(ImportEntry).min(1).max(300),
});
export type ImportBody = z.infer<typeof ImportBody>;

// ---- import: the words residents use for an item --------------------------------------------

/** Teach the community a word for an item: 白菜 means 小白菜 (POST …/item-aliases). */
export const ItemAliasBody = z
  .strictObject({
    alias: nameText(LIMITS.itemNameMax),
    item: nameText(LIMITS.itemNameMax),
  })
  .refine((a) => a.alias !== a.item, "the alias must differ from the item's name");
export type ItemAliasBody = z.infer<typeof ItemAliasBody>;
