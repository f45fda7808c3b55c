import { Decimal } from "decimal.js";
import type { StockMove, ValuationEntry, ValuationState, ValueMoveOptions } from "./types.ts";
import { valueMove } from "./value-move.ts";

/**
 * Test helper playing the server: keeps the state and the stored entries, and
 * values each move with `valueMove`, looking originals up among the entries.
 */
export class TestLedger {
  readonly moves: StockMove[] = [];
  readonly entries: ValuationEntry[] = [];
  private readonly byId = new Map<string, ValuationEntry>();

  constructor(
    public state: ValuationState,
    public options: Omit<ValueMoveOptions, "lookup"> = {},
  ) {}

  post(move: StockMove): ValuationEntry {
    const result = valueMove(this.state, move, { ...this.options, lookup: (id) => this.byId.get(id) });
    this.state = result.state;
    this.moves.push(move);
    this.entries.push(result.entry);
    this.byId.set(result.entry.moveId, result.entry);
    return result.entry;
  }

  entry(moveId: string): ValuationEntry {
    const entry = this.byId.get(moveId);
    if (entry === undefined) throw new Error(`no entry ${moveId}`);
    return entry;
  }
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}${++counter}`;
const DATE = "2025-01-01";

/** Short builders for moves in tests. */
export const move = {
  receipt: (qty: string, unitCost: string, id = nextId("r")): StockMove => ({ kind: "receipt", id, date: DATE, qty, unitCost }),
  receiptAmount: (qty: string, amount: string, id = nextId("r")): StockMove => ({ kind: "receipt", id, date: DATE, qty, amount }),
  issue: (qty: string, id = nextId("i")): StockMove => ({ kind: "issue", id, date: DATE, qty }),
  supplierReturn: (qty: string, originalMoveId: string, id = nextId("s")): StockMove => ({
    kind: "supplier_return",
    id,
    date: DATE,
    qty,
    originalMoveId,
  }),
  customerReturn: (qty: string, originalMoveId: string, id = nextId("c")): StockMove => ({
    kind: "customer_return",
    id,
    date: DATE,
    qty,
    originalMoveId,
  }),
  reversal: (originalMoveId: string, id = nextId("x")): StockMove => ({ kind: "reversal", id, date: DATE, originalMoveId }),
  standardChange: (standardCost: string, id = nextId("sc")): StockMove => ({
    kind: "standard_cost_change",
    id,
    date: DATE,
    standardCost,
  }),
};

/** Exact sum of decimal strings, 2 dp. */
export function sumOf(values: readonly string[]): string {
  return values.reduce((sum, value) => sum.plus(value), new Decimal(0)).toFixed(2);
}
