/**
 * Bad input must throw MrpInputError naming the culprit (path + message),
 * from parseMrpInput (untrusted JSON) and from runMrp (typed callers) alike.
 */
import { describe, expect, it } from "vitest";
import { MrpInputError } from "./errors.ts";
import { parseMrpInput } from "./parse-input.ts";
import { runMrp } from "./run-mrp.ts";
import type { MrpInput } from "./types.ts";

function valid(): Record<string, unknown> {
  return {
    periods: 8,
    items: [
      { id: "A", leadTime: 1, onHand: 20, safetyStock: 0, lotSizing: { rule: "lot-for-lot" } },
      { id: "D", leadTime: 1, onHand: 25, lotSizing: { rule: "multiple", qty: 50 } },
    ],
    bom: [{ parent: "A", component: "D", qtyPer: 2 }],
    scheduledReceipts: [{ item: "D", period: 1, qty: 30 }],
    demand: [{ item: "A", period: 6, qty: 60, ref: "SO-1" }],
  };
}

/** Expects both entry points to reject `json` with this path and a message matching `message`. */
function expectRejected(json: unknown, path: string, message: RegExp): MrpInputError {
  let caught: unknown;
  try {
    parseMrpInput(json);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MrpInputError);
  const error = caught as MrpInputError;
  expect(error.path).toBe(path);
  expect(error.message).toMatch(message);
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  if (json !== null && typeof json === "object") {
    expect(() => runMrp(json as MrpInput)).toThrow(MrpInputError);
  }
  return error;
}

function withItem(index: number, patch: Record<string, unknown>) {
  const json = valid();
  const items = json.items as Record<string, unknown>[];
  items[index] = { ...items[index], ...patch };
  return json;
}

