import { type Dec, formatQty } from "./decimal.ts";
import type { ComponentTotal } from "./types.ts";

/**
 * Accumulates quantities per item and lists them sorted by item. Most items of
 * an explosion occur once, so the caller may hand over the quantity already
 * formatted; it is reused unless a second occurrence changes the total.
 */
export class Totals {
  private readonly byItem = new Map<string, { qty: Dec; text: string | null }>();

  add(item: string, qty: Dec, text: string | null = null): void {
    const total = this.byItem.get(item);
    if (total === undefined) {
      this.byItem.set(item, { qty, text });
    } else {
      total.qty = total.qty.plus(qty);
      total.text = null;
    }
  }

  list(): ComponentTotal[] {
    // Default sort compares UTF-16 code units, like `<` on strings: the same order in every locale.
    const items = [...this.byItem.keys()].sort();
    const list: ComponentTotal[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const total = this.byItem.get(items[i]) as { qty: Dec; text: string | null };
      list[i] = { component: items[i], qty: total.text ?? formatQty(total.qty) };
    }
    return list;
  }
}
