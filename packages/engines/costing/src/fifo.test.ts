import { describe, expect, it } from "vitest";
import { type CostingError, LayerConsumedError, createValuationState } from "./index.ts";
import { TestLedger, move, sumOf } from "./test-ledger.ts";

const newLedger = (options = {}) => new TestLedger(createValuationState({ key: "ACME/WH1/GEAR", method: "fifo" }), options);

/** Layers as [seq, qty, value] for compact expectations. */
const layersOf = (ledger: TestLedger) => ledger.state.layers.map((layer) => [layer.seq, layer.qty, layer.value]);

describe("FIFO", () => {
  it("consumes oldest layers and restores them on reversal (worked example)", () => {
    const ledger = newLedger();
    ledger.post(move.receipt("10", "10.00", "r1")); // layer 1: 10 × 10.00 = 100.00
    ledger.post(move.receipt("10", "12.00", "r2")); // layer 2: 10 × 12.00 = 120.00
    ledger.post(move.receipt("5", "11.00", "r3")); // layer 3: 5 × 11.00 = 55.00
    expect([ledger.state.qty, ledger.state.value]).toEqual(["25", "275.00"]);

    // Issue 14: all of layer 1 (100.00) + 4 of layer 2. Layer 2 keeps 120 × 6/10 = 72.00, the piece is 48.00.
    // Value = −(100 + 48) = −148.00; unit cost 148 / 14 = 10.571428… → 10.571429
    const i1 = ledger.post(move.issue("14", "i1"));
    expect([i1.value, i1.unitCost]).toEqual(["-148.00", "10.571429"]);
    expect(i1.layersConsumed?.map((piece) => [piece.seq, piece.qty, piece.value])).toEqual([
      [1, "10", "100.00"],
      [2, "4", "48.00"],
    ]);
    expect(layersOf(ledger)).toEqual([
      [2, "6", "72.00"],
      [3, "5", "55.00"],
    ]);

    // Return 3 of r2 to the supplier: out of r2's own layer, 72 − 72 × 3/6 = 36.00
    const s1 = ledger.post(move.supplierReturn("3", "r2", "s1"));
    expect(s1.value).toBe("-36.00");
    expect(layersOf(ledger)).toEqual([
      [2, "3", "36.00"],
      [3, "5", "55.00"],
    ]);

    // Customer returns 7 of i1 at i1's cost: 148 × 7/14 = 74.00, as a new layer at 10.571429
    const c1 = ledger.post(move.customerReturn("7", "i1", "c1"));
    expect([c1.value, c1.layerCreated?.seq, c1.layerCreated?.unitCost]).toEqual(["74.00", 4, "10.571429"]);
    expect([ledger.state.qty, ledger.state.value]).toEqual(["15", "165.00"]);

    // Reverse s1: its piece (3, 36.00) goes back into layer 2
    expect(ledger.post(move.reversal("s1", "x1")).value).toBe("36.00");
    expect(layersOf(ledger)).toEqual([
      [2, "6", "72.00"],
      [3, "5", "55.00"],
      [4, "7", "74.00"],
    ]);

    // Reverse r3: its layer is untouched, so it is removed: −55.00
    expect(ledger.post(move.reversal("r3", "x2")).value).toBe("-55.00");

    // r1's layer was consumed by i1: reversing r1 is refused
    expect(() => ledger.post(move.reversal("r1"))).toThrow(LayerConsumedError);

    // Reverse c1 (removes layer 4: −74.00), then i1: layer 1 comes back in front with 100.00,
    // the 4 units (48.00) go back into layer 2 → 6 + 4 = 10 worth 72 + 48 = 120.00
    expect(ledger.post(move.reversal("c1", "x3")).value).toBe("-74.00");
    expect(ledger.post(move.reversal("i1", "x4")).value).toBe("148.00");
    expect(layersOf(ledger)).toEqual([
      [1, "10", "100.00"],
      [2, "10", "120.00"],
    ]);
    expect([ledger.state.qty, ledger.state.value]).toEqual(["20", "220.00"]);

    // Issue everything: exactly 220.00 out, nothing left
    expect(ledger.post(move.issue("20")).value).toBe("-220.00");
    expect([ledger.state.qty, ledger.state.value, ledger.state.layers]).toEqual(["0", "0.00", []]);
    expect(sumOf(ledger.entries.map((entry) => entry.value))).toBe("0.00");
  });

  it("takes a supplier return beyond its own layer from the newest layers", () => {
    const ledger = newLedger();
    ledger.post(move.receipt("10", "10.00", "r1")); // layer 1
    ledger.post(move.receipt("10", "12.00", "r2")); // layer 2
    ledger.post(move.receipt("10", "13.00", "r3")); // layer 3
    ledger.post(move.issue("15")); // layer 1 (10) + 5 of layer 2 → layer 2 keeps 5 × 12 = 60.00
    // Return all 10 of r2: the 5 left in layer 2 (60.00) + 5 from the newest, layer 3 (65.00)
    const entry = ledger.post(move.supplierReturn("10", "r2"));
    expect(entry.value).toBe("-125.00");
    expect(entry.layersConsumed?.map((piece) => [piece.seq, piece.qty, piece.value])).toEqual([
      [2, "5", "60.00"],
      [3, "5", "65.00"],
    ]);
  });

  it("refuses a supplier return larger than stock on hand", () => {
    const ledger = newLedger({ allowNegativeStock: true });
    ledger.post(move.receipt("10", "10.00", "r1"));
    ledger.post(move.issue("8"));
    expect(() => ledger.post(move.supplierReturn("5", "r1"))).toThrow(/cannot exceed stock on hand/);
  });

  it("issues beyond the layers at the last cost and lets the next receipt correct it", () => {
    const ledger = newLedger({ allowNegativeStock: true });
    ledger.post(move.receipt("4", "10.00", "r1")); // 40.00
    // Issue 6: layer 1 (40.00) + 2 missing at the last cost 10.000000 = 20.00 → −60.00
    const issue = ledger.post(move.issue("6", "i1"));
    expect([issue.value, issue.after.qty, issue.after.value, issue.shortage]).toEqual([
      "-60.00",
      "-2",
      "-20.00",
      { qty: "2", value: "-20.00" },
    ]);
    // Receive 5 @ 11.00 = 55.00: 2 cover the shortage (cost 22.00, booked 20.00 → adjustment −2.00),
    // 3 open a layer worth 33.00. Value = 55.00 − 2.00 = 53.00; stock 3 worth −20 + 53 = 33.00
    const receipt = ledger.post(move.receipt("5", "11.00", "r2"));
    expect([receipt.value, receipt.adjustment, receipt.after.qty, receipt.after.value]).toEqual([
      "53.00",
      "-2.00",
      "3",
      "33.00",
    ]);
    expect(layersOf(ledger)).toEqual([[2, "3", "33.00"]]);

    // Undo both, newest first: back to 4 @ 10.00 exactly
    ledger.post(move.reversal("r2"));
    expect([ledger.state.qty, ledger.state.value, ledger.state.layers]).toEqual(["-2", "-20.00", []]);
    ledger.post(move.reversal("i1"));
    expect(layersOf(ledger)).toEqual([[1, "4", "40.00"]]);
  });

  it("blocks reversing a receipt that covered negative stock once later stock arrived", () => {
    const ledger = newLedger({ allowNegativeStock: true });
    ledger.post({ kind: "issue", id: "i1", date: "2025-01-01", qty: "2", fallbackUnitCost: "10" });
    ledger.post(move.receipt("2", "11.00", "r1")); // covers the shortage entirely, no layer
    ledger.post(move.receipt("5", "11.00", "r2")); // layer
    try {
      ledger.post(move.reversal("r1"));
      expect.unreachable();
    } catch (error) {
      expect((error as CostingError).code).toBe("REVERSAL_BLOCKED");
    }
  });
});
