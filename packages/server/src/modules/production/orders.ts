import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type Page, type ListParams, likePattern, listPage } from "../../platform/listing.ts";

/** A demand reference a production order serves, with its quantity (from MRP pegging). */
export interface PegShare {
  ref: string;
  qty: string;
  label?: string | null;
}

export interface DraftOrderSpec {
  itemId: number;
  quantity: string;
  dueDate: string;
  startDate?: string | null;
  note?: string | null;
  sourcePlanVersionId?: number | null;
  sourcePlannedOrder?: string | null;
  pegging?: PegShare[];
}

/**
 * Inserts draft production orders in the caller's transaction (the production module's own rule for
 * what a draft is: a made item, its BOM and routing effective on the start date). Planning's
 * conversion command calls this inside its transaction; `createOrder` is the same for one order by hand.
 */
export async function insertDraftOrders(tx: Executor, companyId: number, createdBy: number | null, specs: DraftOrderSpec[]) {
  const out: { id: number; orderNo: string; itemId: number; version: number }[] = [];
  for (const [i, s] of specs.entries()) {
    const item = await one<{ code: string; makeOrBuy: string }>(
      tx,
      sql`select code, make_or_buy as "makeOrBuy" from item where id = ${s.itemId} and company_id = ${companyId}`,
    );
    if (!item) throw errors.field(specs.length > 1 ? `/orders/${i}/itemId` : "/itemId", "exists", "production.error.no_such_item");
    if (item.makeOrBuy !== "make") throw errors.rule("item_not_made", "production.error.not_made", { item: item.code });
    const asOf = s.startDate ?? s.dueDate;
    const row = await one<{ id: number; orderNo: string; version: number }>(
      tx,
      sql`with n as (select nextval(pg_get_serial_sequence('production_order', 'id')) as id)
          insert into production_order (id, company_id, order_no, item_id, quantity, start_date, due_date, bom_id, routing_id,
            source_plan_version_id, source_planned_order, pegging, note, created_by)
          select n.id, ${companyId}, 'MO-' || lpad(n.id::text, 6, '0'), ${s.itemId}, ${s.quantity}::numeric, ${s.startDate ?? null}::date,
            ${s.dueDate}::date,
            (select b.id from bom b where b.item_id = ${s.itemId} and b.company_id = ${companyId} and b.status = 'active'
               and b.effective_from <= ${asOf}::date and (b.effective_to is null or b.effective_to > ${asOf}::date)),
            (select r.id from routing r where r.item_id = ${s.itemId} and r.company_id = ${companyId} and r.status = 'active'
               and r.effective_from <= ${asOf}::date and (r.effective_to is null or r.effective_to > ${asOf}::date)),
            ${s.sourcePlanVersionId ?? null}::int8, ${s.sourcePlannedOrder ?? null}, ${JSON.stringify(s.pegging ?? [])}::jsonb,
            ${s.note ?? null}, ${createdBy}::int8
          from n returning id, order_no as "orderNo", version`,
    );
    out.push({ ...row!, itemId: s.itemId });
  }
  return out;
}

export interface OrderRow {
  id: number;
  orderNo: string;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uomCode: string;
  quantity: string;
  startDate: string | null;
  dueDate: string;
  state: string;
  bomId: number | null;
  bomVersion: string | null;
  routingId: number | null;
  routingVersion: string | null;
  sourcePlanVersionId: number | null;
  sourcePlannedOrder: string | null;
  pegging: PegShare[];
  note: string | null;
  version: number;
  createdAt: string;
}

const COLUMNS = sql`o.id, o.order_no as "orderNo", o.item_id as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh",
  i.name_en as "itemNameEn", u.code as "uomCode", trim_scale(o.quantity)::text as quantity, to_char(o.start_date, 'YYYY-MM-DD') as "startDate",
  to_char(o.due_date, 'YYYY-MM-DD') as "dueDate", o.state, o.bom_id as "bomId", b.version_code as "bomVersion",
  o.routing_id as "routingId", r.version_code as "routingVersion", o.source_plan_version_id as "sourcePlanVersionId",
  o.source_planned_order as "sourcePlannedOrder", o.pegging, o.note, o.version, o.created_at as "createdAt"`;
const FROM = sql`production_order o join item i on i.id = o.item_id join uom u on u.id = i.base_uom_id
  left join bom b on b.id = o.bom_id left join routing r on r.id = o.routing_id`;

export async function listOrders(db: Executor, companyId: number, params: ListParams & { state?: string; itemId?: number; planVersionId?: number }): Promise<Page<OrderRow>> {
  const conds = [sql`o.company_id = ${companyId}`];
  if (params.state) conds.push(sql`o.state = ${params.state}`);
  if (params.itemId) conds.push(sql`o.item_id = ${params.itemId}`);
  if (params.planVersionId) conds.push(sql`o.source_plan_version_id = ${params.planVersionId}`);
  if (params.q) {
    const p = likePattern(params.q);
    conds.push(sql`(o.order_no ilike ${p} or i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p})`);
  }
  return listPage<OrderRow>(db, {
    columns: COLUMNS,
    from: FROM,
    where: sql.join(conds, sql` and `),
    sortable: { orderNo: sql`o.order_no`, dueDate: sql`o.due_date`, itemCode: sql`i.code`, createdAt: sql`o.created_at`, id: sql`o.id` },
    defaultSort: "-id",
    params,
  });
}

/** The detail adds who entered the order and when it last changed (the list does not need them). */
export async function getOrder(db: Executor, companyId: number, id: number): Promise<OrderRow & { createdByName: string | null; updatedAt: string }> {
  const [row] = await rows<OrderRow & { createdByName: string | null; updatedAt: string }>(
    db,
    sql`select ${COLUMNS}, cu.display_name as "createdByName", o.updated_at as "updatedAt"
        from ${FROM} left join app_user cu on cu.id = o.created_by
        where o.company_id = ${companyId} and o.id = ${id}`,
  );
  if (!row) throw errors.notFound("production_order");
  return row;
}
