import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { type Static, StrictObject, Type } from "../../../platform/validation.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import { FieldErrors, S, assertUnreferenced, requireCompany, requireSensitive, trimDecimals } from "./common.ts";
import { P } from "./permissions.ts";
import { supplierItem } from "./schema.ts";

/** A supplier item as a command answers it: decimals trimmed, the price only with the price permission. */
function present<T extends Record<string, unknown>>(row: T, actor: Actor): T {
  const out = trimDecimals(row, ["price", "minQty"]) as Record<string, unknown>;
  if (!can(actor, P.supplierItemPriceRead)) delete out.price;
  return out as T;
}

const Opt = <T extends Parameters<typeof S.Nullable>[0]>(t: T) => Type.Optional(S.Nullable(t));

const fields = {
  supplierItemCode: Opt(Type.String({ minLength: 1, maxLength: 64 })),
  supplierItemName: Opt(Type.String({ minLength: 1, maxLength: 200 })),
  uomId: Type.Optional(S.Id),
  price: S.Money,
  currency: Type.Optional(S.Currency),
  minQty: Type.Optional(S.Qty),
  leadTimeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  validFrom: Opt(S.Date),
  validTo: Opt(S.Date),
  preferred: Type.Optional(Type.Boolean()),
  notes: Opt(S.Text(1000)),
};

export const supplierItemCreateInput = StrictObject({ partnerId: S.Id, itemId: S.Id, ...fields });
export type SupplierItemCreateInput = Static<typeof supplierItemCreateInput>;
const { properties: optionalFields } = Type.Partial(Type.Object(fields));
export const supplierItemUpdateInput = StrictObject({ id: S.Id, version: S.Version, ...optionalFields, active: Type.Optional(Type.Boolean()) });

interface SiState {
  id?: number;
  partnerId: number;
  itemId: number;
  uomId: number;
  currency: string;
  minQty: string;
  validFrom?: string | null;
  validTo?: string | null;
  active: boolean;
}

/**
 * Rules of a supplier price beyond the schema: the partner is an active supplier, the item is not
 * obsolete, the unit is one of the item's, the validity is ordered, and no other active price of the
 * same supplier, item, unit, currency and quantity break overlaps it. Returns defaults from the item
 * and partner (unit, currency, lead time) for a new row.
 */
export async function checkSupplierItem(
  tx: Executor,
  companyId: number,
  s: Omit<SiState, "uomId" | "currency" | "minQty" | "active"> & { uomId?: number; currency?: string; minQty?: string; active?: boolean },
  fe: FieldErrors,
  opts: { prefix?: string; partnerChanged?: boolean; itemChanged?: boolean } = {},
): Promise<{ uomId: number; currency: string; leadTimeDays: number } | null> {
  const p = opts.prefix ?? "";
  const partner = await one<{ is_supplier: boolean; status: string; currency: string }>(
    tx,
    sql`select is_supplier, status, currency from partner where id = ${s.partnerId} and company_id = ${companyId}`,
  );
  if (!partner) fe.add(`${p}/partnerId`, "exists", "masterdata.error.no_such_partner");
  else if (!partner.is_supplier) fe.add(`${p}/partnerId`, "role", "masterdata.error.not_supplier_short");
  else if (partner.status !== "active" && opts.partnerChanged !== false) fe.add(`${p}/partnerId`, "usable", "masterdata.error.partner_blocked_short");
  const it = await one<{ status: string; base_uom_id: number; purchase_uom_id: number | null; lead_time_days: number }>(
    tx,
    sql`select status, base_uom_id, purchase_uom_id, lead_time_days from item where id = ${s.itemId} and company_id = ${companyId}`,
  );
  if (!it) fe.add(`${p}/itemId`, "exists", "masterdata.error.no_such_item");
  else if (it.status === "obsolete" && opts.itemChanged !== false) fe.add(`${p}/itemId`, "usable", "masterdata.error.item_obsolete");
  if (!partner || !it) return null;
  const uomId = s.uomId ?? it.purchase_uom_id ?? it.base_uom_id;
  if (uomId !== it.base_uom_id) {
    const alt = await one(tx, sql`select 1 as x from item_uom where item_id = ${s.itemId} and uom_id = ${uomId}`);
    if (!alt) fe.add(`${p}/uomId`, "unit_of_item", "masterdata.error.not_item_unit");
  }
  if (s.validFrom && s.validTo && s.validTo < s.validFrom) fe.add(`${p}/validTo`, "minimum", "masterdata.error.valid_to_before_from");
  const currency = s.currency ?? partner.currency;
  if ((s.active ?? true) && !fe.any) {
    const clash = await one<{ id: number }>(
      tx,
      sql`select id from supplier_item where partner_id = ${s.partnerId} and item_id = ${s.itemId} and uom_id = ${uomId}
            and currency = ${currency} and min_qty = ${s.minQty ?? "0"}::numeric and active and id <> ${s.id ?? 0}
            and daterange(valid_from, valid_to, '[]') && daterange(${s.validFrom ?? null}::date, ${s.validTo ?? null}::date, '[]')
          limit 1`,
    );
    if (clash) fe.add(`${p}/validFrom`, "overlap", "masterdata.error.supplier_item_overlap", { id: clash.id });
  }
  return { uomId, currency, leadTimeDays: it.lead_time_days };
}

