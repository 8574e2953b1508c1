import { describe, expect, it } from "vitest";
import {
  addDaysToDate,
  dateIn,
  defaultCutoff,
  endOfDate,
  isoInZone,
  isValidTimeZone,
  tomorrowIn,
} from "../../shared/dates.js";

describe("dates in the community's timezone", () => {
  const tz = "Asia/Shanghai";

  it("knows the date in Shanghai when it is still yesterday in UTC", () => {
    const at = Date.parse("2026-11-28T17:30:00Z"); // 01:30 on the 29th in Shanghai
    expect(dateIn(tz, at)).toBe("2026-11-29");
    expect(tomorrowIn(tz, at)).toBe("2026-11-30");
    expect(dateIn("UTC", at)).toBe("2026-11-28");
  });

  it("defaults the cutoff to 20:00 the evening before delivery", () => {
    const cutoff = defaultCutoff("2026-11-29", tz);
    expect(new Date(cutoff).toISOString()).toBe("2026-11-28T12:00:00.000Z");
    expect(isoInZone(cutoff, tz)).toBe("2026-11-28T20:00:00+08:00");
  });

  it("crosses month and year ends, and DST zones", () => {
    expect(addDaysToDate("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDaysToDate("2027-03-01", -1)).toBe("2027-02-28");
    // New York springs forward on 2027-03-14: the day is 23 hours long.
    expect(
      endOfDate("2027-03-14", "America/New_York") - endOfDate("2027-03-13", "America/New_York"),
    ).toBe(23 * 3_600_000);
  });

  it("validates zone names", () => {
    expect(isValidTimeZone("Asia/Shanghai")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("isIsoDate", () => {
  it("takes real calendar dates written yyyy-MM-dd, and nothing else", async () => {
    const { isIsoDate } = await import("../../shared/dates.js");
    expect(["2026-12-05", "2028-02-29"].map(isIsoDate)).toEqual([true, true]);
    expect(
      ["2026-02-30", "2027-02-29", "2026-13-01", "2026-1-5", "", null, "2026-12-05T00:00"].map(
        isIsoDate,
      ),
    ).toEqual([false, false, false, false, false, false, false]);
  });
});
