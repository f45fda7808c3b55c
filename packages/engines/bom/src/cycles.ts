import { BomCycleError, formatCyclePath } from "./errors.ts";
import { type BomGraph, type BomSource, checkDate, structureLines, toGraph } from "./graph.ts";
import type { BomCycle, StructureOptions } from "./types.ts";

/**
 * Every cycle in the structure, one per strongly connected group of items
 * (Tarjan's algorithm, iterative). Each is reported as the shortest loop through
 * the group's smallest item id, e.g. "A → B → C → A". By-product lines are not
 * part of the structure. Without `asOf` all lines count whatever their dates,
 * which is stricter than necessary but catches loops before they become effective.
 */
export function findCycles(source: BomSource, options: StructureOptions = {}): BomCycle[] {
  const graph = toGraph(source);
  if (options.asOf !== undefined) checkDate(options.asOf, "asOf");
  const successors = (item: string) => structureLines(graph.childrenOf(item), options.asOf).map((line) => line.component);
  const cycles: BomCycle[] = [];
  for (const group of stronglyConnectedGroups(graph.items, successors)) {
    const start = [...group].sort()[0];
    const members = new Set(group);
    if (group.length === 1 && !successors(start).includes(start)) continue;
    const items = shortestLoop(start, (item) => successors(item).filter((next) => members.has(next)));
    cycles.push({ items, text: formatCyclePath(items) });
  }
  return cycles.sort((a, b) => (a.items[0] < b.items[0] ? -1 : a.items[0] > b.items[0] ? 1 : 0));
}

/** Throws BomCycleError for the first cycle, if any. */
export function assertNoCycle(source: BomSource, options: StructureOptions = {}): void {
  const [first] = findCycles(source, options);
  if (first !== undefined) throw new BomCycleError(first.items);
}

/**
 * Would saving this line close a loop? Checks whether `parent` can already be
 * reached from `component` (over all existing lines, any date) and returns the
 * loop it would create, e.g. parent → component → … → parent; null if safe.
 */
export function wouldCreateCycle(
  source: BomSource,
  line: { parent: string; component: string; byProduct?: boolean },
): BomCycle | null {
  if (line.byProduct === true) return null;
  const graph = toGraph(source);
  if (line.parent === line.component) return cycleOf([line.parent, line.parent]);
  const path = shortestPath(line.component, line.parent, (item) =>
    structureLines(graph.childrenOf(item), undefined).map((next) => next.component),
  );
  return path === null ? null : cycleOf([line.parent, ...path]);
}

function cycleOf(items: string[]): BomCycle {
  return { items, text: formatCyclePath(items) };
}

/** Breadth-first search; the path from `from` to `to` inclusive, or null. */
function shortestPath(from: string, to: string, successors: (item: string) => string[]): string[] | null {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let next = 0; next < queue.length; next++) {
    const item = queue[next];
    if (item === to) {
      const path: string[] = [];
      for (let at: string | null = item; at !== null; at = cameFrom.get(at) ?? null) path.push(at);
      return path.reverse();
    }
    for (const successor of successors(item)) {
      if (!cameFrom.has(successor)) {
        cameFrom.set(successor, item);
        queue.push(successor);
      }
    }
  }
  return null;
}

/** Shortest closed loop start → … → start (start must be on a cycle). */
function shortestLoop(start: string, successors: (item: string) => string[]): string[] {
  if (successors(start).includes(start)) return [start, start];
  let best: string[] | null = null;
  for (const next of successors(start)) {
    const path = shortestPath(next, start, successors);
    if (path !== null && (best === null || path.length < best.length)) best = path;
  }
  return [start, ...(best as string[])];
}

/** Tarjan's strongly connected components without recursion (deep BOMs must not overflow the stack). */
function stronglyConnectedGroups(items: readonly string[], successors: (item: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;

  for (const root of items) {
    if (index.has(root)) continue;
    const calls: { item: string; next: string[]; position: number }[] = [];
    const enter = (item: string) => {
      index.set(item, counter);
      lowLink.set(item, counter);
      counter++;
      stack.push(item);
      onStack.add(item);
      calls.push({ item, next: successors(item), position: 0 });
    };
    enter(root);
    while (calls.length > 0) {
      const call = calls[calls.length - 1];
      if (call.position < call.next.length) {
        const successor = call.next[call.position++];
        if (!index.has(successor)) enter(successor);
        else if (onStack.has(successor)) {
          lowLink.set(call.item, Math.min(lowLink.get(call.item) as number, index.get(successor) as number));
        }
        continue;
      }
      calls.pop();
      if (lowLink.get(call.item) === index.get(call.item)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== call.item);
        groups.push(group);
      }
      const caller = calls[calls.length - 1];
      if (caller !== undefined) {
        lowLink.set(caller.item, Math.min(lowLink.get(caller.item) as number, lowLink.get(call.item) as number));
      }
    }
  }
  return groups;
}

/** For callers whose topological sort got stuck: the cycle to report. */
export function firstCycle(graph: BomGraph, asOf: string | undefined): string[] {
  const [first] = findCycles(graph, { asOf });
  if (first === undefined) throw new Error("internal: no cycle found in a stuck structure");
  return first.items;
}
