/**
 * The coordinator's people tab in a real browser: where each person is signed in, signing
 * someone out everywhere, removing a grower, revoking an unused invite; a volunteer coordinator
 * is not offered to invite coordinators. And a used setup link says it is done.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSetupLink } from "../../server/domain/people.js";
import type { ChainSnapshot, InviteView } from "../../shared/views.js";
import {
  bearer,
  invite,
  makeWorld,
  postChain,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { checkPhoneFriendly, launch, phone, screenshot } from "./browser.js";

describe("people: sessions, sign-out, removal and invites in the admin page", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  let setupToken = "";
  beforeAll(async () => {
    t = await startTestApp();
    // A link printed at an earlier start: once the community exists it is done, whatever link.
    const link = await ensureSetupLink(t.app.ctx);
    setupToken = new URL(link ?? "").searchParams.get("token") ?? "";
    w = await makeWorld(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("when the coordinator signs a grower out everywhere and removes another, then their sessions end and the chain stays", async () => {
    const zhou = await invite(t, w.communityId, w.coordinatorToken, "grower", "老周");
    const chain = await postChain(t, w, { title: "老周的菜" }, zhou.token);
    const c = await phone(browser, { baseUrl: t.baseUrl, sessionToken: w.coordinatorToken });
    await c.page.goto(`${t.baseUrl}/admin#people`);
    const li = c.page.locator(".person").filter({ hasText: "李大姐" });
    await li.getByText("已登录 1 台设备").waitFor();

    await li.getByRole("button", { name: "全部退出登录: 李大姐" }).click();
    await li.getByText("让 李大姐 在所有设备上退出登录？").waitFor();
    await li.getByRole("button", { name: "确定" }).click();
    await c.page.getByRole("status").getByText("李大姐 已在 1 台设备上退出登录").waitFor();
    await li.getByText("没有登录的设备").waitFor();
    expect((await t.http.get("/api/me").set(bearer(w.growerToken))).status).toBe(401);

    const zhouRow = c.page.locator(".person").filter({ hasText: "老周" });
    await zhouRow.getByRole("button", { name: "移除: 老周" }).click();
    await zhouRow.getByText("移除 老周？").waitFor();
    await screenshot(c.page, "admin-people-remove");
    await zhouRow.getByRole("button", { name: "确定" }).click();
    await c.page.getByRole("status").getByText("老周 已移除").waitFor();
    await c.page.locator(".person.removed").filter({ hasText: "老周" }).waitFor();
    expect((await t.http.get("/api/me").set(bearer(zhou.token))).status).toBe(401);
    const snap = (await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot;
    expect(snap.chain.status).toBe("open");
    expect(snap.chain.grower.removed).toBe(true);
    await checkPhoneFriendly(c.page, 390);
    await c.context.close();
  });

  it("when the coordinator revokes an unused invite, then it leaves the list and no longer works", async () => {
    const made = (
      await t.http
        .post(`/api/communities/${w.communityId}/invites`)
        .set(bearer(w.coordinatorToken))
        .send({ role: "grower" })
        .expect(201)
    ).body as InviteView;
    const c = await phone(browser, { baseUrl: t.baseUrl, sessionToken: w.coordinatorToken });
    await c.page.goto(`${t.baseUrl}/admin#people`);
    const row = c.page.locator(`[data-invite="${made.id}"]`);
    await row.getByText("邀请种植户").waitFor();
    await row.getByText("王主任 生成").waitFor();
    await row.getByRole("button", { name: "作废: 种植户" }).click();
    await c.page.getByRole("status").getByText("已作废").waitFor();
    await row.waitFor({ state: "detached" });
    expect(
      (await t.http.post("/api/invites/accept").send({ token: made.token, name: "不该进来" }))
        .status,
    ).toBe(404);
    await c.context.close();
  });

  it("when a volunteer coordinator opens the tab, then only growers can be invited, and the owner can't be acted on", async () => {
    const volunteer = await invite(t, w.communityId, w.coordinatorToken, "coordinator", "小赵");
    const v = await phone(browser, { baseUrl: t.baseUrl, sessionToken: volunteer.token });
    await v.page.goto(`${t.baseUrl}/admin#people`);
    await v.page.getByRole("button", { name: "邀请种植户" }).waitFor();
    await v.page.getByText("只有创建社区的团长能邀请和管理其他团长。").waitFor();
    expect(await v.page.getByRole("button", { name: "邀请团长" }).count()).toBe(0);
    const ownerRow = v.page.locator(".person").filter({ hasText: "王主任" });
    await ownerRow.getByText("创建人").waitFor();
    expect(await ownerRow.getByRole("button").count()).toBe(0);
    await v.context.close();
  });

  it("when a used setup link is opened again, then it says the community is set up and where to sign in", async () => {
    const p = await phone(browser, { baseUrl: t.baseUrl });
    await p.page.goto(`${t.baseUrl}/setup?token=${setupToken}`);
    await p.page.getByRole("heading", { name: "已经设置好了，在这里登录" }).waitFor();
    expect(await p.page.locator("form").count()).toBe(0);
    expect(await p.page.getByRole("link", { name: "在这里登录" }).getAttribute("href")).toBe(
      "/admin",
    );
    await p.context.close();
  });
});
