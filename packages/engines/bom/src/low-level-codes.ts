import { firstCycle } from "./cycles.ts";
import { BomCycleError } from "./errors.ts";
import { type BomSource, checkDate, structureLines, toGraph } from "./graph.ts";
import type { StructureOptions } from "./types.ts";

/**
 * Low-level code of every item: 0 for end items (used by nothing), otherwise the
 * deepest level at which it appears in any BOM. MRP nets items in increasing
 * low-level code so all gross requirements of an item are known first.
 *
 * Kahn's algorithm over the structure lines (by-products excluded; without
 * `asOf`, lines of all dates). Throws BomCycleError on a loop. The map is ordered
 * by code, then item.
 */
export function lowLevelCodes(source: BomSource, options: StructureOptions = {}): Map<string, number> {
  const graph = toGraph(source);
  const { asOf } = options;
  if (asOf !== undefined) checkDate(asOf, "asOf");
  const pendingParents = new Map<string, number>();
  for (const item of graph.items) pendingParents.set(item, 0);
  for (const item of graph.items) {
    for (const line of structureLines(graph.childrenOf(item), asOf)) {
      pendingParents.set(line.component, (pendingParents.get(line.component) as number) + 1);
    }
  }
  const codes = new Map<string, number>();
  const ready: string[] = [];
  for (const [item, count] of pendingParents) {
    if (count === 0) {
      ready.push(item);
      codes.set(item, 0);
    }
  }
  for (let next = 0; next < ready.length; next++) {
    const item = ready[next];
    const code = codes.get(item) as number;
    for (const line of structureLines(graph.childrenOf(item), asOf)) {
      const child = line.component;
      codes.set(child, Math.max(codes.get(child) ?? 0, code + 1));
      const left = (pendingParents.get(child) as number) - 1;
      pendingParents.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (ready.length < graph.items.length) throw new BomCycleError(firstCycle(graph, asOf));
  const sorted = [...codes].sort(([itemA, codeA], [itemB, codeB]) => codeA - codeB || (itemA < itemB ? -1 : 1));
  return new Map(sorted);
}
