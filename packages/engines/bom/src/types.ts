/** Public types of the BOM engine. Quantities are decimal strings; dates are ISO calendar dates (YYYY-MM-DD). */

export interface BomLine {
  /** Optional id of the line, echoed in the results. */
  id?: string;
  parent: string;
  component: string;
  /** Quantity of component per one unit of parent (> 0). For a by-product: quantity produced per unit. */
  qtyPer: string;
  /** Component scrap, percent (≥ 0): the requirement is qtyPer × (1 + scrapPct / 100). Default "0". */
  scrapPct?: string;
  /** Phantom: not stocked; explosions replace it by its own components. */
  phantom?: boolean;
  /** By-product: an output of making the parent, not a requirement. */
  byProduct?: boolean;
  /** First day the line applies (inclusive). Open-ended when absent. */
  effectiveFrom?: string;
  /** Day the line stops applying (exclusive), so a replacement line can start the same day. Open-ended when absent. */
  effectiveTo?: string;
}

export interface ExplosionRequest {
  /** Item to explode. */
  item: string;
  /** Quantity of it to make (> 0). */
  qty: string;
  /** Lines are taken as effective on this date (YYYY-MM-DD). */
  asOf: string;
  /** Stop after this many levels (1 = single level). Default: all levels. */
  maxLevels?: number;
  /** Refuse to produce more rows than this (shared sub-assemblies multiply rows). Default 1,000,000. */
  maxRows?: number;
}

export interface ExplosionRow {
  /** 1 for components of the exploded item, 2 for theirs... Phantom components take the phantom's level. */
  level: number;
  /** Items from the exploded item down to this component, phantoms included. */
  path: string[];
  /** Parent on the BOM line (a phantom when the row was blown through one). */
  parent: string;
  component: string;
  lineId?: string;
  qtyPer: string;
  scrapPct: string;
  /** Quantity needed (or, for a by-product, produced) for the requested quantity; scrap of every line above included. */
  extendedQty: string;
  byProduct: boolean;
  /** The line's parent is a phantom that was blown through. */
  viaPhantom: boolean;
  /** The component has an effective BOM of its own (it is a sub-assembly). */
  hasComponents: boolean;
}

export interface ComponentTotal {
  component: string;
  qty: string;
}

export interface Explosion {
  /** Indented explosion, depth first, components in line order. */
  rows: ExplosionRow[];
  /** Total requirement per component over all levels, sorted by component. */
  requirements: ComponentTotal[];
  /** Total by-product output per item, sorted by item. */
  byProducts: ComponentTotal[];
}

export interface SummarizedExplosion {
  requirements: ComponentTotal[];
  byProducts: ComponentTotal[];
}

export interface WhereUsedOptions {
  /** Only lines effective on this date. Default: all lines. */
  asOf?: string;
  /** Refuse to produce more rows than this. Default 1,000,000. */
  maxRows?: number;
}

export interface WhereUsedRow {
  /** 1 for direct parents, 2 for their parents... */
  level: number;
  /** The using item (an ancestor of the component). */
  parent: string;
  /** From the component up to `parent`. */
  path: string[];
  lineId?: string;
  /** qtyPer and scrapPct of the line that links `parent` to the previous item on the path. */
  qtyPer: string;
  scrapPct: string;
  phantom: boolean;
  /** Quantity of the component in one unit of `parent` along this path, scrap included. */
  extendedQty: string;
  /** `parent` is not used by anything (an end item). */
  topLevel: boolean;
}

export interface BomCycle {
  /** Closed path, e.g. ["A", "B", "C", "A"]. */
  items: string[];
  /** "A → B → C → A" */
  text: string;
}

export interface StructureOptions {
  /** Only lines effective on this date. Default: all lines, whatever their dates (stricter). */
  asOf?: string;
}
