/** The JSON document of a run (what `npx kaiwu mrp --output` writes). */
import type { MrpResult } from "./result.ts";
import type { MrpItemJson, MrpOutputJson } from "./types.ts";

/**
 * Materializes the whole result, pegging included, as plain JSON-ready
 * data: items by low-level code then id, planned orders in the same item
 * order and by receipt period, exceptions by item, period, type.
 */
export function mrpResultToJson(result: MrpResult): MrpOutputJson {
  const items: MrpItemJson[] = result.itemIds.map((id, rank) => ({
    ...result.itemAt(rank),
    dependentRequirements: result.dependentRequirements(id).map(({ item: _item, ...rest }) => rest),
  }));
  return {
    periods: result.periods,
    items,
    plannedOrders: result.plannedOrders(),
    exceptions: result.exceptions(),
  };
}
