/**
 * Compiles an `MrpInput` into the `CompiledModel`, validating every field on
 * the way: the single place for semantic checks (unknown items, cycles,
 * periods, quantities, rule parameters), shared by parseMrpInput and runMrp.
 *
 * Two passes: the first validates and finds the quantity scale (the most
 * decimal places used by any quantity or item), the second converts
 * quantities to scaled integers and lays everything out by item rank.
 */
import {
  MAX_QUANTITY_DECIMALS,
  type ParsedDecimal,
  reduce,
  toRational,
  toScaledNumber,
} from "./decimal.ts";
import { compileLotSizing, type LotSizingArrays } from "./lot-sizing.ts";
import { computeLowLevelCodes } from "./low-level-codes.ts";
import {
  type BigFactor,
  type CompiledModel,
  MAX_LEAD_TIME,
  MAX_PERIODS,
  RULE_CODES,
  RULE_LOT_FOR_LOT,
} from "./model.ts";
import { countingSort, groupStarts, identity, sortEqualRuns, sortedBy } from "./sorting.ts";
import type { MrpInput } from "./types.ts";
import {
  describe,
  expectArray,
  expectDecimal,
  expectDemandRef,
  expectId,
  expectInt,
  expectObject,
  expectPeriod,
  factorPlaces,
  fail,
  optionalArray,
  quantityPlaces,
} from "./validate.ts";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const NO_SCRAP = { num: 0n, den: 1n };
const NO_SCRAP_FRACTION: readonly [number, number] = [0, 1];

/** What pass 1 keeps of an item. */
export interface ItemSpec {
  readonly path: string;
  readonly leadTime: number;
  readonly decimals: number;
  readonly onHand: unknown;
  readonly allocated: unknown;
  readonly safetyStock: unknown;
  readonly yieldPct: ParsedDecimal | null;
  readonly makeOrBuy: "make" | "buy" | undefined;
  readonly lot: Record<string, unknown> | undefined;
  readonly rule: number;
}

/** Largest number of decimal places seen so far: the engine's quantity scale. */
class ScaleFinder {
  digits = 0;
  note(places: number): void {
    if (places > this.digits) this.digits = places;
  }
}

export function compileModel(input: MrpInput): CompiledModel {
  const root = expectObject(input, "input");
  const periods = expectInt(root.periods, "periods", 1, MAX_PERIODS, "an integer number of periods");
  const scale = new ScaleFinder();

  // pass 1: validate, resolve ids, find the scale
  const { ids: inputIds, indexOf, specs } = readItems(root.items, scale);
  const resolve = (value: unknown, path: string): number => {
    const id = expectId(value, path);
    const index = indexOf.get(id);
    if (index === undefined) fail(path, `unknown item ${describe(id)}`);
    return index;
  };
  const rawBom = optionalArray(root.bom, "bom");
  const lineParent = new Int32Array(rawBom.length);
  const lineComponent = new Int32Array(rawBom.length);
  rawBom.forEach((raw, k) => {
    const obj = expectObject(raw, `bom[${k}]`);
    lineParent[k] = resolve(obj.parent, `bom[${k}].parent`);
    lineComponent[k] = resolve(obj.component, `bom[${k}].component`);
    if (!(typeof obj.qtyPer === "number" && Number.isSafeInteger(obj.qtyPer) && obj.qtyPer > 0)) {
      factorPlaces(obj.qtyPer, `bom[${k}].qtyPer`, { positive: true });
    }
    if (obj.scrapPct !== undefined) factorPlaces(obj.scrapPct, `bom[${k}].scrapPct`, {});
  });
  const receipts = readDatedQuantities(root.scheduledReceipts, "scheduledReceipts", periods, resolve, scale);
  const demand = readDatedQuantities(root.demand, "demand", periods, resolve, scale);
  const demandRefs = demand.raw.map((raw, k) => expectDemandRef((raw as Record<string, unknown>).ref, `demand[${k}].ref`));

  // ranks: low-level code, then id
  const itemCount = inputIds.length;
  const llcByInput = computeLowLevelCodes(itemCount, lineParent, lineComponent, inputIds);
  const order = Array.from({ length: itemCount }, (_, i) => i);
  order.sort((a, b) => llcByInput[a] - llcByInput[b] || (inputIds[a] < inputIds[b] ? -1 : 1));
  const rankByInput = new Int32Array(itemCount);
  order.forEach((i, r) => {
    rankByInput[i] = r;
  });
  const ids = order.map((i) => inputIds[i]);
  const rankOf = new Map<string, number>(ids.map((id, r) => [id, r]));

  // pass 2: scaled quantities laid out by rank
  const toScaled = scaledReader(scale.digits);
  const hasComponents = new Uint8Array(itemCount);
  for (const p of lineParent) hasComponents[p] = 1;
  const items = compileItems(specs, rankByInput, llcByInput, hasComponents, scale.digits, toScaled);
  const bom = compileBom(rawBom, lineParent, lineComponent, rankByInput, items.step);
  const byPeriod = (dated: DatedQuantities, kind: string) => {
    const cells = new Float64Array(itemCount * periods);
    const rank = new Int32Array(dated.item.length);
    const qty = new Float64Array(dated.item.length);
    for (let k = 0; k < dated.item.length; k++) {
      rank[k] = rankByInput[dated.item[k]];
      qty[k] = toScaled((dated.raw[k] as Record<string, unknown>).qty, `${kind}[${k}].qty`);
      cells[rank[k] * periods + dated.period[k]] += qty[k];
    }
    return { cells, rank, qty };
  };

  // scheduled receipts: per item, by period then quantity
  const rc = byPeriod(receipts, "scheduledReceipts");
  const receiptOrder = countingSort(rc.rank, itemCount, countingSort(receipts.period, periods, sortedBy(rc.qty)));

  // demand lines: per cell (item, period), by ref then quantity
  const dm = byPeriod(demand, "demand");
  const demandCell = new Int32Array(demand.item.length);
  for (let k = 0; k < demandCell.length; k++) demandCell[k] = dm.rank[k] * periods + demand.period[k];
  const demandOrder = countingSort(demandCell, itemCount * periods, identity(demandCell.length));
  sortEqualRuns(
    demandOrder,
    (a, b) => demandCell[a] === demandCell[b],
    (a, b) => (demandRefs[a] < demandRefs[b] ? -1 : demandRefs[a] > demandRefs[b] ? 1 : dm.qty[a] - dm.qty[b]),
  );

  return {
    periods,
    scaleDigits: scale.digits,
    itemCount,
    ids,
    rankOf,
    ...items,
    ...bom,
    independentDemand: dm.cells,
    demandStart: groupStarts(demandCell, itemCount * periods),
    demandRef: Array.from(demandOrder, (k) => demandRefs[k]),
    demandQty: gather(dm.qty, demandOrder),
    receiptsByPeriod: rc.cells,
    receiptStart: groupStarts(rc.rank, itemCount),
    receiptPeriod: gather(receipts.period, receiptOrder),
    receiptQty: gather(rc.qty, receiptOrder),
  };
}

