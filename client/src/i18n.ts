/** zh-CN first, English available. Plain words: many readers are elderly. */
import type { ErrorBody, ErrorCode } from "../../shared/errors.js";
import { qty } from "./format.js";

const zh = {
  appName: "接龙",
  loading: "正在加载…",
  language: "English",
  elderOn: "大字模式",
  elderOff: "标准字号",
  delivery: "送货日期",
  cutoff: "截单",
  closesIn: "距离截单还有 {time}",
  closed: "已截单",
  cancelledChain: "本次接龙已取消",
  delivered: "已送达",
  soldOutClosed: "全部卖完了",
  dropPoints: "自提点",
  items: "商品",
  perUnit: "元/{unit}",
  left: "剩 {qty}{unit}",
  soldOut: "卖完了",
  limit: "每人限 {qty}{unit}",
  limitExceeded: "{item}每人最多 {limit}{unit}，已经订了 {already}{unit}",
  badStep: "{item}要按 {step}{unit} 一份来订",
  shortLeft: "{item}只剩 {qty}{unit}了",
  shortNone: "{item}已经卖完了",
  notPlaced: "这一单还没有接上。改好后，再点「{send}」。",
  changeTo: "{item}改成{n}{unit}",
  dropItem: "不要{item}了",
  waitFor: "排队候补{item}",
  over: "你选了{have}{unit}，现在最多能要{n}{unit}",
  chain: "接龙",
  nobodyYet: "还没有人接龙，来做第一个吧。",
  nobodyClosed: "这次接龙没有人参加。",
  showOlder: "显示前面的接龙（还有 {n} 条）",
  cancelledMark: "已取消",
  join: "我要接龙",
  yourOrder: "我要买",
  pickPoint: "在哪里取货",
  name: "称呼",
  namePlaceholder: "如：张阿姨",
  building: "楼栋门牌",
  buildingPlaceholder: "如：3-201",
  phone: "手机号（选填，只有团长能看到）",
  phoneRequired: "手机尾号（必填，至少后4位，只有团长能看到）",
  send: "接龙",
  sending: "正在提交…",
  total: "合计 {amount}",
  chooseSomething: "请先选择要买的菜",
  choosePoint: "请选在哪个自提点取货",
  joined: "接龙成功！您是第 {no} 号，取货码 {code}",
  queuedTitle: "已保存在这部手机上",
  another: "再接一单",
  findTitle: "找回我的订单",
  pending: "网络断了，已保存。联网后会自动提交（不会重复）。",
  pendingLine: "等待提交",
  confirming: "正在确认…（已经发出，正在等服务器确认，请不要重复提交）",
  confirmingLine: "正在确认…",
  mine: "我的接龙",
  change: "修改",
  save: "保存修改",
  cancel: "取消这单",
  confirmCancel: "确定要取消第 {no} 号吗？",
  cancelExplain: "取消后，第 {no} 号（{what}）就不要了，菜会留给别人。",
  confirmCancelYes: "是的，取消这单",
  keep: "不取消",
  editing: "正在修改第 {no} 号",
  stopEdit: "不改了",
  savedNo: "第 {no} 号已经改好了",
  cancelledNo: "第 {no} 号已经取消了",
  waited: "{item}已经排上候补。",
  waitedRest: "{item}已经排上候补。{rest}还没有接龙：请再点「{send}」。",
  codeChanged: "换了自提点，取货码变了：{from} → {to}，请记新的",
  savingQueued: "修改已发出，正在确认…",
  pickupCode: "取货码",
  offline: "网络已断开，正在重连…",
  offlineTitle: "没有网络，打不开接龙",
  offlineHelp: "请看看手机的 Wi-Fi 或移动数据是否打开。网络好了会自动打开，也可以点下面的“重试”。",
  offlineSaved: "这部手机上还有没发出的接龙，联网后会自动提交：",
  retry: "重试",
  online: "已连接",
  minus: "减少",
  plus: "增加",
  notFound: "找不到这个接龙",
  back: "返回",
  signIn: "请用团长发给您的邀请链接登录。",
  homeOfflineTitle: "没有网络，打不开",
  copied: "已复制",
  errors: {
    validation_failed: "填写有误：{message}",
    payload_too_large: "内容太长了",
    unauthorized: "请先登录",
    forbidden: "没有权限这样做",
    not_found: "找不到了",
    chain_closed: "已经截单，不能再接龙或修改了",
    sold_out: "卖完了，请减少数量",
    limit_exceeded: "超过每人限购数量",
    bad_quantity: "数量不对：{message}",
    unknown_item: "没有这个商品",
    unknown_drop_point: "这个自提点现在不送货，请换一个",
    request_id_conflict: "请求重复，请刷新页面",
    entry_cancelled: "这单已经取消了",
    stock_below_sold: "库存不能少于已卖出的数量",
    invalid_state: "现在不能这样做",
    setup_done: "社区已经创建过了",
    too_many_entries: "这部手机在这个接龙里的订单太多了，请先改或取消已有的",
    codes_exhausted: "这个自提点当天的取货码用完了，请联系团长",
    not_sold_out: "还没卖完，可以直接接龙",
    already_waiting: "您已经在候补队伍里了",
    more_than_stock: "这样东西总共也没有这么多，请少要一点再候补",
    waitlist_full: "候补的人已经排满了，这次买不到了",
    rate_limited: "操作太频繁了，请稍等一会儿再试",
    forbidden_origin: "请从本站的页面操作",
    json_required: "请从本站的页面操作",
    unavailable: "服务器暂时忙，请稍后再试",
    outcome_unknown: "正在确认…",
    internal_error: "出错了，请稍后再试",
    timeout: "网络太慢了，请稍后再试",
  } satisfies Record<ErrorCode | "timeout", string>,
};

