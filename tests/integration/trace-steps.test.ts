import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandStep, ScriptStep } from "../../server/trace.js";
import {
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

/**
 * The steps the bench's burst timeline reads (server/trace.ts → bench/timeline.ts): every command
 * received, validated and answered under one number, its script sent and replied; a refused
 * payload is answered without a validated step; nothing while nobody listens.
 */
describe("command and script steps on diagnostics_channel", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    // No cutoff sweep: its scripts would share the window with the join's.
    t = await startTestApp({ sweepCutoffs: false });
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("a join: received → validated → answered under one number, one script sent and replied; a bad payload: received → answered", async () => {
    const chain = await postChain(t, w);
    const resident = await client(t, { deviceKey: deviceKey() });
    const join = () =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: "张阿姨",
        building: "3-201",
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      });
    const commands: CommandStep[] = [];
    const scripts: ScriptStep[] = [];
    const onCommand = (m: unknown) => commands.push(m as CommandStep);
    const onScript = (m: unknown) => scripts.push(m as ScriptStep);

    // Nobody listens: nothing is published.
    ok(await join());
    expect(commands).toEqual([]);

    subscribe("jielong:command", onCommand);
    subscribe("jielong:script", onScript);
    try {
      ok(await join());
      const refused = await call(resident, "entry:join", { chainId: 42 } as never);
      expect(refused.ok).toBe(false);
    } finally {
      unsubscribe("jielong:command", onCommand);
      unsubscribe("jielong:script", onScript);
    }
    const [first, second] = [...new Set(commands.map((c) => c.seq))];
    expect(first).toBeGreaterThan(0);
    const of = (seq: number | undefined) => commands.filter((c) => c.seq === seq);
    expect(of(first).map((c) => c.step)).toEqual(["received", "validated", "answered"]);
    expect(of(second).map((c) => c.step)).toEqual(["received", "answered"]);
    const times = of(first).map((c) => c.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The join's script, alone in its pipeline here.
    expect(scripts.map((s) => [s.step, s.scripts])).toEqual([
      ["sent", 1],
      ["replied", 1],
    ]);
    resident.disconnect();
  });
});