/** Inserts a checked supplier item; a preferred one takes the preference from the item's others. */
export async function insertSupplierItem(
  tx: Executor,
  companyId: number,
  input: SupplierItemCreateInput,
  defaults: { uomId: number; currency: string; leadTimeDays: number },
) {
  if (input.preferred) await tx.execute(sql`update supplier_item set preferred = false where item_id = ${input.itemId} and preferred`);
  const [row] = await tx
    .insert(supplierItem)
    .values({
      companyId,
      partnerId: input.partnerId,
      itemId: input.itemId,
      supplierItemCode: input.supplierItemCode ?? null,
      supplierItemName: input.supplierItemName ?? null,
      uomId: defaults.uomId,
      price: input.price,
      currency: defaults.currency,
      minQty: input.minQty ?? "0",
      leadTimeDays: input.leadTimeDays ?? defaults.leadTimeDays,
      validFrom: input.validFrom ?? null,
      validTo: input.validTo ?? null,
      preferred: input.preferred ?? false,
      notes: input.notes ?? null,
    })
    .returning();
  return row;
}

export const createSupplierItem = defineCommand({
  name: "masterdata.supplier_item.create",
  permission: P.supplierItemEdit,
  entity: "supplier_item",
  input: supplierItemCreateInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    requireSensitive(ctx.actor, P.supplierItemPriceRead, true);
    const fe = new FieldErrors();
    const defaults = await checkSupplierItem(ctx.tx, companyId, input, fe);
    fe.throwIfAny();
    const row = await insertSupplierItem(ctx.tx, companyId, input, defaults!);
    ctx.audit.after = row;
    return present(row, ctx.actor);
  },
});

export const updateSupplierItem = defineCommand({
  name: "masterdata.supplier_item.update",
  permission: P.supplierItemEdit,
  entity: "supplier_item",
  input: supplierItemUpdateInput,
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    requireSensitive(ctx.actor, P.supplierItemPriceRead, changes.price !== undefined);
    const [cur] = await ctx.tx.select().from(supplierItem).where(sql`${supplierItem.id} = ${id} and ${supplierItem.companyId} = ${companyId}`).for("update");
    if (!cur) throw errors.notFound("supplier_item");
    if (cur.version !== version) throw errors.versionConflict(cur.version);
    // an inactive price is nobody's preferred source
    if (changes.active === false && changes.preferred === undefined) changes.preferred = false;
    const state = { ...cur, ...changes };
    const fe = new FieldErrors();
    await checkSupplierItem(ctx.tx, companyId, state, fe, { partnerChanged: false, itemChanged: false });
    if (state.preferred && !state.active) fe.add("/preferred", "active", "masterdata.error.preferred_inactive");
    fe.throwIfAny();
    if (changes.preferred) await ctx.tx.execute(sql`update supplier_item set preferred = false where item_id = ${cur.itemId} and preferred and id <> ${id}`);
    const { before, after } = await updateVersioned(ctx.tx, supplierItem, "supplier_item", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return present(after, ctx.actor);
  },
});

export const deleteSupplierItem = defineCommand({
  name: "masterdata.supplier_item.delete",
  permission: P.supplierItemEdit,
  entity: "supplier_item",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const row = await one(ctx.tx, sql`select * from supplier_item where id = ${id} and company_id = ${companyId} for update`);
    if (!row) throw errors.notFound("supplier_item");
    await assertUnreferenced(ctx.tx, "supplier_item", id);
    await ctx.tx.execute(sql`delete from supplier_item where id = ${id}`);
    ctx.audit.before = row;
    return { id, deleted: true };
  },
});

// ---- reads ----------------------------------------------------------------------------------------

