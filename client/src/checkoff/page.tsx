/**
 * The drop point's check-off (/checkoff?date=…&dp=…) and the packing view for weights
 * (/checkoff?view=pack&chain=…). Loaded apart from the resident page.
 */
import { useEffect, useState } from "preact/hooks";
import type { SessionView } from "../../../shared/views.js";
import { t } from "../i18n.js";
import { CheckoffView } from "./checkoff-view.js";
import { dateInZone } from "./lib.js";
import { PackView } from "./pack-view.js";
import { PointPicker } from "./point-picker.js";
import { type Params, readParams, useSocket } from "./shared.js";
import { tc } from "./words.js";
import "./checkoff.css";
import { useMe } from "../http/me.js";

export function CheckoffPage() {
  const { me, reload: load } = useMe();

  if (me.kind === "loading") return <p class="muted">{t("loading")}</p>;
  if (me.kind === "anonymous")
    return (
      <section class="card checkoff" aria-labelledby="co-signin">
        <h1 id="co-signin">{tc("notSignedIn")}</h1>
        <p>{tc("signInHint")}</p>
      </section>
    );
  if (me.kind === "failed")
    return (
      <section class="card checkoff">
        <p class="notice bad" role="alert">
          {tc("loadFailed", { message: me.message })}
        </p>
        <button type="button" class="co-btn" onClick={load}>
          {tc("retry")}
        </button>
      </section>
    );
  return <Signed session={me.session} />;
}

function Signed({ session }: { session: SessionView }) {
  const [params, setParams] = useState<Params>(readParams);
  const { socket, online } = useSocket();
  useEffect(() => {
    const onPop = () => setParams(readParams());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  /** Move within the page, keeping the address shareable and the back button working. */
  const go = (next: Params) => {
    const q = new URLSearchParams();
    if (next.view === "pack") q.set("view", "pack");
    if (next.chain) q.set("chain", next.chain);
    if (next.date) q.set("date", next.date);
    if (next.dp) q.set("dp", next.dp);
    const query = q.toString();
    const url = `/checkoff${query ? `?${query}` : ""}`;
    if (url !== `${location.pathname}${location.search}`) history.pushState(null, "", url);
    setParams(next);
    window.scrollTo(0, 0);
  };
  const coordinator = session.user.role === "coordinator";

  let body: preact.JSX.Element;
  if (params.view === "pack" || params.chain) {
    body = <PackView session={session} socket={socket} params={params} go={go} />;
  } else if (!coordinator) {
    body = (
      <section class="card">
        <p>{tc("coordOnly")}</p>
        <a class="co-link-button" href="/checkoff?view=pack">
          {tc("toPack")}
        </a>
      </section>
    );
  } else {
    const dropPoint = session.community.dropPoints.find((d) => d.id === params.dp);
    // Today in the community's time zone, unless the address says otherwise.
    const date = params.date ?? dateInZone(session.community.timezone);
    body =
      dropPoint && socket ? (
        <CheckoffView
          key={`${date}/${dropPoint.id}`}
          community={session.community}
          date={date}
          dropPoint={dropPoint}
          socket={socket}
          online={online}
          go={go}
        />
      ) : (
        <PointPicker community={session.community} params={params} go={go} />
      );
  }
  return (
    <div class="checkoff">
      {!online && (
        <p class="notice warn co-offline" role="status">
          {tc("offline")}
        </p>
      )}
      {body}
    </div>
  );
}
