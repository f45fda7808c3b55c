/**
 * Exception (action) messages.
 *
 * Reschedule messages compare each scheduled receipt's due period with the
 * period it is first needed in, computed first-in-first-out against on hand
 * and the scheduled receipts alone (planned orders are not counted: they are
 * the planner's to change, open orders are the ones to expedite or defer):
 *   need(k) = first period t where allocated + safety stock + gross(1..t)
 *             exceeds on hand + the receipts before k (by due period, qty).
 *   need < due -> expedite, need > due -> defer, never needed -> cancel.
 * Past-due and below-safety-stock messages are raised by netting.ts.
 */
import { formatScaled } from "./decimal.ts";
import type { CompiledModel } from "./model.ts";
import {
  EXCEPTION_BELOW_SAFETY_STOCK,
  EXCEPTION_CANCEL,
  EXCEPTION_DEFER,
  EXCEPTION_EXPEDITE,
  EXCEPTION_PAST_DUE,
  type ExceptionTable,
} from "./tables.ts";
import type { MrpException, MrpExceptionType } from "./types.ts";

export function rescheduleMessages(m: CompiledModel, r: number, gross: Float64Array, out: ExceptionTable): void {
  const first = m.receiptStart[r];
  const end = m.receiptStart[r + 1];
  if (first === end) return;
  const periods = m.periods;
  const base = r * periods;
  let covered = m.onHand[r];
  let t = 0;
  let required = m.allocated[r] + m.safetyStock[r] + gross[base];
  for (let k = first; k < end; k++) {
    const qty = m.receiptQty[k];
    if (qty === 0) continue;
    while (t < periods && required <= covered) {
      t++;
      if (t < periods) required += gross[base + t];
    }
    const due = m.receiptPeriod[k];
    if (t >= periods) out.add(r, EXCEPTION_CANCEL, due, qty, -1);
    else if (t < due) out.add(r, EXCEPTION_EXPEDITE, due, qty, t);
    else if (t > due) out.add(r, EXCEPTION_DEFER, due, qty, t);
    covered += qty;
  }
}

const TYPE_NAMES: readonly MrpExceptionType[] = ["expedite", "defer", "cancel", "past-due", "below-safety-stock"];

/** Builds the public message for exception row `k`. */
export function describeException(m: CompiledModel, table: ExceptionTable, k: number): MrpException {
  const r = table.item[k];
  const type = TYPE_NAMES[table.type[k]];
  const period = table.period[k] + 1;
  const qty = formatScaled(table.qty[k], m.scaleDigits);
  const item = m.ids[r];
  const aux = table.aux[k] + 1;
  switch (table.type[k]) {
    case EXCEPTION_EXPEDITE:
      return {
        item, type, period, quantity: qty, rescheduleTo: aux,
        message: `Scheduled receipt of ${qty} ${item} due in period ${period} is needed in period ${aux}: expedite it to period ${aux}.`,
      };
    case EXCEPTION_DEFER:
      return {
        item, type, period, quantity: qty, rescheduleTo: aux,
        message: `Scheduled receipt of ${qty} ${item} due in period ${period} is not needed until period ${aux}: defer it to period ${aux}.`,
      };
    case EXCEPTION_CANCEL:
      return {
        item, type, period, quantity: qty,
        message: `Scheduled receipt of ${qty} ${item} due in period ${period} is not needed within the horizon: cancel it.`,
      };
    case EXCEPTION_PAST_DUE:
      return {
        item, type, period, quantity: qty, releasePeriod: aux,
        message: `${qty} ${item} needed in period ${period} would have to be released in period ${aux}, before period 1: past due (covered at the earliest in period ${m.leadTime[r] + 1}).`,
      };
    default: {
      const ss = formatScaled(m.safetyStock[r], m.scaleDigits);
      const projected = formatScaled(m.safetyStock[r] - table.qty[k], m.scaleDigits);
      return {
        item, type: TYPE_NAMES[EXCEPTION_BELOW_SAFETY_STOCK], period, quantity: qty,
        message: `Projected on hand of ${item} at the end of period ${period} is ${projected}, ${qty} below safety stock ${ss}.`,
      };
    }
  }
}
