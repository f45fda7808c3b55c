import { firstCycle } from "./cycles.ts";
import type { Dec } from "./decimal.ts";
import { BomCycleError } from "./errors.ts";
import { type BomSource, effectiveLines, structureLines, toGraph } from "./graph.ts";
import { parseRequest } from "./explosion.ts";
import { Totals } from "./totals.ts";
import type { ExplosionRequest, SummarizedExplosion } from "./types.ts";

/**
 * Total requirement per component for `qty` of `item` on `asOf`, without listing
 * every path: items are visited once each in topological order (every parent
 * before its components) and pass their total quantity down, as MRP does by
 * low-level code. Same totals as `explodeMultiLevel`, but linear in the number of
 * lines even when sub-assemblies are shared by many parents.
 */
export function summarizedExplosion(source: BomSource, request: Omit<ExplosionRequest, "maxLevels" | "maxRows">): SummarizedExplosion {
  const graph = toGraph(source);
  const { rootQty } = parseRequest(request);
  const { item: root, asOf } = request;
  const structure = (item: string) => structureLines(graph.childrenOf(item), asOf);

  // Items reachable from the root, and how many structure lines lead to each from reachable parents.
  const pendingParents = new Map<string, number>([[root, 0]]);
  const reachable = [root];
  for (let next = 0; next < reachable.length; next++) {
    for (const line of structure(reachable[next])) {
      const count = pendingParents.get(line.component);
      if (count === undefined) reachable.push(line.component);
      pendingParents.set(line.component, (count ?? 0) + 1);
    }
  }

  // Quantity flowing into each item (what gets exploded) vs. quantity required as a component:
  // they differ only for phantoms, which pass their quantity on without being required.
  const flowing = new Map<string, Dec>([[root, rootQty]]);
  const requirements = new Totals();
  const byProducts = new Totals();
  const ready = [root];
  for (let next = 0; next < ready.length; next++) {
    const item = ready[next];
    const qty = flowing.get(item) as Dec;
    for (const line of effectiveLines(graph.childrenOf(item), asOf)) {
      const lineQty = qty.times(line.factor);
      if (line.byProduct) {
        byProducts.add(line.component, lineQty);
        continue;
      }
      const child = line.component;
      const current = flowing.get(child);
      flowing.set(child, current === undefined ? lineQty : current.plus(lineQty));
      // As in the explosion: a phantom with effective lines is blown through, one without is required.
      const blownThrough = line.phantom && effectiveLines(graph.childrenOf(child), asOf).length > 0;
      if (!blownThrough) requirements.add(child, lineQty);
      const left = (pendingParents.get(child) as number) - 1;
      pendingParents.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (ready.length < reachable.length) throw new BomCycleError(firstCycle(graph, asOf));
  return { requirements: requirements.list(), byProducts: byProducts.list() };
}
