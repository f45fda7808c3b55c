import { ONE, type Scaled, formatQty, times } from "./decimal.ts";
import { BomCycleError, TooManyRowsError } from "./errors.ts";
import { type BomGraph, type BomSource, type GraphLine, checkDate, structureLines, toGraph } from "./graph.ts";
import type { WhereUsedOptions, WhereUsedRow } from "./types.ts";

const DEFAULT_MAX_ROWS = 1_000_000;

/** Direct parents of the component (by-product lines excluded). */
export function whereUsedSingleLevel(source: BomSource, component: string, options: WhereUsedOptions = {}): WhereUsedRow[] {
  return whereUsedUpTo(toGraph(source), component, options, 1);
}

/**
 * Every item that uses the component, directly or through sub-assemblies, one
 * row per path (depth first, from the component upwards), with the quantity of
 * the component in one unit of that ancestor. Iterative, like the explosion.
 */
export function whereUsed(source: BomSource, component: string, options: WhereUsedOptions = {}): WhereUsedRow[] {
  return whereUsedUpTo(toGraph(source), component, options, Number.POSITIVE_INFINITY);
}

interface Pending {
  line: GraphLine;
  level: number;
  /** From the component up to the line's component. */
  childPath: string[];
  /** Quantity of the original component in one unit of the line's component. */
  childQty: Scaled;
}

function whereUsedUpTo(graph: BomGraph, component: string, options: WhereUsedOptions, maxLevels: number): WhereUsedRow[] {
  const { asOf } = options;
  if (asOf !== undefined) checkDate(asOf, "asOf");
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const usedBy = (item: string) => structureLines(graph.parentsOf(item), asOf);
  const rows: WhereUsedRow[] = [];
  const stack: Pending[] = [];
  const pushParents = (item: string, level: number, childPath: string[], childQty: Scaled) => {
    const lines = usedBy(item);
    for (let i = lines.length - 1; i >= 0; i--) stack.push({ line: lines[i], level, childPath, childQty });
  };
  pushParents(component, 1, [component], ONE);

  while (stack.length > 0) {
    const { line, level, childPath, childQty } = stack.pop() as Pending;
    if (childPath.includes(line.parent)) {
      // childPath runs upwards; read downwards from the repeated item: it uses the top of the path, … which uses it.
      const loop = childPath.slice(childPath.indexOf(line.parent)).reverse();
      throw new BomCycleError([line.parent, ...loop]);
    }
    const path = [...childPath, line.parent];
    const qty = times(childQty, line.factor);
    const row: WhereUsedRow = {
      level,
      parent: line.parent,
      path,
      qtyPer: line.qtyPerText,
      scrapPct: line.scrapPctText,
      phantom: line.phantom,
      extendedQty: formatQty(qty),
      topLevel: usedBy(line.parent).length === 0,
    };
    if (line.id !== undefined) row.lineId = line.id;
    rows.push(row);
    if (rows.length > maxRows) throw new TooManyRowsError(maxRows);
    if (level < maxLevels) pushParents(line.parent, level + 1, path, qty);
  }
  return rows;
}