function readItems(value: unknown, scale: ScaleFinder) {
  const raw = expectArray(value, "items");
  const ids: string[] = new Array(raw.length);
  const indexOf = new Map<string, number>();
  const specs: ItemSpec[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const path = `items[${i}]`;
    const obj = expectObject(raw[i], path);
    const id = expectId(obj.id, `${path}.id`);
    const previous = indexOf.get(id);
    if (previous !== undefined) fail(`${path}.id`, `duplicate item id ${describe(id)} (also items[${previous}])`);
    indexOf.set(id, i);
    ids[i] = id;
    const leadTime =
      obj.leadTime === undefined
        ? 0
        : expectInt(obj.leadTime, `${path}.leadTime`, 0, MAX_LEAD_TIME, "a lead time: an integer number of periods");
    const decimals =
      obj.decimals === undefined ? 0 : expectInt(obj.decimals, `${path}.decimals`, 0, MAX_QUANTITY_DECIMALS);
    scale.note(decimals);
    for (const field of ["onHand", "allocated", "safetyStock"] as const) {
      if (obj[field] !== undefined) scale.note(quantityPlaces(obj[field], `${path}.${field}`));
    }
    const yieldPct =
      obj.yieldPct === undefined ? null : factorPlaces(obj.yieldPct, `${path}.yieldPct`, { positive: true, max: 100 });
    const makeOrBuy = obj.makeOrBuy;
    if (makeOrBuy !== undefined && makeOrBuy !== "make" && makeOrBuy !== "buy") {
      fail(`${path}.makeOrBuy`, `expected "make" or "buy", got ${describe(makeOrBuy)}`);
    }
    let lot: Record<string, unknown> | undefined;
    let rule = RULE_LOT_FOR_LOT;
    if (obj.lotSizing !== undefined) {
      lot = expectObject(obj.lotSizing, `${path}.lotSizing`);
      const name = lot.rule;
      if (typeof name !== "string" || !Object.hasOwn(RULE_CODES, name)) {
        fail(
          `${path}.lotSizing.rule`,
          `unknown lot-sizing rule ${describe(name)} (expected one of ${Object.keys(RULE_CODES).join(", ")})`,
        );
      }
      rule = RULE_CODES[name];
    }
    specs[i] = {
      path,
      leadTime,
      decimals,
      onHand: obj.onHand,
      allocated: obj.allocated,
      safetyStock: obj.safetyStock,
      yieldPct,
      makeOrBuy,
      lot,
      rule,
    };
  }
  return { ids, indexOf, specs };
}

