import { Decimal } from "decimal.js";

/**
 * Unit-of-measure conversion, pure (no database): other modules load the units and call this.
 *
 * Within a category every unit has a `ratio`: how many of the category's reference unit one of it is
 * (kg 1, g 0.001, t 1000). Across categories only an item knows the answer: its alternative units
 * (`item_uom.factor`: base units in one alternative unit) say that one box of this item holds 10 pieces
 * or that one piece weighs 0.35 kg. An item factor also overrides the category ratio for that item.
 */

// 40 significant digits: ratios have 12 decimals and 24 digits, and a chain of two conversions must
// not lose what the result's rounding keeps.
const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
type Dec = InstanceType<typeof Dec>;

export interface UnitInfo {
  id: number;
  /** For error messages only. */
  code?: string;
  categoryId: number;
  /** Reference units of the category in one of this unit (decimal string or number). */
  ratio: Decimal.Value;
  /** Quantities in this unit are multiples of this (1 for pieces, 0.001 for kg). */
  rounding: Decimal.Value;
}

export interface ItemUnits {
  /** The item's base unit: what its stock is kept in. */
  base: UnitInfo;
  /** The item's alternative units with their factor: base units in one of that unit. */
  alternatives: readonly { unit: UnitInfo; factor: Decimal.Value }[];
}

/**
 * half-up: nearest multiple, halves away from zero (the default); up: away from zero (never order too
 * little); down: toward zero (what whole boxes fit); none: no rounding (12 decimals kept).
 */
export type RoundingMode = "half-up" | "up" | "down" | "none";

export class UomConversionError extends Error {
  constructor(
    readonly reason: "no_conversion" | "bad_quantity",
    readonly from?: UnitInfo,
    readonly to?: UnitInfo,
  ) {
    super(
      reason === "bad_quantity"
        ? "the quantity is not a decimal number"
        : `no conversion from ${from?.code ?? from?.id} to ${to?.code ?? to?.id}${from?.categoryId !== to?.categoryId ? " (different categories and no item factor)" : ""}`,
    );
    this.name = "UomConversionError";
  }
}

function dec(v: Decimal.Value): Dec {
  try {
    const d = new Dec(v);
    if (!d.isFinite()) throw new Error("not finite");
    return d;
  } catch {
    throw new UomConversionError("bad_quantity");
  }
}

/** Base units of `item` in one `unit`, or null when the item gives no way to get there. */
export function baseUnitsPer(unit: UnitInfo, item: ItemUnits): Dec | null {
  if (unit.id === item.base.id) return new Dec(1);
  const own = item.alternatives.find((a) => a.unit.id === unit.id);
  if (own) return dec(own.factor);
  if (unit.categoryId === item.base.categoryId) return dec(unit.ratio).div(dec(item.base.ratio));
  // A unit of the category of one of the item's alternatives (g when the item knows kg).
  const sibling = item.alternatives.find((a) => a.unit.categoryId === unit.categoryId);
  if (sibling) return dec(sibling.factor).mul(dec(unit.ratio)).div(dec(sibling.unit.ratio));
  return null;
}

/** `qty` rounded to a multiple of the unit's rounding. */
export function roundToUnit(qty: Decimal.Value, unit: Pick<UnitInfo, "rounding">, mode: RoundingMode = "half-up"): string {
  return canonical(roundTo(dec(qty), dec(unit.rounding), mode));
}

function roundTo(q: Dec, step: Dec, mode: RoundingMode): Dec {
  if (mode === "none") return q.toDecimalPlaces(12, Decimal.ROUND_HALF_UP);
  const dm = mode === "up" ? Decimal.ROUND_UP : mode === "down" ? Decimal.ROUND_DOWN : Decimal.ROUND_HALF_UP;
  return q.div(step).toDecimalPlaces(0, dm).mul(step);
}

/** A decimal as a plain string: no exponent, no trailing zeros, no "-0". */
export function canonical(d: Decimal.Value): string {
  const x = dec(d);
  if (x.isZero()) return "0";
  const s = x.toFixed();
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/**
 * Converts `qty` from one unit to another, rounded to the target unit (half-up unless said otherwise).
 * Without `item` both units must share a category; with it, any of the item's units (and units of
 * their categories) convert through the base unit. Throws UomConversionError when there is no way.
 */
export function convertQty(
  qty: Decimal.Value,
  from: UnitInfo,
  to: UnitInfo,
  opts: { item?: ItemUnits; rounding?: RoundingMode } = {},
): string {
  const q = dec(qty);
  const mode = opts.rounding ?? "half-up";
  if (from.id === to.id) return canonical(roundTo(q, dec(to.rounding), mode));
  let result: Dec;
  if (opts.item) {
    const f = baseUnitsPer(from, opts.item);
    const t = baseUnitsPer(to, opts.item);
    if (!f || !t) throw new UomConversionError("no_conversion", from, to);
    result = q.mul(f).div(t);
  } else {
    if (from.categoryId !== to.categoryId) throw new UomConversionError("no_conversion", from, to);
    result = q.mul(dec(from.ratio)).div(dec(to.ratio));
  }
  return canonical(roundTo(result, dec(to.rounding), mode));
}

/** Whether `qty` is a whole multiple of the unit's rounding (what a quantity typed in that unit must be). */
export function fitsUnit(qty: Decimal.Value, unit: Pick<UnitInfo, "rounding">): boolean {
  return dec(qty).mod(dec(unit.rounding)).isZero();
}

/**
 * Decimal places a unit's quantities need (0..6), for engines that count in decimals (the MRP engine's
 * `decimals`): 0 for a rounding of 1 or 12, 3 for 0.001, 1 for 0.5.
 */
export function unitDecimals(rounding: Decimal.Value): number {
  return Math.min(6, dec(rounding).decimalPlaces());
}
