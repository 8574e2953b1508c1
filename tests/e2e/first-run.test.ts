/**
 * The first-run checklist in a real browser at phone size: a new community's coordinator sees
 * five steps, each ticked from the server's state as it is done (drop points, a grower invited, a
 * chain, a resident joined through the link, a sheet printed); the share step has the link's QR
 * code and a text to copy for WeChat; the card goes when every step is done.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FirstRunView, InviteView, SessionView } from "../../shared/views.js";
import { bearer, postChain, setupCommunity, startTestApp, type TestApp } from "../helpers/app.js";
import { checkPhoneFriendly, launch, screenshot } from "./browser.js";
import { phoneAt, shotAt, WIDTHS } from "./phone-sizes.js";

describe("the first-run checklist", () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("when a new coordinator goes through the five steps, then each is ticked from what exists, and the card goes at the end", async () => {
    const { communityId, token } = await setupCommunity(t);
    const run = async () =>
      (await t.http.get(`/api/communities/${communityId}/first-run`).set(bearer(token)).expect(200))
        .body as FirstRunView;
    expect((await run()).steps).toEqual({
      dropPoints: false,
      grower: false,
      chain: false,
      shared: false,
      printed: false,
    });

    const c = await phoneAt(browser, 360, { baseUrl: t.baseUrl, sessionToken: token });
    await c.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.baseUrl });
    const page = c.page;
    page.setDefaultTimeout(10_000);
    await page.goto(`${t.baseUrl}/admin`);
    const card = page.locator(".first-run");
    await card.getByRole("heading", { name: "开始使用：5 步" }).waitFor();
    await card.getByText("已完成 0 / 5").waitFor();
    const step = (n: number) => card.locator(`[data-step="${n}"]`);
    expect(await step(1).getByText("（未完成）").count()).toBe(1);
    await screenshot(page, "first-run-start");

    // 1. A drop point, added on its tab: ticked when the person comes back.
    await step(1).getByRole("link", { name: "去添加自提点" }).click();
    await page.getByLabel("名称", { exact: true }).fill("3号楼东门");
    await page.getByRole("button", { name: "添加自提点" }).click();
    // On another tab the checklist is one line, back to it.
    await page.getByRole("link", { name: "开始使用：已完成 1 / 5，看下一步" }).click();
    await card.getByText("已完成 1 / 5").waitFor();
    expect(await step(1).getByText("（已完成）").count()).toBe(1);

    // 2. A grower invited (not yet joined): ticked, and it says it waits for them.
    const inv = (
      await t.http
        .post(`/api/communities/${communityId}/invites`)
        .set(bearer(token))
        .send({ role: "grower" })
        .expect(201)
    ).body as InviteView;
    await page.goto(`${t.baseUrl}/admin#people`);
    await page.getByRole("link", { name: "开始使用：已完成 2 / 5，看下一步" }).waitFor();
    const grower = (
      await t.http
        .post("/api/invites/accept")
        .send({ token: inv.token, name: "李大姐" })
        .expect(201)
    ).body as SessionView;

    // 3. The grower posts a chain; 4. the share step offers the link, its QR code and a text.
    const me = (await t.http.get("/api/me").set(bearer(token)).expect(200)).body as SessionView;
    const chain = await postChain(
      t,
      {
        communityId,
        coordinatorToken: token,
        growerToken: grower.token ?? "",
        growerId: grower.user.id,
        dropPoints: me.community.dropPoints,
      },
      { title: "河西村新鲜蔬菜" },
    );
    await page.goto(`${t.baseUrl}/admin`);
    await card.getByText("已完成 3 / 5").waitFor();
    await step(4).getByRole("img", { name: "接龙链接的二维码" }).waitFor();
    const text = await step(4).getByLabel("发到微信群的文字").inputValue();
    expect(text).toContain("【河西村新鲜蔬菜】");
    expect(text).toContain(`${t.baseUrl}/c/${chain.id}`);
    expect(text).toContain("西红柿¥3.50/斤");
    await step(4).getByRole("button", { name: "复制，发到微信群" }).click();
    await step(4).getByRole("status").getByText("已复制").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 740 });
      await checkPhoneFriendly(page, width);
      await shotAt(page, "first-run-checklist", width);
    }
    await page.setViewportSize({ width: 360, height: 740 });

    // A resident joins (here: an order added for one): the link reached the group.
    await t.http
      .post(`/api/chains/${chain.id}/import`)
      .set(bearer(token))
      .send({
        dropPointId: me.community.dropPoints[0]?.id,
        entries: [
          {
            raw: "张阿姨 3-201 西红柿2斤",
            name: "张阿姨",
            building: "3-201",
            lines: [{ itemId: "i1", qty: 2 }],
          },
        ],
      })
      .expect(200);
    await page.goto(`${t.baseUrl}/admin`);
    await card.getByText("已完成 4 / 5").waitFor();

    // 5. Print: the print page's button records it; back on the admin page the card is gone.
    const printLink = step(5).getByRole("link", { name: "去打印" });
    expect(await printLink.getAttribute("href")).toBe(
      `/print?view=pickup&date=${chain.deliveryDate}&dp=all`,
    );
    await printLink.click();
    await page.getByRole("button", { name: "打印", exact: true }).click();
    await expect.poll(async () => (await run()).done).toBe(true);
    await page.goto(`${t.baseUrl}/admin`);
    await page.getByRole("heading", { name: "团长管理" }).waitFor();
    await page.locator(`[data-chain="${chain.id}"]`).waitFor();
    expect(await page.locator(".first-run").count()).toBe(0);
    await c.context.close();

    // Only coordinators read it.
    await t.http
      .get(`/api/communities/${communityId}/first-run`)
      .set(bearer(grower.token ?? ""))
      .expect(403);
  });
});