type Messages = typeof zh;

const en: Messages = {
  appName: "Jielong",
  loading: "Loading…",
  language: "中文",
  elderOn: "Large text",
  elderOff: "Normal text",
  delivery: "Delivery",
  cutoff: "Orders close",
  closesIn: "Orders close in {time}",
  closed: "Orders closed",
  cancelledChain: "This chain was cancelled",
  delivered: "Delivered",
  soldOutClosed: "All sold out",
  dropPoints: "Pickup points",
  items: "Produce",
  perUnit: "¥ per {unit}",
  left: "{qty} {unit} left",
  soldOut: "Sold out",
  limit: "Max {qty} {unit} each",
  limitExceeded: "{item}: at most {limit} {unit} per person; {already} {unit} ordered already",
  badStep: "{item} is sold in steps of {step} {unit}",
  shortLeft: "Only {qty} {unit} of {item} left",
  shortNone: "{item} is sold out",
  notPlaced: "This order was not placed. Change it, then tap “{send}” again.",
  changeTo: "Change {item} to {n} {unit}",
  dropItem: "Remove {item}",
  waitFor: "Join the waitlist for {item}",
  over: "You chose {have} {unit}; {n} {unit} at most now",
  chain: "Orders",
  nobodyYet: "No orders yet. Be the first!",
  nobodyClosed: "Nobody ordered in this chain.",
  showOlder: "Show earlier orders ({n} more)",
  cancelledMark: "cancelled",
  join: "Join the chain",
  yourOrder: "I'd like",
  pickPoint: "Pickup point",
  name: "Name",
  namePlaceholder: "e.g. Auntie Zhang",
  building: "Building / room",
  buildingPlaceholder: "e.g. 3-201",
  phone: "Phone (optional, only organisers see it)",
  phoneRequired: "Phone ending (required: at least the last 4 digits; only organisers see it)",
  send: "Order",
  sending: "Sending…",
  total: "Total {amount}",
  chooseSomething: "Choose something first",
  choosePoint: "Choose where you'll pick it up",
  joined: "You're in! Number {no}, pickup code {code}",
  queuedTitle: "Saved on this phone",
  another: "Order again",
  findTitle: "Find my order",
  pending: "You're offline. Saved; it will be sent once you're back (never twice).",
  pendingLine: "waiting to send",
  confirming: "Confirming… (sent; waiting for the server to confirm, no need to send it again)",
  confirmingLine: "confirming…",
  mine: "My orders",
  change: "Change",
  save: "Save changes",
  cancel: "Cancel this order",
  confirmCancel: "Cancel number {no}?",
  cancelExplain: "If you cancel, number {no} ({what}) is dropped and the produce goes to others.",
  confirmCancelYes: "Yes, cancel it",
  keep: "Keep it",
  editing: "Changing number {no}",
  stopEdit: "Don't change",
  savedNo: "Number {no} is changed",
  cancelledNo: "Number {no} is cancelled",
  waited: "{item}: you are on the waitlist.",
  waitedRest: "{item}: you are on the waitlist. {rest} is not ordered yet: tap “{send}” again.",
  codeChanged: "New pickup point, new pickup code: {from} → {to}. Use the new one",
  savingQueued: "Change sent, confirming…",
  pickupCode: "Pickup code",
  offline: "Offline, reconnecting…",
  offlineTitle: "No network: the chain can't open",
  offlineHelp:
    "Check that Wi-Fi or mobile data is on. It opens by itself once the network is back, or tap Retry.",
  offlineSaved: "Orders saved on this phone, sent once you're back online:",
  retry: "Retry",
  online: "Connected",
  minus: "Less",
  plus: "More",
  notFound: "This chain was not found",
  back: "Back",
  signIn: "Please sign in with the invite link your organiser sent you.",
  homeOfflineTitle: "No network: the page can't open",
  copied: "Copied",
  errors: {
    validation_failed: "Please check: {message}",
    payload_too_large: "That is too long",
    unauthorized: "Please sign in first",
    forbidden: "You can't do that",
    not_found: "Not found",
    chain_closed: "Orders are closed: no more joining or changing",
    sold_out: "Sold out; please order less",
    limit_exceeded: "That's over the limit per person",
    bad_quantity: "Wrong amount: {message}",
    unknown_item: "No such item",
    unknown_drop_point: "That pickup point isn't served now; please pick another",
    request_id_conflict: "Duplicate request; please reload",
    entry_cancelled: "That order is already cancelled",
    stock_below_sold: "Stock can't be less than what's sold",
    invalid_state: "That's not possible now",
    setup_done: "The community already exists",
    too_many_entries: "This phone has too many orders in this chain; change or cancel one first",
    codes_exhausted:
      "This pickup point has run out of pickup codes for the day; ask the coordinator",
    not_sold_out: "It isn't sold out: you can join the chain directly",
    already_waiting: "You are already on the waitlist",
    more_than_stock: "There isn't that much of it in all: ask for less to wait",
    waitlist_full: "The waitlist for it is full this time",
    rate_limited: "Too many tries at once; wait a moment and try again",
    forbidden_origin: "Please use this site's own pages",
    json_required: "Please use this site's own pages",
    unavailable: "The server is busy; try again shortly",
    outcome_unknown: "Confirming…",
    internal_error: "Something went wrong; try again shortly",
    timeout: "The network is slow; try again shortly",
  },
};

