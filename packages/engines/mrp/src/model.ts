/**
 * Compiles an `MrpInput` into the indexed, typed-array model the planner
 * works on, validating every field on the way (the single place for
 * semantic checks: unknown items, cycles, ranges, rule parameters).
 *
 * Items get a "rank": their position in planning/output order, sorted by
 * low-level code then id. All per-item arrays are indexed by rank, per-period
 * arrays by rank × periods + (period - 1). Every list is put into a canonical
 * order here, so nothing downstream depends on the order of the input lists.
 */
import {
  decimalPlaces,
  MAX_QUANTITY_DECIMALS,
  type ParsedDecimal,
  type Rational,
  reduce,
  toRational,
  toScaledNumber,
} from "./decimal.ts";
import { computeLowLevelCodes } from "./low-level-codes.ts";
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

export const RULE_LOT_FOR_LOT = 0;
export const RULE_FIXED = 1;
export const RULE_MULTIPLE = 2;
export const RULE_MIN_MAX_MULTIPLE = 3;
export const RULE_PERIODS_OF_SUPPLY = 4;
export const RULE_EOQ = 5;

const RULE_CODES: Record<string, number> = {
  "lot-for-lot": RULE_LOT_FOR_LOT,
  fixed: RULE_FIXED,
  multiple: RULE_MULTIPLE,
  "min-max-multiple": RULE_MIN_MAX_MULTIPLE,
  "periods-of-supply": RULE_PERIODS_OF_SUPPLY,
  eoq: RULE_EOQ,
};

export const MAX_PERIODS = 100_000;
const MAX_LEAD_TIME = 1_000_000;

export interface EoqCosts {
  readonly setup: Rational;
  readonly holding: Rational;
}

/** An exact multiplier too large for doubles, kept as bigints. */
export interface BigFactor {
  readonly num: bigint;
  readonly den: bigint;
}

export interface CompiledModel {
  readonly periods: number;
  /** Quantities are integers in units of 10^-scaleDigits. */
  readonly scaleDigits: number;
  readonly itemCount: number;
  /** Item ids by rank (low-level code, then id). */
  readonly ids: readonly string[];
  readonly rankOf: ReadonlyMap<string, number>;
  readonly lowLevelCode: Int32Array;
  readonly leadTime: Int32Array;
  readonly isMake: Uint8Array;
  /** The item's rounding step in scaled units: 10^(scaleDigits - decimals). */
  readonly step: Float64Array;
  readonly onHand: Float64Array;
  readonly allocated: Float64Array;
  readonly safetyStock: Float64Array;
  /**
   * Yield: release = ceil(receipt × yieldNum / yieldDen) × step (the step is
   * folded into yieldDen). yieldNum is 0 for a 100 % yield (release = receipt).
   */
  readonly yieldNum: Float64Array;
  readonly yieldDen: Float64Array;
  readonly bigYield: ReadonlyMap<number, BigFactor>;

  readonly rule: Uint8Array;
  /** fixed/multiple: the lot; min-max-multiple: the multiple. Scaled. */
  readonly ruleQty: Float64Array;
  /** min-max-multiple: minimum order. Scaled. */
  readonly ruleMin: Float64Array;
  /** min-max-multiple: largest allowed order (max rounded down to the multiple), or Infinity. */
  readonly ruleCap: Float64Array;
  /** periods-of-supply: number of periods one order covers. */
  readonly rulePeriods: Int32Array;
  readonly eoqCosts: ReadonlyMap<number, EoqCosts>;

  /** BOM lines grouped by parent rank: lines bomStart[p]..bomStart[p+1]-1, sorted by component rank. */
  readonly bomStart: Int32Array;
  readonly bomComponent: Int32Array;
  /**
   * Dependent requirement of a line for a parent release quantity q (scaled):
   * ceil(q × bomNum / bomDen) × step(component) — qtyPer, scrap and the
   * component's rounding step are folded into num/den. bomDen = 0 marks a
   * line whose factor only fits bigints (see bigLines).
   */
  readonly bomNum: Float64Array;
  readonly bomDen: Float64Array;
  readonly bigLines: ReadonlyMap<number, BigFactor>;
  /** Where-used: line indices per component rank, sorted by parent rank. */
  readonly usedStart: Int32Array;
  readonly usedLine: Int32Array;
  /** Parent rank of each line (for where-used walks). */
  readonly bomParent: Int32Array;

