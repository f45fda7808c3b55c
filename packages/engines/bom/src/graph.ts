import { type Scaled, isPlainDecimal, toScaled, withoutTrailingZeros } from "./decimal.ts";
import { BomInputError } from "./errors.ts";
import type { BomLine } from "./types.ts";

/** A BOM line with its quantities parsed once. */
export interface GraphLine {
  id: string | undefined;
  parent: string;
  component: string;
  /** Index of the component in graph.items, so per-item state can live in arrays, not string-keyed maps. */
  componentIndex: number;
  qtyPer: Scaled;
  scrapPct: Scaled;
  /** qtyPer and scrapPct as given, for output. */
  qtyPerText: string;
  scrapPctText: string;
  /** Requirement per unit of parent: qtyPer × (1 + scrapPct/100); just qtyPer for a by-product. */
  factor: Scaled;
  phantom: boolean;
  byProduct: boolean;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** The component's own BOM lines (same as graph.childrenOf(component)), linked once to save a lookup per row. */
  componentLines: readonly GraphLine[];
}

const invalid = (message: string) => new BomInputError(message);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NO_LINES: readonly GraphLine[] = [];

/**
 * BOM lines indexed by parent and by component. Build it once with
 * `buildBomGraph` and pass it to several queries; the queries also accept the
 * raw lines and index them on the fly.
 */
export class BomGraph {
  private readonly byParent = new Map<string, GraphLine[]>();
  private readonly byComponent = new Map<string, GraphLine[]>();
  /** Every item that appears on a line, in order of first appearance. */
  readonly items: readonly string[];
  /** Position of each item in `items`. */
  private readonly itemIndex = new Map<string, number>();
  /** items sorted as text, as positions in `items` (see itemsInTextOrder). */
  private textOrder: Int32Array | null = null;

  constructor(readonly lines: readonly GraphLine[]) {
    // (componentIndex and componentLines of each line are filled in below, once every line is indexed.)
    const itemIndex = this.itemIndex;
    for (const line of lines) {
      append(this.byParent, line.parent, line);
      append(this.byComponent, line.component, line);
      if (!itemIndex.has(line.parent)) itemIndex.set(line.parent, itemIndex.size);
      if (!itemIndex.has(line.component)) itemIndex.set(line.component, itemIndex.size);
    }
    for (const line of lines) {
      line.componentIndex = itemIndex.get(line.component) as number;
      line.componentLines = this.childrenOf(line.component);
    }
    this.items = [...itemIndex.keys()];
  }

  /** Position of the item in `items`, -1 if no line mentions it. */
  indexOf(item: string): number {
    return this.itemIndex.get(item) ?? -1;
  }

  /**
   * Indexes into `items`, ordered by item as text (UTF-16 code units, like `<`:
   * the same order in every locale). Sorted once per graph and kept, so totals
   * per item can be listed in order without sorting strings on every query.
   */
  itemsInTextOrder(): Int32Array {
    if (this.textOrder === null) this.textOrder = Int32Array.from(this.indexesInTextOrder(this.items));
    return this.textOrder;
  }

  /** Indexes of the given items (all in the graph), ordered by item as text. */
  indexesInTextOrder(items: readonly string[]): number[] {
    // The default sort compares strings natively: no comparator to call (and compile) 500,000 times.
    return [...items].sort().map((item) => this.itemIndex.get(item) as number);
  }

  /** All lines of the item's BOM (any date, by-products included), in input order. */
  childrenOf(item: string): readonly GraphLine[] {
    return this.byParent.get(item) ?? NO_LINES;
  }

  /** All lines using the item, in input order. */
  parentsOf(item: string): readonly GraphLine[] {
    return this.byComponent.get(item) ?? NO_LINES;
  }
}

function append(index: Map<string, GraphLine[]>, key: string, line: GraphLine): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [line]);
  else list.push(line);
}

export type BomSource = BomGraph | readonly BomLine[];

export function buildBomGraph(lines: readonly BomLine[]): BomGraph {
  return new BomGraph(lines.map(parseLine));
}

export function toGraph(source: BomSource): BomGraph {
  return source instanceof BomGraph ? source : buildBomGraph(source);
}

