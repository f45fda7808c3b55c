import { describe, expect, it } from "vitest";
import {
  CostingError,
  type StockMove,
  createValuationState,
  inventoryValueAsOf,
  valueMove,
  valueMoves,
} from "./index.ts";

const state = () => createValuationState({ key: "K", method: "moving_average" });
const receipt = (id: string, qty = "10", date = "2025-01-01"): StockMove => ({ kind: "receipt", id, date, qty, unitCost: "2" });

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof CostingError ? error.code : `not a CostingError: ${error}`;
  }
  return undefined;
};

describe("inputs and errors", () => {
  it("accepts only plain decimal strings", () => {
    for (const qty of ["1e3", "0x10", " 5", "5.", "", "NaN", "Infinity"]) {
      expect(codeOf(() => valueMove(state(), { ...receipt("r"), qty } as StockMove))).toBe("INVALID_INPUT");
    }
    expect(codeOf(() => valueMove(state(), receipt("r", "0")))).toBe("INVALID_INPUT");
    expect(codeOf(() => valueMove(state(), receipt("r", "-1")))).toBe("INVALID_INPUT");
    expect(
      codeOf(() => valueMove(state(), { kind: "receipt", id: "r", date: "2025-01-01", qty: "1", unitCost: "1", amount: "1" })),
    ).toBe("INVALID_INPUT");
  });

  it("does not modify the state it is given", () => {
    const before = state();
    const frozen = JSON.stringify(before);
    const { state: after } = valueMove(before, receipt("r1"));
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after.qty).toBe("10");
    // and the state survives a JSON round trip
    expect(JSON.parse(JSON.stringify(after))).toEqual(after);
  });

  it("checks the original of returns and reversals", () => {
    const first = valueMove(state(), receipt("r1"));
    const lookup = (id: string) => (id === "r1" ? first.entry : undefined);
    const reverse = (originalMoveId: string): StockMove => ({ kind: "reversal", id: "x", date: "2025-01-02", originalMoveId });
    expect(codeOf(() => valueMove(first.state, reverse("nope"), { lookup }))).toBe("ORIGINAL_NOT_FOUND");
    const other = createValuationState({ key: "OTHER", method: "moving_average" });
    expect(codeOf(() => valueMove(other, reverse("r1"), { lookup }))).toBe("ORIGINAL_MISMATCH");
    const customerReturnOfReceipt: StockMove = {
      kind: "customer_return",
      id: "c",
      date: "2025-01-02",
      qty: "1",
      originalMoveId: "r1",
    };
    expect(codeOf(() => valueMove(first.state, customerReturnOfReceipt, { lookup }))).toBe("ORIGINAL_MISMATCH");
    const tooMuch: StockMove = { kind: "supplier_return", id: "s", date: "2025-01-02", qty: "11", originalMoveId: "r1" };
    expect(codeOf(() => valueMove(first.state, tooMuch, { lookup }))).toBe("RETURN_EXCEEDS_ORIGINAL");
  });

  it("guards a batch against double reversals and over-returns", () => {
    const reversal = (id: string, originalMoveId: string): StockMove => ({ kind: "reversal", id, date: "2025-01-02", originalMoveId });
    const supplierReturn = (id: string, qty: string): StockMove => ({
      kind: "supplier_return",
      id,
      date: "2025-01-02",
      qty,
      originalMoveId: "r1",
    });
    expect(codeOf(() => valueMoves(state(), [receipt("r1"), reversal("x1", "r1"), reversal("x2", "r1")]))).toBe(
      "ALREADY_REVERSED",
    );
    expect(codeOf(() => valueMoves(state(), [receipt("r1"), supplierReturn("s1", "6"), supplierReturn("s2", "5")]))).toBe(
      "RETURN_EXCEEDS_ORIGINAL",
    );
    expect(codeOf(() => valueMoves(state(), [receipt("r1"), supplierReturn("s1", "6"), reversal("x1", "r1")]))).toBe(
      "REVERSAL_BLOCKED",
    );
    // reversing the return frees its quantity again
    const ok = valueMoves(state(), [
      receipt("r1"),
      supplierReturn("s1", "6"),
      reversal("x1", "s1"),
      supplierReturn("s2", "10"),
    ]);
    expect(ok.state.qty).toBe("0");
    expect(codeOf(() => valueMoves(state(), [receipt("r1"), receipt("r1")]))).toBe("INVALID_INPUT");
  });

  it("a reversal cannot be reversed", () => {
    const moves: StockMove[] = [receipt("r1"), { kind: "reversal", id: "x1", date: "2025-01-02", originalMoveId: "r1" }];
    const { entries } = valueMoves(state(), moves);
    const lookup = (id: string) => entries.find((entry) => entry.moveId === id);
    const { state: after } = valueMoves(state(), moves);
    expect(
      codeOf(() => valueMove(after, { kind: "reversal", id: "x2", date: "2025-01-03", originalMoveId: "x1" }, { lookup })),
    ).toBe("ORIGINAL_MISMATCH");
  });
});

describe("inventoryValueAsOf", () => {
  it("sums the entries up to a date, per key", () => {
    const a = valueMoves(createValuationState({ key: "A", method: "fifo" }), [
      receipt("a1", "10", "2025-01-01"),
      { kind: "issue", id: "a2", date: "2025-01-15T09:30:00Z", qty: "4" },
      receipt("a3", "5", "2025-02-01"),
    ]);
    const b = valueMoves(createValuationState({ key: "B", method: "moving_average" }), [receipt("b1", "3", "2025-01-20")]);
    const entries = [...a.entries, ...b.entries];
    expect(inventoryValueAsOf(entries, "2025-01-15")).toEqual({
      asOf: "2025-01-15",
      value: "12.00",
      byKey: [{ key: "A", qty: "6", value: "12.00" }],
    });
    expect(inventoryValueAsOf(entries, "2025-01-31").value).toBe("18.00");
    expect(inventoryValueAsOf(entries, "2025-12-31").byKey).toEqual([
      { key: "A", qty: "11", value: "22.00" },
      { key: "B", qty: "3", value: "6.00" },
    ]);
    expect(inventoryValueAsOf(entries, "2025-01-15T09:00:00Z").value).toBe("20.00");
    expect(codeOf(() => inventoryValueAsOf(entries, "yesterday"))).toBe("INVALID_INPUT");
  });
});
