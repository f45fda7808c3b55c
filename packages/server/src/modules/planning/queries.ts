import type { BucketKind } from "@kaiwu/mrp";
import type { SQL } from "drizzle-orm";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../platform/listing.ts";
import { companyToday } from "../masterdata/engineering/common.ts";
import { buildDemand, planningCalendar } from "./demand.ts";
import { demandInfo, orderPegging, orderSeq, peggingTree, planOf } from "./engine.ts";

const VERSION_COLUMNS = sql`v.id, v.code, v.name, v.kind, v.base_version_id as "baseVersionId", b.code as "baseCode", v.status, v.job_id as "jobId",
  v.bucket, v.periods, to_char(v.start_date, 'YYYY-MM-DD') as "startDate", v.calendar_id as "calendarId", v.params, v.inputs_at as "inputsAt",
  v.started_at as "startedAt", v.finished_at as "finishedAt", v.duration_ms as "durationMs", v.item_count as "itemCount",
  v.bom_line_count as "bomLineCount", v.demand_count as "demandCount", v.receipt_count as "receiptCount", v.order_count as "orderCount",
  v.exception_count as "exceptionCount", v.error, v.created_at as "createdAt", u.display_name as "createdByName"`;
const VERSION_FROM = sql`plan_version v left join plan_version b on b.id = v.base_version_id left join app_user u on u.id = v.created_by`;

export async function listVersions(db: Executor, companyId: number, params: ListParams & { kind?: string; status?: string }) {
  const conds = [sql`v.company_id = ${companyId}`];
  if (params.kind) conds.push(sql`v.kind = ${params.kind}`);
  if (params.status) conds.push(sql`v.status = ${params.status}`);
  if (params.q) conds.push(sql`(v.code ilike ${likePattern(params.q)} or v.name ilike ${likePattern(params.q)})`);
  return listPage(db, {
    columns: VERSION_COLUMNS,
    from: VERSION_FROM,
    where: sql.join(conds, sql` and `),
    sortable: { id: sql`v.id`, code: sql`v.code`, createdAt: sql`v.created_at` },
    defaultSort: "-id",
    params,
  });
}

export async function getVersion(db: Executor, companyId: number, id: number) {
  const v = await one<Record<string, unknown> & { jobId: number | null }>(
    db,
    sql`select ${VERSION_COLUMNS}, v.buckets, j.status as "jobStatus", j.progress as "jobProgress", j.last_error as "jobError"
        from ${VERSION_FROM} left join job j on j.id = v.job_id where v.company_id = ${companyId} and v.id = ${id}`,
  );
  if (!v) throw errors.notFound("plan_version");
  return v;
}

async function requireVersion(db: Executor, companyId: number, id: number) {
  const v = await one<{ id: number; buckets: { period: number; label: string; start: string; end: string }[] | null; status: string }>(
    db,
    sql`select id, buckets, status from plan_version where id = ${id} and company_id = ${companyId}`,
  );
  if (!v) throw errors.notFound("plan_version");
  return v;
}

export interface ItemFilters {
  plannerId?: number;
  group?: string;
  /** Minimum severity of the item's exceptions (1 low, 2 medium, 3 high). */
  severity?: number;
  makeOrBuy?: string;
  /** Only items with requirements, planned orders or exceptions. */
  active?: boolean;
  q?: string;
}

function itemConditions(f: ItemFilters): SQL[] {
  const conds: SQL[] = [];
  if (f.plannerId) conds.push(sql`pi.planner_user_id = ${f.plannerId}`);
  if (f.group) conds.push(sql`coalesce(pi.item_group, i.item_type) = ${f.group}`);
  if (f.makeOrBuy) conds.push(sql`pi.make_or_buy = ${f.makeOrBuy}`);
  if (f.q) {
    const p = likePattern(f.q);
    conds.push(sql`(i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p})`);
  }
  return conds;
}

const ITEM_INFO = sql`i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn", u.code as "uomCode",
  coalesce(pi.item_group, i.item_type) as "itemGroup", pi.planner_user_id as "plannerId", pu.display_name as "plannerName"`;
const ITEM_JOIN = sql`join item i on i.id = pi.item_id join uom u on u.id = i.base_uom_id left join app_user pu on pu.id = pi.planner_user_id`;

