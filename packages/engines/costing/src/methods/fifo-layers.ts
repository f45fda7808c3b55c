import { type Dec, ZERO, proportionalMoney, roundUnitCost } from "../decimal.ts";
import type { WorkingLayer, WorkingState } from "../state.ts";

/**
 * Operations on the open FIFO layers of a working state (sorted by seq, oldest first).
 *
 * A layer that is partly consumed keeps round2(value × qtyLeft / qty) and the
 * piece taken gets the rest, so a layer's value stays proportional to what is
 * left and emptying it takes exactly its value. Putting a piece back adds its
 * exact quantity and value, which is what makes reversals exact.
 */

/** Takes `qty` (≤ layer.qty) out of the layer and returns the piece taken. */
export function takeFromLayer(layer: WorkingLayer, qty: Dec): WorkingLayer {
  const qtyLeft = layer.qty.minus(qty);
  const valueLeft = proportionalMoney(layer.value, qtyLeft, layer.qty);
  const piece = { ...layer, qty, value: layer.value.minus(valueLeft) };
  layer.qty = qtyLeft;
  layer.value = valueLeft;
  return piece;
}

export interface Consumption {
  pieces: WorkingLayer[];
  /** Quantity that could not be taken because the layers ran out. */
  missing: Dec;
}

/** FIFO: takes from the oldest layers first. */
export function consumeOldest(layers: WorkingLayer[], qty: Dec): Consumption {
  const pieces: WorkingLayer[] = [];
  let missing = qty;
  let emptied = 0;
  for (let i = 0; i < layers.length && missing.gt(0); i++) {
    const layer = layers[i];
    const take = missing.lt(layer.qty) ? missing : layer.qty;
    pieces.push(takeFromLayer(layer, take));
    missing = missing.minus(take);
    if (layer.qty.isZero()) emptied++;
  }
  layers.splice(0, emptied);
  return { pieces, missing };
}

/** Takes from the newest layers first (goods sent back are the ones most likely still on the shelf). */
export function consumeNewest(layers: WorkingLayer[], qty: Dec): Consumption {
  const pieces: WorkingLayer[] = [];
  let missing = qty;
  let emptied = 0;
  for (let i = layers.length - 1; i >= 0 && missing.gt(0); i--) {
    const layer = layers[i];
    const take = missing.lt(layer.qty) ? missing : layer.qty;
    pieces.push(takeFromLayer(layer, take));
    missing = missing.minus(take);
    if (layer.qty.isZero()) emptied++;
  }
  layers.splice(layers.length - emptied, emptied);
  return { pieces, missing };
}

/** Index of the layer with this seq, or -1. Binary search: layers are sorted by seq. */
export function findLayerIndex(layers: readonly WorkingLayer[], seq: number): number {
  let low = 0;
  let high = layers.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const midSeq = layers[mid].seq;
    if (midSeq === seq) return mid;
    if (midSeq < seq) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** Takes up to `qty` from one particular layer (the one a returned receipt created). */
export function consumeFromLayer(
  layers: WorkingLayer[],
  seq: number,
  sourceMoveId: string,
  qty: Dec,
): WorkingLayer | null {
  const index = findLayerIndex(layers, seq);
  if (index < 0 || layers[index].sourceMoveId !== sourceMoveId) return null;
  const layer = layers[index];
  const piece = takeFromLayer(layer, qty.lt(layer.qty) ? qty : layer.qty);
  if (layer.qty.isZero()) layers.splice(index, 1);
  return piece;
}

export function newestLayerCost(state: WorkingState): Dec | null {
  return state.layers.length > 0 ? state.layers[state.layers.length - 1].unitCost : null;
}

/** Appends a new newest layer. */
export function appendLayer(state: WorkingState, sourceMoveId: string, qty: Dec, value: Dec, unitCost: Dec): WorkingLayer {
  const layer = { seq: state.nextLayerSeq++, sourceMoveId, qty, value, unitCost };
  state.layers.push(layer);
  state.qty = state.qty.plus(qty);
  state.value = state.value.plus(value);
  return layer;
}

/**
 * Puts a piece back into stock with its exact quantity and value.
 * - Stock not negative: merged into its layer if still open, else the layer is
 *   re-created at its original place in FIFO order.
 * - Stock negative (out-of-order reversal): the piece first cancels the shortage;
 *   whatever quantity is left over becomes one layer carrying the net value.
 * `piece.seq` null means "no original layer": it becomes a new newest layer.
 */
export interface ReturningPiece {
  seq: number | null;
  sourceMoveId: string;
  qty: Dec;
  value: Dec;
  /** Cost of the layer it came from; null to derive it from value / qty. */
  unitCost: Dec | null;
}

export function putBack(state: WorkingState, piece: ReturningPiece): void {
  if (state.qty.lt(0)) {
    const shortage = state.qty.neg();
    state.qty = state.qty.plus(piece.qty);
    state.value = state.value.plus(piece.value);
    if (piece.qty.lte(shortage)) return;
    // Shortage gone (layers are always empty while stock is negative).
    const seq = piece.seq ?? state.nextLayerSeq++;
    if (seq >= state.nextLayerSeq) state.nextLayerSeq = seq + 1;
    state.layers = [
      { seq, sourceMoveId: piece.sourceMoveId, qty: state.qty, value: state.value, unitCost: costOf(state.value, state.qty) },
    ];
    return;
  }
  state.qty = state.qty.plus(piece.qty);
  state.value = state.value.plus(piece.value);
  if (piece.seq === null) {
    state.layers.push({
      seq: state.nextLayerSeq++,
      sourceMoveId: piece.sourceMoveId,
      qty: piece.qty,
      value: piece.value,
      unitCost: piece.unitCost ?? costOf(piece.value, piece.qty),
    });
    return;
  }
  const index = findLayerIndex(state.layers, piece.seq);
  if (index >= 0) {
    const layer = state.layers[index];
    if (layer.sourceMoveId !== piece.sourceMoveId) {
      throw new Error(`internal: layer ${piece.seq} belongs to ${layer.sourceMoveId}, not ${piece.sourceMoveId}`);
    }
    layer.qty = layer.qty.plus(piece.qty);
    layer.value = layer.value.plus(piece.value);
    return;
  }
  const at = insertionIndex(state.layers, piece.seq);
  state.layers.splice(at, 0, {
    seq: piece.seq,
    sourceMoveId: piece.sourceMoveId,
    qty: piece.qty,
    value: piece.value,
    unitCost: piece.unitCost ?? costOf(piece.value, piece.qty),
  });
  if (piece.seq >= state.nextLayerSeq) state.nextLayerSeq = piece.seq + 1;
}

function insertionIndex(layers: readonly WorkingLayer[], seq: number): number {
  let low = 0;
  let high = layers.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (layers[mid].seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

function costOf(value: Dec, qty: Dec): Dec {
  return qty.isZero() ? ZERO : roundUnitCost(value.div(qty));
}
