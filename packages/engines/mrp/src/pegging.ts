/**
 * Pegging: which demand lines (refs) each planned order and each dependent
 * requirement serves, with quantities, across all BOM levels.
 *
 * Nothing is stored during planning except each order's position in its
 * item's supply sequence; pegging is resolved on request, which keeps a run
 * with millions of orders fast (full pegging of every order can be far larger
 * than the plan itself).
 *
 * Per item, supply and requirements are matched first-in-first-out, unit by
 * unit, as two sequences:
 *   supply:       on hand, then per period: scheduled receipts, planned orders
 *   requirements: ALLOCATED:<item> (allocated qty), SAFETY_STOCK:<item> (safety
 *                 stock), then per period: demand lines (by ref, qty), then
 *                 dependent requirements (by parent rank, parent order, BOM
 *                 line); past the end: LOT_SIZE_EXCESS:<item>.
 * Supply unit k serves requirement unit k. A dependent requirement is pegged
 * to whatever its parent order is pegged to, scaled from the parent's
 * quantity onto the requirement's: a parent boundary at x maps to
 * floor(x × req / qty) in the component's unit, so the pieces always add up
 * exactly and do not depend on the engine's internal scale.
 */
import { floorDiv } from "./decimal.ts";
import { dependentQty } from "./explosion.ts";
import type { CompiledModel } from "./model.ts";
import type { Plan } from "./netting.ts";

export const SAFETY_STOCK_PREFIX = "SAFETY_STOCK:";
export const LOT_SIZE_EXCESS_PREFIX = "LOT_SIZE_EXCESS:";
export const ALLOCATED_PREFIX = "ALLOCATED:";

/** A run of `len` scaled units serving `ref`. */
export interface PegPiece {
  readonly ref: string;
  readonly len: number;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function mulDivFloor(x: number, mul: number, div: number): number {
  const product = x * mul;
  if (product <= MAX_SAFE) return floorDiv(product, div);
  return Number((BigInt(x) * BigInt(mul)) / BigInt(div));
}

/** One dependent requirement: `qty` of item in `period` caused by BOM `line` of parent `order`. */
export interface DependentRequirementRow {
  readonly period: number;
  readonly order: number;
  readonly line: number;
  readonly qty: number;
}

export class PeggingResolver {
  private readonly m: CompiledModel;
  private readonly plan: Plan;
  private readonly orderMemo = new Map<number, PegPiece[]>();

  constructor(m: CompiledModel, plan: Plan) {
    this.m = m;
    this.plan = plan;
  }

  /** Pegging of planned order `o` over its whole quantity, adjacent pieces of one ref merged. */
  orderPieces(o: number): PegPiece[] {
    let pieces = this.orderMemo.get(o);
    if (pieces === undefined) {
      const orders = this.plan.orders;
      const start = orders.supplyStart[o];
      pieces = mergeAdjacent(this.supplyPieces(orders.item[o], start, start + orders.qty[o]));
      this.orderMemo.set(o, pieces);
    }
    return pieces;
  }

  /**
   * Pegging of units [u, v) of the requirement `req` that BOM `line` derives
   * from parent order `o` (u = 0, v = req for the whole requirement).
   */
  dependentPieces(o: number, line: number, req: number, u: number, v: number, out: PegPiece[] = []): PegPiece[] {
    const parentQty = this.plan.orders.qty[o];
    // boundaries in whole units of the component (req is a multiple of its step), so pegged
    // quantities come out in the component's unit, whatever the engine's internal scale
    const step = this.m.step[this.m.bomComponent[line]];
    const units = req / step;
    let x = 0;
    for (const piece of this.orderPieces(o)) {
      const from = mulDivFloor(x, units, parentQty) * step;
      x += piece.len;
      const to = mulDivFloor(x, units, parentQty) * step;
      const lo = Math.max(from, u);
      const hi = Math.min(to, v);
      if (hi > lo) out.push({ ref: piece.ref, len: hi - lo });
      if (to >= v) break;
    }
    return out;
  }

  /** Dependent requirements of item rank `r` in period `t` (0-based), in pegging order. */
  dependentRequirements(r: number, t: number): DependentRequirementRow[] {
    const m = this.m;
    const orders = this.plan.orders;
    const rows: DependentRequirementRow[] = [];
    const end = m.usedStart[r + 1];
    let k = m.usedStart[r];
    while (k < end) {
      const parent = m.bomParent[m.usedLine[k]];
      let groupEnd = k + 1;
      while (groupEnd < end && m.bomParent[m.usedLine[groupEnd]] === parent) groupEnd++;
      if (m.isMake[parent] === 1) {
        const last = this.plan.orderStart[parent + 1];
        for (let o = this.firstOrderReleasedAt(parent, t); o < last && orders.release[o] === t; o++) {
          for (let g = k; g < groupEnd; g++) {
            const line = m.usedLine[g];
            rows.push({ period: t, order: o, line, qty: dependentQty(m, line, orders.releaseQty[o]) });
          }
        }
      }
      k = groupEnd;
    }
    return rows;
  }

  /** Pieces covering positions [a, b) of item r's supply sequence, in order. */
  supplyPieces(r: number, a: number, b: number): PegPiece[] {
    const m = this.m;
    const id = m.ids[r];
    const out: PegPiece[] = [];
    let pos = 0;
    // emits the overlap of requirement segment [pos, pos + len) with [a, b)
    const segment = (len: number, ref: string): void => {
      const lo = Math.max(pos, a);
      const end = pos + len;
      const hi = Math.min(end, b);
      if (hi > lo) out.push({ ref, len: hi - lo });
      pos = end;
    };
    segment(m.allocated[r], ALLOCATED_PREFIX + id);
    segment(m.safetyStock[r], SAFETY_STOCK_PREFIX + id);
    const periods = m.periods;
    const base = r * periods;
    for (let t = 0; t < periods && pos < b; t++) {
      const periodGross = this.plan.gross[base + t];
      if (pos + periodGross <= a) {
        pos += periodGross; // whole period before the interval
        continue;
      }
      const cell = base + t;
      for (let d = m.demandStart[cell]; d < m.demandStart[cell + 1]; d++) segment(m.demandQty[d], m.demandRef[d]);
      for (const row of this.dependentRequirements(r, t)) {
        const lo = Math.max(pos, a);
        const end = pos + row.qty;
        const hi = Math.min(end, b);
        if (hi > lo) this.dependentPieces(row.order, row.line, row.qty, lo - pos, hi - pos, out);
        pos = end;
      }
    }
    if (b > pos) segment(b - pos, LOT_SIZE_EXCESS_PREFIX + id);
    return out;
  }

  /** First order of item `parent` released in period t or later (orders are sorted by period). */
  private firstOrderReleasedAt(parent: number, t: number): number {
    const release = this.plan.orders.release;
    let lo = this.plan.orderStart[parent];
    let hi = this.plan.orderStart[parent + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (release[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function mergeAdjacent(pieces: PegPiece[]): PegPiece[] {
  const out: PegPiece[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if (last !== undefined && last.ref === piece.ref) out[out.length - 1] = { ref: last.ref, len: last.len + piece.len };
    else out.push(piece);
  }
  return out;
}

/** Sums pieces per ref, in order of first appearance. */
export function totalsByRef(pieces: readonly PegPiece[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const piece of pieces) totals.set(piece.ref, (totals.get(piece.ref) ?? 0) + piece.len);
  return totals;
}
