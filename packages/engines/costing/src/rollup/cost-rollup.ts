import { type Dec, ZERO, formatUnitCost, parseDecimal, roundUnitCost } from "../decimal.ts";
import { CostingError, InvalidInputError } from "../errors.ts";
import { lowLevelCodes } from "./low-level-order.ts";
import type { CostElements, CostRollupInput, RolledUpItemCost, RollupRouting, WorkCenterRates } from "./types.ts";

const invalid = (message: string) => new InvalidInputError(message);

interface Elements {
  material: Dec;
  labour: Dec;
  machine: Dec;
  overhead: Dec;
}

const ELEMENT_NAMES = ["material", "labour", "machine", "overhead"] as const;

const zeroElements = (): Elements => ({ material: ZERO, labour: ZERO, machine: ZERO, overhead: ZERO });

/**
 * Standard cost roll-up, bottom-up by low-level code.
 *
 * For one unit of a manufactured item:
 *   material  = Σ lines  qtyPer × (1 + scrapPct/100) × component unit cost
 *   hours/op  = setupHours / lotSize + runHoursPerUnit
 *   labour    = Σ ops hours × work centre labour rate
 *   machine   = Σ ops hours × work centre machine rate
 *   overhead  = Σ ops hours × work centre overhead rate
 *   unit cost = material + labour + machine + overhead
 *
 * Each item's figures are rounded to 6 dp and its parents use the rounded unit
 * cost, as they would use a stored standard. Items with BOM lines or a routing
 * are manufactured (a purchase cost given for them is ignored); every other
 * component needs a `componentCosts` entry.
 *
 * Returns the manufactured items, deepest first (processing order).
 */
export function rollUpCosts(input: CostRollupInput): RolledUpItemCost[] {
  const lines = input.bomLines.map((line) => ({
    parent: line.parent,
    component: line.component,
    requirement: requirementPerUnit(line.qtyPer, line.scrapPct, `${line.parent} → ${line.component}`),
  }));
  const routings = indexRoutings(input.routings ?? []);
  const workCenters = indexWorkCenters(input.workCenters ?? []);
  const purchased = indexComponentCosts(input.componentCosts);

  const linesByParent = new Map<string, typeof lines>();
  for (const line of lines) {
    const list = linesByParent.get(line.parent) ?? [];
    list.push(line);
    linesByParent.set(line.parent, list);
  }
  const manufactured = new Set([...linesByParent.keys(), ...routings.keys()]);
  const missing = [...new Set(lines.map((line) => line.component))].filter(
    (item) => !manufactured.has(item) && !purchased.has(item),
  );
  if (missing.length > 0) {
    throw new CostingError("MISSING_COST", `no unit cost for bought component(s): ${missing.sort().join(", ")}`);
  }

  const codes = lowLevelCodes(lines);
  for (const item of manufactured) if (!codes.has(item)) codes.set(item, 0);
  const order = [...manufactured].sort((a, b) => (codes.get(b) ?? 0) - (codes.get(a) ?? 0) || compareText(a, b));

  const results = new Map<string, { unitCost: Dec; rolledUp: Elements }>();
  const output: RolledUpItemCost[] = [];
  for (const item of order) {
    const routing = routings.get(item);
    const lotSize = routing?.lotSize ?? ONE;
    const own = routingCost(item, routing, lotSize, workCenters);

    let material = ZERO;
    const below = zeroElements();
    for (const line of linesByParent.get(item) ?? []) {
      const made = results.get(line.component);
      const unitCost = made?.unitCost ?? (purchased.get(line.component) as Dec);
      material = material.plus(line.requirement.times(unitCost));
      if (made === undefined) {
        below.material = below.material.plus(line.requirement.times(unitCost));
      } else {
        for (const name of ELEMENT_NAMES) below[name] = below[name].plus(line.requirement.times(made.rolledUp[name]));
      }
    }

    const thisLevel: Elements = {
      material: roundUnitCost(material),
      labour: roundUnitCost(own.labour),
      machine: roundUnitCost(own.machine),
      overhead: roundUnitCost(own.overhead),
    };
    const unitCost = sumElements(thisLevel);
    const rolledUp: Elements = {
      material: roundUnitCost(below.material),
      labour: roundUnitCost(below.labour.plus(own.labour)),
      machine: roundUnitCost(below.machine.plus(own.machine)),
      overhead: roundUnitCost(below.overhead.plus(own.overhead)),
    };
    // Rounding each element separately can leave a few millionths; material takes them so both views add up.
    rolledUp.material = rolledUp.material.plus(unitCost.minus(sumElements(rolledUp)));

    results.set(item, { unitCost, rolledUp });
    output.push({
      item,
      lowLevelCode: codes.get(item) ?? 0,
      lotSize: lotSize.toFixed(),
      unitCost: formatUnitCost(unitCost),
      thisLevel: formatElements(thisLevel),
      rolledUp: formatElements(rolledUp),
    });
  }
  return output;
}

