import { type Dec, ZERO, proportionalMoney, roundMoney, roundUnitCost } from "../decimal.ts";
import { InvalidInputError } from "../errors.ts";
import type { WorkingState } from "../state.ts";
import { fillShortage, shortageUnitCost } from "./negative-stock.ts";
import { type MoveContext, type MoveOutcome, type ShortageAmount, requireOriginal } from "./outcome.ts";

/**
 * Moving (weighted) average.
 *
 * The state keeps the exact inventory value (sum of all move values). The
 * average is value / qty, shown at 6 dp. An issue takes its share of the value at
 * that exact average: the stock left keeps round2(value × qtyLeft / qty) and the
 * issue takes the rest. Doing it this way round (rather than qty × rounded
 * average) means value and quantity can never drift apart, and issuing everything
 * takes exactly the value there is.
 */
export function valueMovingAverage(context: MoveContext): MoveOutcome {
  const { move } = context;
  switch (move.kind) {
    case "receipt":
      return inbound(context.state, move.qty, move.amount, move.unitCost);
    case "customer_return": {
      // Back in at the cost the goods left with: the returned share of the issue's value.
      const original = requireOriginal(context);
      const amount = proportionalMoney(original.value.neg(), move.qty, original.qty.abs());
      return inbound(context.state, move.qty, amount, original.unitCost);
    }
    case "issue":
      return issue(context);
    case "supplier_return":
      return supplierReturn(context);
    case "reversal":
      return reversal(context);
    case "standard_cost_change":
      throw new InvalidInputError(`move ${move.id}: a standard cost change needs the standard method`);
  }
}

function averageOf(state: WorkingState): Dec {
  return roundUnitCost(state.value.div(state.qty));
}

function inbound(state: WorkingState, qty: Dec, amount: Dec, unitCost: Dec): MoveOutcome {
  let adjustment = ZERO;
  let shortageFilled: ShortageAmount | undefined;
  if (state.qty.lt(0)) {
    const fill = fillShortage(state.qty.neg(), state.value, qty, amount);
    adjustment = fill.adjustment;
    shortageFilled = { qty: fill.qty, value: fill.bookedValue };
  }
  state.qty = state.qty.plus(qty);
  state.value = state.value.plus(amount).plus(adjustment);
  // Still negative: the receipt's cost is now the last known cost.
  state.unitCost = state.qty.gt(0) ? averageOf(state) : roundUnitCost(unitCost);
  return { qty, nominal: amount, adjustment, variance: ZERO, unitCost, shortageFilled };
}

function issue(context: MoveContext): MoveOutcome {
  const { state, move } = context;
  const qty = move.qty;
  let amountOut: Dec;
  let shortage: ShortageAmount | undefined;
  if (state.qty.gte(qty)) {
    const qtyLeft = state.qty.minus(qty);
    amountOut = state.value.minus(proportionalMoney(state.value, qtyLeft, state.qty));
  } else {
    // Beyond stock on hand: what is there goes out with all its value, the rest at the last known cost.
    const onHand = state.qty.gt(0) ? state.qty : ZERO;
    const cost = shortageUnitCost(state, move);
    const shortageQty = qty.minus(onHand);
    const shortageValue = roundMoney(shortageQty.times(cost));
    amountOut = (onHand.gt(0) ? state.value : ZERO).plus(shortageValue);
    shortage = { qty: shortageQty, value: shortageValue.neg() };
    state.unitCost = cost;
  }
  state.qty = state.qty.minus(qty);
  state.value = state.value.minus(amountOut);
  if (state.qty.gt(0)) state.unitCost = averageOf(state);
  return {
    qty: qty.neg(),
    nominal: amountOut.neg(),
    adjustment: ZERO,
    variance: ZERO,
    unitCost: amountOut.div(qty),
    shortage,
  };
}

function supplierReturn(context: MoveContext): MoveOutcome {
  const { state, move } = context;
  const original = requireOriginal(context);
  // Out at the receipt's own cost; the average of what stays moves accordingly.
  const amountOut = proportionalMoney(original.value, move.qty, original.qty);
  state.qty = state.qty.minus(move.qty);
  state.value = state.value.minus(amountOut);
  if (state.qty.gt(0)) state.unitCost = averageOf(state);
  return {
    qty: move.qty.neg(),
    nominal: amountOut.neg(),
    adjustment: ZERO,
    variance: ZERO,
    unitCost: original.unitCost,
  };
}

function reversal(context: MoveContext): MoveOutcome {
  const { state } = context;
  const original = requireOriginal(context);
  state.qty = state.qty.minus(original.qty);
  state.value = state.value.minus(original.value);
  // With no stock left there is no average: go back to the cost known before the reversed move.
  state.unitCost = state.qty.gt(0) ? averageOf(state) : original.unitCostBefore;
  return {
    qty: original.qty.neg(),
    nominal: original.value.neg(),
    adjustment: ZERO,
    variance: original.variance.neg(),
    unitCost: original.unitCost,
  };
}
