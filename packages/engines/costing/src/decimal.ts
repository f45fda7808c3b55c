import { Decimal } from "decimal.js";

/**
 * Private Decimal constructor so the global decimal.js configuration used by
 * other packages is never touched.
 *
 * Intermediate results (divisions) are truncated at 50 significant digits and
 * only the final figure is rounded HALF_UP to its scale. Truncating first is what
 * makes the final HALF_UP rounding safe from double rounding: a value just below a
 * half stays below it, a value at or above a half stays at or above it.
 */
export const Dec = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_DOWN,
  toExpNeg: -100,
  toExpPos: 100,
});
export type Dec = InstanceType<typeof Dec>;

/** Money (values, variances, adjustments): 2 decimal places. */
export const MONEY_SCALE = 2;
/** Unit costs: 6 decimal places. */
export const UNIT_COST_SCALE = 6;

export const ZERO = new Dec(0);

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** Parses a plain decimal string ("12", "-0.5", "3.125000"); no exponents, no hex, no blanks. */
export function parseDecimal(text: string, field: string, onError: (message: string) => Error): Dec {
  if (typeof text !== "string" || !DECIMAL_PATTERN.test(text)) {
    throw onError(`${field} must be a decimal string like "12.50", got ${JSON.stringify(text)}`);
  }
  return new Dec(text);
}

export function roundMoney(value: Dec): Dec {
  return value.toDecimalPlaces(MONEY_SCALE, Dec.ROUND_HALF_UP);
}

export function roundUnitCost(value: Dec): Dec {
  return value.toDecimalPlaces(UNIT_COST_SCALE, Dec.ROUND_HALF_UP);
}

/** Money as a string with exactly 2 decimals ("-0.00" is normalised to "0.00"). */
export function formatMoney(value: Dec): string {
  const rounded = roundMoney(value);
  return rounded.isZero() ? "0.00" : rounded.toFixed(MONEY_SCALE);
}

/** Unit cost as a string with exactly 6 decimals. */
export function formatUnitCost(value: Dec): string {
  const rounded = roundUnitCost(value);
  return rounded.isZero() ? "0.000000" : rounded.toFixed(UNIT_COST_SCALE);
}

/** Quantities are kept exact; printed without exponent and without trailing zeros. */
export function formatQty(value: Dec): string {
  return value.isZero() ? "0" : value.toFixed();
}

/** value × part / whole, rounded to money: the share of a value that belongs to part of a quantity. */
export function proportionalMoney(value: Dec, part: Dec, whole: Dec): Dec {
  if (part.eq(whole)) return value;
  return roundMoney(value.times(part).div(whole));
}
