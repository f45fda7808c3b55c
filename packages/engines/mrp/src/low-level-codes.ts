/**
 * Low-level codes: the deepest level at which an item appears in any BOM
 * (end items 0). Planning items in low-level-code order means every parent
 * is planned before any of its components, so each item is netted once,
 * after all of its gross requirements are known.
 */
import { MrpInputError } from "./errors.ts";

/**
 * Computes low-level codes with Kahn's topological sort over BOM edges
 * parent -> component (`parents[k]`, `components[k]` are item indices).
 * Throws MrpInputError naming a cycle, e.g. "A → B → C → A".
 */
export function computeLowLevelCodes(
  itemCount: number,
  parents: Int32Array,
  components: Int32Array,
  ids: readonly string[],
): Int32Array {
  const edgeCount = parents.length;
  const childStart = new Int32Array(itemCount + 1);
  const inDegree = new Int32Array(itemCount);
  for (let e = 0; e < edgeCount; e++) {
    childStart[parents[e] + 1]++;
    inDegree[components[e]]++;
  }
  for (let i = 0; i < itemCount; i++) childStart[i + 1] += childStart[i];
  const children = new Int32Array(edgeCount);
  const fill = childStart.slice(0, itemCount);
  for (let e = 0; e < edgeCount; e++) children[fill[parents[e]]++] = components[e];

  const llc = new Int32Array(itemCount);
  const queue = new Int32Array(itemCount);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < itemCount; i++) if (inDegree[i] === 0) queue[tail++] = i;
  while (head < tail) {
    const parent = queue[head++];
    const childLevel = llc[parent] + 1;
    for (let k = childStart[parent]; k < childStart[parent + 1]; k++) {
      const child = children[k];
      if (llc[child] < childLevel) llc[child] = childLevel;
      if (--inDegree[child] === 0) queue[tail++] = child;
    }
  }
  if (tail < itemCount) throw cycleError(itemCount, parents, components, ids, inDegree);
  return llc;
}

/**
 * Items left with a positive in-degree all have a parent that is left too,
 * so walking parents from any of them must revisit an item: that loop is a
 * cycle. Starting from the smallest id and following the smallest-id parent
 * makes the reported cycle deterministic.
 */
function cycleError(
  itemCount: number,
  parents: Int32Array,
  components: Int32Array,
  ids: readonly string[],
  inDegree: Int32Array,
): MrpInputError {
  const left = (i: number) => inDegree[i] > 0;
  const bestParent = new Int32Array(itemCount).fill(-1);
  for (let e = 0; e < parents.length; e++) {
    const p = parents[e];
    const c = components[e];
    if (!left(p) || !left(c)) continue;
    if (bestParent[c] < 0 || ids[p] < ids[bestParent[c]]) bestParent[c] = p;
  }
  let start = -1;
  for (let i = 0; i < itemCount; i++) if (left(i) && (start < 0 || ids[i] < ids[start])) start = i;
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  let node = start;
  while (!seenAt.has(node)) {
    seenAt.set(node, walk.length);
    walk.push(node);
    node = bestParent[node];
  }
  // walk goes child -> parent; the loop is walk[seenAt(node)..], reversed to read parent -> component
  const loop = walk.slice(seenAt.get(node)).reverse();
  let first = 0;
  for (let k = 1; k < loop.length; k++) if (ids[loop[k]] < ids[loop[first]]) first = k;
  const rotated = [...loop.slice(first), ...loop.slice(0, first)].map((i) => ids[i]);
  const cycle = [...rotated, rotated[0]];
  return new MrpInputError("bom", `BOM cycle: ${cycle.join(" → ")}`, cycle);
}
