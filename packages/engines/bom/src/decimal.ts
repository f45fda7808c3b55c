/**
 * Exact decimal quantities as scaled integers: the value is `units / 10^scale`.
 *
 * BOM quantities are only ever multiplied and added, so they can be kept exact
 * without rounding: a product multiplies the units and adds the scales, a sum
 * aligns the scales first. Digits add up level by level (ten levels of "1.234"
 * with 5 % scrap already need ~50 significant digits) and BigInt simply grows,
 * with no precision limit to set. In an explosion this is one BigInt per row
 * where decimal.js allocated several objects and digit arrays per operation.
 */
export interface Scaled {
  readonly units: bigint;
  /** Digits after the decimal point (≥ 0). */
  readonly scale: number;
}

export const ONE: Scaled = { units: 1n, scale: 0 };

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** A plain decimal string ("2", "-0.125"): no exponent, hex or blanks. */
export function isPlainDecimal(text: unknown): text is string {
  return typeof text === "string" && DECIMAL_PATTERN.test(text);
}

/** Parses a plain decimal string (check it with isPlainDecimal first); trailing zeros of the fraction are dropped. */
export function toScaled(text: string): Scaled {
  const point = text.indexOf(".");
  if (point < 0) return { units: BigInt(text), scale: 0 };
  let end = text.length;
  while (end > point + 1 && text.charCodeAt(end - 1) === ZERO_CHAR) end--;
  const fraction = text.slice(point + 1, end);
  return { units: BigInt(text.slice(0, point) + fraction), scale: fraction.length };
}

/** Parses a plain decimal string, or throws `onError` naming the field. */
export function parseDecimal(text: string, field: string, onError: (message: string) => Error): Scaled {
  if (!isPlainDecimal(text)) {
    throw onError(`${field} must be a decimal string like "2.5", got ${JSON.stringify(text)}`);
  }
  return toScaled(text);
}

/** The same value with as small a scale as possible ("2.50" → "2.5"). */
export function withoutTrailingZeros(value: Scaled): Scaled {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return { units, scale };
}

export function times(a: Scaled, b: Scaled): Scaled {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Units of a + b at the larger of the two scales. */
export function sumUnits(aUnits: bigint, aScale: number, bUnits: bigint, bScale: number): bigint {
  if (aScale === bScale) return aUnits + bUnits;
  return aScale > bScale ? aUnits + bUnits * powerOfTen(aScale - bScale) : aUnits * powerOfTen(bScale - aScale) + bUnits;
}

const powersOfTen: bigint[] = [1n];

/** 10^exponent, cached: scales of one explosion stay within a few dozen digits. */
function powerOfTen(exponent: number): bigint {
  for (let n = powersOfTen.length; n <= exponent; n++) powersOfTen.push(powersOfTen[n - 1] * 10n);
  return powersOfTen[exponent];
}

const ZERO_CHAR = 48; // "0"

/** Exact quantity, no exponent, no trailing zeros (what decimal.js `toFixed()` gives). */
export function formatQty(value: Scaled): string {
  return formatUnits(value.units, value.scale);
}

/** formatQty for a value held as separate units and scale (the explosion keeps them in parallel arrays). */
export function formatUnits(units: bigint, scale: number): string {
  if (units === 0n) return "0";
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  let end = digits.length;
  while (scale > 0 && digits.charCodeAt(end - 1) === ZERO_CHAR) {
    end--;
    scale--;
  }
  if (end < digits.length) digits = digits.slice(0, end);
  if (scale === 0) return negative ? `-${digits}` : digits;
  const point = digits.length - scale;
  const sign = negative ? "-" : "";
  // join builds one flat string; `+` would leave a tree of concatenated and sliced strings
  // in every row, several objects more per row for the garbage collector to copy.
  return point > 0 ? [sign, digits.slice(0, point), ".", digits.slice(point)].join("") : [sign, "0.", "0".repeat(-point), digits].join("");
}
