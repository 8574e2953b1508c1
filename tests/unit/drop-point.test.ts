import { describe, expect, it } from "vitest";
import { startingDropPoint } from "../../client/src/resident/drop-point.js";

describe("the drop point a new order starts with", () => {
  const points = [{ id: "east" }, { id: "north" }, { id: "south" }];
  it("is the one this phone chose before, if the chain still serves it", () => {
    expect(startingDropPoint(points, "north")).toBe("north");
    expect(startingDropPoint(points, "gone")).toBe("");
  });
  it("is the only one when there is one, and none when the resident has to choose", () => {
    expect(startingDropPoint([{ id: "east" }])).toBe("east");
    expect(startingDropPoint(points)).toBe("");
    expect(startingDropPoint([])).toBe("");
  });
});