  /** Independent demand summed per item and period (scaled). */
  readonly independentDemand: Float64Array;
  /** Demand lines per cell rank × periods + t, sorted by ref then qty. */
  readonly demandStart: Int32Array;
  readonly demandRef: readonly string[];
  readonly demandQty: Float64Array;

  /** Scheduled receipts summed per item and period (scaled). */
  readonly receiptsByPeriod: Float64Array;
  /** Scheduled receipts per item rank, sorted by period then qty (period 0-based). */
  readonly receiptStart: Int32Array;
  readonly receiptPeriod: Int32Array;
  readonly receiptQty: Float64Array;
}

interface RawItem {
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

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function compileModel(input: MrpInput): CompiledModel {
  const root = expectObject(input, "input");
  const periods = expectInt(root.periods, "periods", 1, MAX_PERIODS, "an integer number of periods");
  let scaleDigits = 0;
  const notePlaces = (places: number) => {
    if (places > scaleDigits) scaleDigits = places;
  };

  // ---- items (pass 1: validate, find the scale) -------------------------------------------
  const rawItems = expectArray(root.items, "items");
  const itemCount = rawItems.length;
  const inputIds: string[] = new Array(itemCount);
  const indexOf = new Map<string, number>();
  const items: RawItem[] = new Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    const path = `items[${i}]`;
    const obj = expectObject(rawItems[i], path);
    const id = expectId(obj.id, `${path}.id`);
    const previous = indexOf.get(id);
    if (previous !== undefined) fail(`${path}.id`, `duplicate item id ${describe(id)} (also items[${previous}])`);
    indexOf.set(id, i);
    inputIds[i] = id;
    const leadTime =
      obj.leadTime === undefined
        ? 0
        : expectInt(obj.leadTime, `${path}.leadTime`, 0, MAX_LEAD_TIME, "a lead time: an integer number of periods");
    const decimals =
      obj.decimals === undefined ? 0 : expectInt(obj.decimals, `${path}.decimals`, 0, MAX_QUANTITY_DECIMALS);
    notePlaces(decimals);
    for (const field of ["onHand", "allocated", "safetyStock"] as const) {
      if (obj[field] !== undefined) notePlaces(quantityPlaces(obj[field], `${path}.${field}`));
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
      const code = typeof lot.rule === "string" && Object.hasOwn(RULE_CODES, lot.rule) ? RULE_CODES[lot.rule] : undefined;
      if (code === undefined) {
        fail(
          `${path}.lotSizing.rule`,
          `unknown lot-sizing rule ${describe(lot.rule)} (expected one of ${Object.keys(RULE_CODES).join(", ")})`,
        );
      }
      rule = code;
    }
    items[i] = {
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

  // ---- BOM lines (pass 1) -----------------------------------------------------------------
  const rawBom = optionalArray(root.bom, "bom");
  const lineCount = rawBom.length;
  const lineParent = new Int32Array(lineCount);
  const lineComponent = new Int32Array(lineCount);
  const resolve = (value: unknown, path: string): number => {
    const id = expectId(value, path);
    const index = indexOf.get(id);
    if (index === undefined) fail(path, `unknown item ${describe(id)}`);
    return index;
  };
  for (let k = 0; k < lineCount; k++) {
    const path = `bom[${k}]`;
    const obj = expectObject(rawBom[k], path);
    lineParent[k] = resolve(obj.parent, `${path}.parent`);
    lineComponent[k] = resolve(obj.component, `${path}.component`);
    if (!(typeof obj.qtyPer === "number" && Number.isSafeInteger(obj.qtyPer) && obj.qtyPer > 0)) {
      factorPlaces(obj.qtyPer, `${path}.qtyPer`, { positive: true });
    }
    if (obj.scrapPct !== undefined) factorPlaces(obj.scrapPct, `${path}.scrapPct`, {});
  }

  // ---- scheduled receipts and demand (pass 1) ---------------------------------------------
  const rawReceipts = optionalArray(root.scheduledReceipts, "scheduledReceipts");
  const receiptItem = new Int32Array(rawReceipts.length);
  const receiptPeriodIn = new Int32Array(rawReceipts.length);
  for (let k = 0; k < rawReceipts.length; k++) {
    const path = `scheduledReceipts[${k}]`;
    const obj = expectObject(rawReceipts[k], path);
    receiptItem[k] = resolve(obj.item, `${path}.item`);
    receiptPeriodIn[k] = expectPeriod(obj.period, `${path}.period`, periods) - 1;
    notePlaces(quantityPlaces(obj.qty, `${path}.qty`));
  }
  const rawDemand = optionalArray(root.demand, "demand");
  const demandItem = new Int32Array(rawDemand.length);
  const demandPeriodIn = new Int32Array(rawDemand.length);
  const demandRefIn: string[] = new Array(rawDemand.length);
  for (let k = 0; k < rawDemand.length; k++) {
    const path = `demand[${k}]`;
    const obj = expectObject(rawDemand[k], path);
    demandItem[k] = resolve(obj.item, `${path}.item`);
    demandPeriodIn[k] = expectPeriod(obj.period, `${path}.period`, periods) - 1;
    notePlaces(quantityPlaces(obj.qty, `${path}.qty`));
    demandRefIn[k] = expectDemandRef(obj.ref, `${path}.ref`);
  }

  // ---- ranks: low-level code, then id --------------------------------------------------------
  const llcByInput = computeLowLevelCodes(itemCount, lineParent, lineComponent, inputIds);
  const order = Array.from({ length: itemCount }, (_, i) => i);
  order.sort((a, b) => llcByInput[a] - llcByInput[b] || (inputIds[a] < inputIds[b] ? -1 : 1));
  const rankByInput = new Int32Array(itemCount);
  for (let r = 0; r < itemCount; r++) rankByInput[order[r]] = r;
  const ids = order.map((i) => inputIds[i]);
  const rankOf = new Map<string, number>();
  for (let r = 0; r < itemCount; r++) rankOf.set(ids[r], r);

  const scale = 10 ** scaleDigits;
  const toScaled = (value: unknown, path: string): number => {
    if (value === undefined) return 0; // optional quantities default to zero
    if (typeof value === "number" && Number.isSafeInteger(value)) {
      const scaled = value * scale;
      if (scaled <= MAX_SAFE) return scaled;
    }
    const scaled = toScaledNumber(expectDecimal(value, path), scaleDigits);
    if (scaled === null) fail(path, `${describe(value)} is too large to be handled exactly`);
    return scaled;
  };

  // ---- per-item arrays by rank --------------------------------------------------------------
  const lowLevelCode = new Int32Array(itemCount);
  const leadTime = new Int32Array(itemCount);
  const isMake = new Uint8Array(itemCount);
  const step = new Float64Array(itemCount);
  const onHand = new Float64Array(itemCount);
  const allocated = new Float64Array(itemCount);
  const safetyStock = new Float64Array(itemCount);
  const yieldNum = new Float64Array(itemCount);
  const yieldDen = new Float64Array(itemCount).fill(1);
  const bigYield = new Map<number, BigFactor>();
  const rule = new Uint8Array(itemCount);
  const ruleQty = new Float64Array(itemCount);
  const ruleMin = new Float64Array(itemCount);
  const ruleCap = new Float64Array(itemCount).fill(Number.POSITIVE_INFINITY);
  const rulePeriods = new Int32Array(itemCount);
  const eoqCosts = new Map<number, EoqCosts>();
  const hasComponents = new Uint8Array(itemCount);
  for (let k = 0; k < lineCount; k++) hasComponents[lineParent[k]] = 1;

  for (let i = 0; i < itemCount; i++) {
    const r = rankByInput[i];
    const raw = items[i];
    lowLevelCode[r] = llcByInput[i];
    leadTime[r] = raw.leadTime;
    isMake[r] = raw.makeOrBuy === undefined ? hasComponents[i] : raw.makeOrBuy === "make" ? 1 : 0;
    const itemStep = 10 ** (scaleDigits - raw.decimals);
    step[r] = itemStep;
    onHand[r] = toScaled(raw.onHand, `${raw.path}.onHand`);
    allocated[r] = toScaled(raw.allocated, `${raw.path}.allocated`);
    safetyStock[r] = toScaled(raw.safetyStock, `${raw.path}.safetyStock`);
    if (raw.yieldPct !== null) {
      // release = receipt × 100 / yield, rounded up to the item's step
      const y = toRational(raw.yieldPct);
      const f = reduce(100n * y.den, y.num * BigInt(itemStep));
      if (y.num !== 100n * y.den) {
        if (f.num <= BigInt(MAX_SAFE) && f.den <= BigInt(MAX_SAFE)) {
          yieldNum[r] = Number(f.num);
          yieldDen[r] = Number(f.den);
        } else {
          bigYield.set(r, f);
        }
      }
    }
    rule[r] = raw.rule;
    if (raw.lot) compileLotSizing(raw, raw.lot, r, itemStep, scaleDigits, {
      ruleQty,
      ruleMin,
      ruleCap,
      rulePeriods,
      eoqCosts,
    });
  }

  // ---- BOM by parent rank, then component rank, then factor ---------------------------------
  const lineFactorNum = new Float64Array(lineCount);
  const lineFactorDen = new Float64Array(lineCount);
  const bigByInputLine = new Map<number, BigFactor>();
  for (let k = 0; k < lineCount; k++) {
    const obj = rawBom[k] as Record<string, unknown>;
    const componentStep = step[rankByInput[lineComponent[k]]];
    const qtyPer = obj.qtyPer;
    const scrap = obj.scrapPct;
    if (
      typeof qtyPer === "number" && Number.isSafeInteger(qtyPer) && componentStep === 1 &&
      (scrap === undefined || scrap === 0)
    ) {
      lineFactorNum[k] = qtyPer;
      lineFactorDen[k] = 1;
      continue;
    }
    const q = toRational(expectDecimal(qtyPer, `bom[${k}].qtyPer`, { maxPlaces: 9 }));
    const s = scrap === undefined ? { num: 0n, den: 1n } : toRational(expectDecimal(scrap, `bom[${k}].scrapPct`, { maxPlaces: 9 }));
    // qtyPer × (1 + scrap/100) / componentStep
    const f = reduce(q.num * (100n * s.den + s.num), q.den * 100n * s.den * BigInt(componentStep));
    if (f.num <= BigInt(MAX_SAFE) && f.den <= BigInt(MAX_SAFE)) {
      lineFactorNum[k] = Number(f.num);
      lineFactorDen[k] = Number(f.den);
    } else {
      bigByInputLine.set(k, f);
      lineFactorNum[k] = Number(f.num); // approximate, only used to order duplicate lines
      lineFactorDen[k] = Number(f.den);
    }
  }
  const parentRank = new Int32Array(lineCount);
  const componentRank = new Int32Array(lineCount);
  for (let k = 0; k < lineCount; k++) {
    parentRank[k] = rankByInput[lineParent[k]];
    componentRank[k] = rankByInput[lineComponent[k]];
  }
  const byComponent = countingSort(componentRank, itemCount, identity(lineCount));
  const lineOrder = countingSort(parentRank, itemCount, byComponent);
  sortEqualRuns(lineOrder, (a, b) => parentRank[a] === parentRank[b] && componentRank[a] === componentRank[b], (a, b) =>
    compareFactor(a, b, lineFactorNum, lineFactorDen, bigByInputLine),
  );
  const bomStart = new Int32Array(itemCount + 1);
  const bomComponent = new Int32Array(lineCount);
  const bomParent = new Int32Array(lineCount);
  const bomNum = new Float64Array(lineCount);
  const bomDen = new Float64Array(lineCount);
  const bigLines = new Map<number, BigFactor>();
  for (let pos = 0; pos < lineCount; pos++) {
    const k = lineOrder[pos];
    bomStart[parentRank[k] + 1]++;
    bomComponent[pos] = componentRank[k];
    bomParent[pos] = parentRank[k];
    const big = bigByInputLine.get(k);
    if (big) bigLines.set(pos, big); // bomNum = bomDen = 0 marks "use the bigint factor"
    else {
      bomNum[pos] = lineFactorNum[k];
      bomDen[pos] = lineFactorDen[k];
    }
  }
  for (let r = 0; r < itemCount; r++) bomStart[r + 1] += bomStart[r];
  const usedLine = countingSort(bomComponent, itemCount, identity(lineCount));
  const usedStart = new Int32Array(itemCount + 1);
  for (let pos = 0; pos < lineCount; pos++) usedStart[bomComponent[pos] + 1]++;
  for (let r = 0; r < itemCount; r++) usedStart[r + 1] += usedStart[r];

  // ---- scheduled receipts by rank, period, qty --------------------------------------------------
  const receiptCount = rawReceipts.length;
  const receiptRankIn = new Int32Array(receiptCount);
  const receiptQtyIn = new Float64Array(receiptCount);
  const receiptsByPeriod = new Float64Array(itemCount * periods);
  for (let k = 0; k < receiptCount; k++) {
    const r = rankByInput[receiptItem[k]];
    receiptRankIn[k] = r;
    receiptQtyIn[k] = toScaled((rawReceipts[k] as Record<string, unknown>).qty, `scheduledReceipts[${k}].qty`);
    receiptsByPeriod[r * periods + receiptPeriodIn[k]] += receiptQtyIn[k];
  }
  const receiptOrder = countingSort(receiptRankIn, itemCount, countingSort(receiptPeriodIn, periods, sortedBy(receiptQtyIn)));
  const receiptStart = new Int32Array(itemCount + 1);
  const receiptPeriod = new Int32Array(receiptCount);
  const receiptQty = new Float64Array(receiptCount);
  for (let pos = 0; pos < receiptCount; pos++) {
    const k = receiptOrder[pos];
    receiptStart[receiptRankIn[k] + 1]++;
    receiptPeriod[pos] = receiptPeriodIn[k];
    receiptQty[pos] = receiptQtyIn[k];
  }
  for (let r = 0; r < itemCount; r++) receiptStart[r + 1] += receiptStart[r];

  // ---- demand by cell (rank, period), then ref, then qty -----------------------------------------
  const demandCount = rawDemand.length;
  const cellCount = itemCount * periods;
  const demandCell = new Int32Array(demandCount);
  const demandQtyIn = new Float64Array(demandCount);
  const independentDemand = new Float64Array(cellCount);
  for (let k = 0; k < demandCount; k++) {
    const cell = rankByInput[demandItem[k]] * periods + demandPeriodIn[k];
    demandCell[k] = cell;
    demandQtyIn[k] = toScaled((rawDemand[k] as Record<string, unknown>).qty, `demand[${k}].qty`);
    independentDemand[cell] += demandQtyIn[k];
  }
  const demandOrder = countingSort(demandCell, cellCount, identity(demandCount));
  sortEqualRuns(demandOrder, (a, b) => demandCell[a] === demandCell[b], (a, b) =>
    demandRefIn[a] < demandRefIn[b] ? -1 : demandRefIn[a] > demandRefIn[b] ? 1 : demandQtyIn[a] - demandQtyIn[b],
  );
  const demandStart = new Int32Array(cellCount + 1);
  const demandRef: string[] = new Array(demandCount);
  const demandQty = new Float64Array(demandCount);
  for (let pos = 0; pos < demandCount; pos++) {
    const k = demandOrder[pos];
    demandStart[demandCell[k] + 1]++;
    demandRef[pos] = demandRefIn[k];
    demandQty[pos] = demandQtyIn[k];
  }
  for (let c = 0; c < cellCount; c++) demandStart[c + 1] += demandStart[c];

  return {
    periods,
    scaleDigits,
    itemCount,
    ids,
    rankOf,
    lowLevelCode,
    leadTime,
    isMake,
    step,
    onHand,
    allocated,
    safetyStock,
    yieldNum,
    yieldDen,
    bigYield,
    rule,
    ruleQty,
    ruleMin,
    ruleCap,
    rulePeriods,
    eoqCosts,
    bomStart,
    bomComponent,
    bomNum,
    bomDen,
    bigLines,
    usedStart,
    usedLine,
    bomParent,
    independentDemand,
    demandStart,
    demandRef,
    demandQty,
    receiptsByPeriod,
    receiptStart,
    receiptPeriod,
    receiptQty,
  };
}

interface RuleArrays {
  ruleQty: Float64Array;
  ruleMin: Float64Array;
  ruleCap: Float64Array;
  rulePeriods: Int32Array;
  eoqCosts: Map<number, EoqCosts>;
}

/** Validates and stores one item's lot-sizing parameters (scaled to the engine's unit). */
function compileLotSizing(
  raw: RawItem,
  lot: Record<string, unknown>,
  r: number,
  itemStep: number,
  scaleDigits: number,
  out: RuleArrays,
): void {
  const path = `${raw.path}.lotSizing`;
  // A lot quantity must be expressible in the item's unit, else "whole lots" could not be honoured.
  const lotQuantity = (field: string, required: boolean, positive = true): number | undefined => {
    const value = lot[field];
    if (value === undefined) {
      if (required) fail(`${path}.${field}`, `is required for rule ${describe(lot.rule)}`);
      return undefined;
    }
    const parsed = expectDecimal(value, `${path}.${field}`, { positive });
    if (decimalPlaces(parsed) > raw.decimals) {
      fail(`${path}.${field}`, `${describe(value)} has more decimal places than the item's decimals (${raw.decimals})`);
    }
    const scaled = toScaledNumber(parsed, scaleDigits);
    if (scaled === null) fail(`${path}.${field}`, `${describe(value)} is too large to be handled exactly`);
    return scaled;
  };
  switch (raw.rule) {
    case RULE_FIXED:
    case RULE_MULTIPLE:
      out.ruleQty[r] = lotQuantity("qty", true) as number;
      return;
    case RULE_MIN_MAX_MULTIPLE: {
      const multiple = lotQuantity("multiple", false) ?? itemStep;
      const min = lotQuantity("min", false, false) ?? 0;
      const max = lotQuantity("max", false);
      out.ruleQty[r] = multiple;
      out.ruleMin[r] = min;
      if (max !== undefined) {
        const cap = Math.floor(max / multiple) * multiple;
        const smallest = Math.max(Math.ceil(min / multiple), 1) * multiple;
        if (cap < smallest) {
          fail(`${path}.max`, `max ${describe(lot.max)} leaves no allowed order size (min ${describe(lot.min ?? 0)}, multiple ${describe(lot.multiple ?? "1 unit")})`);
        }
        out.ruleCap[r] = cap;
      }
      return;
    }
    case RULE_PERIODS_OF_SUPPLY:
      out.rulePeriods[r] = expectInt(lot.periods, `${path}.periods`, 1, MAX_PERIODS, "a number of periods");
      return;
    case RULE_EOQ: {
      if (lot.setupCost === undefined) fail(`${path}.setupCost`, "is required for rule \"eoq\"");
      if (lot.holdingCostPerPeriod === undefined) fail(`${path}.holdingCostPerPeriod`, "is required for rule \"eoq\"");
      const setup = toRational(expectDecimal(lot.setupCost, `${path}.setupCost`, { maxPlaces: 12 }));
      const holding = toRational(
        expectDecimal(lot.holdingCostPerPeriod, `${path}.holdingCostPerPeriod`, { positive: true, maxPlaces: 12 }),
      );
      out.eoqCosts.set(r, { setup, holding });
      return;
    }
    default:
      return;
  }
}

function identity(length: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = i;
  return out;
}

/** Indices 0..n-1 sorted by value (used as the least significant key before counting sorts). */
function sortedBy(values: Float64Array): Int32Array {
  const idx = identity(values.length);
  return idx.sort((a, b) => values[a] - values[b]);
}

/**
 * Stable counting sort: returns `order` re-sorted by keys[order[i]] in
 * 0..keyCount-1, keeping the incoming order among equal keys (so chained
 * calls sort by several keys, least significant first).
 */
function countingSort(keys: Int32Array, keyCount: number, order: Int32Array): Int32Array {
  const start = new Int32Array(keyCount + 1);
  for (let i = 0; i < order.length; i++) start[keys[order[i]] + 1]++;
  for (let k = 0; k < keyCount; k++) start[k + 1] += start[k];
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[start[keys[order[i]]]++] = order[i];
  return out;
}

/** Sorts, in place, each run of adjacent entries that `same` groups together. */
function sortEqualRuns(
  order: Int32Array,
  same: (a: number, b: number) => boolean,
  compare: (a: number, b: number) => number,
): void {
  let runStart = 0;
  for (let i = 1; i <= order.length; i++) {
    if (i < order.length && same(order[runStart], order[i])) continue;
    if (i - runStart > 1) order.subarray(runStart, i).sort(compare);
    runStart = i;
  }
}

function compareFactor(
  a: number,
  b: number,
  num: Float64Array,
  den: Float64Array,
  big: ReadonlyMap<number, BigFactor>,
): number {
  const fa = big.get(a) ?? { num: BigInt(num[a]), den: BigInt(den[a]) };
  const fb = big.get(b) ?? { num: BigInt(num[b]), den: BigInt(den[b]) };
  const left = fa.num * fb.den;
  const right = fb.num * fa.den;
  return left < right ? -1 : left > right ? 1 : 0;
}