/** The items of a version with their exception counts, filterable by planner, group and severity. */
export async function versionItems(db: Executor, companyId: number, versionId: number, params: ListParams & ItemFilters) {
  await requireVersion(db, companyId, versionId);
  const conds = [sql`pi.version_id = ${versionId}`, ...itemConditions(params)];
  if (params.severity) conds.push(sql`pi.max_severity >= ${params.severity}`);
  if (params.active) {
    conds.push(sql`(pi.exception_count > 0 or exists (select 1 from plan_order o where o.version_id = pi.version_id and o.item_id = pi.item_id)
      or exists (select 1 from unnest(pi.gross) g where g > 0))`);
  }
  return listPage(db, {
    columns: sql`pi.item_id as "itemId", ${ITEM_INFO}, pi.low_level_code as "lowLevelCode", pi.make_or_buy as "makeOrBuy",
      pi.lead_time as "leadTime", trim_scale(pi.on_hand)::text as "onHand", trim_scale(pi.safety_stock)::text as "safetyStock", pi.exception_count as "exceptionCount",
      pi.max_severity as "maxSeverity",
      (select count(*)::int from plan_order o where o.version_id = pi.version_id and o.item_id = pi.item_id) as "orderCount",
      (select trim_scale(coalesce(sum(x), 0))::text from unnest(pi.planned_receipts) x) as "plannedQty",
      (select trim_scale(coalesce(sum(x), 0))::text from unnest(pi.gross) x) as "grossQty"`,
    from: sql`plan_item pi ${ITEM_JOIN}`,
    where: sql.join(conds, sql` and `),
    sortable: {
      itemCode: sql`i.code`,
      lowLevelCode: sql`pi.low_level_code`,
      exceptionCount: sql`pi.exception_count`,
      maxSeverity: sql`pi.max_severity`,
    },
    defaultSort: "-maxSeverity,lowLevelCode,itemCode",
    params,
  });
}

/** The textbook MRP record of one item, with its planned orders, exceptions and demand lines. */
export async function itemRecord(db: Executor, companyId: number, versionId: number, itemId: number) {
  const v = await requireVersion(db, companyId, versionId);
  const record = await one<Record<string, unknown>>(
    db,
    sql`select pi.item_id as "itemId", ${ITEM_INFO}, pi.low_level_code as "lowLevelCode", pi.make_or_buy as "makeOrBuy",
          pi.lead_time as "leadTime", pi.lead_time_days as "leadTimeDays", pi.on_hand::text as "onHand", pi.allocated::text as allocated,
          pi.safety_stock::text as "safetyStock", i.lot_size_rule as "lotSizeRule",
          pi.gross::text[] as gross, pi.scheduled::text[] as scheduled, pi.projected::text[] as projected, pi.net::text[] as net,
          pi.planned_receipts::text[] as "plannedReceipts", pi.planned_releases::text[] as "plannedReleases"
        from plan_item pi ${ITEM_JOIN} where pi.version_id = ${versionId} and pi.item_id = ${itemId}`,
  );
  if (!record) throw errors.notFound("plan_item");
  const trimAll = (a: unknown) => (a as string[]).map(trimNum);
  for (const k of ["gross", "scheduled", "projected", "net", "plannedReceipts", "plannedReleases"]) record[k] = trimAll(record[k]);
  for (const k of ["onHand", "allocated", "safetyStock"]) record[k] = trimNum(record[k] as string);
  const orders = await rows(
    db,
    sql`select o.seq, o.order_key as "orderKey", o.kind, o.release_period as "releasePeriod", o.receipt_period as "receiptPeriod",
          to_char(o.release_date, 'YYYY-MM-DD') as "releaseDate", to_char(o.due_date, 'YYYY-MM-DD') as "dueDate",
          trim_scale(o.quantity)::text as quantity, trim_scale(o.release_quantity)::text as "releaseQuantity", o.status, o.converted_type as "convertedType",
          o.converted_id as "convertedId"
        from plan_order o where o.version_id = ${versionId} and o.item_id = ${itemId} order by o.seq`,
  );
  const exceptions = await rows(
    db,
    sql`select e.type, e.severity, e.period, e.quantity::text as quantity, e.reschedule_to as "rescheduleTo", e.release_period as "releasePeriod"
        from plan_exception e where e.version_id = ${versionId} and e.item_id = ${itemId} order by e.seq`,
  );
  const demand = await rows(
    db,
    sql`select d.period, to_char(d.due_date, 'YYYY-MM-DD') as "dueDate", d.quantity::text as quantity, d.ref, d.source, d.label
        from plan_demand d where d.version_id = ${versionId} and d.item_id = ${itemId} order by d.period, d.seq`,
  );
  return { ...record, buckets: v.buckets ?? [], orders: orders.map(trimQty), exceptions: exceptions.map(trimQty), demand: demand.map(trimQty) };
}

