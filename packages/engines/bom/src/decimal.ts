import { Decimal } from "decimal.js";

/**
 * Private Decimal constructor (the global decimal.js configuration is left alone).
 * Quantities are products and sums of the input decimals and are kept exact.
 * Digits add up level by level (ten levels of "1.234" with 5 % scrap already
 * need ~50 significant digits), so the precision is set far beyond any real
 * BOM; it costs nothing unless the digits are actually there.
 */
export const Dec = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -1000, toExpPos: 1000 });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** A plain decimal string ("2", "-0.125"): no exponent, hex or blanks. */
export function isPlainDecimal(text: unknown): text is string {
  return typeof text === "string" && DECIMAL_PATTERN.test(text);
}

/** Parses a plain decimal string, or throws `onError` naming the field. */
export function parseDecimal(text: string, field: string, onError: (message: string) => Error): Dec {
  if (!isPlainDecimal(text)) {
    throw onError(`${field} must be a decimal string like "2.5", got ${JSON.stringify(text)}`);
  }
  return new Dec(text);
}

/** Exact quantity, no exponent, no trailing zeros. */
export function formatQty(value: Dec): string {
  return value.isZero() ? "0" : value.toFixed();
}
