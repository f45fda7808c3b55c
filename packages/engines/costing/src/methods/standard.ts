import { type Dec, ZERO, proportionalMoney, roundMoney } from "../decimal.ts";
import { InvalidInputError } from "../errors.ts";
import type { WorkingState } from "../state.ts";
import { type MoveContext, type MoveOutcome, requireOriginal } from "./outcome.ts";

/**
 * Standard cost: stock is always worth round2(qty × standard). Each move's
 * value is the change of that figure; whatever the move really cost (purchase
 * price, original receipt or issue cost) minus its value is the variance.
 * A standard cost change revalues the stock on hand.
 */
export function valueStandard(context: MoveContext): MoveOutcome {
  const { state, move } = context;
  const standard = state.unitCost;
  if (standard === null) throw new InvalidInputError(`${state.key}: the standard method needs a standard cost`);
  switch (move.kind) {
    case "receipt":
      // Purchase price variance: actual amount − value at standard.
      return atStandard(state, move.qty, standard, move.amount);
    case "issue":
      return atStandard(state, move.qty.neg(), standard, null);
    case "supplier_return":
    case "customer_return": {
      // The counter-amount is the returned share of what the original really cost.
      const original = requireOriginal(context);
      const originalActual = original.value.plus(original.variance);
      const counterAmount = proportionalMoney(originalActual, move.qty, original.qty.abs()).neg();
      const qty = move.kind === "supplier_return" ? move.qty.neg() : move.qty;
      return atStandard(state, qty, standard, counterAmount);
    }
    case "standard_cost_change": {
      const newStandard = move.standardCost as Dec;
      const revaluation = valueAt(state.qty, newStandard).minus(state.value);
      state.value = state.value.plus(revaluation);
      state.unitCost = newStandard;
      return { qty: ZERO, nominal: revaluation, adjustment: ZERO, variance: ZERO, unitCost: newStandard };
    }
    case "reversal": {
      const original = requireOriginal(context);
      const qty = original.qty.neg();
      const nominal = original.value.neg();
      if (original.entry.kind === "standard_cost_change") state.unitCost = original.unitCostBefore;
      state.qty = state.qty.plus(qty);
      // Exact opposite value; if the standard changed in between, re-sync to qty × standard.
      const adjustment = valueAt(state.qty, state.unitCost as Dec).minus(state.value.plus(nominal));
      state.value = state.value.plus(nominal).plus(adjustment);
      return { qty, nominal, adjustment, variance: original.variance.neg(), unitCost: original.unitCost };
    }
  }
}

function valueAt(qty: Dec, standard: Dec): Dec {
  return roundMoney(qty.times(standard));
}

/** Moves the stock by `qty` (signed) at standard; variance = counterAmount − value when there is one. */
function atStandard(state: WorkingState, qty: Dec, standard: Dec, counterAmount: Dec | null): MoveOutcome {
  const newQty = state.qty.plus(qty);
  const value = valueAt(newQty, standard).minus(state.value);
  state.qty = newQty;
  state.value = state.value.plus(value);
  return {
    qty,
    nominal: value,
    adjustment: ZERO,
    variance: counterAmount === null ? ZERO : counterAmount.minus(value),
    unitCost: standard,
  };
}
