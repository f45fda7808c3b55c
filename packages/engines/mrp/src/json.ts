/** The JSON document of a run (what `npx kaiwu mrp --output` writes). */
import type { MrpResult } from "./result.ts";
import type { MrpItemJson, MrpOutputJson } from "./types.ts";

export interface MrpJsonOptions {
  /**
   * How much pegging to materialize. "full" (default): planned orders and
   * dependent requirements; "orders": planned orders only (dependent
   * requirements are listed with an empty pegging, their parent order's
   * pegging says the same in the parent's unit); "none": no pegging at all
   * (empty lists). Pegging dominates the size of the document for large
   * multi-level plans.
   */
  pegging?: "full" | "orders" | "none";
}

/**
 * Materializes the whole result as plain JSON-ready data: items by low-level
 * code then id, planned orders in the same item order and by receipt period,
 * exceptions by item, period, type.
 */
export function mrpResultToJson(result: MrpResult, options: MrpJsonOptions = {}): MrpOutputJson {
  const pegging = options.pegging ?? "full";
  const items: MrpItemJson[] = result.itemIds.map((id, rank) => ({
    ...result.itemAt(rank),
    dependentRequirements: result
      .dependentRequirements(id, pegging === "full")
      .map(({ item: _item, ...rest }) => rest),
  }));
  return {
    periods: result.periods,
    items,
    plannedOrders: result.plannedOrders(undefined, pegging !== "none"),
    exceptions: result.exceptions(),
  };
}
