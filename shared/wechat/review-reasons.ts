/**
 * Why a line went to review: one code, one meaning, for both parsers. Screens word the code (the
 * Chinese and English here are short defaults for them and for docs); `{item}`, `{unit}` and
 * `{text}` are filled from the review line. `reason` in results is the English, filled in.
 */

export interface ReasonWording {
  /** Which parser gives it: a chain line (接龙) or a price post (listing). */
  scope: "chain" | "listing" | "both";
  zh: string;
  en: string;
}

export const REVIEW_REASONS = {
  // ---- chain lines ----
  no_building: { scope: "chain", zh: "没写楼栋门牌", en: "no building" },
  no_name: { scope: "chain", zh: "没写称呼", en: "no name" },
  name_too_long: { scope: "chain", zh: "称呼太长了", en: "name too long" },
  unknown_item: { scope: "chain", zh: "有这个接龙里没有的菜", en: "unknown item" },
  no_item: { scope: "chain", zh: "没写要买什么", en: "no item" },
  unclear_quantity: { scope: "chain", zh: "数量看不准", en: "unclear quantity" },
  unclear_unit: { scope: "chain", zh: "单位看不懂", en: "unclear unit" },
  too_many_items: { scope: "chain", zh: "一单里的菜太多了", en: "too many items" },
  no_quantity: { scope: "chain", zh: "{item}没写数量", en: "no quantity for {item}" },
  item_twice: { scope: "chain", zh: "{item}写了两次", en: "{item} named twice" },
  which_item: { scope: "chain", zh: "不知道是哪一种{item}", en: "which {item}?" },
  changed: { scope: "chain", zh: "写了取消或改动，请按原话处理", en: "taken back or changed" },
  unknown_drop_point: {
    scope: "chain",
    zh: "没有“{text}”这个自提点",
    en: "no drop point called {text}",
  },
  which_drop_point: { scope: "chain", zh: "写了不止一个自提点", en: "more than one drop point" },
  no_drop_point: { scope: "chain", zh: "没写在哪个自提点取", en: "no drop point" },
  unexpected: { scope: "chain", zh: "这一行读不懂", en: "could not be read" },
  already_in_chain: {
    scope: "chain",
    zh: "已经在接龙里了（第{text}号），不用再导入",
    en: "already in the chain (No. {text})",
  },
  same_person: {
    scope: "chain",
    zh: "第{text}号已经是这个人了：是改单，还是又一单？",
    en: "No. {text} is already this person: a change, or another order?",
  },
  // ---- both ----
  unit_mismatch: {
    scope: "both",
    zh: "{unit}和{item}的单位对不上",
    en: "{unit} does not fit {item}",
  },
  // ---- price posts ----
  several_names: {
    scope: "listing",
    zh: "几个名字共用一个价：是一样菜还是几样？",
    en: "several names before one price: one item or several?",
  },
  no_item_name: { scope: "listing", zh: "有价格但没写是什么菜", en: "a price without an item" },
  unclear_price: {
    scope: "listing",
    zh: "“{item}”后面的数字没写元或单位：是价格吗？",
    en: "a number after {item} without 元 or a unit: is it a price?",
  },
  stock_or_limit: {
    scope: "listing",
    zh: "“{text}”是总共只有这么多，还是每人限买这么多？",
    en: "{text}: stock, or a limit per person?",
  },
  limit_no_item: {
    scope: "listing",
    zh: "限量或限购说的菜不在单子上",
    en: "a limit or stock for an item not on the list",
  },
  shared_limit: {
    scope: "listing",
    zh: "几样菜一个限量：是每样各限，还是加起来限？",
    en: "one limit for several items: each, or together?",
  },
} as const satisfies Record<string, ReasonWording>;

type Reasons = typeof REVIEW_REASONS;

/** Every reason code. */
export type ReasonCode = keyof Reasons;
/** Why a chain line went to review. */
export type ReviewCode = {
  [K in ReasonCode]: Reasons[K]["scope"] extends "listing" ? never : K;
}[ReasonCode];
/** Why a line of a price post went to review. */
export type ListingReviewCode = {
  [K in ReasonCode]: Reasons[K]["scope"] extends "chain" ? never : K;
}[ReasonCode];

export const REASON_CODES = Object.keys(REVIEW_REASONS) as ReasonCode[];

/** What a reason's wording is filled with. */
export interface ReasonFill {
  item?: string;
  unit?: string;
  text?: string;
}

/** The English (or Chinese) wording of a code, filled in. */
export function wordReason(
  code: ReasonCode,
  fill: ReasonFill = {},
  language: "en" | "zh" = "en",
): string {
  const wording = REVIEW_REASONS[code]?.[language] ?? REVIEW_REASONS.unexpected[language];
  return wording.replace(/\{(item|unit|text)\}/gu, (_, key: keyof ReasonFill) => fill[key] ?? "");
}