function columns(actor: Actor) {
  const price = can(actor, P.supplierItemPriceRead) ? sql`, trim_scale(s.price)::text as price` : sql``;
  return sql`s.id, s.partner_id as "partnerId", p.code as "partnerCode", p.name_zh as "partnerNameZh", p.name_en as "partnerNameEn",
    p.status as "partnerStatus", s.item_id as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn",
    i.status as "itemStatus", s.supplier_item_code as "supplierItemCode", s.supplier_item_name as "supplierItemName",
    s.uom_id as "uomId", u.code as "uomCode", s.currency, trim_scale(s.min_qty)::text as "minQty", s.lead_time_days as "leadTimeDays",
    to_char(s.valid_from, 'YYYY-MM-DD') as "validFrom", to_char(s.valid_to, 'YYYY-MM-DD') as "validTo", s.preferred, s.active,
    s.notes, s.version, s.updated_at as "updatedAt",
    (s.active and coalesce(s.valid_from <= current_date, true) and coalesce(s.valid_to >= current_date, true)) as "validNow"${price}`;
}
const from = sql`supplier_item s join partner p on p.id = s.partner_id join item i on i.id = s.item_id join uom u on u.id = s.uom_id`;

export function listSupplierItems(
  db: Executor,
  actor: Actor,
  params: ListParams & { partnerId?: number; itemId?: number; preferred?: boolean; active?: boolean; validOn?: string },
) {
  const where = [sql`s.company_id = ${actor.companyId}`];
  if (params.q) {
    const q = likePattern(params.q);
    where.push(sql`(i.code ilike ${q} or i.name_zh ilike ${q} or i.name_en ilike ${q} or p.code ilike ${q} or p.name_zh ilike ${q}
      or p.name_en ilike ${q} or s.supplier_item_code ilike ${q} or s.supplier_item_name ilike ${q})`);
  }
  if (params.partnerId) where.push(sql`s.partner_id = ${params.partnerId}`);
  if (params.itemId) where.push(sql`s.item_id = ${params.itemId}`);
  if (params.preferred !== undefined) where.push(sql`s.preferred = ${params.preferred}`);
  if (params.active !== undefined) where.push(sql`s.active = ${params.active}`);
  if (params.validOn) {
    where.push(sql`coalesce(s.valid_from <= ${params.validOn}::date, true) and coalesce(s.valid_to >= ${params.validOn}::date, true)`);
  }
  const sortable: Record<string, ReturnType<typeof sql>> = {
    item: sql`i.code`,
    partner: sql`p.code`,
    minQty: sql`s.min_qty`,
    leadTimeDays: sql`s.lead_time_days`,
    validFrom: sql`s.valid_from`,
    updatedAt: sql`s.updated_at`,
  };
  if (can(actor, P.supplierItemPriceRead)) sortable.price = sql`s.price`;
  return listPage<Record<string, unknown>>(db, { columns: columns(actor), from, where: sql.join(where, sql` and `), sortable, defaultSort: "item,partner", params });
}

export async function getSupplierItem(db: Executor, actor: Actor, id: number) {
  const row = await one(db, sql`select ${columns(actor)} from ${from} where s.id = ${id} and s.company_id = ${actor.companyId}`);
  if (!row) throw errors.notFound("supplier_item");
  return row;
}

export interface SupplierSource {
  id: number;
  partnerId: number;
  partnerCode: string;
  partnerNameZh: string;
  partnerNameEn: string;
  supplierItemCode: string | null;
  uomId: number;
  uomCode: string;
  price: string;
  currency: string;
  minQty: string;
  leadTimeDays: number;
  validFrom: string | null;
  validTo: string | null;
  preferred: boolean;
}

/**
 * Where an item can be bought on a day (default today), for purchasing and MRP: active prices of active
 * suppliers valid that day, the preferred source first, then by supplier and quantity break (min_qty).
 * Prices are in each row's own unit and currency (convert with convertItemQty). The price is included:
 * the caller decides who may see it.
 */
export async function supplierItemsFor(tx: Executor, companyId: number, itemId: number, opts: { on?: string } = {}): Promise<SupplierSource[]> {
  const on = opts.on ?? null;
  return rows<SupplierSource>(
    tx,
    sql`select s.id, s.partner_id as "partnerId", p.code as "partnerCode", p.name_zh as "partnerNameZh", p.name_en as "partnerNameEn",
          s.supplier_item_code as "supplierItemCode", s.uom_id as "uomId", u.code as "uomCode", trim_scale(s.price)::text as price, s.currency,
          trim_scale(s.min_qty)::text as "minQty", s.lead_time_days as "leadTimeDays", to_char(s.valid_from, 'YYYY-MM-DD') as "validFrom",
          to_char(s.valid_to, 'YYYY-MM-DD') as "validTo", s.preferred
        from supplier_item s join partner p on p.id = s.partner_id join uom u on u.id = s.uom_id
        where s.company_id = ${companyId} and s.item_id = ${itemId} and s.active and p.status = 'active' and p.is_supplier
          and coalesce(s.valid_from <= coalesce(${on}::date, current_date), true)
          and coalesce(s.valid_to >= coalesce(${on}::date, current_date), true)
        order by s.preferred desc, p.code, s.uom_id, s.currency, s.min_qty, s.id`,
  );
}