/** Pegging of one planned order: the tree up through parent orders to demand, and the demand lines it serves. */
export async function orderPeggingTree(db: Executor, companyId: number, versionId: number, orderKey: string) {
  const plan = await planOf(db, companyId, versionId);
  const o = orderSeq(plan, orderKey);
  if (o === undefined) throw errors.notFound("plan_order");
  const tree = peggingTree(plan, o);
  // item codes and names for every order node
  const ids = new Set<number>();
  const walk = (n: { itemId?: number; children?: unknown[] }) => {
    if (n.itemId) ids.add(n.itemId);
    for (const c of (n.children ?? []) as { itemId?: number }[]) walk(c);
  };
  walk(tree);
  const items = await rows<{ id: number; code: string; nameZh: string; nameEn: string }>(
    db,
    sql`select id, code, name_zh as "nameZh", name_en as "nameEn" from item where company_id = ${companyId}
        and id in (select value::int8 from jsonb_array_elements_text(${JSON.stringify([...ids])}::jsonb))`,
  );
  const buckets = plan.input.buckets;
  return {
    orderKey,
    tree,
    demand: orderPegging(plan, o),
    items: Object.fromEntries(items.map((i) => [i.id, i])),
    buckets,
  };
}

/** Where a demand reference came from (for the pegging screen's labels). */
export function describeRef(plan: Awaited<ReturnType<typeof planOf>>, ref: string) {
  return demandInfo(plan, ref);
}

export async function listExceptions(db: Executor, companyId: number, versionId: number, params: ListParams & ItemFilters & { type?: string }) {
  await requireVersion(db, companyId, versionId);
  const conds = [sql`e.version_id = ${versionId}`, ...itemConditions(params)];
  if (params.severity) conds.push(sql`e.severity >= ${params.severity}`);
  if (params.type) conds.push(sql`e.type = ${params.type}`);
  return listPage(db, {
    columns: sql`e.seq, e.item_id as "itemId", ${ITEM_INFO}, e.type, e.severity, e.period, e.quantity::text as quantity,
      e.reschedule_to as "rescheduleTo", e.release_period as "releasePeriod"`,
    from: sql`plan_exception e join plan_item pi on pi.version_id = e.version_id and pi.item_id = e.item_id ${ITEM_JOIN}`,
    where: sql.join(conds, sql` and `),
    sortable: { severity: sql`e.severity`, period: sql`e.period`, itemCode: sql`i.code`, seq: sql`e.seq` },
    defaultSort: "-severity,period,itemCode",
    params,
  });
}

export async function listPlanOrders(
  db: Executor,
  companyId: number,
  versionId: number,
  params: ListParams & ItemFilters & { kind?: string; status?: string; itemId?: number },
) {
  await requireVersion(db, companyId, versionId);
  const conds = [sql`o.version_id = ${versionId}`, ...itemConditions(params)];
  if (params.kind) conds.push(sql`o.kind = ${params.kind}`);
  if (params.status) conds.push(sql`o.status = ${params.status}`);
  if (params.itemId) conds.push(sql`o.item_id = ${params.itemId}`);
  return listPage(db, {
    columns: sql`o.seq, o.order_key as "orderKey", o.item_id as "itemId", ${ITEM_INFO}, o.kind, o.release_period as "releasePeriod",
      o.receipt_period as "receiptPeriod", to_char(o.release_date, 'YYYY-MM-DD') as "releaseDate", to_char(o.due_date, 'YYYY-MM-DD') as "dueDate",
      trim_scale(o.quantity)::text as quantity, trim_scale(o.release_quantity)::text as "releaseQuantity", o.status, o.converted_type as "convertedType",
      o.converted_id as "convertedId"`,
    from: sql`plan_order o join plan_item pi on pi.version_id = o.version_id and pi.item_id = o.item_id ${ITEM_JOIN}`,
    where: sql.join(conds, sql` and `),
    sortable: { releaseDate: sql`o.release_date`, dueDate: sql`o.due_date`, itemCode: sql`i.code`, seq: sql`o.seq` },
    defaultSort: "releaseDate,itemCode,seq",
    params,
  });
}

