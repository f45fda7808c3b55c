import { type Dec, ZERO, formatQty, proportionalMoney, roundMoney, roundUnitCost } from "../decimal.ts";
import { CostingError, InvalidInputError, LayerConsumedError } from "../errors.ts";
import { parsePiece, parseShortage } from "../parse-move.ts";
import type { WorkingLayer, WorkingState } from "../state.ts";
import {
  appendLayer,
  consumeFromLayer,
  consumeNewest,
  consumeOldest,
  findLayerIndex,
  newestLayerCost,
  putBack,
} from "./fifo-layers.ts";
import { fillShortage, shortageUnitCost } from "./negative-stock.ts";
import { type MoveContext, type MoveOutcome, type ShortageAmount, requireOriginal } from "./outcome.ts";

/**
 * FIFO: every inbound move opens a layer; issues consume the oldest layers first
 * and are valued at the sum of the pieces they took. Entries record the pieces,
 * so a reversal can put them back exactly where they were.
 *
 * While stock is negative there are no layers: the state's value is the value
 * booked for the shortage (at the last known cost) until a receipt covers it.
 */
export function valueFifo(context: MoveContext): MoveOutcome {
  const { move } = context;
  switch (move.kind) {
    case "receipt":
      return inbound(context.state, move.id, move.qty, move.amount, move.unitCost);
    case "customer_return": {
      // A new layer at the cost the goods left with (not the layers they came from).
      const original = requireOriginal(context);
      const amount = proportionalMoney(original.value.neg(), move.qty, original.qty.abs());
      return inbound(context.state, move.id, move.qty, amount, original.unitCost);
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

function sumValues(pieces: readonly WorkingLayer[]): Dec {
  let total = ZERO;
  for (const piece of pieces) total = total.plus(piece.value);
  return total;
}

function inbound(state: WorkingState, moveId: string, qty: Dec, amount: Dec, unitCost: Dec): MoveOutcome {
  let adjustment = ZERO;
  let shortageFilled: ShortageAmount | undefined;
  let layerQty = qty;
  let layerValue = amount;
  if (state.qty.lt(0)) {
    const fill = fillShortage(state.qty.neg(), state.value, qty, amount);
    state.qty = state.qty.plus(fill.qty);
    state.value = state.value.minus(fill.bookedValue);
    adjustment = fill.adjustment;
    shortageFilled = { qty: fill.qty, value: fill.bookedValue };
    layerQty = qty.minus(fill.qty);
    layerValue = amount.minus(fill.inboundValue);
  }
  let layerCreated: WorkingLayer | undefined;
  if (layerQty.gt(0)) {
    layerCreated = { ...appendLayer(state, moveId, layerQty, layerValue, roundUnitCost(unitCost)) };
  }
  state.unitCost = newestLayerCost(state) ?? roundUnitCost(unitCost);
  return { qty, nominal: amount, adjustment, variance: ZERO, unitCost, layerCreated, shortageFilled };
}

function issue(context: MoveContext): MoveOutcome {
  const { state, move } = context;
  const { pieces, missing } = consumeOldest(state.layers, move.qty);
  let amountOut = sumValues(pieces);
  let shortage: ShortageAmount | undefined;
  if (missing.gt(0)) {
    // Beyond the layers: valued at the last known cost (the newest layer's), corrected by the next receipt.
    const cost = shortageUnitCost(state, move);
    const shortageValue = roundMoney(missing.times(cost));
    amountOut = amountOut.plus(shortageValue);
    shortage = { qty: missing, value: shortageValue.neg() };
    state.unitCost = cost;
  }
  state.qty = state.qty.minus(move.qty);
  state.value = state.value.minus(amountOut);
  return {
    qty: move.qty.neg(),
    nominal: amountOut.neg(),
    adjustment: ZERO,
    variance: ZERO,
    unitCost: amountOut.div(move.qty),
    layersConsumed: pieces,
    shortage,
  };
}

/**
 * Goods go back out of the returned receipt's own layer; if that layer was
 * partly consumed, the rest comes from the newest layers (at their own cost).
 */
function supplierReturn(context: MoveContext): MoveOutcome {
  const { state, move } = context;
  const original = requireOriginal(context);
  const pieces: WorkingLayer[] = [];
  let missing = move.qty;
  const created = original.entry.layerCreated;
  if (created !== undefined) {
    const piece = consumeFromLayer(state.layers, created.seq, original.entry.moveId, missing);
    if (piece !== null) {
      pieces.push(piece);
      missing = missing.minus(piece.qty);
    }
  }
  if (missing.gt(0)) pieces.push(...consumeNewest(state.layers, missing).pieces);
  const amountOut = sumValues(pieces);
  state.qty = state.qty.minus(move.qty);
  state.value = state.value.minus(amountOut);
  state.unitCost = newestLayerCost(state) ?? state.unitCost;
  return {
    qty: move.qty.neg(),
    nominal: amountOut.neg(),
    adjustment: ZERO,
    variance: ZERO,
    unitCost: amountOut.div(move.qty),
    layersConsumed: pieces,
  };
}

/**
 * Undoes what the original did to the layers:
 * - inbound original: removes the layer it created (refused if any of it was
 *   consumed — reverse the consuming moves first) and re-opens the shortage it covered;
 * - outbound original: closes the shortage it created and puts back the pieces
 *   it took, each into its own layer at its own cost and place.
 * The value is always the exact opposite of the original's.
 */
function reversal(context: MoveContext): MoveOutcome {
  const { state, move } = context;
  const original = requireOriginal(context);
  const entry = original.entry;
  const valueBefore = state.value;

  if (entry.layerCreated !== undefined) {
    const created = parsePiece(entry.layerCreated);
    const index = findLayerIndex(state.layers, created.seq);
    const layer = index >= 0 && state.layers[index].sourceMoveId === entry.moveId ? state.layers[index] : null;
    if (layer === null || !layer.qty.eq(created.qty)) {
      const left = layer === null ? "0" : formatQty(layer.qty);
      throw new LayerConsumedError(state.key, move.id, entry.moveId, left, formatQty(created.qty));
    }
    state.layers.splice(index, 1);
    state.qty = state.qty.minus(layer.qty);
    state.value = state.value.minus(layer.value);
    // Undoing the newest receipt frees its seq, so undoing everything restores the state exactly.
    if (created.seq === state.nextLayerSeq - 1) state.nextLayerSeq--;
  }
  if (entry.shortageFilled !== undefined) {
    const filled = parseShortage(entry.shortageFilled);
    if (state.qty.gt(0)) {
      throw new CostingError(
        "REVERSAL_BLOCKED",
        `cannot reverse ${entry.moveId} on ${state.key} (move ${move.id}): it covered negative stock and ` +
          "stock has been received since; reverse the later inbound moves first",
      );
    }
    state.qty = state.qty.minus(filled.qty);
    state.value = state.value.plus(filled.value);
  }

  const restored: WorkingLayer[] = [];
  if (entry.shortage !== undefined) {
    const shortage = parseShortage(entry.shortage);
    putBack(state, { seq: null, sourceMoveId: move.id, qty: shortage.qty, value: shortage.value.neg(), unitCost: null });
  }
  for (const stored of entry.layersConsumed ?? []) {
    const piece = parsePiece(stored);
    putBack(state, piece);
    restored.push(piece);
  }

  state.unitCost = newestLayerCost(state) ?? original.unitCostBefore;
  const nominal = original.value.neg();
  return {
    qty: original.qty.neg(),
    nominal,
    // Zero unless a layer's value differs from when it was created (defensive).
    adjustment: state.value.minus(valueBefore).minus(nominal),
    variance: ZERO,
    unitCost: original.unitCost,
    layersRestored: restored.length > 0 ? restored : undefined,
  };
}
