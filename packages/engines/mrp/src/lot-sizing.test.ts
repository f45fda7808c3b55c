/** Lot-sizing rules in corner cases, and exact arithmetic at the edges of the number range. */
import { describe, expect, it } from "vitest";
import { MrpRangeError } from "./errors.ts";
import { isqrt } from "./lot-sizing.ts";
import { runMrp } from "./run-mrp.ts";
import type { LotSizing, MrpItemInput } from "./types.ts";

function plan(lotSizing: LotSizing, demand: (number | string)[], item: Partial<MrpItemInput> = {}) {
  return runMrp({
    periods: demand.length,
    items: [{ id: "X", lotSizing, ...item }],
    demand: demand.map((qty, t) => ({ item: "X", period: t + 1, qty, ref: `D${t + 1}` })).filter((d) => Number(d.qty) > 0),
  });
}

const quantities = (result: ReturnType<typeof plan>) => result.plannedOrders().map((o) => [o.receiptPeriod, o.quantity]);

describe("lot sizing", () => {
  it("fixed: several whole lots when the net requirement exceeds one lot", () => {
    expect(quantities(plan({ rule: "fixed", qty: 200 }, [450]))).toEqual([
      [1, "200"],
      [1, "200"],
      [1, "200"],
    ]);
  });

  it("multiple: one order rounded up to the multiple", () => {
    expect(quantities(plan({ rule: "multiple", qty: 200 }, [450, 100]))).toEqual([[1, "600"]]);
  });

  it("multiple with decimals: quantities stay exact", () => {
    expect(quantities(plan({ rule: "multiple", qty: "0.25" }, ["0.1", "0.3"], { decimals: 2 }))).toEqual([
      [1, "0.25"],
      [2, "0.25"],
    ]);
  });

  it("lot-for-lot rounds a fractional need up to the item's unit", () => {
    const result = plan({ rule: "lot-for-lot" }, ["0.1", "0.3", "1.7"]);
    expect(quantities(result)).toEqual([
      [1, "1"],
      [3, "2"],
    ]);
    expect(result.item("X").projectedOnHand).toEqual(["0.9", "0.6", "0.9"]);
  });

  it("periods of supply: covers the window, net of scheduled receipts inside it and of safety stock", () => {
    const result = runMrp({
      periods: 6,
      items: [{ id: "X", safetyStock: 5, lotSizing: { rule: "periods-of-supply", periods: 3 } }],
      scheduledReceipts: [{ item: "X", period: 2, qty: 15 }],
      demand: [10, 10, 10, 10, 10, 10].map((qty, t) => ({ item: "X", period: t + 1, qty, ref: `D${t + 1}` })),
    });
    // period 1: 15 needed (10 + safety stock 5); window 1..3 needs 35 minus the 15 arriving in period 2 -> 20
    expect(quantities(result)).toEqual([
      [1, "20"],
      [4, "30"],
    ]);
    expect(result.item("X").projectedOnHand).toEqual(["10", "15", "5", "25", "15", "5"]);
  });

  it("EOQ is rounded half up, exactly (sqrt(6.25) = 2.5 -> 3; sqrt(6.2499...) -> 2)", () => {
    // EOQ² = 2 × setup × average demand / holding = 2 × 1 × 25 / 8 = 6.25
    expect(plan({ rule: "eoq", setupCost: 1, holdingCostPerPeriod: 8 }, [25]).item("X").economicOrderQuantity).toBe("3");
    expect(plan({ rule: "eoq", setupCost: 1, holdingCostPerPeriod: "8.0001" }, [25]).item("X").economicOrderQuantity).toBe("2");
    expect(
      plan({ rule: "eoq", setupCost: 1, holdingCostPerPeriod: 8 }, [25], { decimals: 1 }).item("X").economicOrderQuantity,
    ).toBe("2.5");
  });

  it("EOQ without demand or setup cost degenerates to lot-for-lot", () => {
    expect(plan({ rule: "eoq", setupCost: 0, holdingCostPerPeriod: 1 }, [7]).plannedOrders()[0].quantity).toBe("7");
    expect(plan({ rule: "eoq", setupCost: 10, holdingCostPerPeriod: 1 }, [0, 0]).item("X").economicOrderQuantity).toBe("0");
  });

  it("min-max-multiple without a maximum never splits", () => {
    expect(quantities(plan({ rule: "min-max-multiple", min: 40, multiple: 25 }, [10, 0, 1000]))).toEqual([
      [1, "50"],
      [3, "975"],
    ]);
  });
});

describe("exact arithmetic at the edges", () => {
  it("falls back to bigint when qtyPer × quantity leaves the double range", () => {
    // 10^8 × 1.000000001 = 100000000.1 -> rounded up to 100000001; the product 10^8 × 1000000001 > 2^53
    const result = runMrp({
      periods: 1,
      items: [{ id: "A" }, { id: "B" }],
      bom: [{ parent: "A", component: "B", qtyPer: "1.000000001" }],
      demand: [{ item: "A", period: 1, qty: 100_000_000, ref: "BIG" }],
    });
    expect(result.item("B").grossRequirements).toEqual(["100000001"]);
    expect(result.plannedOrders("B")[0].pegging).toEqual([{ ref: "BIG", qty: "100000001" }]);
  });

  it("throws MrpRangeError instead of losing precision", () => {
    expect(() =>
      runMrp({
        periods: 2,
        items: [{ id: "A", onHand: "9000000000000000" }],
        scheduledReceipts: [{ item: "A", period: 1, qty: "9000000000000000" }],
      }),
    ).toThrow(MrpRangeError);
  });

  it("keeps sums of decimal quantities exact (0.1 + 0.2 = 0.3)", () => {
    const result = runMrp({
      periods: 1,
      items: [{ id: "A", decimals: 1 }],
      demand: [
        { item: "A", period: 1, qty: 0.1, ref: "a" },
        { item: "A", period: 1, qty: "0.2", ref: "b" },
      ],
    });
    expect(result.item("A").grossRequirements).toEqual(["0.3"]);
    expect(result.plannedOrders()[0].quantity).toBe("0.3");
  });

  it("integer square root is exact around perfect squares", () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 30n - 1n, 10n ** 30n, (2n ** 53n + 1n) ** 2n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
  });
});