/** Two versions side by side: their counts, and per item what differs (planned quantity, orders, exceptions, lowest projected on hand). */
export async function compareVersions(db: Executor, companyId: number, a: number, b: number) {
  const [va, vb] = await Promise.all([getVersion(db, companyId, a), getVersion(db, companyId, b)]);
  const items = await rows(
    db,
    sql`with s as (
          select pi.version_id, pi.item_id, pi.exception_count,
            (select coalesce(sum(x), 0) from unnest(pi.planned_receipts) x) as planned,
            (select coalesce(sum(x), 0) from unnest(pi.gross) x) as gross,
            (select min(x) from unnest(pi.projected) x) as min_projected,
            (select count(*) from plan_order o where o.version_id = pi.version_id and o.item_id = pi.item_id) as orders
          from plan_item pi where pi.version_id in (${a}, ${b}))
        select coalesce(x.item_id, y.item_id) as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn",
          x.gross::text as "grossA", y.gross::text as "grossB", x.planned::text as "plannedA", y.planned::text as "plannedB",
          x.orders::int as "ordersA", y.orders::int as "ordersB", x.exception_count as "exceptionsA", y.exception_count as "exceptionsB",
          x.min_projected::text as "minProjectedA", y.min_projected::text as "minProjectedB"
        from (select * from s where version_id = ${a}) x full join (select * from s where version_id = ${b}) y on y.item_id = x.item_id
        join item i on i.id = coalesce(x.item_id, y.item_id)
        where x.planned is distinct from y.planned or x.orders is distinct from y.orders or x.gross is distinct from y.gross
          or x.exception_count is distinct from y.exception_count or x.min_projected is distinct from y.min_projected
        order by i.code limit 500`,
  );
  return { a: va, b: vb, items: items.map(trimQty) };
}

/**
 * The MPS grid: per item and bucket, forecast, customer orders, forecast consumed by orders, and the demand
 * the plan runs on (orders + the forecast left). Finished goods are always listed, other items when they
 * have a forecast or orders in the horizon.
 */
export async function mps(
  db: Executor,
  companyId: number,
  params: { bucket?: BucketKind; startDate?: string; periods?: number; q?: string; calendarId?: number },
) {
  const bucket = params.bucket ?? "week";
  const startDate = params.startDate ?? (await companyToday(db, companyId));
  const { cal } = await planningCalendar(db, companyId, params.calendarId ?? null, bucket, startDate, params.periods ?? 12);
  const { cells } = await buildDemand(db, companyId, cal);
  const itemIds = new Set([...cells.keys()].map((k) => Number(k.split(":")[0])));
  const q = params.q ? likePattern(params.q) : null;
  const items = await rows<{ id: number; code: string; nameZh: string; nameEn: string; uomCode: string }>(
    db,
    sql`select i.id, i.code, i.name_zh as "nameZh", i.name_en as "nameEn", u.code as "uomCode" from item i join uom u on u.id = i.base_uom_id
        where i.company_id = ${companyId} and i.status = 'active'
          and (i.item_type = 'finished' or i.id in (select value::int8 from jsonb_array_elements_text(${JSON.stringify([...itemIds])}::jsonb)))
          and (${q}::text is null or i.code ilike ${q} or i.name_zh ilike ${q} or i.name_en ilike ${q})
        order by i.code limit 200`,
  );
  return {
    bucket,
    startDate,
    buckets: cal.buckets,
    items: items.map((it) => {
      const row = { ...it, forecast: [] as string[], orders: [] as string[], consumed: [] as string[], demand: [] as string[] };
      for (let p = 1; p <= cal.periods; p++) {
        const c = cells.get(`${it.id}:${p}`);
        const f = c?.forecast.toFixed() ?? "0";
        const o = c?.orders.toFixed() ?? "0";
        const used = c?.consumed.toFixed() ?? "0";
        row.forecast.push(f);
        row.orders.push(o);
        row.consumed.push(used);
        row.demand.push(c ? c.orders.plus(c.forecast.minus(c.consumed)).toFixed() : "0");
      }
      return row;
    }),
  };
}

export async function planners(db: Executor, companyId: number) {
  return rows(
    db,
    sql`select distinct u.id, u.display_name as name from planning_item pi join app_user u on u.id = pi.planner_user_id
        where pi.company_id = ${companyId} order by u.display_name`,
  );
}

export async function groups(db: Executor, companyId: number) {
  return rows(
    db,
    sql`select distinct coalesce(pi.item_group, i.item_type) as "group" from item i left join planning_item pi on pi.item_id = i.id
        where i.company_id = ${companyId} and i.item_type <> 'service' order by 1`,
  );
}

function trimNum(n: string): string {
  return n.includes(".") ? n.replace(/\.?0+$/, "") : n;
}

function trimQty<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === "string" && !/(Code|Name|Zh|En|ref|label)$/.test(k) && /^-?\d+\.\d+$/.test(v)) out[k] = trimNum(v);
  }
  return out as T;
}
