import { type Dec, MONEY_SCALE, ZERO, formatMoney, formatQty, formatUnitCost } from "./decimal.ts";
import { CostingError, NegativeStockError } from "./errors.ts";
import { valueFifo } from "./methods/fifo.ts";
import { valueMovingAverage } from "./methods/moving-average.ts";
import type { MoveOutcome, ShortageAmount, ValuationMethodHandler } from "./methods/outcome.ts";
import { valueStandard } from "./methods/standard.ts";
import { type ParsedMove, type ParsedOriginal, checkOriginal, parseMove, parseOriginal } from "./parse-move.ts";
import { type WorkingState, balanceOf, layerToJson } from "./state.ts";
import type { Balance, EntryLookup, ShortagePiece, StockMove, ValuationEntry, ValuationMethod } from "./types.ts";

const HANDLERS: Record<ValuationMethod, ValuationMethodHandler> = {
  moving_average: valueMovingAverage,
  fifo: valueFifo,
  standard: valueStandard,
};

export interface ApplyOptions {
  allowNegativeStock: boolean;
  lookup: EntryLookup | undefined;
}

/**
 * Values one move against a working state (mutating it) and returns its entry.
 * Rules shared by all methods live here: resolving the original of a return or
 * reversal, the negative-stock check, and "zero quantity means zero value".
 * `before` is the state's balance when the caller already has it (a batch
 * reuses the previous entry's `after` instead of formatting it again).
 */
export function applyMove(
  state: WorkingState,
  move: StockMove,
  options: ApplyOptions,
  before: Balance = balanceOf(state),
): ValuationEntry {
  const parsed = parseMove(move);
  const original = resolveOriginal(state, parsed, options.lookup);
  checkStock(state, parsed, original, options.allowNegativeStock);

  const valueBefore = state.value;
  const outcome = HANDLERS[state.method]({ state, move: parsed, original });

  let adjustment = outcome.adjustment;
  if (state.qty.isZero() && !state.value.isZero()) {
    // Only reachable through returns/reversals valued at another cost than the current one.
    adjustment = adjustment.minus(state.value);
    state.value = ZERO;
  }
  const value = state.value.minus(valueBefore);
  assertConsistent(parsed, outcome, value, adjustment);

  const entry: ValuationEntry = {
    moveId: parsed.id,
    key: state.key,
    method: state.method,
    kind: parsed.kind,
    date: parsed.date,
    qty: formatQty(outcome.qty),
    value: formatMoney(value),
    unitCost: formatUnitCost(outcome.unitCost),
    adjustment: formatMoney(adjustment),
    variance: formatMoney(outcome.variance),
    before,
    after: balanceOf(state),
  };
  if (original !== null) entry.originalMoveId = original.entry.moveId;
  if (outcome.layersConsumed !== undefined) entry.layersConsumed = outcome.layersConsumed.map(layerToJson);
  if (outcome.layersRestored !== undefined) entry.layersRestored = outcome.layersRestored.map(layerToJson);
  if (outcome.layerCreated !== undefined) entry.layerCreated = layerToJson(outcome.layerCreated);
  if (outcome.shortage !== undefined) entry.shortage = shortageToJson(outcome.shortage);
  if (outcome.shortageFilled !== undefined) entry.shortageFilled = shortageToJson(outcome.shortageFilled);
  return entry;
}

function resolveOriginal(state: WorkingState, move: ParsedMove, lookup: EntryLookup | undefined): ParsedOriginal | null {
  if (move.originalMoveId === null) return null;
  const entry = lookup?.(move.originalMoveId);
  if (entry === undefined) {
    throw new CostingError(
      "ORIGINAL_NOT_FOUND",
      `move ${move.id} refers to ${move.originalMoveId}, which the lookup does not know`,
    );
  }
  const original = parseOriginal(entry);
  checkOriginal(move, original, state.key, state.method);
  return original;
}

/** Signed quantity change the move will make. */
function qtyChange(move: ParsedMove, original: ParsedOriginal | null): Dec {
  switch (move.kind) {
    case "receipt":
    case "customer_return":
      return move.qty;
    case "issue":
    case "supplier_return":
      return move.qty.neg();
    case "reversal":
      return (original as ParsedOriginal).qty.neg();
    case "standard_cost_change":
      return ZERO;
  }
}

function checkStock(state: WorkingState, move: ParsedMove, original: ParsedOriginal | null, allowNegative: boolean): void {
  const change = qtyChange(move, original);
  const onHand = formatQty(state.qty);
  if (move.kind === "supplier_return" && move.qty.gt(state.qty)) {
    // Goods that are not there cannot be shipped back, whatever the negative-stock policy.
    throw new NegativeStockError(
      state.key,
      move.id,
      onHand,
      formatQty(move.qty),
      "a return to the supplier cannot exceed stock on hand",
    );
  }
  const after = state.qty.plus(change);
  if (!allowNegative && after.lt(0) && after.lt(state.qty)) {
    throw new NegativeStockError(state.key, move.id, onHand, formatQty(change.neg()));
  }
}

function assertConsistent(move: ParsedMove, outcome: MoveOutcome, value: Dec, adjustment: Dec): void {
  const ok =
    value.eq(outcome.nominal.plus(adjustment)) &&
    value.decimalPlaces() <= MONEY_SCALE &&
    adjustment.decimalPlaces() <= MONEY_SCALE &&
    outcome.variance.decimalPlaces() <= MONEY_SCALE;
  if (!ok) throw new Error(`internal: inconsistent valuation of move ${move.id}`);
}

function shortageToJson(shortage: ShortageAmount): ShortagePiece {
  return { qty: formatQty(shortage.qty), value: formatMoney(shortage.value) };
}
