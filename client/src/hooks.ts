/** Hooks the lazily loaded pages share (the resident page has its own in use-chain.ts). */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { SessionView } from "../../shared/views.js";
import { get } from "./api.js";
import { errorText } from "./i18n.js";

/** Call `fn` once things have been quiet for `ms`. */
export function useDebounced(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => fnRef.current(), ms);
  }, [ms]);
}

/** Who is signed in on this phone (GET /api/me), and a way to ask again. */
export type Me =
  | { kind: "loading" }
  | { kind: "anonymous" }
  | { kind: "failed"; message: string }
  | { kind: "signed-in"; session: SessionView };

export function useMe(): { me: Me; reload: () => void } {
  const [me, setMe] = useState<Me>({ kind: "loading" });
  const reload = useCallback(() => {
    setMe({ kind: "loading" });
    void get<SessionView>("/me").then((r) =>
      setMe(
        r.ok
          ? { kind: "signed-in", session: r.data }
          : r.status === 401
            ? { kind: "anonymous" }
            : { kind: "failed", message: errorText(r.error.code, r.error.message) },
      ),
    );
  }, []);
  useEffect(reload, [reload]);
  return { me, reload };
}
