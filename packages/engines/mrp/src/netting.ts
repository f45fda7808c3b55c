/**
 * Netting of one item over the horizon, period by period:
 *
 *   projected(t) = projected(t-1) + scheduledReceipts(t) - gross(t) [+ planned receipts(t)]
 *   projected(0) = onHand - allocated
 *   net(t)       = safetyStock - (projected(t-1) + scheduledReceipts(t) - gross(t)), when positive
 *
 * A positive net requirement gets planned order(s) from the lot-sizing rule,
 * received in t and released in t - leadTime. When t - leadTime would fall
 * before period 1 no order can help: the shortfall is reported as past due,
 * projected on hand is left below safety stock (reported too), and the first
 * period that can still be supplied (leadTime + 1) catches up the backlog.
 *
 * Scheduled receipts count in their due period; reschedule messages tell the
 * planner when they are due at the wrong time (exceptions.ts).
 */
import { ceilDiv, ceilDivBig } from "./decimal.ts";
import { MrpRangeError } from "./errors.ts";
import { economicOrderQuantity, type LotContext, type LotPlan, sizeLot } from "./lot-sizing.ts";
import { type CompiledModel, RULE_EOQ } from "./model.ts";
import { EXCEPTION_BELOW_SAFETY_STOCK, EXCEPTION_PAST_DUE, type ExceptionTable, type OrderTable } from "./tables.ts";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** The time-phased records of all items plus planned orders and exceptions. */
export interface Plan {
  /** Gross requirements: independent demand plus dependent requirements from parents. */
  readonly gross: Float64Array;
  readonly projected: Float64Array;
  readonly net: Float64Array;
  readonly plannedReceipts: Float64Array;
  readonly plannedReleases: Float64Array;
  readonly orders: OrderTable;
  /** Orders of item rank r are orders orderStart[r]..orderStart[r+1]-1. */
  readonly orderStart: Int32Array;
  readonly exceptions: ExceptionTable;
  /** The EOQ used per item (scaled), -1 when the item's rule is not eoq. */
  readonly eoq: Float64Array;
}

/** Mutable scratch shared by all items, so the loop allocates nothing per period. */
class Scratch implements LotContext {
  gross: Float64Array;
  receipts: Float64Array;
  base = 0;
  t = 0;
  projected = 0;
  eoq = 0;
  readonly lot: LotPlan = { count: 0, qty: 0, last: 0 };
  constructor(gross: Float64Array, receipts: Float64Array) {
    this.gross = gross;
    this.receipts = receipts;
  }
}

export function createScratch(plan: Plan, m: CompiledModel): Scratch {
  return new Scratch(plan.gross, m.receiptsByPeriod);
}

/** Release quantity for a good quantity `qty` under the item's yield, rounded up to its step. */
export function releaseQuantity(m: CompiledModel, r: number, qty: number): number {
  const num = m.yieldNum[r];
  if (num === 0) {
    const big = m.bigYield.get(r);
    if (big === undefined) return qty;
    return Number(ceilDivBig(BigInt(qty) * big.num, big.den)) * m.step[r];
  }
  const product = qty * num;
  if (product <= MAX_SAFE) return ceilDiv(product, m.yieldDen[r]) * m.step[r];
  return Number(ceilDivBig(BigInt(qty) * BigInt(num), BigInt(m.yieldDen[r]))) * m.step[r];
}

export function netItem(m: CompiledModel, r: number, plan: Plan, scratch: Scratch): void {
  const periods = m.periods;
  const base = r * periods;
  const gross = plan.gross;
  const receipts = m.receiptsByPeriod;
  const ss = m.safetyStock[r];
  const leadTime = m.leadTime[r];
  const orders = plan.orders;
  const exceptions = plan.exceptions;
  const lot = scratch.lot;

  let requiredTotal = m.allocated[r] + ss;
  for (let t = 0; t < periods; t++) requiredTotal += gross[base + t];
  if (m.rule[r] === RULE_EOQ) {
    const costs = m.eoqCosts.get(r);
    const eoq = costs
      ? economicOrderQuantity(costs, requiredTotal - m.allocated[r] - ss, periods, m.scaleDigits, m.step[r])
      : 0;
    plan.eoq[r] = eoq;
    scratch.eoq = eoq;
  }
  scratch.base = base;

  let projected = m.onHand[r] - m.allocated[r];
  let supply = m.onHand[r]; // position of the next unit in the supply sequence (pegging)
  let releasedTotal = 0;
  for (let t = 0; t < periods; t++) {
    const cell = base + t;
    supply += receipts[cell];
    const before = projected;
    projected = projected + receipts[cell] - gross[cell];
    if (projected < ss) {
      const need = ss - projected;
      plan.net[cell] = need;
      if (t < leadTime) {
        // only a release before period 1 could cover it; backlog carried, not re-reported
        const carried = t === 0 ? 0 : Math.max(0, ss - before);
        if (need > carried) exceptions.add(r, EXCEPTION_PAST_DUE, t, need - carried, t - leadTime);
      } else {
        scratch.t = t;
        scratch.projected = projected;
        sizeLot(m, r, need, scratch, lot);
        const release = t - leadTime;
        for (let k = 0; k <= lot.count; k++) {
          const qty = k < lot.count ? lot.qty : lot.last;
          if (qty === 0) continue;
          const releaseQty = releaseQuantity(m, r, qty);
          orders.add(r, t, release, qty, releaseQty, supply);
          supply += qty;
          projected += qty;
          releasedTotal += releaseQty;
          plan.plannedReceipts[cell] += qty;
          plan.plannedReleases[base + release] += releaseQty;
        }
      }
    }
    plan.projected[cell] = projected;
    if (projected < ss) exceptions.add(r, EXCEPTION_BELOW_SAFETY_STOCK, t, ss - projected, 0);
  }
  // Every value above is bounded by these totals; past 2^53 doubles stop being exact.
  if (requiredTotal > MAX_SAFE || supply > MAX_SAFE || releasedTotal > MAX_SAFE) {
    throw new MrpRangeError(
      m.ids[r],
      `quantities exceed the exact range (${MAX_SAFE} units of 10^-${m.scaleDigits}); reduce the horizon's totals or the decimals`,
    );
  }
}
