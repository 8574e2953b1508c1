import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InviteView, SessionView, UserView } from "../../shared/views.js";
import {
  bearer,
  makeWorld,
  postChain,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

describe("people: invites and sign-in links", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when a grower loses their phone, then a coordinator's sign-in link brings back the same grower and their chains", async () => {
    const chain = await postChain(t, w);
    const users = (
      await t.http
        .get(`/api/communities/${w.communityId}/users`)
        .set(bearer(w.coordinatorToken))
        .expect(200)
    ).body as UserView[];
    const grower = users.find((u) => u.role === "grower");
    expect(grower?.id).toBe(w.growerId);

    const link = (
      await t.http
        .post(`/api/communities/${w.communityId}/invites`)
        .set(bearer(w.coordinatorToken))
        .send({ userId: w.growerId })
        .expect(201)
    ).body as InviteView;
    expect(link).toMatchObject({ role: "grower", userId: w.growerId });

    const signedIn = (
      await t.http.post("/api/invites/accept").send({ token: link.token }).expect(201)
    ).body as SessionView;
    expect(signedIn.user.id).toBe(w.growerId);
    expect(signedIn.user.name).toBe("李大姐");
    await t.http
      .post(`/api/chains/${chain.id}/close`)
      .set(bearer(signedIn.token ?? ""))
      .expect(200);
    // Single use, like every invite.
    await t.http.post("/api/invites/accept").send({ token: link.token }).expect(404);
  });

  it("when a new person accepts without a name, then it is refused and the invite still works", async () => {
    const invite = (
      await t.http
        .post(`/api/communities/${w.communityId}/invites`)
        .set(bearer(w.coordinatorToken))
        .send({ role: "grower" })
        .expect(201)
    ).body as InviteView;
    const refused = await t.http
      .post("/api/invites/accept")
      .send({ token: invite.token })
      .expect(400);
    expect(refused.body.error.code).toBe("validation_failed");
    const ok = (
      await t.http
        .post("/api/invites/accept")
        .send({ token: invite.token, name: "赵大哥" })
        .expect(201)
    ).body as SessionView;
    expect(ok.user).toMatchObject({ name: "赵大哥", role: "grower" });
  });

  it("sign-in links need a coordinator and a user of the same community", async () => {
    await t.http
      .post(`/api/communities/${w.communityId}/invites`)
      .set(bearer(w.coordinatorToken))
      .send({ userId: "nosuchuser1" })
      .expect(404);
    await t.http
      .post(`/api/communities/${w.communityId}/invites`)
      .set(bearer(w.growerToken))
      .send({ userId: w.growerId })
      .expect(403);
    await t.http
      .get(`/api/communities/${w.communityId}/users`)
      .set(bearer(w.growerToken))
      .expect(403);
  });
});
