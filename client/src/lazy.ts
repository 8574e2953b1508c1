import { useEffect, useState } from "preact/hooks";

/**
 * A part of a page loaded only once it is needed (`when`), so the resident page's first download
 * stays small. null until it has arrived (or when it could not: offline, it is asked again when
 * `when` turns true again).
 */
export function useLazy<T>(load: () => Promise<T>, when: boolean): T | null {
  const [loaded, setLoaded] = useState<T | null>(null);
  useEffect(() => {
    if (!when || loaded) return;
    load()
      .then((m) => setLoaded(() => m))
      .catch(() => {});
  }, [when]);
  return loaded;
}
