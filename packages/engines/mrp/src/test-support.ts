/**
 * Helpers shared by the tests (not part of the public API).
 */
import { expect } from "vitest";
import type { MrpResult } from "./result.ts";

export interface ExpectedRecord {
  lowLevelCode?: number;
  gross: readonly number[];
  receipts: readonly number[];
  projected: readonly number[];
  net: readonly number[];
  plannedReceipts: readonly number[];
  plannedReleases: readonly number[];
}

const strings = (values: readonly number[]) => values.map(String);

/** Asserts every number of every row of an item's time-phased record. */
export function expectRecord(result: MrpResult, itemId: string, expected: ExpectedRecord): void {
  const record = result.item(itemId);
  const actual = {
    lowLevelCode: record.lowLevelCode,
    gross: record.grossRequirements,
    receipts: record.scheduledReceipts,
    projected: record.projectedOnHand,
    net: record.netRequirements,
    plannedReceipts: record.plannedOrderReceipts,
    plannedReleases: record.plannedOrderReleases,
  };
  expect(actual, `record of ${itemId}`).toEqual({
    lowLevelCode: expected.lowLevelCode ?? record.lowLevelCode,
    gross: strings(expected.gross),
    receipts: strings(expected.receipts),
    projected: strings(expected.projected),
    net: strings(expected.net),
    plannedReceipts: strings(expected.plannedReceipts),
    plannedReleases: strings(expected.plannedReleases),
  });
}

/** Demand lines from a gross-requirement row, one ref per period (`prefix` + period). */
export function demandRow(item: string, row: readonly number[], prefix = `${item}-P`) {
  return row
    .map((qty, t) => ({ item, period: t + 1, qty, ref: `${prefix}${t + 1}` }))
    .filter((line) => line.qty > 0);
}

/** Setup + holding cost of one item's plan (holding charged on ending inventory), as textbooks tally it. */
export function planCost(result: MrpResult, itemId: string, setupCost: number, holdingCostPerPeriod: number): number {
  const orders = result.plannedOrders(itemId).length;
  const holding = result
    .item(itemId)
    .projectedOnHand.map(Number)
    .reduce((sum, onHand) => sum + Math.max(0, onHand), 0);
  return orders * setupCost + holding * holdingCostPerPeriod;
}
