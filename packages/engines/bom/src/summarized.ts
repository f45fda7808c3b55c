import { firstCycle } from "./cycles.ts";
import type { Dec } from "./decimal.ts";
import { BomCycleError } from "./errors.ts";
import { type BomSource, type GraphLine, effectiveLines, toGraph } from "./graph.ts";
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
export function summarizedExplosion(
  source: BomSource,
  request: Omit<ExplosionRequest, "maxLevels" | "maxRows">,
): SummarizedExplosion {
  const graph = toGraph(source);
  const { rootQty } = parseRequest(request);
  const { item: root, asOf } = request;

  // Items reachable from the root, each with the number of structure lines leading to it
  // from reachable parents (it is processed once all of them have passed their quantity on).
  const nodes = new Map<string, Node>([[root, { pendingParents: 0, flowing: rootQty, lines: NO_LINES }]]);
  const reachable = [root];
  for (let next = 0; next < reachable.length; next++) {
    const item = reachable[next];
    const lines = effectiveLines(graph.childrenOf(item), asOf);
    (nodes.get(item) as Node).lines = lines;
    for (const line of lines) {
      if (line.byProduct) continue;
      const node = nodes.get(line.component);
      if (node === undefined) {
        nodes.set(line.component, { pendingParents: 1, flowing: null, lines: NO_LINES });
        reachable.push(line.component);
      } else {
        node.pendingParents++;
      }
    }
  }

  // `flowing` is the quantity passed down into an item (what gets exploded); the requirement is the
  // same except for phantoms, which pass their quantity on without being required themselves.
  const requirements = new Totals();
  const byProducts = new Totals();
  const ready = [root];
  for (let next = 0; next < ready.length; next++) {
    const parent = nodes.get(ready[next]) as Node;
    const qty = parent.flowing as Dec;
    for (const line of parent.lines) {
      const lineQty = qty.times(line.factor);
      if (line.byProduct) {
        byProducts.add(line.component, lineQty);
        continue;
      }
      const child = nodes.get(line.component) as Node;
      child.flowing = child.flowing === null ? lineQty : child.flowing.plus(lineQty);
      // As in the explosion: a phantom with effective lines is blown through, one without is required.
      const blownThrough = line.phantom && effectiveLines(line.componentLines, asOf).length > 0;
      if (!blownThrough) requirements.add(line.component, lineQty);
      if (--child.pendingParents === 0) ready.push(line.component);
    }
  }
  if (ready.length < reachable.length) throw new BomCycleError(firstCycle(graph, asOf));
  return { requirements: requirements.list(), byProducts: byProducts.list() };
}

interface Node {
  pendingParents: number;
  flowing: Dec | null;
  /** Effective lines of the item's BOM. */
  lines: readonly GraphLine[];
}

const NO_LINES: readonly GraphLine[] = [];
