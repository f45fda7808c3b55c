/**
 * Exact decimal quantities without binary floating point.
 *
 * Inside the engine every quantity is an integer count of 10^-scaleDigits
 * units ("scaled integer"), stored in a JS number. Integers up to
 * Number.MAX_SAFE_INTEGER (2^53 - 1) are exact in a double, and so are sums,
 * differences, products and `%` of such integers as long as the result stays
 * in that range. Every place that could leave the range checks it
 * (see `mulFits` and the per-item totals in netting.ts); nothing is ever
 * rounded silently. Multipliers (qtyPer, scrap, yield, costs) are exact
 * rationals; where a product does not fit a double the code falls back to
 * BigInt.
 */

/** Most decimal places accepted on an input quantity and on an item's `decimals`. */
export const MAX_QUANTITY_DECIMALS = 6;
/** Most decimal places accepted on a multiplier (qtyPer, scrapPct, yieldPct). */
export const MAX_FACTOR_DECIMALS = 9;

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** A decimal as sign, significant digits and power of ten: value = ±digits × 10^exponent. */
export interface ParsedDecimal {
  readonly negative: boolean;
  /** Digits without leading or trailing zeros; "" for zero. */
  readonly digits: string;
  readonly exponent: number;
}

const ZERO: ParsedDecimal = { negative: false, digits: "", exponent: 0 };

/**
 * Parses a JSON number or a decimal string ("12", "-0.5", "1.25e3").
 * Returns null when the value is not a finite decimal number.
 */
export function parseDecimal(value: unknown): ParsedDecimal | null {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    text = String(value); // shortest round-trip form, e.g. "0.1", "1e-7"
  } else if (typeof value === "string") {
    text = value;
  } else {
    return null;
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return null;
  const intPart = match[2] ?? "";
  const fracPart = match[3] ?? "";
  if (intPart.length === 0 && fracPart.length === 0) return null;
  let digits = intPart + fracPart;
  let exponent = Number(match[4] ?? "0") - fracPart.length;
  let start = 0;
  while (start < digits.length && digits.charCodeAt(start) === 48) start++;
  digits = digits.slice(start);
  if (digits.length === 0) return ZERO;
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  exponent += digits.length - end;
  digits = digits.slice(0, end);
  return { negative: match[1] === "-", digits, exponent };
}

/** Number of decimal places needed to write the value exactly. */
export function decimalPlaces(d: ParsedDecimal): number {
  return d.exponent < 0 ? -d.exponent : 0;
}

/**
 * The value as a scaled integer (value × 10^scaleDigits) in a JS number,
 * or null if it does not fit exactly. The caller guarantees
 * decimalPlaces(d) <= scaleDigits.
 */
export function toScaledNumber(d: ParsedDecimal, scaleDigits: number): number | null {
  if (d.digits.length === 0) return 0;
  const shift = d.exponent + scaleDigits;
  if (shift < 0) return null;
  if (d.digits.length + shift > 16) return null; // > 10^16 > 2^53: cannot be exact
  const magnitude = Number(d.digits + "0".repeat(shift));
  if (!Number.isSafeInteger(magnitude)) return null;
  return d.negative ? -magnitude : magnitude;
}

/** An exact non-negative rational num/den with bigint parts. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export function toRational(d: ParsedDecimal): Rational {
  if (d.digits.length === 0) return { num: 0n, den: 1n };
  const digits = BigInt(d.digits) * (d.negative ? -1n : 1n);
  return d.exponent >= 0
    ? { num: digits * 10n ** BigInt(d.exponent), den: 1n }
    : { num: digits, den: 10n ** BigInt(-d.exponent) };
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/** Reduces a fraction of non-negative bigints to lowest terms. */
export function reduce(num: bigint, den: bigint): Rational {
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** True when a × b of two non-negative safe integers is itself a safe integer (so exact). */
export function mulFits(a: number, b: number): boolean {
  return a * b <= MAX_SAFE;
}

/**
 * ceil(p / d) for non-negative safe integers, exactly: `%` on doubles is exact
 * and p - r is an exact multiple of d, so the division is exact too.
 */
export function ceilDiv(p: number, d: number): number {
  const r = p % d;
  return (p - r) / d + (r > 0 ? 1 : 0);
}

/** floor(p / d) for non-negative safe integers, exactly. */
export function floorDiv(p: number, d: number): number {
  return (p - (p % d)) / d;
}

/** Smallest multiple of `step` that is >= q (q >= 0, step > 0). */
export function roundUpTo(q: number, step: number): number {
  return step === 1 ? q : ceilDiv(q, step) * step;
}

export function ceilDivBig(p: bigint, d: bigint): bigint {
  const q = p / d;
  return q * d === p ? q : q + 1n;
}

/** Formats a scaled integer (in a JS number) as a canonical decimal string: "12", "-0.5". */
export function formatScaled(value: number, scaleDigits: number): string {
  if (scaleDigits === 0) return value === 0 ? "0" : String(value);
  const negative = value < 0;
  const magnitude = negative ? -value : value;
  const unit = 10 ** scaleDigits;
  const frac = magnitude % unit;
  const whole = (magnitude - frac) / unit;
  let text = String(whole);
  if (frac !== 0) {
    let fracText = String(frac).padStart(scaleDigits, "0");
    let end = fracText.length;
    while (fracText.charCodeAt(end - 1) === 48) end--;
    fracText = fracText.slice(0, end);
    text += `.${fracText}`;
  }
  return negative ? `-${text}` : text;
}

/** Formats a scaled bigint as a canonical decimal string. */
export function formatScaledBig(value: bigint, scaleDigits: number): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const unit = 10n ** BigInt(scaleDigits);
  const whole = magnitude / unit;
  const frac = magnitude % unit;
  let text = whole.toString();
  if (frac !== 0n) {
    text += `.${frac.toString().padStart(scaleDigits, "0").replace(/0+$/, "")}`;
  }
  return negative ? `-${text}` : text;
}

/** Canonical decimal string of a parsed decimal (used to echo inputs). */
export function formatParsed(d: ParsedDecimal): string {
  const r = toRational(d);
  const places = decimalPlaces(d);
  return formatScaledBig((r.num * 10n ** BigInt(places)) / r.den, places);
}
