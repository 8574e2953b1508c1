/** Loading what a print view needs: every read at once, then the view renders in one go. */
import { useEffect, useState } from "preact/hooks";
import type {
  ChainSnapshot,
  ChainView,
  DayOverview,
  HarvestList,
  LoadList,
  PickupList,
  SessionView,
} from "../../../shared/views.js";
import { type ApiResult, get } from "../http/api.js";
import { errorText } from "../i18n.js";
import { tp } from "./words.js";

export type Loaded<T> =
  | { kind: "loading" }
  | { kind: "failed"; message: string; signIn: boolean }
  | { kind: "ready"; data: T };

export class LoadError extends Error {
  constructor(
    message: string,
    readonly signIn: boolean,
  ) {
    super(message);
  }
}

/** The data of a read, or a thrown LoadError in plain words. */
export async function need<T>(p: Promise<ApiResult<T>>): Promise<T> {
  const r = await p;
  if (r.ok) return r.data;
  if (r.status === 401) throw new LoadError(tp("signInFirst"), true);
  throw new LoadError(
    tp("loadFailed", { message: errorText(r.error.code, r.error.message) }),
    false,
  );
}

export function useLoaded<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ kind: "loading" });
  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    load().then(
      (data) => live && setState({ kind: "ready", data }),
      (err: unknown) =>
        live &&
        setState({
          kind: "failed",
          message: err instanceof Error ? err.message : String(err),
          signIn: err instanceof LoadError && err.signIn,
        }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

export const me = () => need(get<SessionView>("/me"));

export interface PickupData {
  session: SessionView;
  lists: PickupList[];
  /** When the data was read: the sheets' "printed at". */
  at: number;
}

/** One drop point's list, or (dp=all) every drop point that has orders that day, in order. */
export async function loadPickup(date: string, dp: string): Promise<PickupData> {
  const session = await me();
  const cid = session.community.id;
  const day = `/communities/${cid}/days/${date}`;
  let ids = [dp];
  if (dp === "all") {
    const overview = await need(get<DayOverview>(day));
    ids = overview.dropPoints.filter((d) => d.entries > 0).map((d) => d.dropPoint.id);
  }
  const lists = await Promise.all(
    ids.map((id) => need(get<PickupList>(`${day}/drop-points/${id}`))),
  );
  return { session, lists, at: Date.now() };
}

export interface ChainSheetData<T> {
  chain: ChainView;
  sheet: T;
  at: number;
}

export async function loadChainSheet<T extends LoadList | HarvestList>(
  chainId: string,
  kind: "load" | "harvest",
): Promise<ChainSheetData<T>> {
  const [snapshot, sheet] = await Promise.all([
    need(get<ChainSnapshot>(`/chains/${chainId}`)),
    need(get<T>(`/chains/${chainId}/${kind}`)),
  ]);
  return { chain: snapshot.chain, sheet, at: Date.now() };
}

export interface ChooserData {
  session: SessionView;
  chains: ChainView[];
}

/** For the index: the day's chains (a grower sees only their own; without a date, the latest). */
export async function loadChooser(date: string | null): Promise<ChooserData> {
  const session = await me();
  const q = date ? `?date=${date}` : "";
  const chains = await need(get<ChainView[]>(`/communities/${session.community.id}/chains${q}`));
  return { session, chains };
}
