/**
 * A subscription can go quiet without an error: a Redis Cluster that moves a community's slot to
 * another shard unsubscribes its shard channel there (the server sends SUNSUBSCRIBE), and the
 * client library follows only at its next look at the slots. Here the channel is unsubscribed
 * behind the app's back the same way; the watchdog notices a watched chain that moved on unheard,
 * nudges its watchers (they resync) and subscribes again, so later events arrive live.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageWatcher } from "../cluster/failover.js";
import {
  call,
  client,
  deviceKey,
  eventually,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp();
  w = await makeWorld(t);
});
afterAll(() => t.close());

describe("the subscription watchdog", () => {
  it("when the community's channel is unsubscribed silently, then watchers still get every join, and later ones live again", async () => {
    const chain = await postChain(t, w);
    const page = await pageWatcher(t, chain.id);
    const resident = await client(t, { deviceKey: deviceKey() });
    const join = (i: number) =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name: `住户${i}`,
        building: `3-${100 + i}`,
        lines: [{ itemId: chain.items[1]?.id ?? "", qty: 1 }],
      });
    ok(await join(1));
    await eventually(() => expect(page.events).toHaveLength(1));

    // What a slot migration does to the shard channel's subscriber, without telling anyone.
    const channel = t.app.ctx.keys.community(w.communityId).channel;
    const bus = (t.app.broadcaster as unknown as { bus: { subscriber: TestApp["redis"] } }).bus;
    await bus.subscriber.sunsubscribe(channel);
    expect(await t.redis.call("PUBSUB", "SHARDCHANNELS", channel)).toEqual([]);

    ok(await join(2));
    ok(await join(3));
    // The watchdog looks every 3 s: the page is nudged and reads both back.
    await eventually(() => expect(page.events).toHaveLength(3), 15_000);
    await eventually(async () =>
      expect(await t.redis.call("PUBSUB", "SHARDCHANNELS", channel)).toEqual([channel]),
    );
    // Subscribed again: the next join arrives live (no nudge needed).
    ok(await join(4));
    await eventually(() => expect(page.events).toHaveLength(4), 2_000);
    expect(page.events.map((e) => e.version)).toEqual(
      [...page.events.map((e) => e.version)].sort((a, b) => a - b),
    );
    page.socket.disconnect();
    resident.disconnect();
  });
});