const ONE = parseDecimal("1", "one", invalid);

function requirementPerUnit(qtyPerText: string, scrapPctText: string | undefined, where: string): Dec {
  const qtyPer = parseDecimal(qtyPerText, `qtyPer of ${where}`, invalid);
  const scrapPct = parseDecimal(scrapPctText ?? "0", `scrapPct of ${where}`, invalid);
  if (!qtyPer.gt(0)) throw invalid(`qtyPer of ${where} must be greater than 0`);
  if (scrapPct.lt(0)) throw invalid(`scrapPct of ${where} must not be negative`);
  return qtyPer.times(scrapPct.div(100).plus(1));
}

interface ParsedRouting {
  lotSize: Dec;
  operations: { workCenter: string; setupHours: Dec; runHoursPerUnit: Dec }[];
}

function indexRoutings(routings: readonly RollupRouting[]): Map<string, ParsedRouting> {
  const index = new Map<string, ParsedRouting>();
  for (const routing of routings) {
    if (index.has(routing.item)) throw invalid(`two routings for ${routing.item}`);
    const lotSize = parseDecimal(routing.lotSize ?? "1", `lotSize of ${routing.item}`, invalid);
    if (!lotSize.gt(0)) throw invalid(`lotSize of ${routing.item} must be greater than 0`);
    const operations = routing.operations.map((operation, position) => {
      const where = `operation ${operation.id ?? position + 1} of ${routing.item}`;
      const setupHours = parseDecimal(operation.setupHours, `setupHours of ${where}`, invalid);
      const runHoursPerUnit = parseDecimal(operation.runHoursPerUnit, `runHoursPerUnit of ${where}`, invalid);
      if (setupHours.lt(0) || runHoursPerUnit.lt(0)) throw invalid(`hours of ${where} must not be negative`);
      return { workCenter: operation.workCenter, setupHours, runHoursPerUnit };
    });
    index.set(routing.item, { lotSize, operations });
  }
  return index;
}

interface Rates {
  labour: Dec;
  machine: Dec;
  overhead: Dec;
}

function indexWorkCenters(workCenters: readonly WorkCenterRates[]): Map<string, Rates> {
  const index = new Map<string, Rates>();
  for (const center of workCenters) {
    if (index.has(center.id)) throw invalid(`work centre ${center.id} given twice`);
    const rate = (text: string, name: string) => {
      const value = parseDecimal(text, `${name} of work centre ${center.id}`, invalid);
      if (value.lt(0)) throw invalid(`${name} of work centre ${center.id} must not be negative`);
      return value;
    };
    index.set(center.id, {
      labour: rate(center.labourRatePerHour, "labourRatePerHour"),
      machine: rate(center.machineRatePerHour, "machineRatePerHour"),
      overhead: rate(center.overheadRatePerHour, "overheadRatePerHour"),
    });
  }
  return index;
}

function indexComponentCosts(costs: CostRollupInput["componentCosts"]): Map<string, Dec> {
  const index = new Map<string, Dec>();
  for (const { item, unitCost } of costs) {
    if (index.has(item)) throw invalid(`component cost of ${item} given twice`);
    const cost = parseDecimal(unitCost, `unit cost of ${item}`, invalid);
    if (cost.lt(0)) throw invalid(`unit cost of ${item} must not be negative`);
    index.set(item, cost);
  }
  return index;
}

/** Labour, machine and overhead of one unit: every rate applies to setup share + run time. */
function routingCost(
  item: string,
  routing: ParsedRouting | undefined,
  lotSize: Dec,
  workCenters: Map<string, Rates>,
): Rates {
  const cost: Rates = { labour: ZERO, machine: ZERO, overhead: ZERO };
  for (const operation of routing?.operations ?? []) {
    const rates = workCenters.get(operation.workCenter);
    if (rates === undefined) throw invalid(`routing of ${item} uses unknown work centre ${operation.workCenter}`);
    const hours = operation.setupHours.div(lotSize).plus(operation.runHoursPerUnit);
    cost.labour = cost.labour.plus(hours.times(rates.labour));
    cost.machine = cost.machine.plus(hours.times(rates.machine));
    cost.overhead = cost.overhead.plus(hours.times(rates.overhead));
  }
  return cost;
}

function sumElements(elements: Elements): Dec {
  return elements.material.plus(elements.labour).plus(elements.machine).plus(elements.overhead);
}

function formatElements(elements: Elements): CostElements {
  return {
    material: formatUnitCost(elements.material),
    labour: formatUnitCost(elements.labour),
    machine: formatUnitCost(elements.machine),
    overhead: formatUnitCost(elements.overhead),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
