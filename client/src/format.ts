import { fromMilli } from "../../shared/quantity.js";

export { yuan } from "../../shared/money.js";

/** Quantities as people write them: 1.5, not 1.500. */
export const qty = (n: number) => String(Math.round(n * 1000) / 1000);

export { fromMilli };

/** "3小时12分" / "3h 12m" style countdown, coarse on purpose. */
export function countdown(ms: number, lang: "zh" | "en"): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (lang === "zh") {
    if (d) return `${d}天${h}小时`;
    if (h) return `${h}小时${m}分`;
    return `${m}分${sec}秒`;
  }
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  return `${m}m ${sec}s`;
}

/** The time of day of an instant in a timezone, e.g. 20:00. */
export function timeIn(at: number, tz: string): string {
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: tz,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(at);
}

/** 11月29日 周日 / Sun 29 Nov */
export function dayLabel(date: string, lang: "zh" | "en"): string {
  const [y, m, d] = date.split("-").map(Number);
  const at = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12);
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "UTC",
    month: "short",
    day: "numeric",
    weekday: "short",
  }).format(at);
}

/** The calendar date (yyyy-MM-dd) of an instant in a timezone. */
export function dateOf(at: number, tz: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** A cutoff with its day, so 13:08 is never read as the delivery day's: "12月6日周日 13:08". */
export function cutoffLabel(at: number, tz: string, lang: "zh" | "en"): string {
  return `${dayLabel(dateOf(at, tz), lang)} ${timeIn(at, tz)}`;
}
