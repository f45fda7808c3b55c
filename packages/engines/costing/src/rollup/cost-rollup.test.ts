import { describe, expect, it } from "vitest";
import { type CostRollupInput, type CostingError, rollUpCosts } from "../index.ts";

/**
 * Bike (level 0) ← Wheel (level 1) ← Hub (level 2) ← bought parts (level 3).
 *
 * Work centres (labour / machine / overhead per hour):
 *   MACH 25.00 / 40.00 / 15.00      ASSY 30.00 / 5.00 / 10.00
 */
const bike: CostRollupInput = {
  bomLines: [
    { parent: "BIKE", component: "FRAME", qtyPer: "1" },
    { parent: "BIKE", component: "WHEEL", qtyPer: "2" },
    { parent: "BIKE", component: "SADDLE", qtyPer: "1" },
    { parent: "WHEEL", component: "HUB", qtyPer: "1" },
    { parent: "WHEEL", component: "RIM", qtyPer: "1" },
    { parent: "WHEEL", component: "SPOKE", qtyPer: "32", scrapPct: "5" },
    { parent: "WHEEL", component: "TYRE", qtyPer: "1" },
    { parent: "HUB", component: "SHELL", qtyPer: "1" },
    { parent: "HUB", component: "BEARING", qtyPer: "2" },
    { parent: "HUB", component: "AXLE", qtyPer: "1" },
  ],
  componentCosts: [
    { item: "FRAME", unitCost: "85.00" },
    { item: "SADDLE", unitCost: "22.40" },
    { item: "RIM", unitCost: "18.00" },
    { item: "SPOKE", unitCost: "0.15" },
    { item: "TYRE", unitCost: "12.50" },
    { item: "SHELL", unitCost: "4.00" },
    { item: "BEARING", unitCost: "1.25" },
    { item: "AXLE", unitCost: "2.10" },
  ],
  routings: [
    { item: "HUB", lotSize: "50", operations: [{ workCenter: "MACH", setupHours: "1.5", runHoursPerUnit: "0.1" }] },
    { item: "WHEEL", lotSize: "20", operations: [{ workCenter: "ASSY", setupHours: "0.5", runHoursPerUnit: "0.25" }] },
    { item: "BIKE", lotSize: "10", operations: [{ workCenter: "ASSY", setupHours: "2", runHoursPerUnit: "1.2" }] },
  ],
  workCenters: [
    { id: "MACH", labourRatePerHour: "25.00", machineRatePerHour: "40.00", overheadRatePerHour: "15.00" },
    { id: "ASSY", labourRatePerHour: "30.00", machineRatePerHour: "5.00", overheadRatePerHour: "10.00" },
  ],
};

