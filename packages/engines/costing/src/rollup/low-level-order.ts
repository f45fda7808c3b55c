import { CostingError } from "../errors.ts";

interface Edge {
  parent: string;
  component: string;
}

/**
 * Low-level code of every item in the edges: 0 for items nobody uses, otherwise
 * one more than its deepest parent. Kahn's algorithm, no recursion.
 * Throws BOM_CYCLE naming the loop ("A → B → A") if the structure has one.
 *
 * (The bom engine has a fuller version; costing keeps its own so the two
 * packages stay independent.)
 */
export function lowLevelCodes(edges: readonly Edge[]): Map<string, number> {
  const children = new Map<string, string[]>();
  const parents = new Map<string, string[]>();
  const pendingParents = new Map<string, number>();
  for (const item of itemsOf(edges)) {
    children.set(item, []);
    parents.set(item, []);
    pendingParents.set(item, 0);
  }
  for (const { parent, component } of edges) {
    children.get(parent)?.push(component);
    parents.get(component)?.push(parent);
    pendingParents.set(component, (pendingParents.get(component) ?? 0) + 1);
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
    const code = codes.get(item) ?? 0;
    for (const child of children.get(item) ?? []) {
      codes.set(child, Math.max(codes.get(child) ?? 0, code + 1));
      const left = (pendingParents.get(child) ?? 0) - 1;
      pendingParents.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (ready.length < pendingParents.size) {
    const stuck = [...pendingParents].filter(([, count]) => count > 0).map(([item]) => item);
    const cycle = findCycle(stuck, parents, pendingParents);
    throw new CostingError("BOM_CYCLE", `BOM cycle: ${cycle.join(" → ")}`);
  }
  return codes;
}

function itemsOf(edges: readonly Edge[]): Set<string> {
  const items = new Set<string>();
  for (const { parent, component } of edges) {
    items.add(parent);
    items.add(component);
  }
  return items;
}

/**
 * Every item left with pending parents has one of them among the stuck items,
 * so walking up from any stuck item must come back to an item already seen.
 */
function findCycle(stuck: string[], parents: Map<string, string[]>, pending: Map<string, number>): string[] {
  const seenAt = new Map<string, number>();
  const walk: string[] = [];
  let item = stuck[0];
  while (!seenAt.has(item)) {
    seenAt.set(item, walk.length);
    walk.push(item);
    item = (parents.get(item) ?? []).find((parent) => (pending.get(parent) ?? 0) > 0) as string;
  }
  // walk goes child → parent; print parent → child, closing the loop.
  const loop = walk.slice(seenAt.get(item)).reverse();
  return [...loop, loop[0]];
}
