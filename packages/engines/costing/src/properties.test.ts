import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CostingError,
  type StockMove,
  type ValuationEntry,
  type ValuationMethod,
  type ValuationState,
  createValuationState,
  valueMoves,
} from "./index.ts";
import { TestLedger, sumOf } from "./test-ledger.ts";

/**
 * Random move sequences. Each generated "intent" is turned into a valid move
 * against the ledger as it stands (issue no more than on hand unless negative
 * stock is allowed, return no more than is returnable...). Moves the engine
 * legitimately refuses (e.g. reversing a consumed FIFO layer) are skipped.
 */
type Intent =
  | { type: "receipt"; qty: number; cost: number; asAmount: boolean }
  | { type: "issue"; qty: number }
  | { type: "supplierReturn"; pick: number; share: number }
  | { type: "customerReturn"; pick: number; share: number }
  | { type: "reversal"; pick: number }
  | { type: "standardChange"; cost: number };

const qtyArb = fc.integer({ min: 1, max: 50_000 }); // thousandths: 0.001 … 50
const costArb = fc.integer({ min: 0, max: 2_000_000 }); // ten-thousandths: 0 … 200

const forwardIntent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant("receipt" as const), qty: qtyArb, cost: costArb, asAmount: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant("issue" as const), qty: qtyArb }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("supplierReturn" as const), pick: fc.nat(), share: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("customerReturn" as const), pick: fc.nat(), share: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("standardChange" as const), cost: costArb }) },
);
const anyIntent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 5, arbitrary: forwardIntent },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("reversal" as const), pick: fc.nat() }) },
);

const methodArb = fc.constantFrom<ValuationMethod>("moving_average", "fifo", "standard");

const EXPECTED_REFUSALS = new Set(["LAYER_CONSUMED", "REVERSAL_BLOCKED", "NEGATIVE_STOCK"]);

const D = (value: string | number) => new Decimal(value);
/** 2 dp, HALF_UP, without the "-0.00" decimal.js would print. */
const money = (value: Decimal) => (value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).isZero() ? "0.00" : value.toFixed(2, Decimal.ROUND_HALF_UP));
const thousandths = (n: number) => D(n).div(1000).toFixed();

class RandomLedger extends TestLedger {
  private readonly reversed = new Set<string>();
  private readonly returned = new Map<string, Decimal>();
  private readonly returnOf = new Map<string, { original: string; qty: Decimal }>();
  private seq = 0;

  constructor(
    state: ValuationState,
    private readonly allowNegative: boolean,
  ) {
    super(state, { allowNegativeStock: allowNegative });
  }

  /** Applies the intent if it makes sense now; returns the entry or null when skipped/refused. */
  apply(intent: Intent): ValuationEntry | null {
    const move = this.toMove(intent);
    if (move === null) return null;
    try {
      const entry = this.post(move);
      this.record(entry);
      return entry;
    } catch (error) {
      if (error instanceof CostingError && EXPECTED_REFUSALS.has(error.code) && move.kind === "reversal") return null;
      throw error;
    }
  }

  private id(prefix: string) {
    return `${prefix}${++this.seq}`;
  }

  private toMove(intent: Intent): StockMove | null {
    const date = "2025-01-01";
    const onHand = D(this.state.qty);
    switch (intent.type) {
      case "receipt": {
        const qty = thousandths(intent.qty);
        const cost = D(intent.cost).div(10_000);
        return intent.asAmount
          ? { kind: "receipt", id: this.id("r"), date, qty, amount: cost.times(qty).toFixed(2) }
          : { kind: "receipt", id: this.id("r"), date, qty, unitCost: cost.toFixed() };
      }
      case "issue": {
        let qty = D(thousandths(intent.qty));
        if (!this.allowNegative) qty = Decimal.min(qty, onHand);
        if (qty.lte(0)) return null;
        const fallbackUnitCost = "1.5";
        return { kind: "issue", id: this.id("i"), date, qty: qty.toFixed(), fallbackUnitCost };
      }
      case "supplierReturn":
      case "customerReturn": {
        const kind = intent.type === "supplierReturn" ? "receipt" : "issue";
        const original = this.pick(intent.pick, (entry) => entry.kind === kind && !this.reversed.has(entry.moveId));
        if (original === null) return null;
        const left = D(original.qty).abs().minus(this.returned.get(original.moveId) ?? 0);
        let qty = left.times(intent.share).div(1000).toDecimalPlaces(3, Decimal.ROUND_DOWN);
        if (intent.type === "supplierReturn") qty = Decimal.min(qty, onHand);
        if (qty.lte(0)) return null;
        return intent.type === "supplierReturn"
          ? { kind: "supplier_return", id: this.id("s"), date, qty: qty.toFixed(), originalMoveId: original.moveId }
          : { kind: "customer_return", id: this.id("c"), date, qty: qty.toFixed(), originalMoveId: original.moveId };
      }
      case "reversal": {
        const original = this.pick(
          intent.pick,
          (entry) =>
            entry.kind !== "reversal" &&
            !this.reversed.has(entry.moveId) &&
            !(this.returned.get(entry.moveId) ?? D(0)).gt(0),
        );
        return original === null ? null : { kind: "reversal", id: this.id("x"), date, originalMoveId: original.moveId };
      }
      case "standardChange":
        if (this.state.method !== "standard") return null;
        return { kind: "standard_cost_change", id: this.id("sc"), date, standardCost: D(intent.cost).div(10_000).toFixed() };
    }
  }

