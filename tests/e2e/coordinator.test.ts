/**
 * The coordinator's first steps in a real browser at phone size (320, 360, 414 px): the invite
 * page asks only what is needed and words its errors in Chinese; a used link says so; a used
 * setup link points to signing in.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSetupLink } from "../../server/domain/people.js";
import { addDaysToDate, dateIn } from "../../shared/dates.js";
import type { InviteView, SessionView } from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { checkPhoneFriendly, launch } from "./browser.js";
import { phoneAt, shotAt, WIDTHS } from "./phone-sizes.js";

async function makeInvite(t: TestApp, w: World, body: object): Promise<InviteView> {
  return (
    await t.http
      .post(`/api/communities/${w.communityId}/invites`)
      .set(bearer(w.coordinatorToken))
      .send(body)
      .expect(201)
  ).body as InviteView;
}

async function noEnglishValidation(page: Page) {
  const text = await page.locator("main").textContent();
  expect(text ?? "").not.toMatch(/must not|characters|name:|phone:/);
}

describe("coordinator: invites and the setup link", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  let setupToken = "";
  beforeAll(async () => {
    t = await startTestApp();
    const link = await ensureSetupLink(t.app.ctx);
    setupToken = new URL(link ?? "").searchParams.get("token") ?? "";
    w = await makeWorld(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const width of WIDTHS) {
    it(`when a grower opens an invite at ${width} px, then it asks a name and a phone (the village optional), in Chinese, and says when a field is missing`, async () => {
      const inv = await makeInvite(t, w, { role: "grower" });
      const { context, page } = await phoneAt(browser, width, { baseUrl: t.baseUrl });
      await page.goto(`${t.baseUrl}/join?token=${inv.token}`);
      await page.getByRole("heading", { name: "加入文兴社区" }).waitFor();
      const fields = await page.locator("main input").count();
      expect(fields).toBe(3);
      await page.getByLabel("村子 / 合作社（种植户填写）").waitFor();
      await page.getByLabel("您的名字").waitFor();
      await page.getByLabel("手机号").waitFor();

      await page.getByRole("button", { name: "确定" }).click();
      await page.getByText("请填写名字").waitFor();
      await page.getByText("请填写手机号").waitFor();
      // The village is optional: nothing to say about it.
      expect(await page.locator(".field-error").count()).toBe(2);
      await noEnglishValidation(page);
      await checkPhoneFriendly(page, width);
      await shotAt(page, "invite-page-errors", width);

      await page.getByLabel("您的名字").fill("王大哥");
      await page.getByLabel("手机号").fill("abc");
      await page.getByRole("button", { name: "确定" }).click();
      await page.getByText("手机号只能填数字、空格或 -").waitFor();
      expect(await page.getByText("请填写名字").count()).toBe(0);
      await page.getByLabel("手机号").fill("13900002222");
      await shotAt(page, "invite-page", width);
      if (width === 320) {
        // Large text, on the narrowest phone: still no sideways scrolling, every target big.
        await page.getByRole("button", { name: "大字模式" }).click();
        await checkPhoneFriendly(page, width);
        await shotAt(page, "invite-page-elder", width);
        await page.getByRole("button", { name: "标准字号" }).click();
      }
      await page.getByRole("button", { name: "确定" }).click();
      await page.getByText("欢迎，王大哥！").waitFor();
      await page.getByRole("link", { name: "去发布今天的菜" }).waitFor();

      // The same link again: used, and the coordinator is the one to ask.
      await page.goto(`${t.baseUrl}/join?token=${inv.token}`);
      await page.getByRole("heading", { name: "这个链接已经用过或者过期了" }).waitFor();
      await page.getByText("请联系发链接给您的团长").waitFor();
      expect(await page.locator("main input").count()).toBe(0);
      await checkPhoneFriendly(page, width);
      await shotAt(page, "invite-used", width);
      await context.close();
    });
  }

  it("when a coordinator opens an invite, then it asks only a name; a sign-in link asks nothing", async () => {
    const inv = await makeInvite(t, w, { role: "coordinator" });
    const { context, page } = await phoneAt(browser, 360, { baseUrl: t.baseUrl });
    await page.goto(`${t.baseUrl}/join?token=${inv.token}`);
    await page.getByText("您被邀请做团长").waitFor();
    expect(await page.locator("main input").count()).toBe(1);
    await page.getByLabel("您的名字").fill("<b>");
    await page.getByRole("button", { name: "确定" }).click();
    await page.getByText("名字不能包含 < 或 >").waitFor();
    await page.getByLabel("您的名字").fill("赵老师");
    await page.getByRole("button", { name: "确定" }).click();
    await page.getByText("欢迎，赵老师！").waitFor();

    const users = (
      await t.http.get(`/api/communities/${w.communityId}/users`).set(bearer(w.coordinatorToken))
    ).body as { id: string; name: string }[];
    const li = users.find((u) => u.name === "李大姐");
    const link = await makeInvite(t, w, { userId: li?.id });
    await page.goto(`${t.baseUrl}/join?token=${link.token}`);
    await page.getByText("这是 李大姐 的登录链接").waitFor();
    expect(await page.locator("main input").count()).toBe(0);
    await page.getByRole("button", { name: "以 李大姐 的身份登录" }).click();
    await page.getByText("欢迎，李大姐！").waitFor();
    await context.close();
  });

  it("when the server refuses a missing name, then its answer says which field, and the page words it", async () => {
    const inv = await makeInvite(t, w, { role: "grower" });
    const res = await t.http.post("/api/invites/accept").send({ token: inv.token }).expect(400);
    expect(res.body.error.details).toEqual([
      { path: ["name"], code: "too_small", minimum: 1, message: "must not be empty" },
    ]);
    const status = await t.http.get(`/api/invites/status?token=${inv.token}`).expect(200);
    expect(status.body).toEqual({
      kind: "invite",
      role: "grower",
      community: "文兴社区",
      name: null,
    });
    await t.http.get(`/api/invites/status?token=${"x".repeat(32)}`).expect(404);
  });

  it("when a used setup link is opened, then it says it is set up and offers to sign in here", async () => {
    for (const width of WIDTHS) {
      const { context, page } = await phoneAt(browser, width, { baseUrl: t.baseUrl });
      await page.goto(`${t.baseUrl}/setup?token=${setupToken}`);
      await page.getByRole("heading", { name: "已经设置好了，在这里登录" }).waitFor();
      expect(await page.locator("main input").count()).toBe(0);
      await page.getByRole("link", { name: "在这里登录" }).waitFor();
      await checkPhoneFriendly(page, width);
      await shotAt(page, "setup-used", width);
      await context.close();
    }
  });

  it("when the next chains deliver in three days, then the admin page opens on that day, not tomorrow", async () => {
    const me = (await t.http.get("/api/me").set(bearer(w.coordinatorToken)).expect(200))
      .body as SessionView;
    const later = addDaysToDate(dateIn(me.community.timezone), 3);
    const chain = await postChain(t, w, { title: "三天后的菜", deliveryDate: later });
    const { context, page } = await phoneAt(browser, 360, {
      baseUrl: t.baseUrl,
      sessionToken: w.coordinatorToken,
    });
    await page.goto(`${t.baseUrl}/admin`);
    await page.getByRole("button", { name: /^下一个送货日/, pressed: true }).waitFor();
    await page.locator(`[data-chain="${chain.id}"]`).waitFor();
    // Tomorrow is one tap away, and has none.
    await page.getByRole("button", { name: /^明天/, pressed: false }).click();
    await page.getByText("这一天还没有接龙").waitFor();
    await checkPhoneFriendly(page, 360);
    await context.close();
  });
  it("at 320 px the day's record keeps names and headers whole: the table scrolls sideways in its card, not the page", async () => {
    const me = (await t.http.get("/api/me").set(bearer(w.coordinatorToken)).expect(200))
      .body as SessionView;
    const day = addDaysToDate(dateIn(me.community.timezone), 5);
    const chain = await postChain(t, w, { title: "五天后的菜", deliveryDate: day });
    // Money in the cells, as on a real day.
    const resident = await client(t, { deviceKey: deviceKey() });
    for (const dp of w.dropPoints) {
      ok(
        await call(resident, "entry:join", {
          requestId: requestId(),
          chainId: chain.id,
          dropPointId: dp.id,
          name: "张阿姨",
          building: "3-201",
          lines: [{ itemId: chain.items[1]?.id ?? "", qty: 40 }],
        }),
      );
    }
    resident.disconnect();
    const { context, page } = await phoneAt(browser, 320, {
      baseUrl: t.baseUrl,
      sessionToken: w.coordinatorToken,
    });
    await page.goto(`${t.baseUrl}/admin`);
    await page.getByRole("button", { name: /^下一个送货日/, pressed: true }).waitFor();
    await page.getByRole("button", { name: "大字模式" }).click();
    const table = page.locator("table.summary").first();
    await table.waitFor();
    // Every cell on one line: no taller than two lines of its text.
    const tall = await table.locator("th, td").evaluateAll((cells) =>
      cells
        .filter((c) => {
          const style = getComputedStyle(c);
          const line =
            Number.parseFloat(style.lineHeight) || 1.5 * Number.parseFloat(style.fontSize);
          return c.getBoundingClientRect().height > 2 * line + 12;
        })
        .map((c) => c.textContent),
    );
    expect(tall).toEqual([]);
    await checkPhoneFriendly(page, 320);
    await shotAt(page, "coordinator-day-record", 320);
    await context.close();
  });
});