interface DatedQuantities {
  readonly raw: readonly unknown[];
  /** Item input index per line. */
  readonly item: Int32Array;
  /** 0-based period per line. */
  readonly period: Int32Array;
}

/** Scheduled receipts and demand lines: {item, period, qty}. */
function readDatedQuantities(
  value: unknown,
  kind: string,
  periods: number,
  resolve: (value: unknown, path: string) => number,
  scale: ScaleFinder,
): DatedQuantities {
  const raw = optionalArray(value, kind);
  const item = new Int32Array(raw.length);
  const period = new Int32Array(raw.length);
  for (let k = 0; k < raw.length; k++) {
    const path = `${kind}[${k}]`;
    const obj = expectObject(raw[k], path);
    item[k] = resolve(obj.item, `${path}.item`);
    period[k] = expectPeriod(obj.period, `${path}.period`, periods) - 1;
    scale.note(quantityPlaces(obj.qty, `${path}.qty`));
  }
  return { raw, item, period };
}

/** Converts a validated quantity to a scaled integer; optional quantities default to zero. */
function scaledReader(scaleDigits: number) {
  const unit = 10 ** scaleDigits;
  return (value: unknown, path: string): number => {
    if (value === undefined) return 0;
    if (typeof value === "number" && Number.isSafeInteger(value) && value * unit <= MAX_SAFE) return value * unit;
    const scaled = toScaledNumber(expectDecimal(value, path), scaleDigits);
    if (scaled === null) fail(path, `${describe(value)} is too large to be handled exactly`);
    return scaled;
  };
}

function compileItems(
  specs: readonly ItemSpec[],
  rankByInput: Int32Array,
  llcByInput: Int32Array,
  hasComponents: Uint8Array,
  scaleDigits: number,
  toScaled: (value: unknown, path: string) => number,
) {
  const n = specs.length;
  const out = {
    lowLevelCode: new Int32Array(n),
    leadTime: new Int32Array(n),
    isMake: new Uint8Array(n),
    step: new Float64Array(n),
    onHand: new Float64Array(n),
    allocated: new Float64Array(n),
    safetyStock: new Float64Array(n),
    yieldNum: new Float64Array(n),
    yieldDen: new Float64Array(n).fill(1),
    bigYield: new Map<number, BigFactor>(),
  };
  const lots: LotSizingArrays = {
    rule: new Uint8Array(n),
    ruleQty: new Float64Array(n),
    ruleMin: new Float64Array(n),
    ruleCap: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    rulePeriods: new Int32Array(n),
    eoqCosts: new Map(),
  };
  for (let i = 0; i < n; i++) {
    const r = rankByInput[i];
    const spec = specs[i];
    out.lowLevelCode[r] = llcByInput[i];
    out.leadTime[r] = spec.leadTime;
    out.isMake[r] = spec.makeOrBuy === undefined ? hasComponents[i] : spec.makeOrBuy === "make" ? 1 : 0;
    const step = 10 ** (scaleDigits - spec.decimals);
    out.step[r] = step;
    out.onHand[r] = toScaled(spec.onHand, `${spec.path}.onHand`);
    out.allocated[r] = toScaled(spec.allocated, `${spec.path}.allocated`);
    out.safetyStock[r] = toScaled(spec.safetyStock, `${spec.path}.safetyStock`);
    if (spec.yieldPct !== null) {
      const y = toRational(spec.yieldPct);
      if (y.num !== 100n * y.den) {
        // release = receipt × 100 / yield, rounded up to the item's step
        const f = reduce(100n * y.den, y.num * BigInt(step));
        if (f.num <= BigInt(MAX_SAFE) && f.den <= BigInt(MAX_SAFE)) {
          out.yieldNum[r] = Number(f.num);
          out.yieldDen[r] = Number(f.den);
        } else {
          out.bigYield.set(r, f);
        }
      }
    }
    lots.rule[r] = spec.rule;
    if (spec.lot) compileLotSizing(spec, spec.lot, r, step, scaleDigits, lots);
  }
  return { ...out, ...lots };
}

/**
 * BOM lines grouped by parent rank, then component rank, then factor; plus
 * the where-used index. Each line's factor qtyPer × (1 + scrap/100) is an
 * exact fraction with the component's rounding step folded into the
 * denominator (see CompiledModel.bomNum).
 */
