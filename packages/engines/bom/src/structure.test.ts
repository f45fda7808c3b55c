import { describe, expect, it } from "vitest";
import { bikeLines } from "./test-fixtures.ts";
import { BomCycleError, assertNoCycle, findCycles, lowLevelCodes, whereUsed, whereUsedSingleLevel, wouldCreateCycle } from "./index.ts";
import type { BomLine } from "./types.ts";

const line = (parent: string, component: string, extra: Partial<BomLine> = {}): BomLine => ({
  parent,
  component,
  qtyPer: "1",
  ...extra,
});

describe("cycles", () => {
  it("finds every cycle and names its path", () => {
    const lines = [line("A", "B"), line("B", "C"), line("C", "A"), line("C", "D"), line("X", "Y"), line("Y", "X"), line("Z", "Z")];
    expect(findCycles(lines).map((cycle) => cycle.text)).toEqual(["A → B → C → A", "X → Y → X", "Z → Z"]);
    expect(() => assertNoCycle(lines)).toThrow("BOM cycle: A → B → C → A");
    expect(findCycles(bikeLines)).toEqual([]);
  });

  it("only counts lines effective on the date when asked", () => {
    // A → B until March, B → A from March: never both at once.
    const lines = [line("A", "B", { effectiveTo: "2025-03-01" }), line("B", "A", { effectiveFrom: "2025-03-01" })];
    expect(findCycles(lines)).toHaveLength(1);
    expect(findCycles(lines, { asOf: "2025-02-01" })).toEqual([]);
    expect(findCycles(lines, { asOf: "2025-03-01" })).toEqual([]);
  });

  it("ignores by-product lines (outputs are not requirements)", () => {
    expect(findCycles([line("A", "B"), line("B", "A", { byProduct: true })])).toEqual([]);
  });

  it("tells whether a new line would close a loop, before saving it", () => {
    const lines = [line("A", "B"), line("B", "C"), line("C", "D")];
    expect(wouldCreateCycle(lines, { parent: "D", component: "B" })?.text).toBe("D → B → C → D");
    expect(wouldCreateCycle(lines, { parent: "C", component: "C" })?.text).toBe("C → C");
    expect(wouldCreateCycle(lines, { parent: "A", component: "D" })).toBeNull();
    expect(wouldCreateCycle(lines, { parent: "D", component: "A", byProduct: true })).toBeNull();
  });
});

describe("low-level codes", () => {
  it("gives each item its deepest level", () => {
    const codes = lowLevelCodes(bikeLines);
    expect(Object.fromEntries(codes)).toEqual({
      BIKE: 0,
      SWARF: 0, // only ever a by-product
      "FRAME-ASSY": 1,
      KIT: 1,
      "OLD-BOX": 1,
      PACKAGING: 1,
      WHEEL: 1,
      BOLT: 2,
      HUB: 2,
      MANUAL: 2,
      PAINT: 2,
      RIM: 2,
      SPOKE: 2,
      TUBE: 2,
      BEARING: 3,
      SHELL: 3,
    });
    // C is used by A directly (level 1) and through B (level 2): its code is 2
    expect(lowLevelCodes([line("A", "B"), line("B", "C"), line("A", "C")]).get("C")).toBe(2);
    expect(() => lowLevelCodes([line("A", "B"), line("B", "A")])).toThrow(BomCycleError);
  });
});

describe("where-used", () => {
  it("lists direct parents", () => {
    const rows = whereUsedSingleLevel(bikeLines, "HUB");
    expect(rows.map((row) => [row.parent, row.qtyPer, row.level, row.topLevel])).toEqual([["WHEEL", "1", 1, false]]);
  });

  it("walks all the way up with the path and the quantity per ancestor", () => {
    const lines = [...bikeLines, line("SPARES-KIT", "HUB", { qtyPer: "5" })];
    const rows = whereUsed(lines, "BEARING");
    expect(rows.map((row) => [row.level, row.path.join(" ← "), row.extendedQty, row.topLevel])).toEqual([
      [1, "BEARING ← HUB", "2", false], //                   2 per hub
      [2, "BEARING ← HUB ← WHEEL", "2", false], //           2 × 1 hub per wheel
      [3, "BEARING ← HUB ← WHEEL ← BIKE", "4", true], //     2 × 2 wheels per bike
      [2, "BEARING ← HUB ← SPARES-KIT", "10", true], //      2 × 5 hubs per kit
    ]);
  });

  it("respects effectivity and reports cycles", () => {
    expect(whereUsed(bikeLines, "OLD-BOX", { asOf: "2025-03-01" })).toEqual([]);
    expect(whereUsed(bikeLines, "OLD-BOX", { asOf: "2025-02-01" }).map((row) => row.parent)).toEqual(["BIKE"]);
    expect(() => whereUsed([line("A", "B"), line("B", "C"), line("C", "A")], "C")).toThrow("BOM cycle: C → A → B → C");
  });
});
