import type { Dec } from "../decimal.ts";
import type { ParsedMove, ParsedOriginal } from "../parse-move.ts";
import type { WorkingLayer, WorkingState } from "../state.ts";

/** What a valuation method hands back after applying a move to the working state. */
export interface MoveOutcome {
  /** Signed quantity of the move. */
  qty: Dec;
  /** Signed amount of the move itself (before `adjustment`). */
  nominal: Dec;
  /** Extra change of inventory value: negative-stock correction, residue, standard re-sync. */
  adjustment: Dec;
  /** Standard method variance (not part of the inventory value). */
  variance: Dec;
  /** Cost per unit to report on the entry. */
  unitCost: Dec;
  layersConsumed?: WorkingLayer[];
  layersRestored?: WorkingLayer[];
  layerCreated?: WorkingLayer;
  shortage?: ShortageAmount;
  shortageFilled?: ShortageAmount;
}

/** Negative stock: a positive quantity and the (negative) value booked for it. */
export interface ShortageAmount {
  qty: Dec;
  value: Dec;
}

export interface MoveContext {
  /** Working copy, mutated by the method. */
  state: WorkingState;
  move: ParsedMove;
  /** Entry of the move referred to by a return or reversal. */
  original: ParsedOriginal | null;
}

export type ValuationMethodHandler = (context: MoveContext) => MoveOutcome;

export function requireOriginal(context: MoveContext): ParsedOriginal {
  if (context.original === null) throw new Error(`internal: move ${context.move.id} has no original`);
  return context.original;
}