/** Parses and checks one line. Error text is only built when there is an error: this runs 50,000 times. */
function parseLine(line: BomLine, position: number): GraphLine {
  if (typeof line.parent !== "string" || line.parent === "" || typeof line.component !== "string" || line.component === "") {
    throw lineError(line, position, "parent and component must be non-empty strings");
  }
  if (!isPlainDecimal(line.qtyPer)) throw lineError(line, position, `qtyPer must be a decimal string like "2.5", got ${JSON.stringify(line.qtyPer)}`);
  const qtyPer = toScaled(line.qtyPer);
  if (qtyPer.units <= 0n) throw lineError(line, position, "qtyPer must be greater than 0");
  const scrapPctText = line.scrapPct ?? "0";
  if (!isPlainDecimal(scrapPctText)) throw lineError(line, position, `scrapPct must be a decimal string like "2.5", got ${JSON.stringify(scrapPctText)}`);
  const scrapPct = scrapPctText === "0" ? NO_SCRAP : toScaled(scrapPctText);
  if (scrapPct.units < 0n) throw lineError(line, position, "scrapPct must not be negative");
  const effectiveFrom = line.effectiveFrom ?? null;
  const effectiveTo = line.effectiveTo ?? null;
  if (effectiveFrom !== null && !isIsoDate(effectiveFrom)) throw lineError(line, position, `effectiveFrom must be a date YYYY-MM-DD, got ${JSON.stringify(effectiveFrom)}`);
  if (effectiveTo !== null && !isIsoDate(effectiveTo)) throw lineError(line, position, `effectiveTo must be a date YYYY-MM-DD, got ${JSON.stringify(effectiveTo)}`);
  if (effectiveFrom !== null && effectiveTo !== null && effectiveFrom >= effectiveTo) {
    throw lineError(line, position, "effectiveFrom must be before effectiveTo");
  }
  const byProduct = line.byProduct === true;
  return {
    id: line.id,
    parent: line.parent,
    component: line.component,
    componentIndex: -1,
    qtyPer,
    scrapPct,
    qtyPerText: line.qtyPer,
    scrapPctText,
    // Scrap means more has to be issued; it does not change what a by-product yields.
    factor: byProduct || scrapPct.units === 0n ? qtyPer : withScrap(qtyPer, scrapPct),
    phantom: line.phantom === true,
    byProduct,
    effectiveFrom,
    effectiveTo,
    componentLines: NO_LINES,
  };
}

const NO_SCRAP: Scaled = { units: 0n, scale: 0 };

/**
 * qtyPer × (1 + scrapPct / 100), exactly: with scrapPct = s / 10^k that is
 * qtyPer × (100 × 10^k + s) / 10^(k + 2).
 */
function withScrap(qtyPer: Scaled, scrapPct: Scaled): Scaled {
  const hundredPercent = 100n * 10n ** BigInt(scrapPct.scale);
  // Trimmed once here so the products of every explosion row carry fewer digits.
  return withoutTrailingZeros({ units: qtyPer.units * (hundredPercent + scrapPct.units), scale: qtyPer.scale + scrapPct.scale + 2 });
}

function lineError(line: BomLine, position: number, problem: string): BomInputError {
  return invalid(`line ${line.id ?? position + 1} (${line.parent} → ${line.component}): ${problem}`);
}

function isIsoDate(date: unknown): boolean {
  return typeof date === "string" && ISO_DATE.test(date);
}

export function checkDate(date: string, field: string): void {
  if (!isIsoDate(date)) throw invalid(`${field} must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

/** Effective on `asOf`: from ≤ asOf < to. ISO dates compare correctly as text. */
export function isEffective(line: GraphLine, asOf: string): boolean {
  return (line.effectiveFrom === null || line.effectiveFrom <= asOf) && (line.effectiveTo === null || asOf < line.effectiveTo);
}

/** The lines effective on `asOf` (all of them when asOf is undefined); no copy when nothing is filtered out. */
export function effectiveLines(lines: readonly GraphLine[], asOf: string | undefined): readonly GraphLine[] {
  if (asOf === undefined) return lines;
  for (let i = 0; i < lines.length; i++) {
    if (!isEffective(lines[i], asOf)) return lines.filter((line) => isEffective(line, asOf));
  }
  return lines;
}

/** Lines that make up the structure (requirements): effective, not by-products. */
export function structureLines(lines: readonly GraphLine[], asOf: string | undefined): readonly GraphLine[] {
  const effective = effectiveLines(lines, asOf);
  for (let i = 0; i < effective.length; i++) {
    if (effective[i].byProduct) return effective.filter((line) => !line.byProduct);
  }
  return effective;
}
