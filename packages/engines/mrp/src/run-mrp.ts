/**
 * The MRP run: items are planned one by one in low-level-code order, so when
 * an item is netted all of its parents have exploded their planned orders
 * into its gross requirements. One pass, no re-planning.
 */

import { compileModel } from "./compile.ts";
import { rescheduleMessages } from "./exceptions.ts";
import { explodeOrders } from "./explosion.ts";
import type { CompiledModel } from "./model.ts";
import { createScratch, netItem, type Plan } from "./netting.ts";
import { MrpResult } from "./result.ts";
import { ExceptionTable, OrderTable } from "./tables.ts";
import type { MrpInput } from "./types.ts";

/** Validates and plans; throws MrpInputError on bad input, MrpRangeError on overflow. */
export function runMrp(input: MrpInput): MrpResult {
  return planModel(compileModel(input));
}

/** Plans an already compiled model (lets a benchmark time compilation and planning apart). */
export function planModel(m: CompiledModel): MrpResult {
  const cells = m.itemCount * m.periods;
  const plan: Plan = {
    gross: m.independentDemand.slice(), // parents add dependent requirements here
    projected: new Float64Array(cells),
    net: new Float64Array(cells),
    plannedReceipts: new Float64Array(cells),
    plannedReleases: new Float64Array(cells),
    orders: new OrderTable(Math.ceil(cells / 4)),
    orderStart: new Int32Array(m.itemCount + 1),
    exceptions: new ExceptionTable(),
    eoq: new Float64Array(m.itemCount).fill(-1),
  };
  const scratch = createScratch(plan, m);
  for (let r = 0; r < m.itemCount; r++) {
    const firstOrder = plan.orders.count;
    plan.orderStart[r] = firstOrder;
    netItem(m, r, plan, scratch);
    rescheduleMessages(m, r, plan.gross, plan.exceptions);
    explodeOrders(m, r, plan.orders, firstOrder, plan.gross);
  }
  plan.orderStart[m.itemCount] = plan.orders.count;
  plan.orders.trim();
  return new MrpResult(m, plan);
}
