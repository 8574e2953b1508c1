import { describe, expect, it } from "vitest";
import {
  addDays,
  dateIn,
  editable,
  endOfDate,
  fenToYuanInput,
  firstPickupOf,
  latestChain,
  parseQty,
  proposeCutoff,
  sortMyChains,
  timeOfDayIn,
  yuanToFen,
  zonedTime,
} from "../../client/src/grower/lib.js";
import {
  addDaysToDate,
  dateIn as sharedDateIn,
  endOfDate as sharedEndOfDate,
  zonedTime as sharedZonedTime,
} from "../../shared/dates.js";
import type { ChainView } from "../../shared/views.js";

describe("grower page: prices typed in yuan become exact fen", () => {
  it("parses the decimal string, so there is no float drift", () => {
    expect(yuanToFen("3.5")).toBe(350);
    expect(yuanToFen("0.29")).toBe(29); // 0.29 * 100 = 28.999999999999996 as a float
    expect(yuanToFen("1.15")).toBe(115); // 1.15 * 100 = 114.99999999999999
    expect(yuanToFen("19.99")).toBe(1999);
    expect(yuanToFen("25")).toBe(2500);
    expect(yuanToFen("3.")).toBe(300);
    expect(yuanToFen(".5")).toBe(50);
    expect(yuanToFen(" ３.５元 ")).toBe(350);
    expect(yuanToFen("¥2。5")).toBe(250);
    expect(yuanToFen("0")).toBe(0);
  });

  it("refuses anything that is not a price with at most two decimals", () => {
    for (const bad of ["", ".", "abc", "3.456", "-1", "1e3", "3,5", "1.2.3", "12345678"]) {
      expect(yuanToFen(bad), bad).toBeNull();
    }
  });

  it("writes fen back as the yuan a grower would type, and reads it again exactly", () => {
    expect(fenToYuanInput(350)).toBe("3.5");
    expect(fenToYuanInput(305)).toBe("3.05");
    expect(fenToYuanInput(300)).toBe("3");
    expect(fenToYuanInput(1)).toBe("0.01");
    for (let fen = 0; fen <= 20_000; fen++) expect(yuanToFen(fenToYuanInput(fen))).toBe(fen);
  });

  it("reads quantities typed by hand", () => {
    expect(parseQty("100")).toBe(100);
    expect(parseQty("2.5")).toBe(2.5);
    expect(parseQty("１０")).toBe(10);
    expect(parseQty("0.125")).toBe(0.125);
    for (const bad of ["", "abc", "-1", "1.2345", "1e2"]) expect(parseQty(bad), bad).toBeNull();
  });
});

