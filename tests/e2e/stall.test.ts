import { rmSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ManagedRedis, startRedisServer, tempRedisDir } from "../../server/redis-process.js";
import type { StaffEntry } from "../../shared/views.js";
import {
  bearer,
  makeWorld,
  postChain,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { launch, phone, screenshot } from "./browser.js";

/**
 * Redis stalls (SIGSTOP) while a resident joins: the join is sent but not answered. The page says
 * it is confirming, keeps asking with the same request id (through a reload, too), and when
 * Redis resumes the resident has exactly one entry, and the page shows it.
 */
describe("a resident's join while Redis stalls, in a real browser", () => {
  const dir = tempRedisDir("e2e-stall");
  let redis: ManagedRedis;
  let t: TestApp;
  let w: World;
  let browser: Browser;
  const pause = () => process.kill(redis.child.pid ?? 0, "SIGSTOP");
  const resume = () => process.kill(redis.child.pid ?? 0, "SIGCONT");
  beforeAll(async () => {
    redis = await startRedisServer({ dir });
    t = await startTestApp({ redisUrl: redis.url, env: { REDIS_COMMAND_TIMEOUT_MS: "300" } });
    w = await makeWorld(t);
    browser = await launch();
  });
  afterAll(async () => {
    resume();
    await browser?.close();
    await t?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const staffEntries = async (chainId: string) =>
    (await t.http.get(`/api/chains/${chainId}/entries`).set(bearer(w.coordinatorToken)).expect(200))
      .body as StaffEntry[];

  it("when Redis stalls under the join, then the page says 正在确认…, and after it resumes the resident has one entry and the page says so", async () => {
    const chain = await postChain(t, w);
    const a = await phone(browser, { baseUrl: t.baseUrl });
    await a.page.goto(`${t.baseUrl}/c/${chain.id}`);
    await a.page.getByText("还没有人接龙").waitFor();
    await a.page.getByRole("button", { name: "增加 黄瓜" }).click();
    await a.page.getByLabel("称呼").fill("张阿姨");
    await a.page.getByLabel("楼栋门牌").fill("3-201");

    pause();
    try {
      // Several drop points and none remembered: the resident chooses.
      await a.page.locator("input[name=dropPoint]").first().check();
      await a.page.getByRole("button", { name: "接龙", exact: true }).click();
      await a.page.getByText("正在确认…（已经发出").waitFor();
      await a.page.locator('.entry.pending[data-state="confirming"]').waitFor();
      expect(await a.page.getByText("失败").count()).toBe(0);
      await screenshot(a.page, "resident-confirming");
      // A reload keeps asking: the write waits on the phone with its request id.
      await a.page.reload();
      await a.page.locator('.entry.pending[data-state="confirming"]').waitFor();
    } finally {
      resume();
    }

    // Redis applied the first send when it resumed; the page's next ask returns that entry.
    const mine = a.page.locator(".entry:not(.pending)").filter({ hasText: "张阿姨" });
    await mine.getByText(/取货码 \d{4}/).waitFor({ timeout: 40_000 });
    await a.page.getByRole("heading", { name: "接龙成功！" }).waitFor();
    expect(await a.page.getByTestId("joined-no").textContent()).toBe("1");
    expect(await a.page.locator(".entry.pending").count()).toBe(0);
    await a.page.locator('.chain li[data-no="1"]').waitFor();
    expect(await a.page.locator(".chain li").count()).toBe(1);
    const entries = await staffEntries(chain.id);
    expect(entries.map((e) => [e.name, e.status])).toEqual([["张阿姨", "active"]]);
    await screenshot(a.page, "resident-confirmed");
    await a.context.close();
  });
});
