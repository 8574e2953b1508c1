import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { StaffEntry } from "../../shared/views.js";
import {
  bearer,
  call,
  client,
  deviceKey,
  ok,
  postChain,
  requestId,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { browserWorld, checkPhoneFriendly, phone, screenshot } from "./browser.js";

/** The waitlist (issue 15) on a phone: sold out → wait in line → someone cancels → an entry. */
describe("the waitlist in a real browser", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  browserWorld((made) => ({ t, w, browser } = made));

  const staffEntries = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}/entries`).set(bearer(w.coordinatorToken)).expect(200))
      .body as StaffEntry[];

  /** Another resident (李大爷, 1-101) takes one unit of an item over a socket of their own. */
  const neighbourTakes = async (chainId: string, itemId: string) => {
    const socket = await client(t, { deviceKey: deviceKey() });
    const taken = ok(
      await call(socket, "entry:join", {
        requestId: requestId(),
        chainId,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "李大爷",
        building: "1-101",
        lines: [{ itemId, qty: 1 }],
      }),
    );
    return { socket, taken };
  };

  /** 王阿姨 opens the chain at `width` px and fills in 2 of an item, her name and a drop point. */
  const chooseTwo = async (chainId: string, item: string, width: number, height: number) => {
    const b = await phone(browser, { baseUrl: t.baseUrl });
    await b.page.setViewportSize({ width, height });
    await b.page.goto(`${t.baseUrl}/c/${chainId}`);
    await b.page.getByRole("button", { name: `增加 ${item}` }).click();
    await b.page.getByRole("button", { name: `增加 ${item}` }).click();
    await b.page.getByLabel("称呼").fill("王阿姨");
    await b.page.getByLabel("楼栋门牌").fill("2-301");
    await b.page.locator("input[name=dropPoint]").first().check();
    return b;
  };

  it("at 360 px: a sold-out item, one tap into the line, the place shown, and the entry with number and code when someone cancels", async () => {
    const chain = await postChain(t, w, {
      items: [
        { name: "草莓", unit: "盒", priceFen: 1990, stock: 1 },
        { name: "黄瓜", unit: "斤", priceFen: 200 },
      ],
    });
    const strawberry = chain.items[0]?.id ?? "";
    // Another resident has the last box.
    const { socket: other, taken } = await neighbourTakes(chain.id, strawberry);

    const b = await phone(browser, { baseUrl: t.baseUrl });
    await b.page.setViewportSize({ width: 360, height: 780 });
    await b.page.goto(`${t.baseUrl}/c/${chain.id}`);
    const card = b.page.getByTestId("waitlist");
    await card.getByText("卖完了", { exact: true }).waitFor();
    await card.getByRole("button", { name: "排队候补" }).click();
    await card.getByLabel("称呼").fill("王阿姨");
    await card.getByLabel("楼栋门牌").fill("2-301");
    await card.getByText(w.dropPoints[1]?.name ?? "").click();
    await checkPhoneFriendly(b.page, 360);
    await screenshot(b.page, "resident-waitlist-form");
    await card.getByRole("button", { name: "加入候补" }).click();
    await card.getByText("排在第 1 位").waitFor();
    await checkPhoneFriendly(b.page, 360);
    await screenshot(b.page, "resident-waitlist-waiting");
    expect(await staffEntries(chain.id)).toHaveLength(1);

    // Someone cancels: the freed box goes to 王阿姨, and her page says so at once.
    ok(
      await call(other, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: taken.entry.no,
      }),
    );
    const entries = await staffEntries(chain.id);
    const made = entries.find((e) => e.fromWaitlist);
    expect(made).toMatchObject({ no: 2, name: "王阿姨", dropPointId: w.dropPoints[1]?.id });
    const promoted = card.getByText(`候补转正！接龙号 2，取货码 ${made?.pickupCode}`);
    await promoted.waitFor();
    // As large as a join's success, brought on screen and focused when it happens.
    const big = card.locator(".wl-promoted .wl-big strong");
    expect(await big.allTextContents()).toEqual(["2", made?.pickupCode]);
    const news = card.locator(".wl-promoted");
    await expect.poll(() => news.evaluate((el) => document.activeElement === el)).toBe(true);
    await b.page.locator('.chain li[data-no="2"]').getByText("候补转正").waitFor();
    await checkPhoneFriendly(b.page, 360);
    await screenshot(b.page, "resident-waitlist-promoted");

    // The next visit: the same, from the device key.
    await b.page.reload();
    await b.page.getByTestId("waitlist").getByText(`取货码 ${made?.pickupCode}`).waitFor();
    await b.page.setViewportSize({ width: 320, height: 780 });
    await checkPhoneFriendly(b.page, 320);
    await screenshot(b.page, "resident-waitlist-promoted-320");
    await b.context.close();
  });

  it("at 320 px: others buy the stock away while the form is open; the row says so and keeps the amount; the refusal offers the waitlist, which opens with that amount", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "草莓", unit: "盒", priceFen: 1990, stock: 2 }],
    });
    const strawberry = chain.items[0]?.id ?? "";
    const b = await chooseTwo(chain.id, "草莓", 320, 640);
    // Meanwhile a neighbour takes one of the two boxes.
    const { socket: other } = await neighbourTakes(chain.id, strawberry);
    // The row says what can be had now; the amount chosen is not changed behind her back.
    const row = b.page.locator("li.item").filter({ hasText: "草莓" });
    await row.getByText("你选了2盒，现在最多能要1盒").waitFor();
    expect(await row.locator(".stepper output").textContent()).toBe("2");
    await checkPhoneFriendly(b.page, 320);
    await screenshot(b.page, "resident-over-stock-320");

    // She sends it anyway: refused, nothing placed, and the notice offers the waitlist.
    await b.page.getByRole("button", { name: "接龙", exact: true }).click();
    const notice = b.page.locator(".sold-out-notice");
    await notice.waitFor();
    expect(await staffEntries(chain.id)).toHaveLength(1);
    await notice.getByRole("button", { name: "排队候补草莓" }).click();
    const title = b.page.getByRole("heading", { name: "候补 草莓" });
    await title.waitFor();
    // The form is on screen, focused, and starts at the amount she wanted.
    await expect.poll(() => title.evaluate((h) => document.activeElement === h)).toBe(true);
    const box = await title.boundingBox();
    expect(box && box.y >= 0 && box.y < 640).toBe(true);
    const card = b.page.getByTestId("waitlist");
    expect(await card.locator(".stepper output").textContent()).toBe("2");
    // While the waitlist form is open, the 接龙 bar does not float over it.
    expect(await b.page.locator(".paybar").evaluate((el) => getComputedStyle(el).position)).toBe(
      "static",
    );
    await checkPhoneFriendly(b.page, 320);
    await screenshot(b.page, "resident-waitlist-from-refusal-320");
    await card.getByRole("button", { name: "加入候补" }).click();
    await card.getByText("排在第 1 位").waitFor();
    expect(await staffEntries(chain.id)).toHaveLength(1);
    // Her place in line is what she sees next: on screen and focused.
    const line = card.locator("[data-waiter]");
    await expect.poll(() => line.evaluate((el) => document.activeElement === el)).toBe(true);
    const at = await line.boundingBox();
    expect(at && at.y >= 0 && at.y + at.height <= 640).toBe(true);
    await screenshot(b.page, "resident-waitlist-placed-320");
    // The form no longer holds the boxes she now waits for, and says so instead of the refusal.
    await expect.poll(() => row.locator(".stepper output").textContent()).toBe("0");
    await b.page.getByText("草莓已经排上候补。").waitFor();
    expect(await notice.count()).toBe(0);
    // One request in line, for the 2 boxes she wanted.
    const view = await t.http.get(`/api/chains/${chain.id}`).expect(200);
    expect(view.body.waitlist).toEqual([
      { itemId: strawberry, waiting: [{ id: expect.any(Number), qty: 2 }] },
    ]);
    other.disconnect();
    await b.context.close();
  });

  it("at 360 px: the row's 排队候补; then an order of her own up to the per-person limit, and her place in line says it can no longer be met", async () => {
    const chain = await postChain(t, w, {
      items: [{ name: "土鸡蛋", unit: "盒", priceFen: 2500, stock: 2, limit: 2 }],
    });
    const eggs = chain.items[0]?.id ?? "";
    const b = await chooseTwo(chain.id, "土鸡蛋", 360, 740);
    const { socket: other } = await neighbourTakes(chain.id, eggs);
    const row = b.page.locator("li.item").filter({ hasText: "土鸡蛋" });
    await row.getByText("你选了2盒，现在最多能要1盒").waitFor();
    // Waiting for the 2 boxes, from the row itself.
    await row.getByRole("button", { name: "排队候补土鸡蛋" }).click();
    const card = b.page.getByTestId("waitlist");
    await card.getByRole("heading", { name: "候补 土鸡蛋" }).waitFor();
    expect(await card.locator(".stepper output").textContent()).toBe("2");
    await card.getByRole("button", { name: "加入候补" }).click();
    await card.getByText("排在第 1 位").waitFor();
    await b.page.getByText("土鸡蛋已经排上候补。").waitFor();
    // Then she orders the box that is left: 1 held + 2 waited for is over the limit of 2.
    await b.page.getByRole("button", { name: "增加 土鸡蛋" }).click();
    await b.page.getByRole("button", { name: "接龙", exact: true }).click();
    await b.page.getByRole("heading", { name: "接龙成功！" }).waitFor();
    const blocked = card.getByText(
      "你已经接了1盒，每人限2盒：这个候补轮到你时也排不上。要改，请先点「不要了」，再按最多1盒排队。",
    );
    await blocked.waitFor();
    await checkPhoneFriendly(b.page, 360);
    await screenshot(b.page, "resident-waitlist-blocked-by-limit-360");
    // Leaving the line and asking again: the form offers at most the 1 box the limit leaves.
    await card.getByRole("button", { name: "不要了" }).click();
    await card.getByRole("button", { name: "确定不要了" }).click();
    await blocked.waitFor({ state: "detached" });
    other.disconnect();
    await b.context.close();
  });

  it("a phone that was offline when its request was promoted shows the entry once it is back", async () => {
    const chain = await postChain(t, w, {
      items: [
        { name: "草莓", unit: "盒", priceFen: 1990, stock: 1 },
        { name: "黄瓜", unit: "斤", priceFen: 200 },
      ],
    });
    const strawberry = chain.items[0]?.id ?? "";
    const { socket: other, taken } = await neighbourTakes(chain.id, strawberry);
    const b = await phone(browser, { baseUrl: t.baseUrl });
    await b.page.goto(`${t.baseUrl}/c/${chain.id}`);
    const card = b.page.getByTestId("waitlist");
    await card.getByRole("button", { name: "排队候补" }).click();
    await card.getByLabel("称呼").fill("孙奶奶");
    await card.getByLabel("楼栋门牌").fill("6-602");
    // Several drop points and none remembered: the resident chooses.
    await card.locator("input[type=radio]").first().check();
    await card.getByRole("button", { name: "加入候补" }).click();
    await card.getByText("排在第 1 位").waitFor();

    await b.context.setOffline(true);
    await b.page.getByText("网络已断开").waitFor();
    ok(
      await call(other, "entry:cancel", {
        requestId: requestId(),
        chainId: chain.id,
        no: taken.entry.no,
      }),
    );
    const made = (await staffEntries(chain.id)).find((e) => e.fromWaitlist);
    expect(made?.name).toBe("孙奶奶");
    await b.context.setOffline(false);
    await card
      .getByText(`候补转正！接龙号 ${made?.no}，取货码 ${made?.pickupCode}`)
      .waitFor({ timeout: 20_000 });
    await b.context.close();
  });

  it("in English, the place in line updates live when the one ahead leaves", async () => {
    const chain = await postChain(t, w, {
      items: [
        { name: "草莓", unit: "盒", priceFen: 1990, stock: 1 },
        { name: "黄瓜", unit: "斤", priceFen: 200 },
      ],
    });
    const strawberry = chain.items[0]?.id ?? "";
    await neighbourTakes(chain.id, strawberry);
    const ahead = await client(t, { deviceKey: deviceKey() });
    const first = ok(
      await call(ahead, "waitlist:join", {
        requestId: requestId(),
        chainId: chain.id,
        itemId: strawberry,
        qty: 1,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "赵叔",
        building: "4-401",
      }),
    );
    const b = await phone(browser, { baseUrl: t.baseUrl, lang: "en" });
    await b.page.setViewportSize({ width: 414, height: 800 });
    await b.page.goto(`${t.baseUrl}/c/${chain.id}`);
    const card = b.page.getByTestId("waitlist");
    await card.getByText("1 waiting, 1 盒 in all").waitFor();
    await card.getByRole("button", { name: "Join the waitlist" }).click();
    await card.getByLabel("Name").fill("Mrs Wang");
    await card.getByLabel(/Building/).fill("2-301");
    // Several drop points and none remembered: the resident chooses.
    await card.locator("input[type=radio]").first().check();
    await card.getByRole("button", { name: "Join the waitlist" }).click();
    await card.getByText("You are number 2 in line").waitFor();
    ok(
      await call(ahead, "waitlist:leave", {
        requestId: requestId(),
        chainId: chain.id,
        waiterId: first.waiter.id,
      }),
    );
    await card.getByText("You are number 1 in line").waitFor();
    await checkPhoneFriendly(b.page, 414);
    await screenshot(b.page, "resident-waitlist-english-414");
    // The grower sees what is still wanted, live.
    const g = await phone(browser, { baseUrl: t.baseUrl, sessionToken: w.growerToken });
    await g.page.goto(`${t.baseUrl}/g?chain=${chain.id}`);
    const unmet = g.page.getByTestId("unmet");
    await unmet.getByText("候补中（卖完后还有人想要）").waitFor();
    await unmet.getByText("草莓：1 人，共 1盒").waitFor();
    await screenshot(g.page, "grower-waitlist");
    // So does a coordinator, on the day's chains.
    const c = await phone(browser, { baseUrl: t.baseUrl, sessionToken: w.coordinatorToken });
    await c.page.goto(`${t.baseUrl}/admin`);
    await c.page
      .locator(`[data-chain="${chain.id}"]`)
      .getByTestId("chain-waitlist")
      .getByText("候补：草莓 1盒（1 人）")
      .waitFor();
    await c.context.close();
    // Leaving takes two taps.
    await card.getByRole("button", { name: "Leave" }).click();
    await card.getByRole("button", { name: "Yes, leave the line" }).click();
    await card.getByRole("button", { name: "Join the waitlist" }).waitFor();
    await unmet.waitFor({ state: "detached" });
    await g.context.close();
    await b.context.close();
  });
});
