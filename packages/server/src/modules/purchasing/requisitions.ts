import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type ListParams, type Page, likePattern, listPage } from "../../platform/listing.ts";

export interface PegShare {
  ref: string;
  qty: string;
  label?: string | null;
}

export interface RequisitionLineSpec {
  itemId: number;
  quantity: string;
  needDate: string;
  releaseDate?: string | null;
  supplierItemId?: number | null;
  unitPrice?: string | null;
  leadTimeDays?: number | null;
  sourcePlannedOrder?: string | null;
  pegging?: PegShare[];
}

export interface RequisitionSpec {
  supplierId: number | null;
  currency?: string;
  sourcePlanVersionId?: number | null;
  note?: string | null;
  lines: RequisitionLineSpec[];
}

/**
 * Inserts draft requisitions (one per supplier) with their lines in the caller's transaction; planning's
 * conversion of planned purchases calls it. Lines are written in one multi-row statement per requisition.
 */
export async function insertRequisitions(tx: Executor, companyId: number, createdBy: number | null, specs: RequisitionSpec[]) {
  const out: { id: number; requisitionNo: string; supplierId: number | null; lines: number }[] = [];
  for (const s of specs) {
    const head = await one<{ id: number; requisitionNo: string }>(
      tx,
      sql`with n as (select nextval(pg_get_serial_sequence('purchase_requisition', 'id')) as id)
          insert into purchase_requisition (id, company_id, requisition_no, supplier_id, currency, source_plan_version_id, note, created_by)
          select n.id, ${companyId}, 'PR-' || lpad(n.id::text, 6, '0'), ${s.supplierId}::int8, ${s.currency ?? "CNY"},
            ${s.sourcePlanVersionId ?? null}::int8, ${s.note ?? null}, ${createdBy}::int8
          from n returning id, requisition_no as "requisitionNo"`,
    );
    const values = s.lines.map(
      (l, i) => sql`(${head!.id}::int8, ${i + 1}::int, ${l.itemId}::int8, ${l.quantity}::numeric, ${l.supplierItemId ?? null}::int8,
        ${l.unitPrice ?? null}::numeric, ${l.leadTimeDays ?? null}::int, ${l.releaseDate ?? null}::date, ${l.needDate}::date,
        ${l.sourcePlannedOrder ?? null}, ${JSON.stringify(l.pegging ?? [])}::jsonb)`,
    );
    await tx.execute(sql`insert into purchase_requisition_line (requisition_id, line_no, item_id, quantity, supplier_item_id, unit_price,
      lead_time_days, release_date, need_date, source_planned_order, pegging) values ${sql.join(values, sql`, `)}`);
    out.push({ id: head!.id, requisitionNo: head!.requisitionNo, supplierId: s.supplierId, lines: s.lines.length });
  }
  return out;
}

export interface RequisitionRow {
  id: number;
  requisitionNo: string;
  supplierId: number | null;
  supplierCode: string | null;
  supplierNameZh: string | null;
  supplierNameEn: string | null;
  currency: string;
  state: string;
  sourcePlanVersionId: number | null;
  lineCount: number;
  total: string | null;
  firstNeedDate: string | null;
  version: number;
  createdAt: string;
}

const COLUMNS = (prices: boolean) => sql`r.id, r.requisition_no as "requisitionNo", r.supplier_id as "supplierId", p.code as "supplierCode",
  p.name_zh as "supplierNameZh", p.name_en as "supplierNameEn", r.currency, r.state, r.source_plan_version_id as "sourcePlanVersionId",
  (select count(*)::int from purchase_requisition_line l where l.requisition_id = r.id) as "lineCount",
  ${prices ? sql`(select sum(l.quantity * l.unit_price)::numeric(18, 2)::text from purchase_requisition_line l where l.requisition_id = r.id)` : sql`null::text`} as total,
  (select to_char(min(l.need_date), 'YYYY-MM-DD') from purchase_requisition_line l where l.requisition_id = r.id) as "firstNeedDate",
  r.version, r.created_at as "createdAt"`;
const FROM = sql`purchase_requisition r left join partner p on p.id = r.supplier_id`;

export async function listRequisitions(
  db: Executor,
  companyId: number,
  params: ListParams & { state?: string; supplierId?: number; planVersionId?: number },
  prices: boolean,
): Promise<Page<RequisitionRow>> {
  const conds = [sql`r.company_id = ${companyId}`];
  if (params.state) conds.push(sql`r.state = ${params.state}`);
  if (params.supplierId) conds.push(sql`r.supplier_id = ${params.supplierId}`);
  if (params.planVersionId) conds.push(sql`r.source_plan_version_id = ${params.planVersionId}`);
  if (params.q) {
    const p = likePattern(params.q);
    conds.push(sql`(r.requisition_no ilike ${p} or p.code ilike ${p} or p.name_zh ilike ${p} or p.name_en ilike ${p})`);
  }
  return listPage<RequisitionRow>(db, {
    columns: COLUMNS(prices),
    from: FROM,
    where: sql.join(conds, sql` and `),
    sortable: { requisitionNo: sql`r.requisition_no`, supplierCode: sql`p.code`, createdAt: sql`r.created_at`, id: sql`r.id` },
    defaultSort: "-id",
    params,
  });
}

export async function getRequisition(db: Executor, companyId: number, id: number, prices: boolean) {
  // the detail adds the note and who created the requisition (the list does not need them)
  const [head] = await rows<RequisitionRow & { note: string | null; createdByName: string | null }>(
    db,
    sql`select ${COLUMNS(prices)}, r.note, cu.display_name as "createdByName"
        from ${FROM} left join app_user cu on cu.id = r.created_by
        where r.company_id = ${companyId} and r.id = ${id}`,
  );
  if (!head) throw errors.notFound("purchase_requisition");
  const lines = await rows(
    db,
    sql`select l.id, l.line_no as "lineNo", l.item_id as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn",
          u.code as "uomCode", trim_scale(l.quantity)::text as quantity, l.supplier_item_id as "supplierItemId", s.supplier_item_code as "supplierItemCode",
          ${prices ? sql`trim_scale(l.unit_price)::text` : sql`null::text`} as "unitPrice",
          ${prices ? sql`(l.quantity * l.unit_price)::numeric(18, 2)::text` : sql`null::text`} as amount,
          l.lead_time_days as "leadTimeDays", to_char(l.release_date, 'YYYY-MM-DD') as "releaseDate",
          to_char(l.need_date, 'YYYY-MM-DD') as "needDate", l.source_planned_order as "sourcePlannedOrder", l.pegging
        from purchase_requisition_line l join purchase_requisition r on r.id = l.requisition_id
        join item i on i.id = l.item_id join uom u on u.id = i.base_uom_id left join supplier_item s on s.id = l.supplier_item_id
        where l.requisition_id = ${id} order by l.line_no`,
  );
  return { ...head, lines };
}
