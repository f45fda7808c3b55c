import { type Dec, ZERO, formatMoney, formatQty, parseDecimal } from "./decimal.ts";
import { InvalidInputError } from "./errors.ts";
import type { ValuationEntry } from "./types.ts";

export interface InventoryValueLine {
  key: string;
  qty: string;
  value: string;
}

export interface InventoryValue {
  asOf: string;
  /** Total value over all keys, 2 dp. */
  value: string;
  /** One line per valuation key, sorted by key. */
  byKey: InventoryValueLine[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Inventory quantity and value as of a date, from stored entries: the sum of the
 * entries dated on or before `asOf`. Works because every entry's value is the
 * exact change of inventory value it caused.
 *
 * A date-only `asOf` ("2025-03-31") includes the whole day, whatever time the
 * entries carry. A date-time `asOf` is compared as text, so entries and `asOf`
 * must use the same format and time zone (UTC).
 */
export function inventoryValueAsOf(entries: readonly ValuationEntry[], asOf: string): InventoryValue {
  if (typeof asOf !== "string" || !ISO_DATE.test(asOf)) {
    throw new InvalidInputError(`asOf must be an ISO date, got ${JSON.stringify(asOf)}`);
  }
  const dateOnly = asOf.length === 10;
  const totals = new Map<string, { qty: Dec; value: Dec }>();
  let grandTotal = ZERO;
  for (const entry of entries) {
    const date = dateOnly ? entry.date.slice(0, 10) : entry.date;
    if (date > asOf) continue;
    const invalid = (message: string) => new InvalidInputError(message);
    const qty = parseDecimal(entry.qty, `entry ${entry.moveId} qty`, invalid);
    const value = parseDecimal(entry.value, `entry ${entry.moveId} value`, invalid);
    const total = totals.get(entry.key) ?? { qty: ZERO, value: ZERO };
    totals.set(entry.key, { qty: total.qty.plus(qty), value: total.value.plus(value) });
    grandTotal = grandTotal.plus(value);
  }
  const byKey = [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, total]) => ({ key, qty: formatQty(total.qty), value: formatMoney(total.value) }));
  return { asOf, value: formatMoney(grandTotal), byKey };
}
