/**
 * Check-off at the drop point and weights at packing, in Debian's Chromium on phone-sized pages:
 * two volunteers on two phones, finding a resident every way there is, weights that move the
 * amount to the fen, and no-shows that keep their entry and stock.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChainSnapshot,
  CheckOffSummary,
  OwnEntry,
  PickupList,
  StaffEntry,
} from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  invite,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
  waitForRedisTime,
} from "../helpers/app.js";
import { checkPhoneFriendly, launch, phone, screenshot } from "./browser.js";

/** A delivery date some days ahead: every test has its own day, so its own pickup lists. */
const dayAhead = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The four figures at the top of the page, as numbers (fen for money). */
async function pageSummary(page: Page) {
  return page.evaluate(() => {
    const v = (name: string) =>
      Number(document.querySelector(`[data-sum="${name}"]`)?.getAttribute("data-value"));
    return {
      collected: v("collected"),
      waiting: v("waiting"),
      paidFen: v("paid"),
      unpaidFen: v("unpaid"),
    };
  });
}

/**
 * How long any wait in this file may take before it fails: locators and expect.poll alike.
 * expect.poll on its own gives up after 1 s, and on a busy machine a freshly opened page needs
 * longer than that for its scripts, /api/me, the socket handshake and the pickup:watch reply: the
 * list was still empty when the poll stopped and arrived a few hundred ms later.
 */
const WAIT = 8000;
const poll = <T>(fn: () => T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: WAIT, ...options });

const figures = (s: CheckOffSummary) => ({
  collected: s.collected,
  waiting: s.waiting,
  paidFen: s.paidFen,
  unpaidFen: s.unpaidFen,
});