describe("cost roll-up", () => {
  it("rolls up a 3-level product bottom-up (worked example)", () => {
    const result = rollUpCosts(bike);
    expect(result.map((item) => [item.item, item.lowLevelCode])).toEqual([
      ["HUB", 2],
      ["WHEEL", 1],
      ["BIKE", 0],
    ]);
    const [hub, wheel, bikeCost] = result;

    // HUB: material 4.00 + 2 × 1.25 + 2.10 = 8.60
    //      hours 1.5 / 50 + 0.1 = 0.13 → labour 0.13 × 25 = 3.25, machine 0.13 × 40 = 5.20, overhead 0.13 × 15 = 1.95
    //      unit cost 8.60 + 3.25 + 5.20 + 1.95 = 19.00
    expect(hub.thisLevel).toEqual({ material: "8.600000", labour: "3.250000", machine: "5.200000", overhead: "1.950000" });
    expect(hub.unitCost).toBe("19.000000");
    expect(hub.rolledUp).toEqual(hub.thisLevel);

    // WHEEL: material 19.00 (hub) + 18.00 + 32 × 1.05 × 0.15 = 5.04 + 12.50 = 54.54
    //        hours 0.5 / 20 + 0.25 = 0.275 → labour 8.25, machine 1.375, overhead 2.75
    //        unit cost 54.54 + 8.25 + 1.375 + 2.75 = 66.915
    expect(wheel.thisLevel).toEqual({ material: "54.540000", labour: "8.250000", machine: "1.375000", overhead: "2.750000" });
    expect(wheel.unitCost).toBe("66.915000");
    // rolled up: bought 8.60 + 18.00 + 5.04 + 12.50 = 44.14; labour 3.25 + 8.25 = 11.50;
    //            machine 5.20 + 1.375 = 6.575; overhead 1.95 + 2.75 = 4.70  (Σ = 66.915)
    expect(wheel.rolledUp).toEqual({ material: "44.140000", labour: "11.500000", machine: "6.575000", overhead: "4.700000" });

    // BIKE: material 85.00 + 2 × 66.915 + 22.40 = 241.23
    //       hours 2 / 10 + 1.2 = 1.4 → labour 42.00, machine 7.00, overhead 14.00
    //       unit cost 241.23 + 42 + 7 + 14 = 304.23
    expect(bikeCost.thisLevel).toEqual({ material: "241.230000", labour: "42.000000", machine: "7.000000", overhead: "14.000000" });
    expect(bikeCost.unitCost).toBe("304.230000");
    // rolled up: material 85 + 22.40 + 2 × 44.14 = 195.68; labour 42 + 2 × 11.50 = 65.00;
    //            machine 7 + 2 × 6.575 = 20.15; overhead 14 + 2 × 4.70 = 23.40  (Σ = 304.23)
    expect(bikeCost.rolledUp).toEqual({ material: "195.680000", labour: "65.000000", machine: "20.150000", overhead: "23.400000" });
  });

  it("rounds each item to 6 dp and keeps both views adding up to the unit cost", () => {
    const result = rollUpCosts({
      bomLines: [
        { parent: "A", component: "B", qtyPer: "3" },
        { parent: "B", component: "X", qtyPer: "1" },
      ],
      componentCosts: [{ item: "X", unitCost: "0.1" }],
      routings: [
        { item: "A", lotSize: "7", operations: [{ workCenter: "W", setupHours: "1", runHoursPerUnit: "0" }] },
        { item: "B", lotSize: "3", operations: [{ workCenter: "W", setupHours: "1", runHoursPerUnit: "0" }] },
      ],
      workCenters: [{ id: "W", labourRatePerHour: "1", machineRatePerHour: "1", overheadRatePerHour: "1" }],
    });
    const [b, a] = result;
    // B: 1/3 h → 0.333333 each element; unit 0.1 + 3 × 0.333333 = 1.099999
    expect(b.unitCost).toBe("1.099999");
    // A: material 3 × 1.099999 = 3.299997; 1/7 h → 0.142857 × 3; unit 3.299997 + 0.428571 = 3.728568
    expect(a.unitCost).toBe("3.728568");
    for (const item of result) {
      const sum = (elements: typeof item.thisLevel) =>
        Object.values(elements).reduce((total, value) => total + BigInt(value.replace(".", "")), 0n);
      const unitCost = BigInt(item.unitCost.replace(".", ""));
      expect(sum(item.thisLevel)).toBe(unitCost);
      expect(sum(item.rolledUp)).toBe(unitCost);
    }
  });

  it("names the cycle and the missing costs", () => {
    const cyclic = { ...bike, bomLines: [...bike.bomLines, { parent: "HUB", component: "WHEEL", qtyPer: "1" }] };
    expect(() => rollUpCosts(cyclic)).toThrow("BOM cycle: HUB → WHEEL → HUB");
    const missing = { ...bike, componentCosts: bike.componentCosts.filter((cost) => cost.item !== "RIM") };
    try {
      rollUpCosts(missing);
      expect.unreachable();
    } catch (error) {
      expect((error as CostingError).code).toBe("MISSING_COST");
      expect((error as CostingError).message).toContain("RIM");
    }
    const unknownCentre = { ...bike, workCenters: [] };
    expect(() => rollUpCosts(unknownCentre)).toThrow(/unknown work centre/);
  });

  it("treats an item with a BOM as manufactured even if it also has a purchase cost", () => {
    const result = rollUpCosts({ ...bike, componentCosts: [...bike.componentCosts, { item: "HUB", unitCost: "99" }] });
    expect(result.find((item) => item.item === "WHEEL")?.unitCost).toBe("66.915000");
  });
});
