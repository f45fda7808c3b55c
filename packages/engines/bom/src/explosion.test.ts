import { describe, expect, it } from "vitest";
import { bikeLines } from "./test-fixtures.ts";
import { BomCycleError, BomInputError, TooManyRowsError, buildBomGraph, explodeMultiLevel, explodeSingleLevel, summarizedExplosion } from "./index.ts";
import type { BomLine } from "./types.ts";


/** Rows as "level path extendedQty" for compact expectations. */
const outline = (rows: ReturnType<typeof explodeMultiLevel>["rows"]) =>
  rows.map((row) => `${row.level} ${row.path.join("/")} ${row.extendedQty}${row.byProduct ? " (by-product)" : ""}`);

describe("explosion", () => {
  it("explodes 10 bikes as of February (worked example)", () => {
    const result = explodeMultiLevel(bikeLines, { item: "BIKE", qty: "10", asOf: "2025-02-01" });
    expect(outline(result.rows)).toEqual([
      "1 BIKE/FRAME-ASSY 10", //            10 × 1
      "2 BIKE/FRAME-ASSY/TUBE 33", //        10 × 3 × 1.10
      "2 BIKE/FRAME-ASSY/PAINT 2.5", //      10 × 0.25
      "1 BIKE/WHEEL 20", //                  10 × 2
      "2 BIKE/WHEEL/RIM 20", //              20 × 1
      "2 BIKE/WHEEL/SPOKE 672", //           20 × 32 × 1.05
      "2 BIKE/WHEEL/HUB 20",
      "3 BIKE/WHEEL/HUB/BEARING 40", //      20 × 2
      "3 BIKE/WHEEL/HUB/SHELL 20",
      "3 BIKE/WHEEL/HUB/SWARF 1 (by-product)", // 20 × 0.05, scrap never applies to output
      "1 BIKE/KIT/BOLT 40", //               phantom KIT blown through: its components at level 1
      "1 BIKE/KIT/MANUAL 10",
      "1 BIKE/OLD-BOX 10", //                PACKAGING only starts on 2025-03-01
    ]);
    const bolt = result.rows.find((row) => row.component === "BOLT");
    expect(bolt).toMatchObject({ parent: "KIT", viaPhantom: true, lineId: "L14", qtyPer: "4", scrapPct: "0" });
    expect(result.rows.find((row) => row.component === "HUB")?.hasComponents).toBe(true);
    expect(result.requirements).toEqual([
      { component: "BEARING", qty: "40" },
      { component: "BOLT", qty: "40" },
      { component: "FRAME-ASSY", qty: "10" },
      { component: "HUB", qty: "20" },
      { component: "MANUAL", qty: "10" },
      { component: "OLD-BOX", qty: "10" },
      { component: "PAINT", qty: "2.5" },
      { component: "RIM", qty: "20" },
      { component: "SHELL", qty: "20" },
      { component: "SPOKE", qty: "672" },
      { component: "TUBE", qty: "33" },
      { component: "WHEEL", qty: "20" },
    ]);
    expect(result.byProducts).toEqual([{ component: "SWARF", qty: "1" }]);
  });

  it("applies effectivity: from inclusive, to exclusive", () => {
    const components = (asOf: string) =>
      explodeSingleLevel(bikeLines, { item: "BIKE", qty: "1", asOf }).rows.map((row) => row.component);
    expect(components("2025-02-28")).toEqual(["FRAME-ASSY", "WHEEL", "BOLT", "MANUAL", "OLD-BOX"]);
    expect(components("2025-03-01")).toEqual(["FRAME-ASSY", "WHEEL", "BOLT", "MANUAL", "PACKAGING"]);
  });

  it("single level lists direct components, phantoms blown through", () => {
    const result = explodeSingleLevel(bikeLines, { item: "WHEEL", qty: "3", asOf: "2025-01-01" });
    expect(outline(result.rows)).toEqual(["1 WHEEL/RIM 3", "1 WHEEL/SPOKE 100.8", "1 WHEEL/HUB 3"]);
  });

  it("keeps a phantom without effective components as a requirement", () => {
    const lines: BomLine[] = [
      { parent: "A", component: "P", qtyPer: "2", phantom: true },
      { parent: "P", component: "X", qtyPer: "1", effectiveTo: "2024-01-01" },
    ];
    const result = explodeMultiLevel(lines, { item: "A", qty: "1", asOf: "2025-01-01" });
    expect(outline(result.rows)).toEqual(["1 A/P 2"]);
  });

  it("summarises shared sub-assemblies without listing every path", () => {
    // SUB is used by both B and C, and both by A: the indented explosion has SUB twice.
    const lines: BomLine[] = [
      { parent: "A", component: "B", qtyPer: "2" },
      { parent: "A", component: "C", qtyPer: "1" },
      { parent: "B", component: "SUB", qtyPer: "3" },
      { parent: "C", component: "SUB", qtyPer: "0.5", scrapPct: "20" },
      { parent: "SUB", component: "X", qtyPer: "4" },
    ];
    const request = { item: "A", qty: "1", asOf: "2025-01-01" };
    const exploded = explodeMultiLevel(lines, request);
    // SUB: 2 × 3 = 6 via B, 1 × 0.5 × 1.2 = 0.6 via C → 6.6; X: 6.6 × 4 = 26.4
    expect(exploded.requirements).toEqual([
      { component: "B", qty: "2" },
      { component: "C", qty: "1" },
      { component: "SUB", qty: "6.6" },
      { component: "X", qty: "26.4" },
    ]);
    expect(summarizedExplosion(lines, request)).toEqual({ requirements: exploded.requirements, byProducts: [] });
  });

  it("names the cycle it runs into", () => {
    const lines: BomLine[] = [
      { parent: "A", component: "B", qtyPer: "1" },
      { parent: "B", component: "C", qtyPer: "1" },
      { parent: "C", component: "B", qtyPer: "1" },
    ];
    const request = { item: "A", qty: "1", asOf: "2025-01-01" };
    expect(() => explodeMultiLevel(lines, request)).toThrow("BOM cycle: B → C → B");
    expect(() => summarizedExplosion(lines, request)).toThrow(BomCycleError);
  });

  it("names a cycle through the item exploded, summarised too", () => {
    const lines: BomLine[] = [
      { parent: "A", component: "B", qtyPer: "1" },
      { parent: "B", component: "A", qtyPer: "1" },
    ];
    const request = { item: "A", qty: "1", asOf: "2025-01-01" };
    expect(() => explodeMultiLevel(lines, request)).toThrow("BOM cycle: A → B → A");
    expect(() => summarizedExplosion(lines, request)).toThrow("BOM cycle: A → B → A");
    expect(() => summarizedExplosion([{ parent: "A", component: "A", qtyPer: "1" }], request)).toThrow(BomCycleError);
  });

  it("explodes a 3,000-level chain without overflowing the stack", () => {
    const depth = 3000;
    const lines: BomLine[] = Array.from({ length: depth }, (_, i) => ({ parent: `I${i}`, component: `I${i + 1}`, qtyPer: "1" }));
    const graph = buildBomGraph(lines);
    const result = explodeMultiLevel(graph, { item: "I0", qty: "1", asOf: "2025-01-01" });
    expect(result.rows.at(-1)?.level).toBe(depth);
    expect(summarizedExplosion(graph, { item: "I0", qty: "1", asOf: "2025-01-01" }).requirements).toHaveLength(depth);
  });

  it("keeps quantities exact however many digits the levels add up to", () => {
    // 12 levels of 1.23456789 each: 1.23456789^12 has 96 decimals and 108 significant digits.
    const lines: BomLine[] = Array.from({ length: 12 }, (_, i) => ({ parent: `I${i}`, component: `I${i + 1}`, qtyPer: "1.23456789" }));
    const digits = (123456789n ** 12n).toString();
    const exact = `${digits.slice(0, -96)}.${digits.slice(-96)}`;
    const last = explodeMultiLevel(lines, { item: "I0", qty: "1", asOf: "2025-01-01" }).rows.at(-1);
    expect(last?.extendedQty).toBe(exact);
  });

  it("validates its input", () => {
    const bad = (line: Partial<BomLine>) => () =>
      buildBomGraph([{ parent: "A", component: "B", qtyPer: "1", ...line }]);
    expect(bad({ qtyPer: "0" })).toThrow(BomInputError);
    expect(bad({ qtyPer: "1e2" })).toThrow(BomInputError);
    expect(bad({ scrapPct: "-1" })).toThrow(BomInputError);
    expect(bad({ effectiveFrom: "2025-3-1" })).toThrow(BomInputError);
    expect(bad({ effectiveFrom: "2025-03-01", effectiveTo: "2025-03-01" })).toThrow(/before effectiveTo/);
    expect(() => explodeMultiLevel(bikeLines, { item: "BIKE", qty: "-1", asOf: "2025-01-01" })).toThrow(BomInputError);
    expect(() => explodeMultiLevel(bikeLines, { item: "BIKE", qty: "1", asOf: "today" })).toThrow(BomInputError);
    expect(() => explodeMultiLevel(bikeLines, { item: "BIKE", qty: "1", asOf: "2025-01-01", maxRows: 5 })).toThrow(
      TooManyRowsError,
    );
  });
});
