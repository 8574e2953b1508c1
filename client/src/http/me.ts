/** Who is signed in on this phone: GET /api/me, and a way to ask again. */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { SessionView } from "../../../shared/views.js";
import { errorText } from "../i18n.js";
import { get } from "./api.js";

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
