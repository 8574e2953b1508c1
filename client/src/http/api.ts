/** REST calls under /api. The session rides in the httpOnly cookie. Errors come back as values. */
import type { ErrorBody } from "../../../shared/errors.js";

export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: ErrorBody | { code: string; message: string } };

export async function api<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(`/api${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    if (res.status === 204) return { ok: true, data: null as T };
    const json = (await res.json().catch(() => ({}))) as { error?: ErrorBody };
    if (!res.ok)
      return {
        ok: false,
        status: res.status,
        error: json.error ?? { code: "internal_error", message: "" },
      };
    return { ok: true, data: json as T };
  } catch {
    return { ok: false, status: 0, error: { code: "timeout", message: "" } };
  }
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => api<T>("POST", path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>("PATCH", path, body);
/** With an empty JSON body: the server takes only JSON writes from a signed-in browser. */
export const del = <T>(path: string) => api<T>("DELETE", path, {});
