import { type Dec, proportionalMoney } from "../decimal.ts";
import { NoKnownCostError } from "../errors.ts";
import type { ParsedMove } from "../parse-move.ts";
import type { WorkingState } from "../state.ts";

/**
 * Cost for quantity issued beyond stock on hand: the last known cost of the item
 * (ERPNext/Odoo style), or the move's fallback when no cost has ever been known.
 */
export function shortageUnitCost(state: WorkingState, move: ParsedMove): Dec {
  const cost = state.unitCost ?? move.fallbackUnitCost;
  if (cost === null) throw new NoKnownCostError(state.key, move.id);
  return cost;
}

export interface ShortageFill {
  /** Units of negative stock covered by the inbound move. */
  qty: Dec;
  /** Value that had been booked for those units when they were issued (negative). */
  bookedValue: Dec;
  /** Share of the inbound amount that belongs to them. */
  inboundValue: Dec;
  /**
   * Correction of the earlier issues to the inbound cost: -(inboundValue + bookedValue).
   * Negative when the goods turned out dearer than the cost they were issued at.
   */
  adjustment: Dec;
}

/**
 * An inbound move arriving while stock is negative first covers the shortage.
 * The covered units were issued at the last known cost; now that their real cost
 * is known the difference is booked as an adjustment on this move, so that after
 * it the stock left is valued at the inbound cost only (Odoo's "vacuum" idea,
 * folded into the receipt instead of a separate move).
 */
export function fillShortage(
  shortageQty: Dec,
  shortageValue: Dec,
  inboundQty: Dec,
  inboundAmount: Dec,
): ShortageFill {
  const qty = inboundQty.lte(shortageQty) ? inboundQty : shortageQty;
  const bookedValue = proportionalMoney(shortageValue, qty, shortageQty);
  const inboundValue = proportionalMoney(inboundAmount, qty, inboundQty);
  return { qty, bookedValue, inboundValue, adjustment: inboundValue.plus(bookedValue).neg() };
}
