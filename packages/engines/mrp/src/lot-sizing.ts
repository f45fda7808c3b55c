/**
 * Lot sizing: how much to order once netting finds a net requirement, and
 * the validation of each rule's parameters.
 *
 * All quantities are scaled integers (see decimal.ts). A rule's answer is
 * written into a reusable `LotPlan` — `count` orders of `qty` followed by one
 * order of `last` (skipped when 0) — so the hot loop allocates nothing, even
 * when a rule splits a requirement into several orders.
 */
import type { ItemSpec } from "./compile.ts";
import { ceilDiv, decimalPlaces, roundUpTo, toRational, toScaledNumber } from "./decimal.ts";
import {
  type CompiledModel,
  type EoqCosts,
  MAX_PERIODS,
  RULE_EOQ,
  RULE_FIXED,
  RULE_MIN_MAX_MULTIPLE,
  RULE_MULTIPLE,
  RULE_PERIODS_OF_SUPPLY,
} from "./model.ts";
import { describe, expectDecimal, expectInt, fail } from "./validate.ts";

export interface LotPlan {
  count: number;
  qty: number;
  last: number;
}

/** What a rule may look at besides the net requirement. */
export interface LotContext {
  /** Gross requirements and scheduled receipts of all items (rank × periods + t). */
  readonly gross: Float64Array;
  readonly receipts: Float64Array;
  /** Index of the item's period 1 in those arrays. */
  readonly base: number;
  /** Current period (0-based). */
  readonly t: number;
  /** Projected on hand at the end of period t before this order. */
  readonly projected: number;
  /** The item's EOQ in scaled units (eoq rule only). */
  readonly eoq: number;
}

/**
 * Sizes the order(s) for net requirement `need` (> 0) of item rank `r`.
 * Every rule returns at least `need` in total, rounded up to the item's step.
 */
export function sizeLot(m: CompiledModel, r: number, need: number, ctx: LotContext, out: LotPlan): void {
  const step = m.step[r];
  out.count = 0;
  out.qty = 0;
  switch (m.rule[r]) {
    case RULE_FIXED: {
      // whole lots of Q: as many orders of exactly Q as it takes
      out.count = ceilDiv(need, m.ruleQty[r]);
      out.qty = m.ruleQty[r];
      out.last = 0;
      return;
    }
    case RULE_MULTIPLE:
      out.last = roundUpTo(need, m.ruleQty[r]);
      return;
    case RULE_MIN_MAX_MULTIPLE: {
      const multiple = m.ruleQty[r];
      const cap = m.ruleCap[r];
      let rest = need;
      if (need > cap) {
        // orders of the largest allowed size, the remainder (<= cap) in a last order
        out.count = ceilDiv(need, cap) - 1;
        out.qty = cap;
        rest = need - out.count * cap;
      }
      out.last = roundUpTo(Math.max(rest, m.ruleMin[r]), multiple);
      return;
    }
    case RULE_PERIODS_OF_SUPPLY: {
      // cover this period and the next (periods - 1): the largest shortfall in the window
      const end = Math.min(ctx.t + m.rulePeriods[r], m.periods);
      const ss = m.safetyStock[r];
      let q = need;
      let running = ctx.projected;
      for (let u = ctx.t + 1; u < end; u++) {
        running += ctx.receipts[ctx.base + u] - ctx.gross[ctx.base + u];
        if (ss - running > q) q = ss - running;
      }
      out.last = roundUpTo(q, step);
      return;
    }
    case RULE_EOQ: {
      const rounded = roundUpTo(need, step);
      out.last = Math.max(rounded, ctx.eoq); // max(net, EOQ)
      return;
    }
    default:
      out.last = roundUpTo(need, step);
  }
}

/** Integer square root (floor) of a non-negative bigint, by Newton's method. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Newton steps from a float estimate; then fix the last unit exactly
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/**
 * EOQ = sqrt(2 × setupCost × D / holdingCostPerPeriod), D = average gross
 * requirement per period over the horizon (sum of the item's gross
 * requirements / periods). Rounded half up to the item's decimals, exactly
 * (integer square root on a rational), returned in scaled units.
 */
export function economicOrderQuantity(
  costs: EoqCosts,
  totalGross: number,
  periods: number,
  scaleDigits: number,
  step: number,
): number {
  if (totalGross <= 0 || costs.setup.num === 0n) return 0;
  const decimals = scaleDigits - Math.round(Math.log10(step));
  const tenPow2d = 10n ** BigInt(2 * decimals);
  // EOQ² × 10^(2d) = 2 S D 10^(2d) / H, with D = totalGross / (10^scaleDigits × periods)
  const a = 2n * costs.setup.num * costs.holding.den * BigInt(totalGross) * tenPow2d;
  const b = costs.setup.den * costs.holding.num * 10n ** BigInt(scaleDigits) * BigInt(periods);
  let q = isqrt(a / b);
  // round half up: sqrt(a/b) >= q + 1/2  <=>  4a >= (2q+1)² b
  if (4n * a >= (2n * q + 1n) ** 2n * b) q += 1n;
  const scaled = Number(q) * step;
  return scaled;
}

/** The model's lot-sizing columns, filled by compileLotSizing. */
export interface LotSizingArrays {
  rule: Uint8Array;
  ruleQty: Float64Array;
  ruleMin: Float64Array;
  ruleCap: Float64Array;
  rulePeriods: Int32Array;
  eoqCosts: Map<number, EoqCosts>;
}

/** Validates and stores one item's lot-sizing parameters (scaled to the engine's unit). */
export function compileLotSizing(
  raw: ItemSpec,
  lot: Record<string, unknown>,
  r: number,
  itemStep: number,
  scaleDigits: number,
  out: LotSizingArrays,
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