function compileBom(
  rawBom: readonly unknown[],
  lineParent: Int32Array,
  lineComponent: Int32Array,
  rankByInput: Int32Array,
  step: Float64Array,
) {
  const lineCount = rawBom.length;
  const itemCount = rankByInput.length;
  const factorNum = new Float64Array(lineCount);
  const factorDen = new Float64Array(lineCount);
  const bigFactors = new Map<number, BigFactor>();
  const parentRank = new Int32Array(lineCount);
  const componentRank = new Int32Array(lineCount);
  for (let k = 0; k < lineCount; k++) {
    parentRank[k] = rankByInput[lineParent[k]];
    componentRank[k] = rankByInput[lineComponent[k]];
    const obj = rawBom[k] as Record<string, unknown>;
    const componentStep = step[componentRank[k]];
    const { qtyPer, scrapPct } = obj;
    const q = fraction(qtyPer, `bom[${k}].qtyPer`);
    const s = scrapPct === undefined ? NO_SCRAP_FRACTION : fraction(scrapPct, `bom[${k}].scrapPct`);
    // qtyPer × (100 + scrap) / 100 / step, in plain integers while they stay exact
    const small =
      q !== null && s !== null
        ? multiplyFractions(q[0], 100 * s[1] + s[0], q[1], 100 * s[1], componentStep)
        : null;
    if (small !== null) {
      factorNum[k] = small[0];
      factorDen[k] = small[1];
      continue;
    }
    const qb = toRational(expectDecimal(qtyPer, `bom[${k}].qtyPer`, { maxPlaces: 9 }));
    const sb = scrapPct === undefined ? NO_SCRAP : toRational(expectDecimal(scrapPct, `bom[${k}].scrapPct`, { maxPlaces: 9 }));
    const f = reduce(qb.num * (100n * sb.den + sb.num), qb.den * 100n * sb.den * BigInt(componentStep));
    if (f.num > BigInt(MAX_SAFE) || f.den > BigInt(MAX_SAFE)) bigFactors.set(k, f);
    factorNum[k] = Number(f.num); // approximate for big factors: only used to order duplicate lines
    factorDen[k] = Number(f.den);
  }
  const lineOrder = countingSort(parentRank, itemCount, countingSort(componentRank, itemCount, identity(lineCount)));
  sortEqualRuns(
    lineOrder,
    (a, b) => parentRank[a] === parentRank[b] && componentRank[a] === componentRank[b],
    (a, b) => compareFactors(bigFactors.get(a) ?? exact(factorNum[a], factorDen[a]), bigFactors.get(b) ?? exact(factorNum[b], factorDen[b])),
  );
  const bomComponent = new Int32Array(lineCount);
  const bomParent = new Int32Array(lineCount);
  const bomNum = new Float64Array(lineCount);
  const bomDen = new Float64Array(lineCount);
  const bigLines = new Map<number, BigFactor>();
  for (let line = 0; line < lineCount; line++) {
    const k = lineOrder[line];
    bomComponent[line] = componentRank[k];
    bomParent[line] = parentRank[k];
    const big = bigFactors.get(k);
    if (big) {
      bigLines.set(line, big); // bomNum = bomDen = 0 marks "use the bigint factor"
    } else {
      bomNum[line] = factorNum[k];
      bomDen[line] = factorDen[k];
    }
  }
  const usedLine = countingSort(bomComponent, itemCount, identity(lineCount)); // stable: by parent within a component
  return {
    bomStart: groupStarts(bomParent, itemCount),
    bomComponent,
    bomParent,
    bomNum,
    bomDen,
    bigLines,
    usedStart: groupStarts(bomComponent, itemCount),
    usedLine,
  };
}

/** A validated decimal as [numerator, denominator] in safe integers, or null if it needs bigints. */
function fraction(value: unknown, path: string): readonly [number, number] | null {
  if (typeof value === "number" && Number.isSafeInteger(value)) return [value, 1];
  const d = expectDecimal(value, path, { maxPlaces: 9 });
  if (d.digits.length > 15) return null;
  const digits = d.digits.length === 0 ? 0 : Number(d.digits);
  if (d.exponent >= 0) {
    const num = digits * 10 ** d.exponent;
    return num <= MAX_SAFE ? [num, 1] : null;
  }
  return [digits, 10 ** -d.exponent];
}

/** (a × b) / (c × d × e) reduced, if every product is a safe integer; else null. */
function multiplyFractions(a: number, b: number, c: number, d: number, e: number): [number, number] | null {
  const num = a * b;
  const cd = c * d;
  const den = cd * e;
  if (num > MAX_SAFE || cd > MAX_SAFE || den > MAX_SAFE) return null;
  const g = gcdNumber(num, den);
  return [num / g, den / g];
}

function gcdNumber(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/** values[order[i]] for each i, in a new array of the same kind. */
function gather<T extends Int32Array | Float64Array>(values: T, order: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]];
  return out;
}

function exact(num: number, den: number): BigFactor {
  return { num: BigInt(num), den: BigInt(den) };
}

function compareFactors(a: BigFactor, b: BigFactor): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}
