import { firstCycle } from "./cycles.ts";
import { sumUnits } from "./decimal.ts";
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
 *
 * Items are addressed by their index in graph.items, so the per-item state lives
 * in arrays rather than string-keyed maps.
 */
export function summarizedExplosion(
  source: BomSource,
  request: Omit<ExplosionRequest, "maxLevels" | "maxRows">,
): SummarizedExplosion {
  const graph = toGraph(source);
  const { rootQty } = parseRequest(request);
  const { item: root, asOf } = request;
  const rootLines = effectiveLines(graph.childrenOf(root), asOf);
  if (rootLines.length === 0) return { requirements: [], byProducts: [] };
  const rootIndex = graph.indexOf(root);
  const itemCount = graph.items.length;

  // Items reachable from the root with their effective lines (undefined: not reached), each with
  // the number of structure lines leading to it from reachable parents: it is processed once all
  // of them have passed their quantity on.
  const linesOf = new Array<readonly GraphLine[] | undefined>(itemCount);
  const pendingParents = new Int32Array(itemCount);
  linesOf[rootIndex] = rootLines;
  const reachable = [rootIndex];
  for (let next = 0; next < reachable.length; next++) {
    for (const line of linesOf[reachable[next]] as readonly GraphLine[]) {
      if (line.byProduct) continue;
      const child = line.componentIndex;
      if (linesOf[child] === undefined) {
        linesOf[child] = effectiveLines(line.componentLines, asOf);
        reachable.push(child);
      }
      pendingParents[child]++;
    }
  }

  // The quantity passed down into an item (what gets exploded), as units / 10^scale; the requirement
  // is the same except for phantoms, which pass their quantity on without being required themselves.
  const flowingUnits = new Array<bigint | undefined>(itemCount);
  const flowingScale = new Int32Array(itemCount);
  flowingUnits[rootIndex] = rootQty.units;
  flowingScale[rootIndex] = rootQty.scale;
  const requirements = new Totals(graph);
  const byProducts = new Totals(graph);
  // A line back into the root closes a loop through it: then nothing is ready and the check below reports it.
  const ready = pendingParents[rootIndex] === 0 ? [rootIndex] : [];
  for (let next = 0; next < ready.length; next++) {
    const parent = ready[next];
    const units = flowingUnits[parent] as bigint;
    const scale = flowingScale[parent];
    for (const line of linesOf[parent] as readonly GraphLine[]) {
      const lineUnits = units * line.factor.units;
      const lineScale = scale + line.factor.scale;
      if (line.byProduct) {
        byProducts.add(line.componentIndex, lineUnits, lineScale);
        continue;
      }
      const child = line.componentIndex;
      const flowing = flowingUnits[child];
      if (flowing === undefined) {
        flowingUnits[child] = lineUnits;
        flowingScale[child] = lineScale;
      } else {
        flowingUnits[child] = sumUnits(flowing, flowingScale[child], lineUnits, lineScale);
        flowingScale[child] = Math.max(flowingScale[child], lineScale);
      }
      // As in the explosion: a phantom with effective lines is blown through, one without is required.
      const blownThrough = line.phantom && (linesOf[child] as readonly GraphLine[]).length > 0;
      if (!blownThrough) requirements.add(child, lineUnits, lineScale);
      if (--pendingParents[child] === 0) ready.push(child);
    }
  }
  if (ready.length < reachable.length) throw new BomCycleError(firstCycle(graph, asOf));
  return { requirements: requirements.list(), byProducts: byProducts.list() };
}