  private pick(n: number, eligible: (entry: ValuationEntry) => boolean): ValuationEntry | null {
    const candidates = this.entries.filter(eligible);
    return candidates.length === 0 ? null : candidates[n % candidates.length];
  }

  private record(entry: ValuationEntry) {
    const original = entry.originalMoveId;
    if (original === undefined) return;
    if (entry.kind === "reversal") {
      this.reversed.add(original);
      const freed = this.returnOf.get(original);
      if (freed) this.returned.set(freed.original, (this.returned.get(freed.original) ?? D(0)).minus(freed.qty));
      return;
    }
    const qty = D(entry.qty).abs();
    this.returned.set(original, (this.returned.get(original) ?? D(0)).plus(qty));
    this.returnOf.set(entry.moveId, { original, qty });
  }
}

function newState(method: ValuationMethod): ValuationState {
  return createValuationState({ key: "P", method, standardCost: method === "standard" ? "7.25" : undefined });
}

/** Invariants that must hold after every move. */
function checkInvariants(ledger: TestLedger, startValue = "0.00", startQty = "0") {
  const { state } = ledger;
  expect(money(D(sumOf(ledger.entries.map((entry) => entry.value))).plus(startValue))).toBe(state.value);
  expect(ledger.entries.reduce((sum, entry) => sum.plus(entry.qty), D(startQty)).eq(state.qty)).toBe(true);
  const qty = D(state.qty);
  if (qty.isZero()) expect(state.value).toBe("0.00");
  if (state.method === "fifo") {
    if (qty.gt(0)) {
      expect(state.layers.reduce((sum, layer) => sum.plus(layer.qty), D(0)).eq(qty)).toBe(true);
      expect(sumOf(state.layers.map((layer) => layer.value))).toBe(state.value);
    } else {
      expect(state.layers).toEqual([]);
    }
  }
  if (state.method === "moving_average" && qty.gt(0)) {
    expect(state.unitCost).toBe(D(state.value).div(qty).toFixed(6, Decimal.ROUND_HALF_UP).replace(/^-(0\.0+)$/, "$1"));
  }
  if (state.method === "standard") {
    expect(state.value).toBe(money(qty.times(state.unitCost as string)));
  }
}

describe("valuation properties", () => {
  it("inventory value is always the sum of the move values", () => {
    fc.assert(
      fc.property(methodArb, fc.boolean(), fc.array(anyIntent, { maxLength: 40 }), (method, allowNegative, intents) => {
        const ledger = new RandomLedger(newState(method), allowNegative);
        for (const intent of intents) {
          if (ledger.apply(intent) !== null) checkInvariants(ledger);
        }
        if (!allowNegative) expect(D(ledger.state.qty).gte(0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("issuing everything (or receiving what is missing) leaves value 0", () => {
    fc.assert(
      fc.property(methodArb, fc.boolean(), fc.array(anyIntent, { maxLength: 40 }), (method, allowNegative, intents) => {
        const ledger = new RandomLedger(newState(method), allowNegative);
        for (const intent of intents) ledger.apply(intent);
        const qty = D(ledger.state.qty);
        const valueBefore = ledger.state.value;
        if (qty.gt(0)) {
          const entry = ledger.post({ kind: "issue", id: "all", date: "2025-12-31", qty: qty.toFixed() });
          expect(entry.value).toBe(money(D(valueBefore).neg()));
        } else if (qty.lt(0)) {
          ledger.post({ kind: "receipt", id: "fill", date: "2025-12-31", qty: qty.neg().toFixed(), unitCost: "3.14" });
        }
        expect([ledger.state.qty, ledger.state.value, ledger.state.layers]).toEqual(["0", "0.00", []]);
        checkInvariants(ledger);
      }),
      { numRuns: 300 },
    );
  });

  it("reversing every move, newest first, brings back the initial state exactly", () => {
    fc.assert(
      fc.property(
        methodArb,
        fc.boolean(),
        fc.array(anyIntent, { maxLength: 15 }),
        fc.array(forwardIntent, { maxLength: 30 }),
        (method, allowNegative, prefix, intents) => {
          // Start from a state with some history (open layers, negative stock, a changed standard...).
          const setup = new RandomLedger(newState(method), allowNegative);
          for (const intent of prefix) setup.apply(intent);
          const initial = setup.state;

          const ledger = new RandomLedger(initial, allowNegative);
          for (const intent of intents) ledger.apply(intent);
          for (const entry of [...ledger.entries].reverse()) {
            ledger.post({ kind: "reversal", id: `undo-${entry.moveId}`, date: "2025-12-31", originalMoveId: entry.moveId });
          }
          expect(ledger.state).toEqual(initial);
          checkInvariants(ledger, initial.value, initial.qty);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("valueMoves gives the same result as valueMove one by one", () => {
    fc.assert(
      fc.property(methodArb, fc.array(anyIntent, { maxLength: 30 }), (method, intents) => {
        const ledger = new RandomLedger(newState(method), true);
        for (const intent of intents) ledger.apply(intent);
        const batch = valueMoves(newState(method), ledger.moves, { allowNegativeStock: true });
        expect(batch.entries).toEqual(ledger.entries);
        expect(batch.state).toEqual(ledger.state);
      }),
      { numRuns: 200 },
    );
  });
});
