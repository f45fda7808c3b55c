import { rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { DecimalString, StrictObject, Type } from "../../platform/validation.ts";
import { D, idList, requireCompany } from "../inventory/common.ts";
import { insertDraftOrders } from "../production/orders.ts";
import { type RequisitionSpec, insertRequisitions } from "../purchasing/requisitions.ts";
import { orderPegging, planOf } from "./engine.ts";
import { P } from "./permissions.ts";

const Id = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
const Day = Type.String({ format: "date" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const userId = (actor: { kind: string; id: number | null }) => (actor.kind === "user" ? actor.id : null);

async function assertItems(tx: Parameters<typeof rows>[0], companyId: number, ids: number[], field: (k: number) => string) {
  const found = await rows<{ id: number }>(tx, sql`select id from item where company_id = ${companyId} and id in ${idList(ids)}`);
  const ok = new Set(found.map((f) => f.id));
  const bad = ids.map((id, k) => [id, k] as const).filter(([id]) => !ok.has(id));
  if (bad.length > 0) throw errors.validation(bad.map(([, k]) => ({ field: field(k), rule: "exists", messageKey: "planning.error.no_such_item" })));
}

/**
 * Sets forecast quantities per item and bucket start date (a grid edit of the MPS screen sends the changed
 * cells). Quantity 0 removes the forecast.
 */
export const setForecasts = defineCommand({
  name: "planning.forecast.set",
  permission: P.forecastEdit,
  entity: "forecast",
  input: StrictObject({
    entries: Type.Array(
      StrictObject({ itemId: Id, periodStart: Day, quantity: DecimalString(), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }),
      { minItems: 1, maxItems: 2000 },
    ),
  }),
  async run(ctx, { entries }) {
    const companyId = requireCompany(ctx.actor);
    entries.forEach((e, k) => {
      if (new D(e.quantity).lt(0)) throw errors.field(`/entries/${k}/quantity`, "minimum", "planning.error.quantity");
    });
    await assertItems(ctx.tx, companyId, entries.map((e) => e.itemId), (k) => `/entries/${k}/itemId`);
    const keys = JSON.stringify(entries.map((e) => [e.itemId, e.periodStart]));
    const before = await rows(
      ctx.tx,
      sql`select item_id as "itemId", to_char(period_start, 'YYYY-MM-DD') as "periodStart", quantity::text as quantity from forecast
          where company_id = ${companyId} and (item_id, period_start) in
            (select (k->>0)::int8, (k->>1)::date from jsonb_array_elements(${keys}::jsonb) k) for update`,
    );
    const remove = entries.filter((e) => new D(e.quantity).isZero());
    const upsert = entries.filter((e) => !new D(e.quantity).isZero());
    if (remove.length > 0) {
      await ctx.tx.execute(sql`delete from forecast where company_id = ${companyId} and (item_id, period_start) in
        (select (k->>0)::int8, (k->>1)::date from jsonb_array_elements(${JSON.stringify(remove.map((e) => [e.itemId, e.periodStart]))}::jsonb) k)`);
    }
    if (upsert.length > 0) {
      await ctx.tx.execute(sql`insert into forecast (company_id, item_id, period_start, quantity, note, created_by)
        select ${companyId}, (e->>'itemId')::int8, (e->>'periodStart')::date, (e->>'quantity')::numeric, e->>'note', ${userId(ctx.actor)}::int8
        from jsonb_array_elements(${JSON.stringify(upsert)}::jsonb) e
        on conflict (company_id, item_id, period_start) do update set quantity = excluded.quantity,
          note = coalesce(excluded.note, forecast.note), version = forecast.version + 1, updated_at = now()`);
    }
    ctx.audit.before = before;
    ctx.audit.after = entries;
    return { updated: upsert.length, removed: remove.length };
  },
});

/** Who plans which items, and their planning group (the filters of the MRP screens). */
export const setPlanningItems = defineCommand({
  name: "planning.item.set",
  permission: P.forecastEdit,
  entity: "planning_item",
  input: StrictObject({
    items: Type.Array(
      StrictObject({
        itemId: Id,
        plannerUserId: Nullable(Id),
        itemGroup: Nullable(Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$" })),
      }),
      { minItems: 1, maxItems: 5000 },
    ),
  }),
  async run(ctx, { items }) {
    const companyId = requireCompany(ctx.actor);
    await assertItems(ctx.tx, companyId, items.map((i) => i.itemId), (k) => `/items/${k}/itemId`);
    const planners = [...new Set(items.map((i) => i.plannerUserId).filter((x): x is number => x !== null))];
    if (planners.length > 0) {
      const found = await rows<{ id: number }>(ctx.tx, sql`select id from app_user where company_id = ${companyId} and id in ${idList(planners)}`);
      const ok = new Set(found.map((f) => f.id));
      const k = items.findIndex((i) => i.plannerUserId !== null && !ok.has(i.plannerUserId));
      if (k >= 0) throw errors.field(`/items/${k}/plannerUserId`, "exists", "planning.error.no_such_user");
    }
    await ctx.tx.execute(sql`insert into planning_item (item_id, company_id, planner_user_id, item_group)
      select (e->>'itemId')::int8, ${companyId}, (e->>'plannerUserId')::int8, e->>'itemGroup' from jsonb_array_elements(${JSON.stringify(items)}::jsonb) e
      on conflict (item_id) do update set planner_user_id = excluded.planner_user_id, item_group = excluded.item_group,
        version = planning_item.version + 1, updated_at = now()`);
    ctx.audit.after = items;
    return { updated: items.length };
  },
});

const OrderSelection = StrictObject({
  versionId: Id,
  orderKeys: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 500 }),
});

interface PlanOrderRow {
  seq: number;
  orderKey: string;
  itemId: number;
  kind: "make" | "buy";
  status: string;
  releaseDate: string;
  dueDate: string;
  quantity: string;
  releaseQuantity: string;
}

async function selectOrders(tx: Parameters<typeof rows>[0], companyId: number, versionId: number, keys: string[], forConvert: boolean) {
  const [v] = await rows<{ code: string; kind: string; status: string }>(
    tx,
    sql`select code, kind, status from plan_version where id = ${versionId} and company_id = ${companyId} for update`,
  );
  if (!v) throw errors.notFound("plan_version");
  if (v.status !== "done") throw errors.rule("version_not_done", "planning.error.version_not_done", { code: v.code });
  if (forConvert && v.kind !== "regenerative") throw errors.rule("what_if_not_convertible", "planning.error.what_if_convert", { code: v.code });
  const found = await rows<PlanOrderRow>(
    tx,
    sql`select seq, order_key as "orderKey", item_id as "itemId", kind, status, to_char(release_date, 'YYYY-MM-DD') as "releaseDate",
          to_char(due_date, 'YYYY-MM-DD') as "dueDate", quantity::text as quantity, release_quantity::text as "releaseQuantity"
        from plan_order where version_id = ${versionId}
          and order_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)) order by seq for update`,
  );
  const byKey = new Map(found.map((o) => [o.orderKey, o]));
  const missing = keys.map((k, i) => [k, i] as const).filter(([k]) => !byKey.has(k));
  if (missing.length > 0) {
    throw errors.validation(
      missing.map(([k, i]) => ({ field: `/orderKeys/${i}`, rule: "exists", messageKey: "planning.error.no_such_order", params: { order: k } })),
    );
  }
  const done = found.find((o) => o.status === "converted");
  if (done) throw errors.rule("already_converted", "planning.error.already_converted", { order: done.orderKey });
  return found;
}

/** Firms planned orders: the planner has checked them (conversion may follow). */
export const firmOrders = defineCommand({
  name: "planning.order.firm",
  permission: P.orderConvert,
  entity: "plan_order",
  input: OrderSelection,
  async run(ctx, { versionId, orderKeys }) {
    const companyId = requireCompany(ctx.actor);
    const orders = await selectOrders(ctx.tx, companyId, versionId, orderKeys, false);
    await ctx.tx.execute(sql`update plan_order set status = 'firm' where version_id = ${versionId}
      and order_key in (select jsonb_array_elements_text(${JSON.stringify(orders.map((o) => o.orderKey))}::jsonb))`);
    ctx.audit.entityId = versionId;
    ctx.audit.details = { versionId, orderKeys };
    return { firmed: orders.length };
  },
});

/**
 * Converts planned orders: make → draft production orders (BOM and routing effective at the start);
 * buy → purchase requisitions, one per supplier (the preferred, else cheapest valid supplier item) with its
 * price per base unit and lead time. Both keep the planned order's pegging to the demand it serves.
 */
export const convertOrders = defineCommand({
  name: "planning.order.convert",
  permission: P.orderConvert,
  entity: "plan_order",
  input: OrderSelection,
  async run(ctx, { versionId, orderKeys }) {
    const companyId = requireCompany(ctx.actor);
    const orders = await selectOrders(ctx.tx, companyId, versionId, orderKeys, true);
    const plan = await planOf(ctx.tx, companyId, versionId);
    const make = orders.filter((o) => o.kind === "make");
    const buy = orders.filter((o) => o.kind === "buy");
    const created = await insertDraftOrders(
      ctx.tx,
      companyId,
      userId(ctx.actor),
      make.map((o) => ({
        itemId: o.itemId,
        quantity: o.releaseQuantity,
        startDate: o.releaseDate,
        dueDate: o.dueDate,
        sourcePlanVersionId: versionId,
        sourcePlannedOrder: o.orderKey,
        pegging: orderPegging(plan, o.seq),
      })),
    );
    const links: { key: string; type: string; id: number }[] = make.map((o, k) => ({ key: o.orderKey, type: "production_order", id: created[k].id }));

    let requisitions: Awaited<ReturnType<typeof insertRequisitions>> = [];
    if (buy.length > 0) {
      const sources = await rows<{ itemId: number; id: number; partnerId: number; price: string; currency: string; leadTimeDays: number }>(
        ctx.tx,
        sql`select distinct on (s.item_id) s.item_id as "itemId", s.id, s.partner_id as "partnerId", s.currency, s.lead_time_days as "leadTimeDays",
              round(s.price / (case when s.uom_id = i.base_uom_id then 1 else coalesce(iu.factor, su.ratio / bu.ratio) end), 6)::text as price
            from supplier_item s join item i on i.id = s.item_id join uom su on su.id = s.uom_id join uom bu on bu.id = i.base_uom_id
            left join item_uom iu on iu.item_id = i.id and iu.uom_id = s.uom_id
            join partner p on p.id = s.partner_id and p.status = 'active'
            where s.company_id = ${companyId} and s.active and s.item_id in ${idList(buy.map((o) => o.itemId))}
              and (s.valid_from is null or s.valid_from <= current_date) and (s.valid_to is null or s.valid_to >= current_date)
            order by s.item_id, s.preferred desc,
              s.price / (case when s.uom_id = i.base_uom_id then 1 else coalesce(iu.factor, su.ratio / bu.ratio) end), s.id`,
      );
      const sourceOf = new Map(sources.map((s) => [s.itemId, s]));
      const groups = new Map<string, RequisitionSpec & { keys: string[] }>();
      for (const o of buy) {
        const s = sourceOf.get(o.itemId);
        const key = s ? `${s.partnerId}:${s.currency}` : "none";
        let g = groups.get(key);
        if (!g) {
          g = { supplierId: s?.partnerId ?? null, currency: s?.currency ?? "CNY", sourcePlanVersionId: versionId, lines: [], keys: [] };
          groups.set(key, g);
        }
        g.keys.push(o.orderKey);
        g.lines.push({
          itemId: o.itemId,
          quantity: o.releaseQuantity,
          needDate: o.dueDate,
          releaseDate: o.releaseDate,
          supplierItemId: s?.id ?? null,
          unitPrice: s?.price ?? null,
          leadTimeDays: s?.leadTimeDays ?? null,
          sourcePlannedOrder: o.orderKey,
          pegging: orderPegging(plan, o.seq),
        });
      }
      const specs = [...groups.values()];
      requisitions = await insertRequisitions(ctx.tx, companyId, userId(ctx.actor), specs);
      specs.forEach((g, k) => {
        for (const key of g.keys) links.push({ key, type: "purchase_requisition", id: requisitions[k].id });
      });
    }
    if (links.length > 0) {
      await ctx.tx.execute(sql`update plan_order o set status = 'converted', converted_type = l->>'type', converted_id = (l->>'id')::int8
        from jsonb_array_elements(${JSON.stringify(links)}::jsonb) l where o.version_id = ${versionId} and o.order_key = l->>'key'`);
    }
    const result = {
      productionOrders: created.map((c, k) => ({ id: c.id, orderNo: c.orderNo, orderKey: make[k].orderKey })),
      requisitions,
    };
    ctx.audit.entityId = versionId;
    ctx.audit.details = { versionId, orderKeys, ...result };
    return result;
  },
});
