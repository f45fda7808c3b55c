import { formatUnits, sumUnits } from "./decimal.ts";
import type { BomGraph } from "./graph.ts";
import type { ComponentTotal } from "./types.ts";

/**
 * Accumulates quantities per item of a graph and lists them sorted by item.
 * Items are addressed by their index in graph.items (GraphLine.componentIndex),
 * so adding is array access rather than a string-keyed map, and listing reuses
 * the graph's text order instead of sorting item names.
 *
 * Most items of an explosion occur once, so the caller may hand over the
 * quantity already formatted; it is reused unless a second occurrence changes the total.
 */
export class Totals {
  /** Per item index: 1 + its entry below, 0 while the item has no total. */
  private readonly entryOf: Int32Array;
  /** Entries in order of first occurrence, as parallel arrays (no object per item). */
  private readonly itemIndexes: number[] = [];
  private readonly units: bigint[] = [];
  private readonly scales: number[] = [];
  private readonly texts: (string | null)[] = [];

  constructor(private readonly graph: BomGraph) {
    this.entryOf = new Int32Array(graph.items.length);
  }

  /** Adds units / 10^scale to the item's total. */
  add(itemIndex: number, units: bigint, scale: number, text: string | null = null): void {
    const entry = this.entryOf[itemIndex] - 1;
    if (entry < 0) {
      this.entryOf[itemIndex] = this.itemIndexes.push(itemIndex);
      this.units.push(units);
      this.scales.push(scale);
      this.texts.push(text);
    } else {
      this.units[entry] = sumUnits(this.units[entry], this.scales[entry], units, scale);
      this.scales[entry] = Math.max(this.scales[entry], scale);
      this.texts[entry] = null;
    }
  }

  list(): ComponentTotal[] {
    const { items } = this.graph;
    const list: ComponentTotal[] = new Array(this.itemIndexes.length);
    let next = 0;
    // Walking all items in text order beats sorting when most items have a total; otherwise sort the few.
    const order =
      this.itemIndexes.length * 8 > items.length
        ? this.graph.itemsInTextOrder()
        : this.graph.indexesInTextOrder(this.itemIndexes.map((index) => items[index]));
    for (let i = 0; i < order.length; i++) {
      const entry = this.entryOf[order[i]] - 1;
      if (entry < 0) continue;
      list[next++] = { component: items[order[i]], qty: this.texts[entry] ?? formatUnits(this.units[entry], this.scales[entry]) };
    }
    return list;
  }
}
