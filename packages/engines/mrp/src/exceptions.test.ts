/** Exception messages: expedite, defer, cancel, past due, below safety stock. */
import { describe, expect, it } from "vitest";
import { runMrp } from "./run-mrp.ts";
import { expectRecord } from "./test-support.ts";
import type { MrpItemInput, MrpScheduledReceiptInput } from "./types.ts";

function plan(item: Partial<MrpItemInput>, demand: [number, number][], receipts: [number, number][] = [], periods = 5) {
  return runMrp({
    periods,
    items: [{ id: "X", ...item }],
    scheduledReceipts: receipts.map(([period, qty]): MrpScheduledReceiptInput => ({ item: "X", period, qty })),
    demand: demand.map(([period, qty]) => ({ item: "X", period, qty, ref: `SO-${period}` })),
  });
}

describe("exceptions", () => {
  it("expedite: a scheduled receipt arrives after the period it is needed in", () => {
    const result = plan({}, [[2, 50]], [[4, 50]]);
    expect(result.exceptions()).toEqual([
      {
        item: "X",
        type: "expedite",
        period: 4,
        quantity: "50",
        rescheduleTo: 2,
        message: "Scheduled receipt of 50 X due in period 4 is needed in period 2: expedite it to period 2.",
      },
    ]);
    // netting keeps the receipt where it is: the shortage in period 2 is planned, the receipt becomes surplus
    expectRecord(result, "X", {
      gross: [0, 50, 0, 0, 0],
      receipts: [0, 0, 0, 50, 0],
      projected: [0, 0, 0, 50, 50],
      net: [0, 50, 0, 0, 0],
      plannedReceipts: [0, 50, 0, 0, 0],
      plannedReleases: [0, 50, 0, 0, 0],
    });
  });

  it("defer: a scheduled receipt arrives before it is needed", () => {
    const result = plan({ onHand: 10 }, [[1, 10], [4, 30]], [[2, 30]]);
    expect(result.exceptions().map((e) => [e.type, e.period, e.rescheduleTo, e.quantity])).toEqual([["defer", 2, 4, "30"]]);
  });

  it("cancel: a scheduled receipt that is not needed at all", () => {
    const result = plan({ onHand: 100 }, [[1, 10]], [[3, 40], [5, 1]]);
    expect(result.exceptions().map((e) => [e.type, e.period, e.quantity, e.message])).toEqual([
      ["cancel", 3, "40", "Scheduled receipt of 40 X due in period 3 is not needed within the horizon: cancel it."],
      ["cancel", 5, "1", "Scheduled receipt of 1 X due in period 5 is not needed within the horizon: cancel it."],
    ]);
  });

  it("matches several receipts first-in-first-out, counting safety stock and allocations", () => {
    // cumulative need: allocated 5 + safety stock 5 at once, then 10 per period -> 20, 30, 40 by periods 1..3.
    // On hand 10 covers only allocation and safety stock, so the first receipt is needed in period 1 (on time),
    // the second from period 2 (defer), the third from period 3 (expedite from 4).
    const result = plan({ onHand: 10, allocated: 5, safetyStock: 5 }, [[1, 10], [2, 10], [3, 10]], [[1, 10], [1, 10], [4, 10]]);
    expect(result.exceptions().map((e) => [e.type, e.period, e.rescheduleTo ?? null])).toEqual([
      ["defer", 1, 2],
      ["expedite", 4, 3],
    ]);
  });

  it("past due: a requirement inside the lead time; the backlog is planned in the first reachable period", () => {
    const result = plan({ leadTime: 2 }, [[1, 10], [2, 5], [3, 20]]);
    expectRecord(result, "X", {
      gross: [10, 5, 20, 0, 0],
      receipts: [0, 0, 0, 0, 0],
      projected: [-10, -15, 0, 0, 0],
      net: [10, 15, 35, 0, 0],
      plannedReceipts: [0, 0, 35, 0, 0],
      plannedReleases: [35, 0, 0, 0, 0],
    });
    expect(result.exceptions()).toEqual([
      {
        item: "X",
        type: "past-due",
        period: 1,
        quantity: "10",
        releasePeriod: -1,
        message:
          "10 X needed in period 1 would have to be released in period -1, before period 1: past due (covered at the earliest in period 3).",
      },
      {
        item: "X",
        type: "below-safety-stock",
        period: 1,
        quantity: "10",
        message: "Projected on hand of X at the end of period 1 is -10, 10 below safety stock 0.",
      },
      {
        item: "X",
        type: "past-due",
        period: 2,
        quantity: "5",
        releasePeriod: 0,
        message:
          "5 X needed in period 2 would have to be released in period 0, before period 1: past due (covered at the earliest in period 3).",
      },
      {
        item: "X",
        type: "below-safety-stock",
        period: 2,
        quantity: "15",
        message: "Projected on hand of X at the end of period 2 is -15, 15 below safety stock 0.",
      },
    ]);
    expect(result.plannedOrders()[0].pegging).toEqual([
      { ref: "SO-1", qty: "10" },
      { ref: "SO-2", qty: "5" },
      { ref: "SO-3", qty: "20" },
    ]);
  });

  it("below safety stock: starting under the safety stock is past due in period 1", () => {
    const result = plan({ onHand: 5, safetyStock: 10, leadTime: 1 }, []);
    expect(result.exceptions().map((e) => [e.type, e.period, e.quantity])).toEqual([
      ["past-due", 1, "5"],
      ["below-safety-stock", 1, "5"],
    ]);
    expect(result.plannedOrders().map((o) => [o.receiptPeriod, o.quantity, o.pegging])).toEqual([
      [2, "5", [{ ref: "SAFETY_STOCK:X", qty: "5" }]],
    ]);
  });

  it("a receipt inside the lead time does not create past-due messages for what it covers", () => {
    const result = plan({ leadTime: 3 }, [[2, 10]], [[2, 10]]);
    expect(result.exceptions()).toEqual([]);
  });
});
