/** Pegging across levels, pseudo-refs, and exact splitting of decimal quantities. */
import { describe, expect, it } from "vitest";
import { mrpResultToJson } from "./json.ts";
import { runMrp } from "./run-mrp.ts";

describe("pegging", () => {
  /*
   * P = 1 S + 1 C, S = 2 C; C keeps 5 in safety stock. Derived by hand:
   * P orders 15 (SO-1 10, SO-2 5); S orders 15 for it; C gets 30 from S in
   * period 2 and 15 from P in period 3 and first restores its safety stock.
   */
  const result = runMrp({
    periods: 4,
    items: [
      { id: "P", leadTime: 1 },
      { id: "S", leadTime: 1 },
      { id: "C", safetyStock: 5 },
    ],
    bom: [
      { parent: "P", component: "S", qtyPer: 1 },
      { parent: "P", component: "C", qtyPer: 1 },
      { parent: "S", component: "C", qtyPer: 2 },
    ],
    demand: [
      { item: "P", period: 4, qty: 5, ref: "SO-2" },
      { item: "P", period: 4, qty: 10, ref: "SO-1" },
    ],
  });

  it("traces planned orders on every level back to the demand lines", () => {
    expect(result.plannedOrders().map((o) => [o.id, o.quantity, o.pegging])).toEqual([
      ["P:4:1", "15", [{ ref: "SO-1", qty: "10" }, { ref: "SO-2", qty: "5" }]],
      ["S:3:1", "15", [{ ref: "SO-1", qty: "10" }, { ref: "SO-2", qty: "5" }]],
      ["C:1:1", "5", [{ ref: "SAFETY_STOCK:C", qty: "5" }]],
      ["C:2:1", "30", [{ ref: "SO-1", qty: "20" }, { ref: "SO-2", qty: "10" }]],
      ["C:3:1", "15", [{ ref: "SO-1", qty: "10" }, { ref: "SO-2", qty: "5" }]],
    ]);
  });

  it("traces dependent requirements to the demand lines, with their parent order", () => {
    expect(result.dependentRequirements("C")).toEqual([
      {
        item: "C",
        period: 2,
        qty: "30",
        parentItem: "S",
        parentOrder: "S:3:1",
        pegging: [{ ref: "SO-1", qty: "20" }, { ref: "SO-2", qty: "10" }],
      },
      {
        item: "C",
        period: 3,
        qty: "15",
        parentItem: "P",
        parentOrder: "P:4:1",
        pegging: [{ ref: "SO-1", qty: "10" }, { ref: "SO-2", qty: "5" }],
      },
    ]);
    expect(mrpResultToJson(result).items.map((i) => [i.id, i.dependentRequirements.length])).toEqual([
      ["P", 0],
      ["S", 1],
      ["C", 2],
    ]);
  });

  /*
   * Q (whole units, 90 % yield) needs 0.333 R per unit with 2.5 % scrap; R has
   * 2 decimals. 10 Q -> release 10 / 0.9 = 11.11 -> 12; R needs
   * 12 × 0.333 × 1.025 = 4.0959 -> 4.10. Pegging splits 4.10 in the ratio of
   * Q's pegging (7 : 3) with floor boundaries: 2.87 and 1.23, adding up exactly.
   */
  it("rounds scrap and yield up to the item's decimals and splits pegging exactly", () => {
    const r = runMrp({
      periods: 3,
      items: [
        { id: "Q", leadTime: 1, yieldPct: 90 },
        { id: "R", decimals: 2 },
      ],
      bom: [{ parent: "Q", component: "R", qtyPer: "0.333", scrapPct: "2.5" }],
      demand: [
        { item: "Q", period: 2, qty: 7, ref: "SO-A" },
        { item: "Q", period: 2, qty: 3, ref: "SO-B" },
      ],
    });
    expect(r.plannedOrders().map((o) => [o.id, o.quantity, o.releaseQuantity, o.pegging])).toEqual([
      ["Q:2:1", "10", "12", [{ ref: "SO-A", qty: "7" }, { ref: "SO-B", qty: "3" }]],
      ["R:1:1", "4.1", "4.1", [{ ref: "SO-A", qty: "2.87" }, { ref: "SO-B", qty: "1.23" }]],
    ]);
    expect(r.item("R").grossRequirements).toEqual(["4.1", "0", "0"]);
  });

  it("pegs allocations, lot-size excess and decimal demand rounded up to whole units", () => {
    const r = runMrp({
      periods: 2,
      items: [{ id: "W", onHand: 10, allocated: 12, lotSizing: { rule: "multiple", qty: 5 } }],
      demand: [{ item: "W", period: 2, qty: "2.5", ref: "SO-7" }],
    });
    expect(r.item("W").projectedOnHand).toEqual(["3", "0.5"]);
    expect(r.plannedOrders().map((o) => [o.id, o.quantity, o.pegging])).toEqual([
      ["W:1:1", "5", [{ ref: "ALLOCATED:W", qty: "2" }, { ref: "SO-7", qty: "2.5" }, { ref: "LOT_SIZE_EXCESS:W", qty: "0.5" }]],
    ]);
  });

  it("can leave pegging out of the JSON document", () => {
    const full = mrpResultToJson(result);
    const ordersOnly = mrpResultToJson(result, { pegging: "orders" });
    const none = mrpResultToJson(result, { pegging: "none" });
    expect(ordersOnly.plannedOrders).toEqual(full.plannedOrders);
    expect(ordersOnly.items[2].dependentRequirements.map((d) => d.pegging)).toEqual([[], []]);
    expect(none.plannedOrders.map((o) => o.pegging)).toEqual([[], [], [], [], []]);
    expect(none.items.map(({ dependentRequirements, ...record }) => record)).toEqual(
      full.items.map(({ dependentRequirements, ...record }) => record),
    );
  });

  it("does not explode a bought item's BOM", () => {
    const r = runMrp({
      periods: 2,
      items: [{ id: "K", makeOrBuy: "buy" }, { id: "L" }],
      bom: [{ parent: "K", component: "L", qtyPer: 3 }],
      demand: [{ item: "K", period: 2, qty: 4, ref: "SO-1" }],
    });
    expect(r.item("K").makeOrBuy).toBe("buy");
    expect(r.item("L").grossRequirements).toEqual(["0", "0"]);
    expect(r.item("L").lowLevelCode).toBe(1);
    expect(r.dependentRequirements("L")).toEqual([]);
  });
});
