/**
 * Public input and output shapes of the MRP engine (the JSON contract).
 * Quantities come in as JSON numbers or decimal strings and go out as
 * canonical decimal strings; periods are 1-based bucket numbers.
 */

/** A quantity as given in JSON: a number (e.g. 12.5) or a decimal string (e.g. "12.5"). */
export type DecimalInput = number | string;

export type LotSizingRuleName =
  | "lot-for-lot"
  | "fixed"
  | "multiple"
  | "min-max-multiple"
  | "periods-of-supply"
  | "eoq";

export type LotSizing =
  | { rule: "lot-for-lot" }
  /** Whole lots of `qty`: one or several orders of exactly `qty`. */
  | { rule: "fixed"; qty: DecimalInput }
  /** One order, rounded up to a multiple of `qty`. */
  | { rule: "multiple"; qty: DecimalInput }
  /** At least `min`, a multiple of `multiple`, orders above `max` split. All optional. */
  | { rule: "min-max-multiple"; min?: DecimalInput; max?: DecimalInput; multiple?: DecimalInput }
  /** Periods of supply / periodic order quantity (POQ): cover `periods` buckets. */
  | { rule: "periods-of-supply"; periods: number }
  /** Economic order quantity from setup and holding cost and average gross requirement. */
  | { rule: "eoq"; setupCost: DecimalInput; holdingCostPerPeriod: DecimalInput };

export type MakeOrBuy = "make" | "buy";

export interface MrpItemInput {
  id: string;
  /** Lead time in periods (>= 0). Default 0. */
  leadTime?: number;
  onHand?: DecimalInput;
  /** Quantity of the on-hand stock already promised elsewhere. Default 0. */
  allocated?: DecimalInput;
  safetyStock?: DecimalInput;
  /** Default lot-for-lot. */
  lotSizing?: LotSizing;
  /** Good output per started quantity, in percent (0 < yieldPct <= 100). Default 100. */
  yieldPct?: DecimalInput;
  /** Default: "make" when the item has BOM lines as a parent, else "buy". */
  makeOrBuy?: MakeOrBuy;
  /** Decimal places of the item's unit (0..6). Planned orders are rounded up to it. Default 0. */
  decimals?: number;
}

export interface MrpBomLineInput {
  parent: string;
  component: string;
  /** Component quantity per one unit of parent (> 0). */
  qtyPer: DecimalInput;
  /** Component scrap in percent: requirement = qtyPer × (1 + scrapPct/100). Default 0. */
  scrapPct?: DecimalInput;
}

export interface MrpScheduledReceiptInput {
  item: string;
  period: number;
  qty: DecimalInput;
}

export interface MrpDemandInput {
  item: string;
  period: number;
  qty: DecimalInput;
  /** The demand line's reference (sales order line, forecast id...). Pegging reports it. */
  ref: string;
}

export interface MrpInput {
  periods: number;
  items: MrpItemInput[];
  bom?: MrpBomLineInput[];
  scheduledReceipts?: MrpScheduledReceiptInput[];
  demand?: MrpDemandInput[];
}

/** One share of a planned order or requirement: `qty` of it serves demand reference `ref`. */
export interface PeggingEntry {
  ref: string;
  qty: string;
}

export interface MrpItemRecord {
  id: string;
  lowLevelCode: number;
  makeOrBuy: MakeOrBuy;
  leadTime: number;
  onHand: string;
  allocated: string;
  safetyStock: string;
  /** Only for the eoq rule: the lot size used, rounded to the item's decimals. */
  economicOrderQuantity?: string;
  grossRequirements: string[];
  scheduledReceipts: string[];
  projectedOnHand: string[];
  netRequirements: string[];
  plannedOrderReceipts: string[];
  plannedOrderReleases: string[];
}

export interface MrpPlannedOrder {
  /** `item:receiptPeriod:n`, n counting orders of the item received in that period. */
  id: string;
  item: string;
  kind: MakeOrBuy;
  releasePeriod: number;
  receiptPeriod: number;
  /** Good quantity received; the pegging adds up to it. */
  quantity: string;
  /** Quantity started: quantity / yield, rounded up. Components are exploded from it. */
  releaseQuantity: string;
  pegging: PeggingEntry[];
}

/** A gross requirement of a component caused by one planned order of a parent. */
export interface MrpDependentRequirement {
  item: string;
  period: number;
  qty: string;
  parentItem: string;
  parentOrder: string;
  pegging: PeggingEntry[];
}

export type MrpExceptionType =
  | "expedite"
  | "defer"
  | "cancel"
  | "past-due"
  | "below-safety-stock";

export interface MrpException {
  item: string;
  type: MrpExceptionType;
  /** expedite/defer/cancel: the receipt's due period; past-due: the period of need; below-safety-stock: the period. */
  period: number;
  /** expedite/defer/cancel: receipt quantity; past-due: quantity that is late; below-safety-stock: shortfall. */
  quantity: string;
  message: string;
  /** expedite/defer: the period the scheduled receipt is needed in. */
  rescheduleTo?: number;
  /** past-due: the release period that would have been needed (<= 0). */
  releasePeriod?: number;
}

export interface MrpItemJson extends MrpItemRecord {
  dependentRequirements: Omit<MrpDependentRequirement, "item">[];
}

/** The JSON document `npx kaiwu mrp` writes. */
export interface MrpOutputJson {
  periods: number;
  items: MrpItemJson[];
  plannedOrders: MrpPlannedOrder[];
  exceptions: MrpException[];
}
