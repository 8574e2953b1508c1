/** Small helpers of the coordinator page. Kept here so the resident bundle never carries them. */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ZodError } from "zod";
import { firstIssueWords } from "../form-issues.js";
import type { ApiResult } from "../http/api.js";
import { errorText } from "../i18n.js";

/** Dates in the community's time zone (date-fns, loaded only with this page). */
export { addDaysToDate as addDays, dateIn as dateInZone } from "../../../shared/dates.js";
export { useDebounced } from "../hooks.js";

/** 11月30日 18:00 / 30 Nov 18:00, in the community's zone. */
export function momentIn(at: number, tz: string, lang: "zh" | "en"): string {
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: tz,
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(at);
}

/**
 * The first problem of a form, in plain words ("请填写名称"), by the zod issue's code and path
 * (client/src/form-issues.ts).
 */
export function issueText(error: ZodError, labels: Record<string, string>): string {
  return firstIssueWords(error.issues, labels);
}

/** A text/plain answer (GET /api/chains/:id/text), or the error in the API's usual shape. */
export async function getText(path: string): Promise<ApiResult<string>> {
  try {
    const res = await fetch(`/api${path}`, { credentials: "same-origin" });
    if (res.ok) return { ok: true, data: await res.text() };
    const json = (await res.json().catch(() => ({}))) as {
      error?: { code: string; message: string };
    };
    return {
      ok: false,
      status: res.status,
      error: json.error ?? { code: "internal_error", message: "" },
    };
  } catch {
    return { ok: false, status: 0, error: { code: "timeout", message: "" } };
  }
}

/** A plain-words message for a failed API call. */
export function failText(
  r: Extract<ApiResult<unknown>, { ok: false }>,
  labels: Record<string, string> = {},
): string {
  const details = "details" in r.error ? r.error.details : undefined;
  if (r.error.code === "validation_failed" && Array.isArray(details) && details.length)
    return firstIssueWords(details, labels);
  return errorText(r.error.code, r.error.message);
}

export interface Loaded<T> {
  data: T | null;
  error: string;
  loading: boolean;
  reload(): void;
  set(next: T): void;
}

/** Load something over HTTP, again whenever `key` changes or on reload(). Late answers lose. */
export function useLoad<T>(key: string, load: () => Promise<ApiResult<T>>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    void loadRef.current().then((r) => {
      if (mine !== seq.current) return;
      setLoading(false);
      if (r.ok) {
        setData(r.data);
        setError("");
      } else setError(failText(r));
    });
  }, []);
  // `key` is what says "load again".
  useEffect(() => {
    setData(null);
    reload();
  }, [key, reload]);
  return { data, error, loading, reload, set: setData };
}
