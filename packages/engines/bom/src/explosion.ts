import { type Scaled, formatUnits, parseDecimal } from "./decimal.ts";
import { BomCycleError, BomInputError, TooManyRowsError } from "./errors.ts";
import { type BomSource, type GraphLine, checkDate, effectiveLines, toGraph } from "./graph.ts";
import { Totals } from "./totals.ts";
import type { Explosion, ExplosionRequest, ExplosionRow } from "./types.ts";

const DEFAULT_MAX_ROWS = 1_000_000;

/**
 * The open items of the depth-first walk: the root, then each sub-assembly or
 * phantom on the current path, each with its effective lines and the next one to
 * take. Kept in parallel arrays indexed by depth and reused, so the walk itself
 * allocates nothing per line; an item is marked while open, which makes the cycle
 * check per row a lookup rather than a scan of the path.
 */
class OpenItems {
  /** Number of open items; the innermost is at depth - 1. */
  depth = 0;
  readonly lines: (readonly GraphLine[])[] = [];
  readonly nextLine: number[] = [];
  /** Extended quantity of the open item, as units / 10^scale. */
  readonly units: bigint[] = [];
  readonly scale: number[] = [];
  /** Level of the rows for its lines (a phantom's lines keep the phantom's level). */
  readonly rowLevel: number[] = [];
  /** Items from the root down to the open item. */
  readonly path: string[][] = [];
  readonly isPhantom: boolean[] = [];
  private readonly itemIndex: number[] = [];
  private readonly isOpen: Uint8Array;

  constructor(itemCount: number) {
    this.isOpen = new Uint8Array(itemCount);
  }

  open(itemIndex: number, lines: readonly GraphLine[], units: bigint, scale: number, rowLevel: number, path: string[], isPhantom: boolean): void {
    const at = this.depth++;
    this.itemIndex[at] = itemIndex;
    this.lines[at] = lines;
    this.nextLine[at] = 0;
    this.units[at] = units;
    this.scale[at] = scale;
    this.rowLevel[at] = rowLevel;
    this.path[at] = path;
    this.isPhantom[at] = isPhantom;
    this.isOpen[itemIndex] = 1;
  }

  /** Closes the innermost item (all its lines are done). */
  close(): void {
    this.depth--;
    this.isOpen[this.itemIndex[this.depth]] = 0;
  }

  /** Is the item on the current path (would exploding it again loop)? */
  includes(itemIndex: number): boolean {
    return this.isOpen[itemIndex] === 1;
  }
}

/**
 * Indented (multi-level) explosion of `qty` of `item` with the lines effective
 * on `asOf`: depth first, components in line order. Phantoms are blown through:
 * their components appear at the phantom's level and the phantom itself is not a
 * requirement (unless it has no effective components, then it stays, so demand
 * is not lost). By-products are listed with their output and not exploded.
 *
 * Iterative, lines indexed by parent once: a deep BOM cannot overflow the call
 * stack and every row costs one BigInt multiplication (quantities are exact
 * scaled integers, see decimal.ts).
 */
export function explodeMultiLevel(source: BomSource, request: ExplosionRequest): Explosion {
  const graph = toGraph(source);
  const { rootQty, maxLevels, maxRows } = parseRequest(request);
  const asOf = request.asOf;
  const rows: ExplosionRow[] = [];
  const requirements = new Totals(graph);
  const byProducts = new Totals(graph);

  const rootLines = effectiveLines(graph.childrenOf(request.item), asOf);
  if (rootLines.length === 0) return { rows, requirements: [], byProducts: [] };
  const openItems = new OpenItems(graph.items.length);
  openItems.open(graph.indexOf(request.item), rootLines, rootQty.units, rootQty.scale, 1, [request.item], false);

  while (openItems.depth > 0) {
    const top = openItems.depth - 1;
    const lines = openItems.lines[top];
    const next = openItems.nextLine[top];
    if (next === lines.length) {
      openItems.close();
      continue;
    }
    openItems.nextLine[top] = next + 1;
    const line = lines[next];
    const level = openItems.rowLevel[top];
    const viaPhantom = openItems.isPhantom[top];
    const units = openItems.units[top] * line.factor.units;
    const scale = openItems.scale[top] + line.factor.scale;
    const parentPath = openItems.path[top];
    const path = extendPath(parentPath, line.component);

    if (line.byProduct) {
      const row = toRow(line, level, path, formatUnits(units, scale), viaPhantom, false);
      rows.push(row);
      byProducts.add(line.componentIndex, units, scale, row.extendedQty);
    } else {
      if (openItems.includes(line.componentIndex)) {
        throw new BomCycleError([...parentPath.slice(parentPath.indexOf(line.component)), line.component]);
      }
      const children = effectiveLines(line.componentLines, asOf);
      const blownThrough = line.phantom && children.length > 0;
      if (blownThrough) {
        openItems.open(line.componentIndex, children, units, scale, level, path, true);
      } else {
        const row = toRow(line, level, path, formatUnits(units, scale), viaPhantom, children.length > 0);
        rows.push(row);
        requirements.add(line.componentIndex, units, scale, row.extendedQty);
        if (level < maxLevels && children.length > 0) openItems.open(line.componentIndex, children, units, scale, level + 1, path, false);
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

export function parseRequest(request: ExplosionRequest): { rootQty: Scaled; maxLevels: number; maxRows: number } {
  if (typeof request.item !== "string" || request.item === "") throw invalid("item must be a non-empty string");
  checkDate(request.asOf, "asOf");
  const rootQty = parseDecimal(request.qty, "qty", invalid);
  if (rootQty.units <= 0n) throw invalid("qty must be greater than 0");
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
  extendedQty: string,
  viaPhantom: boolean,
  hasComponents: boolean,
): ExplosionRow {
  // Two literals rather than adding lineId afterwards: every row of a kind gets its final shape at once.
  if (line.id === undefined) {
    return {
      level,
      path,
      parent: line.parent,
      component: line.component,
      qtyPer: line.qtyPerText,
      scrapPct: line.scrapPctText,
      extendedQty,
      byProduct: line.byProduct,
      viaPhantom,
      hasComponents,
    };
  }
  return {
    level,
    path,
    parent: line.parent,
    component: line.component,
    qtyPer: line.qtyPerText,
    scrapPct: line.scrapPctText,
    extendedQty,
    byProduct: line.byProduct,
    viaPhantom,
    hasComponents,
    lineId: line.id,
  };
}
