import { describe, expect, it } from "vitest";
import { InvalidInputError, createValuationState } from "./index.ts";
import { TestLedger, move } from "./test-ledger.ts";

const newLedger = (standardCost = "10.00") =>
  new TestLedger(createValuationState({ key: "ACME/WH1/VALVE", method: "standard", standardCost }));

/** [value, variance, adjustment, qty after, value after] */
const figures = (entry: ReturnType<TestLedger["post"]>) => [
  entry.value,
  entry.variance,
  entry.adjustment,
  entry.after.qty,
  entry.after.value,
];

describe("standard cost", () => {
  it("values every move at standard, with variances and revaluation (worked example)", () => {
    const ledger = newLedger("10.00");
    // Receive 100 at an actual 10.50: stock 100 × 10.00 = 1000.00; PPV = 1050.00 − 1000.00 = +50.00
    expect(figures(ledger.post(move.receipt("100", "10.50", "r1")))).toEqual(["1000.00", "50.00", "0.00", "100", "1000.00"]);
    // Issue 30 at standard: −300.00
    expect(figures(ledger.post(move.issue("30", "i1")))).toEqual(["-300.00", "0.00", "0.00", "70", "700.00"]);
    // New standard 11.00: on hand 70 × 11.00 = 770.00, revaluation +70.00
    const change = ledger.post(move.standardChange("11.00", "sc1"));
    expect([change.value, change.unitCost, change.before.unitCost]).toEqual(["70.00", "11.000000", "10.000000"]);
    // Return 10 of r1 to the supplier: stock −10 × 11.00 = −110.00; the supplier credits r1's actual
    // cost 1050 × 10/100 = 105.00 → variance = −105.00 − (−110.00) = +5.00
    expect(figures(ledger.post(move.supplierReturn("10", "r1", "s1")))).toEqual(["-110.00", "5.00", "0.00", "60", "660.00"]);
    // Customer returns 5 of i1: stock +5 × 11.00 = 55.00; cost of sales is credited at i1's
    // 300 × 5/30 = 50.00 → variance = 50.00 − 55.00 = −5.00
    expect(figures(ledger.post(move.customerReturn("5", "i1", "c1")))).toEqual(["55.00", "-5.00", "0.00", "65", "715.00"]);
    // Receive 20 at 10.80 (cheaper than standard): 220.00 at standard, 216.00 actual → variance −4.00
    expect(figures(ledger.post(move.receipt("20", "10.80", "r2")))).toEqual(["220.00", "-4.00", "0.00", "85", "935.00"]);
  });

  it("reverses exactly, and re-syncs to quantity × standard when the standard changed in between", () => {
    const ledger = newLedger("10.00");
    ledger.post(move.receipt("10", "12.00", "r1")); // 100.00, variance 20.00
    ledger.post(move.standardChange("11.00", "sc1")); // 10 × 11 = 110.00: +10.00
    // Reversing r1 is exactly −100.00 (and −20.00 variance); stock would be left at 10.00 for 0 units,
    // so 10.00 is written off as adjustment: value −110.00 = −100.00 − 10.00
    const reversal = ledger.post(move.reversal("r1"));
    expect([reversal.value, reversal.variance, reversal.adjustment, reversal.after.value]).toEqual([
      "-110.00",
      "-20.00",
      "-10.00",
      "0.00",
    ]);
    // Reversing the standard change goes back to 10.00 (nothing on hand to revalue)
    ledger.post(move.reversal("sc1"));
    expect(ledger.state.unitCost).toBe("10.000000");
  });

  it("keeps stock at exactly round2(qty × standard) with awkward quantities", () => {
    const ledger = newLedger("0.333333");
    ledger.post(move.receipt("7", "0.35")); // 7 × 0.333333 = 2.333331 → 2.33
    ledger.post(move.issue("1")); // 6 × 0.333333 = 1.999998 → 2.00: the issue is −0.33
    expect([ledger.state.value, ledger.entries[1].value]).toEqual(["2.00", "-0.33"]);
  });

  it("rejects a standard cost change on other methods and a standard state without standard", () => {
    const ledger = new TestLedger(createValuationState({ key: "K", method: "moving_average" }));
    expect(() => ledger.post(move.standardChange("5"))).toThrow(InvalidInputError);
    expect(() => createValuationState({ key: "K", method: "standard" })).toThrow(/needs a standardCost/);
  });
});
