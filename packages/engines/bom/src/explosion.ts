import { type Dec, formatQty, parseDecimal } from "./decimal.ts";
import { BomCycleError, BomInputError, TooManyRowsError } from "./errors.ts";
import { type BomSource, type GraphLine, checkDate, effectiveLines, toGraph } from "./graph.ts";
import { Totals } from "./totals.ts";
import type { Explosion, ExplosionRequest, ExplosionRow } from "./types.ts";

const DEFAULT_MAX_ROWS = 1_000_000;

/**
 * Lines waiting to be expanded, depth first. Parallel arrays rather than one
 * object per line: a 50,000-line explosion pushes 50,000 entries, and fewer
 * short-lived objects means less garbage collection.
 */
class PendingStack {
  readonly lines: GraphLine[] = [];
  /** Extended quantity of the line's parent. */
  readonly parentQty: Dec[] = [];
  readonly level: number[] = [];
  /** Items from the root down to the line's parent. */
  readonly parentPath: string[][] = [];
  readonly viaPhantom: boolean[] = [];

  get size(): number {
    return this.lines.length;
  }

  /** Pushes the lines in reverse so they come off the stack in line order. */
  pushAll(lines: readonly GraphLine[], parentQty: Dec, level: number, parentPath: string[], viaPhantom: boolean): void {
    for (let i = lines.length - 1; i >= 0; i--) {
      this.lines.push(lines[i]);
      this.parentQty.push(parentQty);
      this.level.push(level);
      this.parentPath.push(parentPath);
      this.viaPhantom.push(viaPhantom);
    }
  }

  /** Drops the top entry (read it first through the arrays' last elements). */
  pop(): void {
    this.lines.pop();
    this.parentQty.pop();
    this.level.pop();
    this.parentPath.pop();
    this.viaPhantom.pop();
  }
}

/**
 * Indented (multi-level) explosion of `qty` of `item` with the lines effective
 * on `asOf`: depth first, components in line order. Phantoms are blown through:
 * their components appear at the phantom's level and the phantom itself is not a
 * requirement (unless it has no effective components, then it stays, so demand
 * is not lost). By-products are listed with their output and not exploded.
 *
 * Iterative with an explicit stack, lines indexed by parent once: a deep BOM
 * cannot overflow the call stack and every row costs one multiplication.
 */
export function explodeMultiLevel(source: BomSource, request: ExplosionRequest): Explosion {
  const graph = toGraph(source);
  const { rootQty, maxLevels, maxRows } = parseRequest(request);
  const asOf = request.asOf;
  const rows: ExplosionRow[] = [];
  const requirements = new Totals();
  const byProducts = new Totals();

  const stack = new PendingStack();
  stack.pushAll(effectiveLines(graph.childrenOf(request.item), asOf), rootQty, 1, [request.item], false);

  while (stack.size > 0) {
    const top = stack.size - 1;
    const line = stack.lines[top];
    const level = stack.level[top];
    const parentPath = stack.parentPath[top];
    const viaPhantom = stack.viaPhantom[top];
    const extendedQty = stack.parentQty[top].times(line.factor);
    stack.pop();

    const path = extendPath(parentPath, line.component);
    if (line.byProduct) {
      const row = toRow(line, level, path, extendedQty, viaPhantom, false);
      rows.push(row);
      byProducts.add(line.component, extendedQty, row.extendedQty);
    } else {
      if (parentPath.includes(line.component)) {
        throw new BomCycleError([...parentPath.slice(parentPath.indexOf(line.component)), line.component]);
      }
      const children = effectiveLines(line.componentLines, asOf);
      const blownThrough = line.phantom && children.length > 0;
      if (blownThrough) {
        stack.pushAll(children, extendedQty, level, path, true);
      } else {
        const row = toRow(line, level, path, extendedQty, viaPhantom, children.length > 0);
        rows.push(row);
        requirements.add(line.component, extendedQty, row.extendedQty);
        if (level < maxLevels) stack.pushAll(children, extendedQty, level + 1, path, false);
      }
    }
    if (rows.length > maxRows) throw new TooManyRowsError(maxRows);
  }
  return { rows, requirements: requirements.list(), byProducts: byProducts.list() };
}

/** Direct components only (phantoms still blown through, so their components show at level 1). */
export function explodeSingleLevel(source: BomSource, request: Omit<ExplosionRequest, "maxLevels">): Explosion {
  return explodeMultiLevel(source, { ...request, maxLevels: 1 });
}

const invalid = (message: string) => new BomInputError(message);

/** parentPath + item as a new array, allocated at its final size. */
function extendPath(parentPath: readonly string[], item: string): string[] {
  const length = parentPath.length;
  const path = new Array<string>(length + 1);
  for (let i = 0; i < length; i++) path[i] = parentPath[i];
  path[length] = item;
  return path;
}

export function parseRequest(request: ExplosionRequest): { rootQty: Dec; maxLevels: number; maxRows: number } {
  if (typeof request.item !== "string" || request.item === "") throw invalid("item must be a non-empty string");
  checkDate(request.asOf, "asOf");
  const rootQty = parseDecimal(request.qty, "qty", invalid);
  if (!rootQty.gt(0)) throw invalid("qty must be greater than 0");
  const maxLevels = request.maxLevels ?? Number.POSITIVE_INFINITY;
  if (!(maxLevels >= 1)) throw invalid("maxLevels must be at least 1");
  const maxRows = request.maxRows ?? DEFAULT_MAX_ROWS;
  if (!(maxRows >= 0)) throw invalid("maxRows must not be negative");
  return { rootQty, maxLevels, maxRows };
}

function toRow(
  line: GraphLine,
  level: number,
  path: string[],
  extendedQty: Dec,
  viaPhantom: boolean,
  hasComponents: boolean,
): ExplosionRow {
  const row: ExplosionRow = {
    level,
    path,
    parent: line.parent,
    component: line.component,
    qtyPer: line.qtyPerText,
    scrapPct: line.scrapPctText,
    extendedQty: formatQty(extendedQty),
    byProduct: line.byProduct,
    viaPhantom,
    hasComponents,
  };
  if (line.id !== undefined) row.lineId = line.id;
  return row;
}