describe("grower page: dates and cutoffs in the community's timezone", () => {
  const tz = "Asia/Shanghai";

  it("agrees with shared/dates.ts, also across DST changes", () => {
    for (const zone of [tz, "America/New_York", "Europe/London", "Australia/Adelaide"]) {
      for (const date of ["2026-03-08", "2026-03-29", "2026-11-01", "2026-10-04", "2026-12-31"]) {
        for (const [h, m] of [
          [0, 0],
          [1, 30],
          [3, 0],
          [20, 0],
          [23, 59],
        ] as const) {
          const time = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
          expect(zonedTime(date, time, zone), `${zone} ${date} ${time}`).toBe(
            sharedZonedTime(date, h, m, zone),
          );
        }
        expect(endOfDate(date, zone)).toBe(sharedEndOfDate(date, zone));
        expect(addDays(date, 1)).toBe(addDaysToDate(date, 1));
        expect(addDays(date, -1)).toBe(addDaysToDate(date, -1));
      }
    }
    const at = Date.parse("2026-11-28T17:30:00Z"); // 01:30 on the 29th in Shanghai
    expect(dateIn(tz, at)).toBe(sharedDateIn(tz, at));
    expect(dateIn(tz, at)).toBe("2026-11-29");
    expect(timeOfDayIn(tz, at)).toBe("01:30");
  });

  it("fills in 20:00 the evening before delivery while there is time", () => {
    const now = Date.parse("2026-11-28T10:00:00Z"); // 18:00 in Shanghai
    expect(proposeCutoff("2026-11-29", tz, now)).toEqual({
      at: Date.parse("2026-11-28T12:00:00Z"),
      moved: false,
    });
  });

  it("proposes about an hour from now, on the half hour, once 20:00 has passed or is too near", () => {
    const at = (iso: string, date = "2026-11-29") => proposeCutoff(date, tz, Date.parse(iso));
    // 19:45: 20:00 is only 15 minutes away.
    expect(at("2026-11-28T11:45:00Z")).toEqual({
      at: Date.parse("2026-11-28T13:00:00Z"),
      moved: true,
    });
    // 21:10 → 22:30.
    expect(at("2026-11-28T13:10:00Z")).toEqual({
      at: Date.parse("2026-11-28T14:30:00Z"),
      moved: true,
    });
    // 23:50 → 01:00 on the delivery day, still before its end.
    expect(at("2026-11-28T15:50:00Z")).toEqual({
      at: Date.parse("2026-11-28T17:00:00Z"),
      moved: true,
    });
    // Delivery today at 23:40: too late for any cutoff.
    expect(at("2026-11-29T15:40:00Z")).toBeNull();
    // Delivery today at 10:00: 11:00 the same day.
    expect(at("2026-11-29T02:00:00Z")).toEqual({
      at: Date.parse("2026-11-29T03:00:00Z"),
      moved: true,
    });
  });

  it("never proposes a cutoff at or after the delivery's first pickup window", () => {
    const first = firstPickupOf("2026-11-29", [{ start: "09:00" }, { start: "07:30" }], tz);
    expect(first).toBe(Date.parse("2026-11-28T23:30:00Z")); // 07:30 in Shanghai
    // 23:50 the evening before → 01:00, before 07:30.
    expect(proposeCutoff("2026-11-29", tz, Date.parse("2026-11-28T15:50:00Z"), first)).toEqual({
      at: Date.parse("2026-11-28T17:00:00Z"),
      moved: true,
    });
    // Delivery today at 10:00, pickups from 07:30: too late.
    expect(proposeCutoff("2026-11-29", tz, Date.parse("2026-11-29T02:00:00Z"), first)).toBeNull();
    expect(firstPickupOf("2026-11-29", [], tz)).toBeNull();
  });
});

describe("grower page: my chains", () => {
  const chain = (id: string, deliveryDate: string, createdAt: number): ChainView =>
    ({ id, deliveryDate, createdAt, status: "open", closedReason: null, cutoffAt: 0 }) as ChainView;

  it("repeats the latest: latest delivery date, then the one posted last", () => {
    const list = [
      chain("a", "2026-11-29", 1),
      chain("b", "2026-11-30", 2),
      chain("c", "2026-11-30", 3),
    ];
    expect(latestChain(list)?.id).toBe("c");
    expect(latestChain([])).toBeNull();
  });

  it("lists today's and tomorrow's first, then the rest newest first", () => {
    const list = [
      chain("old", "2026-11-20", 1),
      chain("later", "2026-12-05", 2),
      chain("tomorrow", "2026-11-29", 3),
      chain("today", "2026-11-28", 4),
      chain("older", "2026-11-10", 5),
    ];
    expect(sortMyChains(list, "2026-11-28").map((c) => c.id)).toEqual([
      "today",
      "tomorrow",
      "later",
      "old",
      "older",
    ]);
  });

  it("may change prices and stock while open, or sold out, before the cutoff", () => {
    const c = { status: "open", closedReason: null, cutoffAt: 1000 } as ChainView;
    expect(editable(c, 999)).toBe(true);
    expect(editable(c, 1000)).toBe(false);
    expect(editable({ ...c, status: "closed", closedReason: "sold_out" }, 10)).toBe(true);
    expect(editable({ ...c, status: "closed", closedReason: "grower" }, 10)).toBe(false);
  });
});
