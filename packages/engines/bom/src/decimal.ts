import { Decimal } from "decimal.js";

/**
 * Private Decimal constructor (the global decimal.js configuration is left alone).
 * Quantities are products and sums of the input decimals, so they stay exact;
 * 50 significant digits is far more than ten levels of BOM quantities need.
 */
export const Dec = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** Parses a plain decimal string ("2", "0.125"); no exponents, hex or blanks. */
export function parseDecimal(text: string, field: string, onError: (message: string) => Error): Dec {
  if (typeof text !== "string" || !DECIMAL_PATTERN.test(text)) {
    throw onError(`${field} must be a decimal string like "2.5", got ${JSON.stringify(text)}`);
  }
  return new Dec(text);
}

/** Exact quantity, no exponent, no trailing zeros. */
export function formatQty(value: Dec): string {
  return value.isZero() ? "0" : value.toFixed();
}
