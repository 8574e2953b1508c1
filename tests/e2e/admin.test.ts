import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import type {
  ChainSnapshot,
  CommunityView,
  DropPointView,
  SessionView,
  StaffEntry,
} from "../../shared/views.js";
import { bearer, postChain, type TestApp, type World } from "../helpers/app.js";
import { browserWorld, checkPhoneFriendly, phone, screenshot } from "./browser.js";

const XSS = "<img src=x onerror=alert(1)>";

describe("the coordinator page (/admin) in a real browser", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made), { env: { CUTOFF_SWEEP_MS: "200" } });

  const community = async () =>
    (
      await t.http
        .get(`/api/communities/${w.communityId}`)
        .set(bearer(w.coordinatorToken))
        .expect(200)
    ).body as CommunityView;
  const staffEntries = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}/entries`).set(bearer(w.coordinatorToken)).expect(200))
      .body as StaffEntry[];
  const coordinator = (lang?: "en") =>
    phone(browser, { baseUrl: t.baseUrl, sessionToken: w.coordinatorToken, lang });

  it("when nobody is signed in, then it says plainly how to sign in; a grower is sent to /g", async () => {
    const a = await phone(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/admin`);
    await a.page.getByRole("heading", { name: "您还没有登录" }).waitFor();
    const text = await a.page.locator("main").textContent();
    expect(text).toContain("/setup?token=");
    expect(text).toContain("/join?token=");
    expect(await a.page.getByRole("navigation").count()).toBe(0);
    await a.context.close();

    // A grower who lands here is sent to the grower page.
    const g = await phone(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    await g.page.goto(`${t.baseUrl}/admin`);
    await g.page.getByText("这是团长的页面").waitFor();
    expect(await g.page.getByRole("link", { name: "去发布页" }).getAttribute("href")).toBe("/g");
    await g.context.close();
  });

  it("when the coordinator creates a drop point, then a resident's entry there appears live on its pickup list", async () => {
    const c = await coordinator();
    await c.page.goto(`${t.baseUrl}/admin#points`);
    await c.page.getByRole("heading", { name: "自提点", exact: true }).waitFor();
    // The three drop points of the world are listed.
    for (const dp of w.dropPoints) await c.page.getByRole("heading", { name: dp.name }).waitFor();

    // A form problem is said in plain words, and nothing is created.
    await c.page.locator("#dp-new-name").fill("9号楼西门");
    await c.page.locator("#dp-new-start").fill("18:00");
    await c.page.locator("#dp-new-end").fill("16:30");
    await c.page.getByRole("button", { name: "添加自提点" }).click();
    await c.page.getByRole("alert").filter({ hasText: "开始时间要早于结束时间" }).waitFor();
    expect((await community()).dropPoints.length).toBe(3);

    await c.page.getByLabel("名称").fill("9号楼西门");
    await c.page.getByLabel("说明（选填）").fill(`门卫室旁 ${XSS}`);
    await c.page.getByLabel("取货开始时间").fill("16:30");
    await c.page.getByLabel("取货结束时间").fill("18:00");
    await c.page.getByRole("button", { name: "添加自提点" }).click();
    await c.page.getByText("已添加 9号楼西门").waitFor();
    const created = (await community()).dropPoints.find((d) => d.name === "9号楼西门");
    expect(created).toMatchObject({
      description: `门卫室旁 ${XSS}`,
      window: { start: "16:30", end: "18:00" },
      active: true,
    });
    const point = c.page.locator(`[data-point="${created?.id}"]`);
    // The description is text, not markup.
    expect(await point.textContent()).toContain(XSS);
    expect(await point.locator("img").count()).toBe(0);

    // Edit one, deactivate another and bring it back.
    const south = w.dropPoints[2] as { id: string; name: string };
    await c.page.getByRole("button", { name: `修改 ${w.dropPoints[1]?.name}` }).click();
    await c.page.locator(`#dp-${w.dropPoints[1]?.id}-end`).fill("19:30");
    await c.page.getByRole("button", { name: "保存", exact: true }).click();
    await c.page.getByText(`已保存 ${w.dropPoints[1]?.name}`).waitFor();
    await c.page.getByRole("button", { name: `停用 ${south.name}` }).click();
    await c.page
      .getByRole("status")
      .filter({ hasText: `${south.name} 已停用` })
      .waitFor();
    const afterOff = await community();
    expect(afterOff.dropPoints.find((d) => d.id === south.id)?.active).toBe(false);
    expect(afterOff.dropPoints.find((d) => d.id === w.dropPoints[1]?.id)?.window.end).toBe("19:30");
    await screenshot(c.page, "admin-drop-points");
    await checkPhoneFriendly(c.page, 390);
    await c.page.getByRole("button", { name: `重新启用 ${south.name}` }).click();
    await c.page
      .getByRole("status")
      .filter({ hasText: `${south.name} 已重新启用` })
      .waitFor();
    expect((await community()).dropPoints.find((d) => d.id === south.id)?.active).toBe(true);

    // A grower's chain for tomorrow that delivers to the new drop point.
    const chain = await postChain(t, {
      ...w,
      dropPoints: [created as DropPointView, ...w.dropPoints],
    });

    await c.page.getByRole("link", { name: "订单" }).click();
    await c.page.getByRole("button", { name: /^明天/, pressed: true }).waitFor();
    const row = c.page.locator(`[data-chain="${chain.id}"]`);
    await row.waitFor();
    expect(await row.getByRole("link", { name: chain.title }).getAttribute("href")).toBe(
      `/c/${chain.id}`,
    );
    await c.page.getByLabel("选择自提点").selectOption({ label: "9号楼西门" });
    await c.page.getByRole("heading", { name: "9号楼西门 取货单" }).waitFor();
    await c.page.getByText("这个自提点这一天还没有订单").waitFor();
    await c.page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });

    // A resident joins at that drop point, from her own phone.
    const r = await phone(browser, { baseUrl: t.baseUrl });
    await r.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await r.page.getByRole("button", { name: "增加 西红柿" }).click();
    await r.page.getByRole("button", { name: "增加 西红柿" }).click();
    await r.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await r.page.getByRole("radio", { name: /9号楼西门/ }).check();
    await r.page.getByLabel("称呼").fill("张阿姨");
    await r.page.getByLabel("楼栋门牌").fill("9-301");
    await r.page.getByLabel(/手机号/).fill("13800001234");
    await r.page.locator(".paybar").getByText("合计 ¥5.50").waitFor();
    await r.page.getByRole("button", { name: "接龙", exact: true }).click();
    await r.page.getByRole("heading", { name: "接龙成功！" }).waitFor();
    expect(await r.page.getByTestId("joined-no").textContent()).toBe("1");
    const code = await r.page.getByTestId("joined-code").textContent();

    // The coordinator's list shows it without a reload: grouped by resident, with the phone.
    const entry = c.page.locator('.pickup-entry[data-no="1"]');
    await entry.waitFor({ timeout: 10_000 });
    expect(await entry.textContent()).toContain("西红柿1斤 黄瓜1斤");
    expect(await entry.textContent()).toContain(`取货码 ${code}`);
    const resident = c.page.locator(".resident").first();
    expect(await resident.locator(".resident-head").textContent()).toBe(
      "9-301张阿姨13800001234¥5.50",
    );
    await c.page.getByText("1 户 · 1 单 · ¥5.50").waitFor();
    const totals = c.page.locator("table.item-totals");
    await totals.getByRole("row", { name: /西红柿 1斤 ¥3\.50/ }).waitFor();
    await totals.getByRole("row", { name: /黄瓜 1斤 ¥2/ }).waitFor();
    expect(await totals.locator(".grand-total").textContent()).toBe("¥5.50");
    expect(
      await c.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere),
    ).toBe(true);

    // A second household sorts by building: 3-… comes before 9-….
    await r.page.getByRole("button", { name: "再接一单" }).click();
    await r.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await r.page.getByLabel("称呼").fill("李叔");
    await r.page.getByLabel("楼栋门牌").fill("3-102");
    await r.page.getByLabel(/手机号/).fill("");
    // Several drop points and none remembered: the resident chooses.
    await r.page.locator("input[name=dropPoint]").first().check();
    await r.page.getByRole("button", { name: "接龙", exact: true }).click();
    await r.page.getByTestId("joined-no").getByText("2").waitFor();
    await c.page.getByText("2 户 · 2 单 · ¥7.50").waitFor({ timeout: 10_000 });
    expect(await c.page.locator(".resident .building").allTextContents()).toEqual([
      "3-102",
      "9-301",
    ]);
    // The day overview follows.
    await c.page
      .locator("table.overview")
      .getByRole("row", { name: /9号楼西门 2 ¥7\.50/ })
      .waitFor({ timeout: 10_000 });

    await screenshot(c.page, "admin-pickup-list");

    // When she cancels, her entry leaves the list.
    await r.page.getByRole("button", { name: "取消这单" }).first().click();
    await r.page.getByRole("button", { name: "是的，取消这单" }).click();
    await c.page.getByText("1 户 · 1 单 · ¥2").waitFor({ timeout: 10_000 });
    expect(await c.page.locator('.pickup-entry[data-no="1"]').count()).toBe(0);
    await c.page
      .locator("table.overview")
      .getByRole("row", { name: /9号楼西门 1 ¥2$/ })
      .waitFor({ timeout: 10_000 });
    await r.context.close();

    // Print: a button that prints, and a print stylesheet that hides everything but the list.
    await c.page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await c.page.getByRole("button", { name: "打印取货单" }).click();
    expect(await c.page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await checkPhoneFriendly(c.page, 390);
    await c.page.emulateMedia({ media: "print" });
    expect(await c.page.locator(".admin-tabs").isVisible()).toBe(false);
    expect(await c.page.locator("#chains-title").isVisible()).toBe(false);
    expect(await c.page.getByRole("button", { name: "打印取货单" }).isVisible()).toBe(false);
    expect(await c.page.locator(".pickup-entry").first().isVisible()).toBe(true);
    await screenshot(c.page, "admin-pickup-print");
    await c.page.emulateMedia({ media: "screen" });
    await c.context.close();
  });

  it("when the coordinator adds an entry for a resident after the cutoff, then it is marked as added by staff", async () => {
    const chain = await postChain(
      t,
      { ...w, dropPoints: w.dropPoints.slice(0, 2) },
      {
        title: "山后村土鸡蛋",
        cutoffAt: new Date(Date.now() + 2500).toISOString(),
      },
    );
    // Wait for the cutoff sweep to close it.
    await expect
      .poll(
        async () =>
          ((await t.http.get(`/api/chains/${chain.id}`).expect(200)).body as ChainSnapshot).chain
            .status,
        { timeout: 10_000, interval: 200 },
      )
      .toBe("closed");

    const c = await coordinator();
    await c.page.goto(`${t.baseUrl}/admin#add`);
    await c.page.getByRole("heading", { name: "替居民下单" }).waitFor();
    await c.page.getByLabel("接龙", { exact: true }).selectOption(chain.id);
    await c.page.getByText("已截单，团长仍可代加").waitFor();
    const north = w.dropPoints[1] as { id: string; name: string };
    // Several drop points: none is chosen for the resident.
    expect(await c.page.locator("input[type=radio]:checked").count()).toBe(0);
    await c.page.getByRole("radio", { name: new RegExp(north.name) }).check();
    // The steppers respect the step (0.5 斤) and the limit (2 盒).
    await c.page.getByRole("button", { name: "增加 西红柿" }).click();
    await c.page.getByRole("button", { name: "增加 土鸡蛋" }).click();
    await c.page.getByRole("button", { name: "增加 土鸡蛋" }).click();
    expect(await c.page.getByRole("button", { name: "增加 土鸡蛋" }).isDisabled()).toBe(true);

    // Markup in the name is refused in plain words before anything is sent.
    await c.page.getByLabel("居民称呼").fill(XSS);
    await c.page.getByLabel("楼栋门牌").fill("5-102");
    await c.page.getByRole("button", { name: /代为接龙/ }).click();
    await c.page.getByRole("alert").filter({ hasText: "居民称呼不能包含 < 或 >" }).waitFor();
    expect(await staffEntries(chain.id)).toEqual([]);

    await c.page.getByLabel("居民称呼").fill("刘奶奶");
    expect(await c.page.getByRole("alert").count()).toBe(0);
    await c.page.getByLabel("手机号（选填）").fill("13900002222");
    await screenshot(c.page, "admin-add-for-resident");
    await c.page.getByRole("button", { name: "代为接龙 · 合计 ¥51.75" }).click();
    await c.page.getByText(/已代加：第 1 号，取货码 \d{4}/).waitFor();
    await checkPhoneFriendly(c.page, 390);

    const [added] = await staffEntries(chain.id);
    expect(added).toMatchObject({
      name: "刘奶奶",
      building: "5-102",
      phone: "13900002222",
      dropPointId: north.id,
      byStaff: true,
      addedBy: { name: "王主任" },
      lines: [
        { itemId: "i1", qty: 0.5 },
        { itemId: "i3", qty: 2 },
      ],
    });
    expect(added?.addedBy?.at).toBeGreaterThanOrEqual(chain.cutoffAt);

    // On that drop point's pickup list it shows as added by the coordinator.
    await c.page.getByRole("link", { name: "订单" }).click();
    await c.page.getByLabel("选择自提点").selectOption(north.id);
    const line = c.page.locator(".pickup-entry").filter({ hasText: "山后村土鸡蛋" });
    await line.waitFor();
    expect(await line.locator(".tag.staff").textContent()).toBe("团长代加（王主任）");
    await c.context.close();
  });

  it("when the coordinator invites a grower, then a link with its QR code is shown and the link works", async () => {
    const c = await coordinator();
    await c.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: t.baseUrl,
    });
    await c.page.goto(`${t.baseUrl}/admin#people`);
    await c.page.getByRole("button", { name: "邀请种植户" }).click();
    const share = c.page.getByRole("region", { name: "邀请种植户的链接" });
    await share.waitFor();
    const url = await share.getByRole("textbox", { name: "链接" }).inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\?token=[A-Za-z0-9_-]{20,}$/);
    const qr = share.getByRole("img", { name: "二维码：邀请种植户的链接" });
    await qr.waitFor();
    expect((await qr.locator("path").getAttribute("d"))?.length).toBeGreaterThan(500);
    await share.getByRole("button", { name: "复制链接" }).click();
    await share.getByRole("button", { name: "已复制" }).waitFor();
    expect(await c.page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await screenshot(c.page, "admin-invite-qr");
    await checkPhoneFriendly(c.page, 390);

    // The link works once: it signs a new grower in.
    const token = new URL(url).searchParams.get("token");
    const accepted = await t.http
      .post("/api/invites/accept")
      .send({ token, name: "老周", village: "山后村" })
      .expect(201);
    expect((accepted.body as SessionView).user.role).toBe("grower");

    // People: the list, and a sign-in link for someone who lost their phone.
    await c.page.getByRole("button", { name: "刷新" }).click();
    await c.page.locator(".person").filter({ hasText: "老周" }).waitFor();
    await c.page.getByRole("button", { name: "生成登录链接: 李大姐" }).click();
    const signIn = c.page.getByRole("region", { name: "李大姐 的登录链接" });
    await signIn.getByText("只发给本人").waitFor();
    await signIn.getByRole("img", { name: /二维码/ }).waitFor();
    const signInUrl = await signIn.getByRole("textbox", { name: "链接" }).inputValue();
    const again = await t.http
      .post("/api/invites/accept")
      .send({ token: new URL(signInUrl).searchParams.get("token") })
      .expect(201);
    expect((again.body as SessionView).user.id).toBe(w.growerId);
    await c.context.close();
  });

  it("works in English with the switch, at 360 px; settings rename the community", async () => {
    const c = await coordinator();
    await c.page.setViewportSize({ width: 360, height: 740 });
    await c.page.goto(`${t.baseUrl}/admin#settings`);
    await c.page.getByRole("heading", { name: "社区设置" }).waitFor();
    await c.page.getByRole("button", { name: "English" }).click();
    await c.page.getByRole("heading", { name: "Community settings" }).waitFor();
    for (const tab of ["Orders", "Add order", "Pickup points", "People", "Settings"])
      await c.page.getByRole("link", { name: tab }).waitFor();

    await c.page.getByLabel("Time zone").fill("Mars/Olympus");
    await c.page.getByRole("button", { name: "Save" }).click();
    await c.page
      .getByRole("alert")
      .filter({ hasText: "Time zone is not a time zone we know" })
      .waitFor();
    await c.page.getByLabel("Time zone").fill("Asia/Shanghai");
    await c.page.getByLabel("Community name").fill("文兴社区（东区）");
    await c.page.getByRole("button", { name: "Save" }).click();
    await c.page.getByRole("alert").filter({ hasText: "Saved" }).waitFor();
    await c.page.getByText("文兴社区（东区） · coordinator 王主任").waitFor();
    expect((await community()).name).toBe("文兴社区（东区）");
    await checkPhoneFriendly(c.page, 360);

    await c.page.getByRole("link", { name: "Pickup points" }).click();
    await c.page.getByRole("button", { name: "Add a pickup point" }).waitFor();
    await checkPhoneFriendly(c.page, 360);
    await c.page.getByRole("link", { name: "Orders" }).click();
    await c.page.getByRole("button", { name: /^Tomorrow/, pressed: true }).waitFor();
    await c.page.getByRole("button", { name: "Print the pickup list" }).waitFor();
    await checkPhoneFriendly(c.page, 360);
    await screenshot(c.page, "admin-english");
    // The choice is remembered on the device.
    await c.page.reload();
    await c.page.getByRole("link", { name: "Add order" }).waitFor();
    await c.context.close();
  });
});