export type Lang = "zh" | "en";
type Key = Exclude<keyof Messages, "errors">;

const MESSAGES: Record<Lang, Messages> = { zh, en };
let lang: Lang = "zh";

export function setLang(next: Lang): void {
  lang = next;
  // The words also run outside a page (unit tests).
  if (typeof document !== "undefined")
    document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
}

export const currentLang = () => lang;

const fill = (text: string, params: Record<string, string | number> = {}) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));

export function t(key: Key, params?: Record<string, string | number>): string {
  return fill(MESSAGES[lang][key], params);
}

/** An error in plain words. */
export function errorText(code: string, message = ""): string {
  const table = MESSAGES[lang].errors as Record<string, string>;
  return fill(table[code] ?? table.internal_error ?? "", { message });
}

/** An error from the server (its details per code: shared/errors.ts), or one made here. */
type ErrorLike = ErrorBody | { code: string; message: string; details?: undefined };

/**
 * An error in the reader's language, worded from its details where the server gave them (what is
 * left, the limit, the step), so no English server message shows on a Chinese page.
 */
export function explainError(
  error: ErrorLike,
  items: readonly { id: string; name: string; unit: string }[] = [],
): string {
  const itemOf = (id: string) => items.find((i) => i.id === id);
  const sep = lang === "zh" ? "，" : ", ";
  const e = error as ErrorBody;
  if (e.code === "sold_out" && e.details?.short.length) {
    // Only what ran short for this order: the item, and how much of it is left.
    const unitOf = (id: string) =>
      e.details?.left.find((l) => l.itemId === id)?.unit || itemOf(id)?.unit || "";
    return e.details.short
      .map((s) =>
        s.remaining > 0
          ? t("shortLeft", { item: s.name, qty: qty(s.remaining), unit: unitOf(s.itemId) })
          : t("shortNone", { item: s.name }),
      )
      .join(sep);
  }
  if (e.code === "limit_exceeded" && e.details) {
    const item = itemOf(e.details.itemId);
    if (item) {
      const { limit, already } = e.details;
      return t("limitExceeded", {
        item: item.name,
        limit: qty(limit),
        already: qty(already),
        unit: item.unit,
      });
    }
  }
  if (e.code === "bad_quantity" && e.details) {
    const item = itemOf(e.details.itemId);
    if (item) return t("badStep", { item: item.name, step: qty(e.details.step), unit: item.unit });
  }
  return errorText(error.code, error.message);
}

/**
 * Pages loaded apart (grower, admin) bring their own words, so the resident page stays light:
 * `const tg = words({ zh: {...}, en: {...} })`.
 */
export function words<M extends Record<string, string>>(table: {
  zh: M;
  en: { [K in keyof M]: string };
}) {
  return (key: keyof M, params?: Record<string, string | number>) =>
    fill((table[lang] as Record<keyof M, string>)[key], params);
}