describe("validation", () => {
  it("accepts the contract example and keeps only known fields", () => {
    const json = valid();
    (json.items as Record<string, unknown>[])[0].comment = "ignored";
    const input = parseMrpInput(json);
    expect(input.items[0]).toEqual({ id: "A", leadTime: 1, onHand: 20, safetyStock: 0, lotSizing: { rule: "lot-for-lot" } });
  });

  it("rejects a BOM line naming an unknown component or parent", () => {
    const json = valid();
    (json.bom as Record<string, unknown>[]).push({ parent: "A", component: "Z9", qtyPer: 1 });
    expectRejected(json, "bom[1].component", /unknown item "Z9"/);
    const json2 = valid();
    (json2.bom as Record<string, unknown>[])[0].parent = "Q";
    expectRejected(json2, "bom[0].parent", /unknown item "Q"/);
  });

  it("rejects a BOM cycle and names the cycle path", () => {
    const json = valid();
    (json.items as unknown[]).push({ id: "B" }, { id: "C" });
    (json.bom as unknown[]).push(
      { parent: "D", component: "B", qtyPer: 1 },
      { parent: "B", component: "C", qtyPer: 1 },
      { parent: "C", component: "D", qtyPer: 1 },
    );
    const error = expectRejected(json, "bom", /BOM cycle: B → C → D → B/);
    expect(error.cycle).toEqual(["B", "C", "D", "B"]);
  });

  it("rejects an item that is its own component", () => {
    const json = valid();
    (json.bom as unknown[]).push({ parent: "D", component: "D", qtyPer: 1 });
    expectRejected(json, "bom", /BOM cycle: D → D/);
  });

  it("rejects negative or fractional lead times", () => {
    expectRejected(withItem(1, { leadTime: -1 }), "items[1].leadTime", /lead time.*got -1/);
    expectRejected(withItem(0, { leadTime: 1.5 }), "items[0].leadTime", /got 1.5/);
    expectRejected(withItem(0, { leadTime: "2" }), "items[0].leadTime", /got "2"/);
  });

  it("rejects an unknown lot-sizing rule", () => {
    expectRejected(withItem(0, { lotSizing: { rule: "wagner-whitin" } }), "items[0].lotSizing.rule", /unknown lot-sizing rule "wagner-whitin"/);
    expectRejected(withItem(0, { lotSizing: { rule: "toString" } }), "items[0].lotSizing.rule", /unknown lot-sizing rule/);
    expectRejected(withItem(0, { lotSizing: {} }), "items[0].lotSizing.rule", /unknown lot-sizing rule undefined/);
  });

  it("rejects missing or bad lot-sizing parameters", () => {
    expectRejected(withItem(0, { lotSizing: { rule: "fixed" } }), "items[0].lotSizing.qty", /required/);
    expectRejected(withItem(0, { lotSizing: { rule: "fixed", qty: 0 } }), "items[0].lotSizing.qty", /greater than 0/);
    expectRejected(withItem(0, { lotSizing: { rule: "multiple", qty: "2.5" } }), "items[0].lotSizing.qty", /more decimal places than the item's decimals \(0\)/);
    expectRejected(withItem(0, { lotSizing: { rule: "periods-of-supply", periods: 0 } }), "items[0].lotSizing.periods", /got 0/);
    expectRejected(withItem(0, { lotSizing: { rule: "eoq", setupCost: 100 } }), "items[0].lotSizing.holdingCostPerPeriod", /required/);
    expectRejected(withItem(0, { lotSizing: { rule: "eoq", setupCost: 100, holdingCostPerPeriod: 0 } }), "items[0].lotSizing.holdingCostPerPeriod", /greater than 0/);
    expectRejected(withItem(0, { lotSizing: { rule: "min-max-multiple", min: 120, max: 100, multiple: 50 } }), "items[0].lotSizing.max", /no allowed order size/);
  });

  it("rejects periods out of range", () => {
    const json = valid();
    (json.demand as Record<string, unknown>[])[0].period = 9;
    expectRejected(json, "demand[0].period", /period 9 is out of range 1..8/);
    const json2 = valid();
    (json2.scheduledReceipts as Record<string, unknown>[])[0].period = 0;
    expectRejected(json2, "scheduledReceipts[0].period", /period 0 is out of range 1..8/);
    const json3 = valid();
    (json3.demand as Record<string, unknown>[])[0].period = 2.5;
    expectRejected(json3, "demand[0].period", /integer period/);
  });

  it("rejects a bad horizon", () => {
    expectRejected({ ...valid(), periods: 0 }, "periods", /got 0/);
    expectRejected({ ...valid(), periods: "8" }, "periods", /got "8"/);
  });

  it("rejects non-numeric quantities", () => {
    const json = valid();
    (json.demand as Record<string, unknown>[])[0].qty = "sixty";
    expectRejected(json, "demand[0].qty", /expected a number or decimal string, got "sixty"/);
    expectRejected(withItem(1, { onHand: true }), "items[1].onHand", /got true/);
    expectRejected(withItem(1, { onHand: null }), "items[1].onHand", /got null/);
    expectRejected(withItem(1, { safetyStock: "1,5" }), "items[1].safetyStock", /got "1,5"/);
    expectRejected(withItem(1, { onHand: "" }), "items[1].onHand", /got ""/);
    const json2 = valid();
    (json2.bom as Record<string, unknown>[])[0].qtyPer = "two";
    expectRejected(json2, "bom[0].qtyPer", /got "two"/);
    const json3 = valid();
    (json3.scheduledReceipts as Record<string, unknown>[])[0].qty = { value: 3 };
    expectRejected(json3, "scheduledReceipts[0].qty", /got an object/);
  });

  it("rejects negative, zero or over-precise quantities where they make no sense", () => {
    expectRejected(withItem(1, { onHand: -5 }), "items[1].onHand", /must not be negative/);
    const json = valid();
    (json.bom as Record<string, unknown>[])[0].qtyPer = 0;
    expectRejected(json, "bom[0].qtyPer", /greater than 0/);
    const json2 = valid();
    (json2.demand as Record<string, unknown>[])[0].qty = "0.0000001";
    expectRejected(json2, "demand[0].qty", /more than 6 decimal places/);
    expectRejected(withItem(0, { yieldPct: 0 }), "items[0].yieldPct", /greater than 0/);
    expectRejected(withItem(0, { yieldPct: 101 }), "items[0].yieldPct", /at most 100/);
    expectRejected(withItem(0, { onHand: "1e20" }), "items[0].onHand", /too large/);
  });

  it("rejects duplicate items, bad ids, bad makeOrBuy and bad decimals", () => {
    const json = valid();
    (json.items as unknown[]).push({ id: "A" });
    expectRejected(json, "items[2].id", /duplicate item id "A" \(also items\[0\]\)/);
    expectRejected(withItem(0, { id: "" }), "items[0].id", /non-empty string/);
    expectRejected(withItem(0, { makeOrBuy: "rent" }), "items[0].makeOrBuy", /"make" or "buy"/);
    expectRejected(withItem(0, { decimals: 7 }), "items[0].decimals", /in 0..6/);
  });

  it("rejects demand without a ref or with a reserved pegging ref", () => {
    const json = valid();
    delete (json.demand as Record<string, unknown>[])[0].ref;
    expectRejected(json, "demand[0].ref", /non-empty string/);
    const json2 = valid();
    (json2.demand as Record<string, unknown>[])[0].ref = "SAFETY_STOCK:A";
    expectRejected(json2, "demand[0].ref", /reserved pegging prefix/);
  });

  it("rejects wrong shapes", () => {
    expectRejected(null, "input", /expected an object, got null/);
    expectRejected([], "input", /expected an object, got an array/);
    expectRejected({ periods: 3 }, "items", /expected an array, got undefined/);
    expectRejected({ ...valid(), bom: {} }, "bom", /expected an array/);
    expectRejected({ ...valid(), items: [1] }, "items[0]", /expected an object, got 1/);
  });
});
