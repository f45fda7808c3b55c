/**
 * The compiled model: the planner's indexed, typed-array view of an
 * `MrpInput` (built and validated by compile.ts).
 *
 * Items are identified by their "rank": their position in planning/output
 * order, sorted by low-level code then id. Per-item arrays are indexed by
 * rank, per-period arrays by rank × periods + (period - 1), all quantities
 * are scaled integers (see decimal.ts), and every list is in a canonical
 * order, so nothing downstream depends on the order of the input lists.
 */
import type { Rational } from "./decimal.ts";

export const RULE_LOT_FOR_LOT = 0;
export const RULE_FIXED = 1;
export const RULE_MULTIPLE = 2;
export const RULE_MIN_MAX_MULTIPLE = 3;
export const RULE_PERIODS_OF_SUPPLY = 4;
export const RULE_EOQ = 5;

export const RULE_CODES: Readonly<Record<string, number>> = {
  "lot-for-lot": RULE_LOT_FOR_LOT,
  fixed: RULE_FIXED,
  multiple: RULE_MULTIPLE,
  "min-max-multiple": RULE_MIN_MAX_MULTIPLE,
  "periods-of-supply": RULE_PERIODS_OF_SUPPLY,
  eoq: RULE_EOQ,
};

export const MAX_PERIODS = 100_000;
export const MAX_LEAD_TIME = 1_000_000;

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
