/** Inputs and outputs of the cost roll-up. All figures are decimal strings. */

/** One BOM line: `qtyPer` of `component` per one unit of `parent`. */
export interface RollupBomLine {
  parent: string;
  component: string;
  qtyPer: string;
  /** Component scrap, percent: the requirement becomes qtyPer × (1 + scrapPct / 100). Default "0". */
  scrapPct?: string;
}

export interface RollupOperation {
  id?: string;
  workCenter: string;
  /** Setup time per lot, hours; spread over the routing's lot size. */
  setupHours: string;
  /** Run time per unit, hours. */
  runHoursPerUnit: string;
}

export interface RollupRouting {
  item: string;
  /** Quantity made per lot, over which setup is spread. Default "1". */
  lotSize?: string;
  operations: RollupOperation[];
}

/** Hourly rates of a work centre; each applies to every hour of an operation there. */
export interface WorkCenterRates {
  id: string;
  labourRatePerHour: string;
  machineRatePerHour: string;
  overheadRatePerHour: string;
}

/** Unit cost of a bought item. */
export interface ComponentCost {
  item: string;
  unitCost: string;
}

export interface CostRollupInput {
  bomLines: readonly RollupBomLine[];
  componentCosts: readonly ComponentCost[];
  routings?: readonly RollupRouting[];
  workCenters?: readonly WorkCenterRates[];
}

/** Unit cost split into cost elements, each 6 dp. */
export interface CostElements {
  material: string;
  labour: string;
  machine: string;
  overhead: string;
}

export interface RolledUpItemCost {
  item: string;
  /** 0 for end items, 1 for their components... (deepest occurrence). */
  lowLevelCode: number;
  lotSize: string;
  /** Cost of one unit, 6 dp; equals the sum of `thisLevel` and of `rolledUp`. */
  unitCost: string;
  /** material = components at their full unit cost; labour, machine, overhead = this item's own routing. */
  thisLevel: CostElements;
  /** Cost elements of all levels below added up: a sub-assembly's labour stays labour, only bought items are material. */
  rolledUp: CostElements;
}
