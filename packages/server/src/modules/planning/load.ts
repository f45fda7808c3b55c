import {
  type BucketKind,
  type LotSizing,
  type MrpBomLineInput,
  type MrpDemandInput,
  type MrpInput,
  type MrpItemInput,
  type MrpScheduledReceiptInput,
  type PlanningBucket,
  leadTimeToPeriods,
  periodOfDate,
} from "@kaiwu/mrp";
import { type Executor, rows, sql } from "../../platform/db/database.ts";
import { buildDemand, planningCalendar } from "./demand.ts";

/** Per item, what the plan keeps beside the engine input (for dates, filters and what-ifs). */
export interface ItemMeta {
  leadTimeDays: number;
  plannerId: number | null;
  group: string | null;
}

export interface DemandMeta {
  item: string;
  period: number;
  date: string;
  qty: string;
  ref: string;
  source: string;
  label: string | null;
}

/** Everything a run needs, as stored (gzip JSON) with the plan version. */
export interface PlanInput {
  bucket: BucketKind;
  startDate: string;
  calendarId: number;
  buckets: PlanningBucket[];
  input: MrpInput;
  items: Record<string, ItemMeta>;
  demand: DemandMeta[];
}

const trim = (n: string) => (n.includes(".") ? n.replace(/\.?0+$/, "") : n);

/** Decimal places of a unit's rounding step (1 → 0, 0.001 → 3), at most 6 (the engine's limit). */
function decimalsOf(rounding: string): number {
  const t = trim(rounding);
  const dot = t.indexOf(".");
  return dot < 0 ? 0 : Math.min(6, t.length - dot - 1);
}

function lotSizing(r: ItemRow): LotSizing {
  switch (r.rule) {
    case "fixed":
      return { rule: "fixed", qty: trim(r.qty!) };
    case "multiple":
      return { rule: "multiple", qty: trim(r.multiple!) };
    case "min-max-multiple":
      return {
        rule: "min-max-multiple",
        ...(r.min !== null ? { min: trim(r.min) } : {}),
        ...(r.max !== null ? { max: trim(r.max) } : {}),
        ...(r.multiple !== null ? { multiple: trim(r.multiple) } : {}),
      };
    case "periods-of-supply":
      return { rule: "periods-of-supply", periods: r.periods! };
    case "eoq":
      return { rule: "eoq", setupCost: trim(r.setup!), holdingCostPerPeriod: trim(r.holding!) };
    default:
      return { rule: "lot-for-lot" };
  }
}

interface ItemRow {
  id: number;
  makeOrBuy: "make" | "buy";
  leadTimeDays: number;
  safetyStock: string;
  rule: string;
  qty: string | null;
  min: string | null;
  max: string | null;
  multiple: string | null;
  periods: number | null;
  setup: string | null;
  holding: string | null;
  rounding: string;
  onHand: string | null;
  reserved: string | null;
  plannerId: number | null;
  group: string | null;
}

/**
 * Reads the plan's inputs from master data, inventory, production and purchasing, and builds the engine
 * input: items (lead time in buckets, safety stock, lot-size rule, make/buy, unit decimals), the BOM
 * versions effective on the start date (quantity per base unit, scrap; by-products left out, phantoms
 * planned with lead time 0 and lot-for-lot), on hand less reservations from stock balances, open
 * production orders and requisitions as scheduled receipts, and demand after forecast consumption.
 */
