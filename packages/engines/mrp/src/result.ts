/**
 * The result of a run. Records, planned orders and exceptions are kept as
 * typed-array columns (scaled integers, see decimal.ts); the accessors here
 * turn them into the public shapes with decimal strings on request, and
 * resolve pegging lazily.
 */
import { formatScaled } from "./decimal.ts";
import { describeException } from "./exceptions.ts";
import type { CompiledModel } from "./model.ts";
import type { Plan } from "./netting.ts";
import { PeggingResolver, type PegPiece, totalsByRef } from "./pegging.ts";
import type {
  MrpDependentRequirement,
  MrpException,
  MrpItemRecord,
  MrpPlannedOrder,
  PeggingEntry,
} from "./types.ts";

export class MrpResult {
  readonly periods: number;
  /** Item ids in output order: low-level code, then id. */
  readonly itemIds: readonly string[];
  /** The compiled input and the raw columns, for callers that need speed over convenience. */
  readonly model: CompiledModel;
  readonly plan: Plan;
  private resolver: PeggingResolver | undefined;

  constructor(model: CompiledModel, plan: Plan) {
    this.model = model;
    this.plan = plan;
    this.periods = model.periods;
    this.itemIds = model.ids;
  }

  get plannedOrderCount(): number {
    return this.plan.orders.count;
  }

  get exceptionCount(): number {
    return this.plan.exceptions.count;
  }

  /** Formats a scaled quantity as a decimal string. */
  format(scaled: number): string {
    return formatScaled(scaled, this.model.scaleDigits);
  }

  /** Rank (output position) of an item; throws for an unknown id. */
  rankOf(itemId: string): number {
    const rank = this.model.rankOf.get(itemId);
    if (rank === undefined) throw new RangeError(`unknown item "${itemId}"`);
    return rank;
  }

  /** The time-phased record of one item. */
  item(itemId: string): MrpItemRecord {
    return this.itemAt(this.rankOf(itemId));
  }

  itemAt(rank: number): MrpItemRecord {
    const m = this.model;
    const p = this.plan;
    const base = rank * m.periods;
    const row = (column: Float64Array): string[] => {
      const out: string[] = new Array(m.periods);
      for (let t = 0; t < m.periods; t++) out[t] = this.format(column[base + t]);
      return out;
    };
    const record: MrpItemRecord = {
      id: m.ids[rank],
      lowLevelCode: m.lowLevelCode[rank],
      makeOrBuy: m.isMake[rank] === 1 ? "make" : "buy",
      leadTime: m.leadTime[rank],
      onHand: this.format(m.onHand[rank]),
      allocated: this.format(m.allocated[rank]),
      safetyStock: this.format(m.safetyStock[rank]),
      grossRequirements: row(p.gross),
      scheduledReceipts: row(m.receiptsByPeriod),
      projectedOnHand: row(p.projected),
      netRequirements: row(p.net),
      plannedOrderReceipts: row(p.plannedReceipts),
      plannedOrderReleases: row(p.plannedReleases),
    };
    if (p.eoq[rank] >= 0) record.economicOrderQuantity = this.format(p.eoq[rank]);
    return record;
  }

  /** Planned orders of one item, or of all items (in output order) when no id is given. */
  plannedOrders(itemId?: string, withPegging = true): MrpPlannedOrder[] {
    const from = itemId === undefined ? 0 : this.plan.orderStart[this.rankOf(itemId)];
    const to = itemId === undefined ? this.plan.orders.count : this.plan.orderStart[this.rankOf(itemId) + 1];
    const out: MrpPlannedOrder[] = [];
    for (let o = from; o < to; o++) out.push(this.plannedOrder(o, withPegging));
    return out;
  }

  /** Planned order number `o` (0-based, in output order), with its pegging unless told otherwise. */
  plannedOrder(o: number, withPegging = true): MrpPlannedOrder {
    const orders = this.plan.orders;
    const rank = orders.item[o];
    return {
      id: this.orderId(o),
      item: this.model.ids[rank],
      kind: this.model.isMake[rank] === 1 ? "make" : "buy",
      releasePeriod: orders.release[o] + 1,
      receiptPeriod: orders.receipt[o] + 1,
      quantity: this.format(orders.qty[o]),
      releaseQuantity: this.format(orders.releaseQty[o]),
      pegging: withPegging ? this.pegging(o) : [],
    };
  }

  /** `item:receiptPeriod:n`, n counting the item's orders received in that period from 1. */
  orderId(o: number): string {
    const orders = this.plan.orders;
    const rank = orders.item[o];
    const first = this.plan.orderStart[rank];
    let k = o;
    while (k > first && orders.receipt[k - 1] === orders.receipt[o]) k--;
    return `${this.model.ids[rank]}:${orders.receipt[o] + 1}:${o - k + 1}`;
  }

  /** Which demand refs planned order `o` serves, summed per ref in order of first use. */
  pegging(o: number): PeggingEntry[] {
    return this.entries(this.pegger().orderPieces(o));
  }

  /** The dependent requirements of an item (from its parents' planned orders), with pegging unless told otherwise. */
  dependentRequirements(itemId: string, withPegging = true): MrpDependentRequirement[] {
    const rank = this.rankOf(itemId);
    const pegger = this.pegger();
    const out: MrpDependentRequirement[] = [];
    for (let t = 0; t < this.periods; t++) {
      for (const row of pegger.dependentRequirements(rank, t)) {
        out.push({
          item: itemId,
          period: t + 1,
          qty: this.format(row.qty),
          parentItem: this.model.ids[this.plan.orders.item[row.order]],
          parentOrder: this.orderId(row.order),
          pegging: withPegging ? this.entries(pegger.dependentPieces(row.order, row.line, row.qty, 0, row.qty)) : [],
        });
      }
    }
    return out;
  }

  /** All exception messages, by item (output order), period, then type. */
  exceptions(): MrpException[] {
    const table = this.plan.exceptions;
    const order = Array.from({ length: table.count }, (_, k) => k);
    order.sort(
      (a, b) =>
        table.item[a] - table.item[b] ||
        table.period[a] - table.period[b] ||
        table.type[a] - table.type[b] ||
        table.aux[a] - table.aux[b] ||
        table.qty[a] - table.qty[b],
    );
    return order.map((k) => describeException(this.model, table, k));
  }

  private pegger(): PeggingResolver {
    this.resolver ??= new PeggingResolver(this.model, this.plan);
    return this.resolver;
  }

  private entries(pieces: readonly PegPiece[]): PeggingEntry[] {
    const out: PeggingEntry[] = [];
    for (const [ref, qty] of totalsByRef(pieces)) out.push({ ref, qty: this.format(qty) });
    return out;
  }
}
