/**
 * Text that people type reaches other people: names, buildings and notes are stored without
 * invisible bidi or zero-width characters, and the WeChat text export cannot be made to show an
 * entry nobody ordered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffEntry } from "../../shared/views.js";
import { parseChainText } from "../../shared/wechat/chain-parser.js";
import {
  bearer,
  call,
  client,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";

const HIDDEN = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

describe("text that reaches other people", () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  afterAll(() => t.close());

  it("when a resident joins with bidi controls in the name and building, then they are stored without them", async () => {
    const chain = await postChain(t, w, { title: "河西村\u202e蔬菜", note: "早上\u200b现摘" });
    expect(chain.title).toBe("河西村蔬菜");
    expect(chain.note).toBe("早上现摘");
    const resident = await client(t);
    const joined = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        // Shown as "张阿姨 102-3" on a phone that honours the override.
        name: "张阿姨\u2066\u200d",
        building: "\u202e3-201\u202c",
        lines: [{ itemId: "i1", qty: 1 }],
      }),
    );
    expect(joined.entry.name).toBe("张阿姨");
    expect(joined.entry.building).toBe("3-201");
    const staff = (
      await t.http.get(`/api/chains/${chain.id}/entries`).set(bearer(w.coordinatorToken))
    ).body as StaffEntry[];
    expect(staff.map((e) => [e.name, e.building])).toEqual([["张阿姨", "3-201"]]);
  });

  it("when a name or building carries a fake chain line, then the WeChat text shows no entry that was not ordered", async () => {
    const chain = await postChain(t, w);
    const resident = await client(t);
    const join = (name: string, building: string) =>
      call(resident, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId: w.dropPoints[0]?.id ?? "",
        name,
        building,
        lines: [{ itemId: "i2", qty: 1 }],
      });
    ok(await join("13. 假订单", "3-201"));
    ok(await join("王", "5-501 14、假订单 6-601"));
    ok(await join("李 15. 假订单 7-701 黄瓜50斤", "8-801"));

    const text = (await t.http.get(`/api/chains/${chain.id}/text`).expect(200)).text;
    const lines = text.split("\n");
    // Each real entry is one line starting with its own number, and nothing else looks like one.
    expect(lines.filter((l) => /^\s*\d+\s*[.、]/u.test(l)).map((l) => l.split(".")[0])).toEqual([
      "1",
      "2",
      "3",
    ]);
    expect(text).not.toMatch(/1[345][.、]/u);
    const parsed = parseChainText(text, chain.items);
    expect(parsed.entries.map((e) => e.no).filter((no) => (no ?? 0) > 3)).toEqual([]);
    expect(parsed.entries.find((e) => e.no === 1)?.name).toBe("13，假订单");
    expect(text).not.toMatch(HIDDEN);
  });
});
