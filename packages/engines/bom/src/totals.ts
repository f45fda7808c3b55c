import { type Dec, formatQty } from "./decimal.ts";
import type { ComponentTotal } from "./types.ts";

/** Accumulates quantities per item and lists them sorted by item. */
export class Totals {
  private readonly byItem = new Map<string, Dec>();

  add(item: string, qty: Dec): void {
    const current = this.byItem.get(item);
    this.byItem.set(item, current === undefined ? qty : current.plus(qty));
  }

  list(): ComponentTotal[] {
    return [...this.byItem]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([component, qty]) => ({ component, qty: formatQty(qty) }));
  }
}
