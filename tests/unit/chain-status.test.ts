import { describe, expect, it } from "vitest";
import {
  chainPhase,
  growerCanEdit,
  shownStatus,
  staffCanWrite,
  takesOrders,
} from "../../shared/chain-status.js";

const cutoffAt = 1_000_000;
const before = cutoffAt - 1;
const after = cutoffAt;

describe("what a chain's status means", () => {
  it("open before the cutoff takes orders; the same chain after it does not", () => {
    const c = { status: "open" as const, closedReason: null, cutoffAt };
    expect([chainPhase(c, before), takesOrders(c, before)]).toEqual(["open", true]);
    expect([chainPhase(c, after), takesOrders(c, after)]).toEqual(["past_cutoff", false]);
    expect(shownStatus(c, after)).toEqual({ status: "closed", closedReason: "cutoff" });
    expect(shownStatus(c, before)).toEqual({ status: "open", closedReason: null });
  });

  it("sold out before the cutoff: no orders, but the grower may still edit (and add stock)", () => {
    const c = { status: "closed" as const, closedReason: "sold_out" as const, cutoffAt };
    expect(chainPhase(c, before)).toBe("sold_out");
    expect(takesOrders(c, before)).toBe(false);
    expect(growerCanEdit(c, before)).toBe(true);
    expect(growerCanEdit(c, after)).toBe(false);
  });

  it("closed by the grower stays so named, before and after the cutoff", () => {
    const c = { status: "closed" as const, closedReason: "grower" as const, cutoffAt };
    expect([chainPhase(c, before), chainPhase(c, after)]).toEqual([
      "closed_by_grower",
      "closed_by_grower",
    ]);
    expect(growerCanEdit(c, before)).toBe(false);
    expect(staffCanWrite(c)).toBe(true);
  });

  it("cancelled and delivered chains take nothing from anyone", () => {
    for (const status of ["cancelled", "delivered"] as const) {
      const c = { status, closedReason: null, cutoffAt };
      expect(chainPhase(c, before)).toBe(status);
      expect(takesOrders(c, before)).toBe(false);
      expect(staffCanWrite(c)).toBe(false);
    }
  });
});
