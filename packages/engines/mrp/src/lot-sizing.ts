/**
 * Lot sizing: how much to order once netting finds a net requirement.
 *
 * All quantities are scaled integers (see decimal.ts). A rule's answer is
 * written into a reusable `LotPlan` — `count` orders of `qty` followed by one
 * order of `last` (skipped when 0) — so the hot loop allocates nothing, even
 * when a rule splits a requirement into several orders.
 */
import { ceilDiv, roundUpTo } from "./decimal.ts";
import {
  type CompiledModel,
  type EoqCosts,
  RULE_EOQ,
  RULE_FIXED,
  RULE_MIN_MAX_MULTIPLE,
  RULE_MULTIPLE,
  RULE_PERIODS_OF_SUPPLY,
} from "./model.ts";

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
      out.last = rounded > ctx.eoq ? rounded : ctx.eoq;
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