export async function loadPlanInput(
  ex: Executor,
  companyId: number,
  opts: { bucket: BucketKind; startDate: string; periods: number; calendarId: number | null },
): Promise<PlanInput> {
  const { calendarId, cal } = await planningCalendar(ex, companyId, opts.calendarId, opts.bucket, opts.startDate, opts.periods);
  const asOf = opts.startDate;
  const itemRows = await rows<ItemRow>(
    ex,
    sql`select i.id, i.make_or_buy as "makeOrBuy", i.lead_time_days as "leadTimeDays", i.safety_stock::text as "safetyStock",
          i.lot_size_rule as rule, i.lot_size_qty::text as qty, i.lot_size_min::text as min, i.lot_size_max::text as max,
          i.lot_size_multiple::text as multiple, i.lot_size_periods as periods, i.lot_size_setup_cost::text as setup,
          i.lot_size_holding_cost::text as holding, u.rounding::text as rounding,
          s.on_hand::text as "onHand", s.reserved::text as reserved, pi.planner_user_id as "plannerId", pi.item_group as "group"
        from item i join uom u on u.id = i.base_uom_id
        left join (select b.item_id, sum(b.on_hand) as on_hand, sum(b.reserved) as reserved from stock_balance b
                   join location l on l.id = b.location_id where b.company_id = ${companyId} and l.kind in ('internal', 'receiving')
                   group by b.item_id) s on s.item_id = i.id
        left join planning_item pi on pi.item_id = i.id
        where i.company_id = ${companyId} and i.item_type <> 'service' and i.status <> 'obsolete'
        order by i.id`,
  );
  const known = new Set(itemRows.map((r) => r.id));
  const bomRows = await rows<{ parent: number; component: number; qtyPer: string; scrap: string; phantom: boolean }>(
    ex,
    sql`select b.item_id as parent, l.component_item_id as component,
          (ceil(l.qty * (case when l.uom_id = ci.base_uom_id then 1 else coalesce(iu.factor, lu.ratio / bu.ratio) end) / b.base_qty * 1e9) / 1e9)::numeric(30, 9)::text as "qtyPer",
          l.scrap_pct::text as scrap, l.phantom
        from bom b join bom_line l on l.bom_id = b.id join item ci on ci.id = l.component_item_id
        join uom bu on bu.id = ci.base_uom_id join uom lu on lu.id = l.uom_id
        left join item_uom iu on iu.item_id = ci.id and iu.uom_id = l.uom_id
        where b.company_id = ${companyId} and b.status = 'active' and b.effective_from <= ${asOf}::date
          and (b.effective_to is null or b.effective_to > ${asOf}::date) and not l.by_product
          and (l.effective_from is null or l.effective_from <= ${asOf}::date) and (l.effective_to is null or l.effective_to > ${asOf}::date)
        order by b.item_id, l.position`,
  );
  const phantoms = new Set<number>();
  const bom: MrpBomLineInput[] = [];
  for (const b of bomRows) {
    if (!known.has(b.parent) || !known.has(b.component)) continue;
    if (b.phantom) phantoms.add(b.component);
    const line: MrpBomLineInput = { parent: String(b.parent), component: String(b.component), qtyPer: trim(b.qtyPer) };
    if (trim(b.scrap) !== "0") line.scrapPct = trim(b.scrap);
    bom.push(line);
  }
  const items: MrpItemInput[] = [];
  const meta: Record<string, ItemMeta> = {};
  for (const r of itemRows) {
    const phantom = phantoms.has(r.id);
    const onHand = r.onHand && !r.onHand.startsWith("-") ? trim(r.onHand) : "0";
    const reserved = r.reserved && !r.reserved.startsWith("-") ? trim(r.reserved) : "0";
    const item: MrpItemInput = {
      id: String(r.id),
      leadTime: phantom ? 0 : leadTimeToPeriods(cal, r.leadTimeDays),
      onHand,
      makeOrBuy: phantom ? "make" : r.makeOrBuy,
      decimals: decimalsOf(r.rounding),
    };
    if (reserved !== "0") item.allocated = reserved;
    if (!phantom && trim(r.safetyStock) !== "0") item.safetyStock = trim(r.safetyStock);
    if (!phantom && r.rule !== "lot-for-lot") item.lotSizing = lotSizing(r);
    items.push(item);
    meta[item.id] = { leadTimeDays: phantom ? 0 : r.leadTimeDays, plannerId: r.plannerId, group: r.group };
  }

  // Scheduled receipts: open production orders and requisitions (late ones are still expected: period 1).
  const receiptRows = await rows<{ itemId: number; date: string; qty: string }>(
    ex,
    sql`select item_id as "itemId", to_char(due_date, 'YYYY-MM-DD') as date, quantity::text as qty from production_order
          where company_id = ${companyId} and state in ('draft', 'released')
        union all
        select l.item_id, to_char(l.need_date, 'YYYY-MM-DD'), l.quantity::text from purchase_requisition_line l
          join purchase_requisition r on r.id = l.requisition_id where r.company_id = ${companyId} and r.state in ('draft', 'approved')`,
  );
  const scheduledReceipts: MrpScheduledReceiptInput[] = [];
  for (const r of receiptRows) {
    if (!known.has(r.itemId)) continue;
    const period = Math.max(1, periodOfDate(cal, r.date, "forward"));
    if (period > cal.periods) continue;
    scheduledReceipts.push({ item: String(r.itemId), period, qty: trim(r.qty) });
  }

  const { lines } = await buildDemand(ex, companyId, cal);
  const demand: MrpDemandInput[] = [];
  const demandMeta: DemandMeta[] = [];
  for (const l of lines) {
    if (!known.has(l.itemId)) continue;
    demand.push({ item: String(l.itemId), period: l.period, qty: trim(l.quantity), ref: l.ref });
    demandMeta.push({ item: String(l.itemId), period: l.period, date: l.date, qty: trim(l.quantity), ref: l.ref, source: l.source, label: l.label ?? null });
  }
  return {
    bucket: opts.bucket,
    startDate: opts.startDate,
    calendarId,
    buckets: [...cal.buckets],
    input: { periods: cal.periods, items, bom, scheduledReceipts, demand },
    items: meta,
    demand: demandMeta,
  };
}
