import { describe, expect, it } from "vitest";
import { type CostingError, NegativeStockError, NoKnownCostError, createValuationState } from "./index.ts";
import { TestLedger, move, sumOf } from "./test-ledger.ts";

const newLedger = (options = {}) =>
  new TestLedger(createValuationState({ key: "ACME/WH1/BOLT", method: "moving_average" }), options);

describe("moving average", () => {
  it("values receipts, issues, returns and a reversal (worked example)", () => {
    const ledger = newLedger();
    const step = (m: Parameters<TestLedger["post"]>[0]) => {
      const entry = ledger.post(m);
      return [entry.value, entry.after.qty, entry.after.value, entry.after.unitCost];
    };

    // Receive 100 @ 10.00 = 1000.00 → avg 1000 / 100 = 10.000000
    expect(step(move.receipt("100", "10.00", "r1"))).toEqual(["1000.00", "100", "1000.00", "10.000000"]);
    // Receive 50 @ 13.00 = 650.00 → 1650.00 / 150 = 11.000000
    expect(step(move.receipt("50", "13.00", "r2"))).toEqual(["650.00", "150", "1650.00", "11.000000"]);
    // Issue 60: the 90 left keep 1650 × 90/150 = 990.00, the issue takes 1650 − 990 = 660.00 (= 60 × 11)
    expect(step(move.issue("60", "i1"))).toEqual(["-660.00", "90", "990.00", "11.000000"]);
    // Return 10 of r2 to the supplier at r2's cost: 650 × 10/50 = 130.00
    // → 990 − 130 = 860.00 for 80 → avg 10.750000
    expect(step(move.supplierReturn("10", "r2", "s1"))).toEqual(["-130.00", "80", "860.00", "10.750000"]);
    // Customer returns 6 of i1 at i1's cost: 660 × 6/60 = 66.00
    // → 926.00 / 86 = 10.7674418… → 10.767442
    expect(step(move.customerReturn("6", "i1", "c1"))).toEqual(["66.00", "86", "926.00", "10.767442"]);
    // Receive 30 @ 9.95 = 298.50 → 1224.50 / 116 = 10.5560344… → 10.556034
    expect(step(move.receipt("30", "9.95", "r3"))).toEqual(["298.50", "116", "1224.50", "10.556034"]);
    // Reverse c1: exactly −66.00 → 1158.50 / 110 = 10.5318181… → 10.531818
    expect(step(move.reversal("c1", "x1"))).toEqual(["-66.00", "110", "1158.50", "10.531818"]);
    // Issue all 110: takes the whole 1158.50, leaving exactly 0.00; the average stays as last known cost
    expect(step(move.issue("110", "i2"))).toEqual(["-1158.50", "0", "0.00", "10.531818"]);

    expect(sumOf(ledger.entries.map((entry) => entry.value))).toBe("0.00");
  });

  it("absorbs rounding so that issuing everything leaves exactly 0", () => {
    const ledger = newLedger();
    // 3 units for 10.00 in total → 3.333333 each
    expect(ledger.post(move.receiptAmount("3", "10.00")).unitCost).toBe("3.333333");
    // 2 left keep 10.00 × 2/3 = 6.666… → 6.67; the issue takes 10.00 − 6.67 = 3.33
    expect(ledger.post(move.issue("1")).value).toBe("-3.33");
    // 1 left keeps 6.67 × 1/2 = 3.335 → 3.34 (HALF_UP); the issue takes 3.33
    expect(ledger.post(move.issue("1")).value).toBe("-3.33");
    // the last unit takes what is left: 3.34
    expect(ledger.post(move.issue("1")).value).toBe("-3.34");
    expect(ledger.state.value).toBe("0.00");
  });

  it("never lets value drift away from quantity for very cheap items", () => {
    const ledger = newLedger();
    // 1000 screws for 5.00: 0.005 each. Rounding each issue to 0.01 would empty the value after 500 issues.
    ledger.post(move.receiptAmount("1000", "5.00"));
    for (let i = 0; i < 999; i++) ledger.post(move.issue("1"));
    // 1 screw left keeps round2(value × 1/2), …: its value is its share, 0.00 or 0.01, never negative
    expect(["0.00", "0.01"]).toContain(ledger.state.value);
    ledger.post(move.issue("1"));
    expect(ledger.state.value).toBe("0.00");
  });

  it("refuses negative stock unless allowed", () => {
    const ledger = newLedger();
    ledger.post(move.receipt("10", "5.00"));
    expect(() => ledger.post(move.issue("15"))).toThrow(NegativeStockError);
    try {
      ledger.post(move.issue("15"));
    } catch (error) {
      expect((error as CostingError).code).toBe("NEGATIVE_STOCK");
    }
    expect(ledger.state.qty).toBe("10");
  });

  it("values negative stock at the last cost and corrects it on the next receipt", () => {
    const ledger = newLedger({ allowNegativeStock: true });
    ledger.post(move.receipt("10", "5.00", "r1")); // 50.00
    // Issue 15: the 10 on hand take their 50.00, the 5 missing go at the last cost 5.000000 = 25.00
    const issue = ledger.post(move.issue("15", "i1"));
    expect([issue.value, issue.after.qty, issue.after.value]).toEqual(["-75.00", "-5", "-25.00"]);
    expect(issue.shortage).toEqual({ qty: "5", value: "-25.00" });
    // Receive 8 @ 6.00 = 48.00. 5 of them cover the shortage: they cost 48 × 5/8 = 30.00 but were issued
    // at 25.00, so 5.00 more goes out (adjustment −5.00). Value = 48.00 − 5.00 = 43.00;
    // stock: 3 units worth −25 + 43 = 18.00 = 3 × 6.00
    const receipt = ledger.post(move.receipt("8", "6.00", "r2"));
    expect([receipt.value, receipt.adjustment, receipt.after.qty, receipt.after.value, receipt.after.unitCost]).toEqual([
      "43.00",
      "-5.00",
      "3",
      "18.00",
      "6.000000",
    ]);
    expect(receipt.shortageFilled).toEqual({ qty: "5", value: "-25.00" });
  });

  it("needs a cost to value negative stock of a never-received item", () => {
    const ledger = newLedger({ allowNegativeStock: true });
    expect(() => ledger.post(move.issue("2"))).toThrow(NoKnownCostError);
    const entry = ledger.post({ kind: "issue", id: "i-fallback", date: "2025-01-01", qty: "2", fallbackUnitCost: "4.5" });
    expect([entry.value, entry.after.qty, entry.after.unitCost]).toEqual(["-9.00", "-2", "4.500000"]);
  });

  it("writes off the residue when a return at the receipt's cost empties the stock", () => {
    const ledger = newLedger();
    ledger.post(move.receipt("10", "10.00", "r1")); // 100.00
    ledger.post(move.receipt("10", "20.00", "r2")); // 200.00 → 300.00 / 20 = 15.000000
    ledger.post(move.issue("10")); // −150.00 → 10 left worth 150.00
    // Sending back all 10 of r2 at r2's cost is 200.00, but only 150.00 is left in stock:
    // value −150.00 of which −200.00 nominal and +50.00 adjustment
    const entry = ledger.post(move.supplierReturn("10", "r2"));
    expect([entry.value, entry.adjustment, entry.after.value]).toEqual(["-150.00", "50.00", "0.00"]);
  });
});