describe("check-off at the drop point and weights at packing, in a real browser", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  let volunteerToken = "";
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
    volunteerToken = (
      await invite(t, w.communityId, w.coordinatorToken, "coordinator", "志愿者小赵")
    ).token;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const coord = () => bearer(w.coordinatorToken);
  const pickupList = async (date: string, dp: string) =>
    (
      await t.http
        .get(`/api/communities/${w.communityId}/days/${date}/drop-points/${dp}`)
        .set(coord())
        .expect(200)
    ).body as PickupList;
  const staffEntries = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}/entries`).set(coord()).expect(200))
      .body as StaffEntry[];
  const snapshot = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}`).expect(200)).body as ChainSnapshot;

  async function join(
    chainId: string,
    dropPointId: string,
    who: { name: string; building: string; phone?: string },
    lines: { itemId: string; qty: number }[],
  ): Promise<OwnEntry> {
    const resident = await client(t, { deviceKey: deviceKey() });
    const r = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId,
        dropPointId,
        ...who,
        lines,
      }),
    );
    resident.disconnect();
    return r.entry;
  }

  /** A chain for its own day with four residents at the first drop point and one elsewhere. */
  async function dayWithResidents(days: number) {
    const date = dayAhead(days);
    const chain = await postChain(t, w, { deliveryDate: date });
    const dp = w.dropPoints[0]?.id ?? "";
    const other = w.dropPoints[1]?.id ?? "";
    const zhang = await join(
      chain.id,
      dp,
      { name: "张阿姨", building: "3-201", phone: "138 1234 5678" },
      [{ itemId: "i3", qty: 1 }],
    );
    const li = await join(chain.id, dp, { name: "李叔", building: "7-502", phone: "13900001111" }, [
      { itemId: "i1", qty: 2 },
      { itemId: "i3", qty: 1 },
    ]);
    const wang = await join(chain.id, dp, { name: "王奶奶", building: "3-101" }, [
      { itemId: "i2", qty: 1 },
    ]);
    const zhao = await join(
      chain.id,
      dp,
      { name: "赵大爷", building: "12-301", phone: "13700002468" },
      [{ itemId: "i3", qty: 2 }],
    );
    const sun = await join(chain.id, other, { name: "孙阿姨", building: "5-101" }, [
      { itemId: "i2", qty: 1 },
    ]);
    return { date, chain, dp, zhang, li, wang, zhao, sun };
  }

  /** A phone signed in with this session; a wait that fails says which one, well within the test's time. */
  async function signedIn(token: string) {
    const p = await phone(browser, { baseUrl: t.baseUrl, sessionToken: token });
    p.context.setDefaultTimeout(WAIT);
    return p;
  }

  const entryOf = (page: Page, chainId: string, no: number): Locator =>
    page.locator(`[data-entry="${chainId}/${no}"]`);
  const shownNames = async (page: Page) =>
    (await page.locator(".co-resident h3").allTextContents()).map((s) => s.trim());

  it("when two volunteers tick on two phones, then each sees the other's ticks live, undo works on both, and the summary follows", async () => {
    const day = await dayWithResidents(2);
    const url = `${t.baseUrl}/checkoff?date=${day.date}&dp=${day.dp}`;
    const a = await signedIn(w.coordinatorToken);
    const b = await signedIn(volunteerToken);
    await a.page.goto(url);
    await b.page.goto(url);
    for (const p of [a.page, b.page]) {
      await p.getByRole("heading", { name: w.dropPoints[0]?.name }).waitFor();
      await poll(() => p.locator(".co-resident").count()).toBe(4);
    }
    // Sorted by building (3 before 7 before 12), as the server sorts its list; the resident at
    // the other drop point is not here.
    const served = await pickupList(day.date, day.dp);
    expect(await shownNames(a.page)).toEqual([
      "3-101 王奶奶",
      "3-201 张阿姨",
      "7-502 李叔",
      "12-301 赵大爷",
    ]);
    expect(await shownNames(a.page)).toEqual(
      served.residents.map((r) => `${r.building} ${r.name}`),
    );
    const initial = served.checkOff;
    expect(initial).toMatchObject({ collected: 0, waiting: 4, paidFen: 0 });
    expect(initial.unpaidFen).toBe(2500 + 3200 + 200 + 5000);
    expect(await pageSummary(a.page)).toEqual(figures(initial));
    expect(await pageSummary(b.page)).toEqual(figures(initial));

    const zhangA = entryOf(a.page, day.chain.id, day.zhang.no);
    const zhangB = entryOf(b.page, day.chain.id, day.zhang.no);
    const pressed = (l: Locator, name: string) =>
      l.getByRole("button", { name, exact: true }).getAttribute("aria-pressed");

    // A ticks "collected": B sees it, with who did it.
    await zhangA.getByRole("button", { name: "已取", exact: true }).click();
    await poll(() => pressed(zhangB, "已取")).toBe("true");
    await zhangB.getByText("王主任").waitFor();
    // B ticks "paid": A sees it.
    await zhangB.getByRole("button", { name: "已付", exact: true }).click();
    await poll(() => pressed(zhangA, "已付")).toBe("true");
    await zhangA.getByText("志愿者小赵").waitFor();

    const ticked = { collected: 1, waiting: 3, paidFen: 2500, unpaidFen: initial.unpaidFen - 2500 };
    for (const p of [a.page, b.page]) await poll(() => pageSummary(p)).toEqual(ticked);
    expect(figures((await pickupList(day.date, day.dp)).checkOff)).toEqual(ticked);
    await a.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(a.page, "checkoff-list-summary");

    // Undo, each on the other phone's tick.
    await zhangB.getByRole("button", { name: "已取", exact: true }).click();
    await poll(() => pressed(zhangA, "已取")).toBe("false");
    await zhangA.getByRole("button", { name: "已付", exact: true }).click();
    await poll(() => pressed(zhangB, "已付")).toBe("false");
    for (const p of [a.page, b.page]) await poll(() => pageSummary(p)).toEqual(figures(initial));
    const after = (await staffEntries(day.chain.id)).find((e) => e.no === day.zhang.no);
    expect(after?.checks).toEqual({ collected: null, paid: null, noShow: null });

    // A phone that lost the network catches up when it is back (the list is watched again).
    await a.context.setOffline(true);
    await a.page.getByText("网络断开，正在重连").waitFor();
    const liB = entryOf(b.page, day.chain.id, day.li.no);
    await liB.getByRole("button", { name: "已取", exact: true }).click();
    await poll(() => pressed(liB, "已取")).toBe("true");
    await a.context.setOffline(false);
    await poll(() => pressed(entryOf(a.page, day.chain.id, day.li.no), "已取"), {
      timeout: 20_000,
    }).toBe("true");
    await poll(() => pageSummary(a.page)).toEqual({
      ...figures(initial),
      collected: 1,
      waiting: 3,
    });
    // Still live after the reconnect.
    await liB.getByRole("button", { name: "已取", exact: true }).click();
    await poll(() => pressed(entryOf(a.page, day.chain.id, day.li.no), "已取")).toBe("false");

    await a.page.setViewportSize({ width: 360, height: 780 });
    await checkPhoneFriendly(a.page, 360);
    await a.context.close();
    await b.context.close();
  });

  it("a volunteer finds a resident by name, building, pickup code (typed, scanner or camera) and the last 4 digits of a phone", async () => {
    const day = await dayWithResidents(3);
    const c = await signedIn(w.coordinatorToken);
    // Without a date it is today in the community's time zone.
    const { timezone } = (
      await t.http.get(`/api/communities/${w.communityId}`).set(coord()).expect(200)
    ).body as { timezone: string };
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(Date.now());
    await c.page.goto(`${t.baseUrl}/checkoff`);
    expect(await c.page.getByLabel("日期").inputValue()).toBe(today);
    await c.page.goto(`${t.baseUrl}/checkoff?dp=${day.dp}`);
    await c.page.getByText("这个自提点这天没有订单。").waitFor();
    // Without a drop point the page asks for one; the day's record shows how many orders each has.
    await c.page.goto(`${t.baseUrl}/checkoff?date=${day.date}`);
    const point = c.page.locator(`a[data-point="${day.dp}"]`);
    await point.getByText("4 单 · 已取 0 · 待取 4").waitFor();
    await point.click();
    await poll(() => c.page.locator(".co-resident").count()).toBe(4);
    expect(new URL(c.page.url()).searchParams.get("dp")).toBe(day.dp);
    expect(await c.page.getByRole("button", { name: "扫码" }).count()).toBe(0); // no camera API here
    const box = c.page.getByLabel("找人：姓名、楼栋、取货码、手机尾号");

    // By name.
    await box.fill("李");
    await poll(() => shownNames(c.page)).toEqual(["7-502 李叔"]);
    await c.page.getByText("找到 1 位").waitFor();
    // By building, also typed full-width.
    await box.fill("3-");
    await poll(() => shownNames(c.page)).toEqual(["3-101 王奶奶", "3-201 张阿姨"]);
    await box.fill("３-２０１");
    await poll(() => shownNames(c.page)).toEqual(["3-201 张阿姨"]);
    // By the last 4 digits of a phone (a pickup code starting with them would be shown too).
    const entries = [day.zhang, day.li, day.wang, day.zhao];
    const expected = (digits: string) =>
      entries
        .filter(
          (e) =>
            (e.phone ?? "").replace(/\D/g, "").endsWith(digits) || e.pickupCode.startsWith(digits),
        )
        .map((e) => `${e.building} ${e.name}`)
        .sort();
    await box.fill("1111");
    await poll(async () => (await shownNames(c.page)).sort()).toEqual(expected("1111"));
    expect(await shownNames(c.page)).toContain("7-502 李叔");
    await box.fill("5678");
    await poll(async () => (await shownNames(c.page)).sort()).toEqual(expected("5678"));
    expect(await shownNames(c.page)).toContain("3-201 张阿姨");
    await box.fill("没有这个人");
    await poll(() => c.page.locator(".co-resident").count()).toBe(0);

    // By pickup code, as a hardware scanner sends it: the code, then Enter.
    await c.page.getByRole("button", { name: "清除" }).click();
    await box.focus();
    await c.page.keyboard.type(day.zhao.pickupCode);
    await c.page.keyboard.press("Enter");
    const hit = c.page.locator(".co-resident.co-hit");
    await hit.getByText("赵大爷").waitFor();
    expect(await hit.count()).toBe(1);
    await c.page.getByText("已找到 赵大爷（12-301）").waitFor();
    expect((await shownNames(c.page))[0]).toBe("12-301 赵大爷");
    // The code is selected, so the next scan replaces it.
    expect(
      await box.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd]),
    ).toEqual([0, day.zhao.pickupCode.length]);
    await screenshot(c.page, "checkoff-found");
    await c.page.keyboard.type(day.wang.pickupCode);
    await c.page.keyboard.press("Enter");
    await hit.getByText("王奶奶").waitFor();
    // After a tap on a toggle the focus is on it; the next scan still lands in the search box.
    const wangPaid = entryOf(c.page, day.chain.id, day.wang.no).getByRole("button", {
      name: "已付",
      exact: true,
    });
    await wangPaid.click();
    await poll(() => wangPaid.getAttribute("aria-pressed")).toBe("true");
    await c.page.keyboard.type(day.li.pickupCode);
    await c.page.keyboard.press("Enter");
    await hit.getByText("李叔").waitFor();
    expect(await box.inputValue()).toBe(day.li.pickupCode);
    // Enter went to the search box, not to the toggle (王奶奶 is still paid).
    const wangNow = (await staffEntries(day.chain.id)).find((e) => e.no === day.wang.no);
    expect(wangNow?.checks.paid?.name).toBe("王主任");
    await c.context.close();

    // With a camera and BarcodeDetector (stood in for here), the label's QR code is scanned.
    const s = await signedIn(w.coordinatorToken);
    await s.context.addInitScript(() => {
      const win = window as unknown as Record<string, unknown>;
      win.BarcodeDetector = class {
        static async getSupportedFormats() {
          return ["qr_code"];
        }
        async detect() {
          const qr = win.__qr;
          return typeof qr === "string" ? [{ rawValue: qr }] : [];
        }
      };
      navigator.mediaDevices.getUserMedia = async () => {
        const canvas = document.createElement("canvas");
        canvas.width = 64;
        canvas.height = 64;
        const g = canvas.getContext("2d");
        setInterval(() => {
          if (!g) return;
          g.fillStyle = `hsl(${Date.now() % 360} 50% 50%)`;
          g.fillRect(0, 0, 64, 64);
        }, 50);
        return canvas.captureStream(20);
      };
    });
    await s.page.goto(`${t.baseUrl}/checkoff?date=${day.date}&dp=${day.dp}`);
    await poll(() => s.page.locator(".co-resident").count()).toBe(4);
    await s.page.getByRole("button", { name: "扫码" }).click();
    const dialog = s.page.getByRole("dialog", { name: "扫描标签上的二维码" });
    await dialog.waitFor();
    await s.page.evaluate((code) => {
      (window as unknown as Record<string, unknown>).__qr = code;
    }, day.li.pickupCode);
    await dialog.waitFor({ state: "detached" });
    await s.page.locator(".co-resident.co-hit").getByText("李叔").waitFor();
    expect(await s.page.getByLabel("找人：姓名、楼栋、取货码、手机尾号").inputValue()).toBe(
      day.li.pickupCode,
    );

    // The same page in English, through the language switch.
    await s.page.getByRole("button", { name: "English" }).click();
    await s.page.getByLabel("Find: name, building, pickup code, last digits of phone").waitFor();
    await s.page
      .locator(".co-resident.co-hit")
      .getByRole("button", { name: "Collected", exact: true })
      .waitFor();
    await s.page.getByText("Bags left").waitFor();
    await s.context.close();
  });

  it("when the grower records a weight at packing, then the amount follows it exactly to the fen, live on the check-off page too", async () => {
    const date = dayAhead(4);
    const chain = await postChain(t, w, { deliveryDate: date });
    const dp = w.dropPoints[0]?.id ?? "";
    // 西红柿 ¥3.50/斤 × 2 + 土鸡蛋 ¥25/盒.
    const e = await join(chain.id, dp, { name: "周阿姨", building: "9-101" }, [
      { itemId: "i1", qty: 2 },
      { itemId: "i3", qty: 1 },
    ]);
    expect(e.amountFen).toBe(700 + 2500);

    const g = await signedIn(w.growerToken);
    const c = await signedIn(w.coordinatorToken);
    await g.page.goto(`${t.baseUrl}/checkoff?view=pack&chain=${chain.id}`);
    await c.page.goto(`${t.baseUrl}/checkoff?date=${date}&dp=${dp}`);
    const packed = entryOf(g.page, chain.id, e.no);
    const field = packed.getByLabel("西红柿 实际重量（斤）");
    await field.waitFor();
    // A box of eggs is not weighed.
    expect(await packed.getByLabel(/土鸡蛋 实际重量/).count()).toBe(0);
    await g.page.locator('[data-progress="0/1"]').waitFor();
    const listed = entryOf(c.page, chain.id, e.no);
    await listed.getByText("待称重").waitFor();

    // Something that is not a weight is refused in plain words, and nothing is sent.
    await field.fill("1.2345");
    await field.press("Enter");
    await packed.getByRole("alert").getByText("最多 3 位小数").waitFor();
    expect((await staffEntries(chain.id))[0]?.lines[0]?.actualQty).toBeNull();

    // 350 × 1.55 = 542.5 fen → ¥5.43 (half up; half-even would give 542).
    await field.fill("1.55");
    await packed.locator("output").getByText("= ¥5.43").waitFor();
    await field.press("Enter");
    await packed.locator('.co-amount[data-fen="3043"]').getByText("¥30.43").waitFor();
    await g.page.locator('[data-progress="1/1"]').waitFor();
    let staff = (await staffEntries(chain.id))[0];
    expect(staff?.lines[0]).toMatchObject({ qty: 2, actualQty: 1.55, amountFen: 543 });
    expect(staff?.amountFen).toBe(3043);
    expect(staff?.weighedBy?.name).toBe("李大姐");
    // The check-off page shows it live: ordered 2, weighed 1.55, ¥30.43 due.
    await listed.getByText("实称 1.55斤").waitFor();
    await listed.getByText("应付 ¥30.43").waitFor();
    await poll(() => pageSummary(c.page)).toMatchObject({ unpaidFen: 3043 });
    await screenshot(g.page, "checkoff-packing");

    // A coordinator corrects it at hand-out; the packing page follows live.
    await listed.getByRole("button", { name: "称重" }).click();
    const handOut = listed.getByLabel("西红柿 实际重量（斤）");
    expect(await handOut.inputValue()).toBe("1.55");
    await handOut.fill("1.85");
    await listed.getByRole("button", { name: "保存重量" }).click();
    // 350 × 1.85 = 647.5 → 648.
    await listed.getByText("应付 ¥31.48").waitFor();
    await packed.locator('.co-amount[data-fen="3148"]').waitFor();
    expect(await field.inputValue()).toBe("1.85");
    staff = (await staffEntries(chain.id))[0];
    expect(staff?.lines[0]).toMatchObject({ actualQty: 1.85, amountFen: 648 });
    expect(staff?.amountFen).toBe(3148);
    expect(staff?.weighedBy?.name).toBe("王主任");
    const list = await pickupList(date, dp);
    expect(list.checkOff.unpaidFen).toBe(3148);
    await poll(() => pageSummary(c.page)).toMatchObject({ unpaidFen: 3148 });

    // Clearing the field goes back to the ordered amount.
    await field.fill("");
    await field.press("Enter");
    await packed.locator('.co-amount[data-fen="3200"]').waitFor();
    expect((await staffEntries(chain.id))[0]?.lines[0]).toMatchObject({
      actualQty: null,
      amountFen: 700,
    });

    await g.page.setViewportSize({ width: 360, height: 780 });
    await checkPhoneFriendly(g.page, 360);
    await g.context.close();
    await c.context.close();
  });

  it("a no-show keeps its entry and its stock; collected and no-show exclude each other; late changes are marked", async () => {
    const date = dayAhead(5);
    const chain = await postChain(t, w, {
      deliveryDate: date,
      cutoffAt: new Date(Date.now() + 1500).toISOString(),
    });
    const dp = w.dropPoints[2]?.id ?? "";
    const e = await join(chain.id, dp, { name: "钱阿姨", building: "6-602" }, [
      { itemId: "i3", qty: 2 },
    ]);
    const late = await join(chain.id, dp, { name: "吴叔", building: "6-101" }, [
      { itemId: "i2", qty: 1 },
    ]);
    const soldBefore = (await snapshot(chain.id)).chain.items[2]?.sold;
    expect(soldBefore).toBe(2);

    const c = await signedIn(w.coordinatorToken);
    await c.page.goto(`${t.baseUrl}/checkoff?date=${date}&dp=${dp}`);
    const card = entryOf(c.page, chain.id, e.no);
    const noShow = card.getByRole("button", { name: "没来取", exact: true });
    await noShow.click();
    await poll(() => noShow.getAttribute("aria-pressed")).toBe("true");
    await c.page.getByText("另有 1 袋标记为没来取").waitFor();
    await card.getByText("王主任").waitFor();
    await poll(() => pageSummary(c.page)).toMatchObject({ collected: 0, waiting: 1 });

    // The record stays: still active, still on the list, stock not given back.
    const snap = await snapshot(chain.id);
    expect(snap.chain.items[2]?.sold).toBe(soldBefore);
    expect(snap.entries.find((x) => x.no === e.no)?.status).toBe("active");
    const list = await pickupList(date, dp);
    expect(list.checkOff).toMatchObject({ noShow: 1, waiting: 1, collected: 0 });
    expect(list.residents.map((r) => r.name)).toContain("钱阿姨");
    expect(await c.page.locator(".co-resident").count()).toBe(2);

    // She turns up after all: "collected" clears "no-show".
    await card.getByRole("button", { name: "已取", exact: true }).click();
    await poll(() => noShow.getAttribute("aria-pressed")).toBe("false");
    expect((await staffEntries(chain.id)).find((x) => x.no === e.no)?.checks).toMatchObject({
      collected: { name: "王主任" },
      noShow: null,
    });
    expect((await snapshot(chain.id)).chain.items[2]?.sold).toBe(soldBefore);

    // A coordinator's change after the cutoff arrives live, marked late with who made it.
    await waitForRedisTime(t, chain.cutoffAt + 200);
    const staff = await client(t, { token: w.coordinatorToken });
    ok(
      await call(staff, "entry:update", {
        requestId: requestId(),
        chainId: chain.id,
        no: late.no,
        lines: [{ itemId: "i2", qty: 3 }],
      }),
    );
    const lateCard = entryOf(c.page, chain.id, late.no);
    await lateCard.getByText("截单后改动").waitFor();
    await lateCard.getByText(/王主任/).waitFor();
    await lateCard.getByText("应付 ¥6").waitFor();
    staff.disconnect();
    await c.context.close();
  });
  it("at the end of the window, the bags still waiting become no-shows in one go, after a confirm, seen on the other phone too", async () => {
    const day = await dayWithResidents(6);
    const a = await signedIn(w.coordinatorToken);
    const b = await signedIn(volunteerToken);
    for (const p of [a, b])
      await p.page.goto(`${t.baseUrl}/checkoff?date=${day.date}&dp=${day.dp}`);
    await poll(() => a.page.locator(".co-resident").count()).toBe(4);
    // 张阿姨 has collected; the other three bags are waiting.
    await entryOf(a.page, day.chain.id, day.zhang.no)
      .getByRole("button", { name: "已取", exact: true })
      .click();
    await poll(() => pageSummary(a.page)).toMatchObject({ collected: 1, waiting: 3 });

    // Asking first: saying no changes nothing.
    await a.page.getByRole("button", { name: "把待取的 3 袋都标为没来取" }).click();
    await a.page.getByText("确定把还没来取的 3 袋都标为没来取吗？", { exact: false }).waitFor();
    await a.page.getByRole("button", { name: "先不标" }).click();
    expect((await staffEntries(day.chain.id)).filter((e) => e.checks.noShow)).toEqual([]);

    await a.page.getByRole("button", { name: "把待取的 3 袋都标为没来取" }).click();
    const yes = a.page.getByRole("button", { name: "确定，都标为没来取" });
    await yes.scrollIntoViewIfNeeded();
    await checkPhoneFriendly(a.page, 390);
    await screenshot(a.page, "checkoff-rest-no-show");
    await yes.click();
    await a.page.getByText("已把 3 袋标为没来取。").waitFor();
    await poll(() => pageSummary(a.page)).toMatchObject({ collected: 1, waiting: 0 });
    await a.page.getByText("另有 3 袋标记为没来取").waitFor();
    expect(await a.page.getByRole("button", { name: /都标为没来取/ }).count()).toBe(0);
    // The other phone sees it live; the server has each mark with who made it.
    await b.page.getByText("另有 3 袋标记为没来取").waitFor();
    await poll(() => pageSummary(b.page)).toMatchObject({ collected: 1, waiting: 0 });
    const marked = (await staffEntries(day.chain.id))
      .filter((e) => e.dropPointId === day.dp)
      .map((e) => [e.name, e.checks.noShow?.name ?? null, e.checks.collected?.name ?? null])
      .sort();
    expect(marked).toEqual(
      [
        ["张阿姨", null, "王主任"],
        ["李叔", "王主任", null],
        ["王奶奶", "王主任", null],
        ["赵大爷", "王主任", null],
      ].sort(),
    );
    // The other drop point is untouched.
    expect((await staffEntries(day.chain.id)).find((e) => e.no === day.sun.no)?.checks.noShow).toBe(
      null,
    );
    // One of them turns up after all: undo on the card.
    const wang = entryOf(b.page, day.chain.id, day.wang.no);
    await wang.getByRole("button", { name: "已取", exact: true }).click();
    await poll(() => pageSummary(a.page)).toMatchObject({ collected: 2, waiting: 0 });
    await a.page.getByText("另有 2 袋标记为没来取").waitFor();
    await a.context.close();
    await b.context.close();
  });
});
