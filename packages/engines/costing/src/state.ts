import { type Dec, formatMoney, formatQty, formatUnitCost, parseDecimal } from "./decimal.ts";
import { InvalidInputError } from "./errors.ts";
import type { Balance, FifoLayer, ValuationMethod, ValuationState } from "./types.ts";

/** A FIFO layer with parsed decimals, mutated in place while a move is valued. */
export interface WorkingLayer {
  seq: number;
  sourceMoveId: string;
  qty: Dec;
  value: Dec;
  unitCost: Dec;
}

/**
 * Private, mutable, Decimal-based copy of a ValuationState. The public functions
 * build one from the JSON state, let the method mutate it, and serialise it back,
 * so the caller's state object is never modified.
 */
export interface WorkingState {
  key: string;
  method: ValuationMethod;
  qty: Dec;
  value: Dec;
  unitCost: Dec | null;
  layers: WorkingLayer[];
  nextLayerSeq: number;
}

const METHODS: readonly ValuationMethod[] = ["moving_average", "fifo", "standard"];

const invalid = (message: string) => new InvalidInputError(message);

export interface NewValuationState {
  key: string;
  method: ValuationMethod;
  /** Required for the standard method. */
  standardCost?: string;
}

/** An empty state (no stock, no value) for one item in one valuation scope. */
export function createValuationState(init: NewValuationState): ValuationState {
  if (!METHODS.includes(init.method)) throw invalid(`unknown valuation method ${JSON.stringify(init.method)}`);
  if (typeof init.key !== "string" || init.key === "") throw invalid("key must be a non-empty string");
  let unitCost: string | null = null;
  if (init.method === "standard") {
    if (init.standardCost === undefined) throw invalid("the standard method needs a standardCost");
    const standard = parseDecimal(init.standardCost, "standardCost", invalid);
    if (standard.lt(0)) throw invalid("standardCost must not be negative");
    unitCost = formatUnitCost(standard);
  } else if (init.standardCost !== undefined) {
    throw invalid(`standardCost only applies to the standard method, not ${init.method}`);
  }
  return {
    schemaVersion: 1,
    key: init.key,
    method: init.method,
    qty: "0",
    value: "0.00",
    unitCost,
    layers: [],
    nextLayerSeq: 1,
  };
}

export function toWorkingState(state: ValuationState): WorkingState {
  if (state === null || typeof state !== "object" || state.schemaVersion !== 1) {
    throw invalid("not a ValuationState (schemaVersion 1)");
  }
  if (!METHODS.includes(state.method)) throw invalid(`unknown valuation method ${JSON.stringify(state.method)}`);
  const layers = state.layers.map((layer) => ({
    seq: layer.seq,
    sourceMoveId: layer.sourceMoveId,
    qty: parseDecimal(layer.qty, "layer.qty", invalid),
    value: parseDecimal(layer.value, "layer.value", invalid),
    unitCost: parseDecimal(layer.unitCost, "layer.unitCost", invalid),
  }));
  for (let i = 1; i < layers.length; i++) {
    if (layers[i].seq <= layers[i - 1].seq) throw invalid("state.layers must be sorted by seq");
  }
  return {
    key: state.key,
    method: state.method,
    qty: parseDecimal(state.qty, "state.qty", invalid),
    value: parseDecimal(state.value, "state.value", invalid),
    unitCost: state.unitCost === null ? null : parseDecimal(state.unitCost, "state.unitCost", invalid),
    layers,
    nextLayerSeq: state.nextLayerSeq,
  };
}

export function layerToJson(layer: WorkingLayer): FifoLayer {
  return {
    seq: layer.seq,
    sourceMoveId: layer.sourceMoveId,
    qty: formatQty(layer.qty),
    value: formatMoney(layer.value),
    unitCost: formatUnitCost(layer.unitCost),
  };
}

export function toStateJson(working: WorkingState): ValuationState {
  return {
    schemaVersion: 1,
    key: working.key,
    method: working.method,
    qty: formatQty(working.qty),
    value: formatMoney(working.value),
    unitCost: working.unitCost === null ? null : formatUnitCost(working.unitCost),
    layers: working.layers.map(layerToJson),
    nextLayerSeq: working.nextLayerSeq,
  };
}

export function balanceOf(working: WorkingState): Balance {
  return {
    qty: formatQty(working.qty),
    value: formatMoney(working.value),
    unitCost: working.unitCost === null ? null : formatUnitCost(working.unitCost),
  };
}
