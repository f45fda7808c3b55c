/**
 * Field readers that check one input value and name it in the error, plus
 * the entry point for untrusted JSON lives in parse-input.ts.
 */
import {
  decimalPlaces,
  MAX_FACTOR_DECIMALS,
  MAX_QUANTITY_DECIMALS,
  type ParsedDecimal,
  parseDecimal,
} from "./decimal.ts";
import { MrpInputError } from "./errors.ts";

export function fail(path: string, message: string): never {
  throw new MrpInputError(path, message);
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

export function expectObject(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(path, `expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function expectArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${describe(value)}`);
  return value;
}

export function optionalArray(value: unknown, path: string): readonly unknown[] {
  return value === undefined ? [] : expectArray(value, path);
}

export function expectId(value: unknown, path: string): string {
  if (typeof value !== "string" || value.length === 0) {
    fail(path, `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function expectInt(value: unknown, path: string, min: number, max: number, what = "an integer"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
    fail(path, `expected ${what} ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Checks a period number against the horizon 1..periods. */
export function expectPeriod(value: unknown, path: string, periods: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    fail(path, `expected an integer period, got ${describe(value)}`);
  }
  if (value < 1 || value > periods) fail(path, `period ${value} is out of range 1..${periods}`);
  return value;
}

export interface DecimalRule {
  /** Reject zero. */
  positive?: boolean;
  maxPlaces?: number;
  /** Upper bound (inclusive) as a plain number, e.g. 100 for yield. */
  max?: number;
}

/** Reads a non-negative decimal (JSON number or decimal string). */
export function expectDecimal(value: unknown, path: string, rule: DecimalRule = {}): ParsedDecimal {
  const parsed = parseDecimal(value);
  if (parsed === null) fail(path, `expected a number or decimal string, got ${describe(value)}`);
  if (parsed.negative) fail(path, `must not be negative, got ${describe(value)}`);
  if (rule.positive && parsed.digits.length === 0) fail(path, `must be greater than 0, got ${describe(value)}`);
  const maxPlaces = rule.maxPlaces ?? MAX_QUANTITY_DECIMALS;
  if (decimalPlaces(parsed) > maxPlaces) {
    fail(path, `${describe(value)} has more than ${maxPlaces} decimal places`);
  }
  if (rule.max !== undefined && Number(value) > rule.max) {
    fail(path, `must be at most ${rule.max}, got ${describe(value)}`);
  }
  return parsed;
}

/**
 * Decimal places of a quantity, validating it; the fast path for integer
 * JSON numbers keeps validation of a million BOM lines cheap.
 */
export function quantityPlaces(value: unknown, path: string, positive = false): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= (positive ? 1 : 0)) return 0;
  return decimalPlaces(expectDecimal(value, path, { positive }));
}

export function factorPlaces(value: unknown, path: string, rule: DecimalRule): ParsedDecimal {
  return expectDecimal(value, path, { maxPlaces: MAX_FACTOR_DECIMALS, ...rule });
}

const RESERVED_REF_PREFIXES = ["SAFETY_STOCK:", "LOT_SIZE_EXCESS:", "ALLOCATED:"];

/** A demand reference: non-empty and not one of the pegging pseudo-refs. */
export function expectDemandRef(value: unknown, path: string): string {
  const ref = expectId(value, path);
  for (const prefix of RESERVED_REF_PREFIXES) {
    if (ref.startsWith(prefix)) fail(path, `reference ${describe(ref)} uses the reserved pegging prefix ${prefix}`);
  }
  return ref;
}
