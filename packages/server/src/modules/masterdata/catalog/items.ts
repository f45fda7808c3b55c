import { Decimal } from "decimal.js";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { type Static, StrictObject, Type } from "../../../platform/validation.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import { markAttachmentsRemoved } from "./attachments.ts";
import { FieldErrors, S, assertUnreferenced, gtinValid, oneOf, referencedBy, requireCompany, requireSensitive, trimDecimals } from "./common.ts";
import { P } from "./permissions.ts";
import { type ItemStatus, type LotSizeRule, item, itemUom } from "./schema.ts";
import { fitsUnit } from "./uom.ts";

export const ITEM_TYPES = ["raw", "semi", "finished", "consumable", "service"] as const;
export const MAKE_OR_BUY = ["make", "buy"] as const;
export const LOT_SIZE_RULES = ["lot-for-lot", "fixed", "multiple", "min-max-multiple", "periods-of-supply", "eoq"] as const;
export const TRACKING = ["none", "lot", "serial"] as const;
export const VALUATION = ["moving_average", "fifo", "standard"] as const;
export const ITEM_STATUS = ["active", "blocked", "obsolete"] as const;
export const ABC = ["A", "B", "C"] as const;



/** The parameters each lot-size rule takes (the MRP engine's contract); every other one must be empty. */
export const LOT_PARAMS: Record<LotSizeRule, { required: LotParam[]; optional: LotParam[] }> = {
  "lot-for-lot": { required: [], optional: [] },
  fixed: { required: ["lotSizeQty"], optional: [] },
  multiple: { required: ["lotSizeMultiple"], optional: [] },
  "min-max-multiple": { required: [], optional: ["lotSizeMin", "lotSizeMax", "lotSizeMultiple"] },
  "periods-of-supply": { required: ["lotSizePeriods"], optional: [] },
  eoq: { required: ["lotSizeSetupCost", "lotSizeHoldingCost"], optional: [] },
};
export type LotParam = "lotSizeQty" | "lotSizeMin" | "lotSizeMax" | "lotSizeMultiple" | "lotSizePeriods" | "lotSizeSetupCost" | "lotSizeHoldingCost";
const ALL_LOT_PARAMS: LotParam[] = ["lotSizeQty", "lotSizeMin", "lotSizeMax", "lotSizeMultiple", "lotSizePeriods", "lotSizeSetupCost", "lotSizeHoldingCost"];
/** Cost parameters of EOQ: as sensitive as the standard cost. */
export const COST_FIELDS = ["standardCost", "lotSizeSetupCost", "lotSizeHoldingCost"] as const;
const ITEM_DECIMALS = ["safetyStock", "lotSizeQty", "lotSizeMin", "lotSizeMax", "lotSizeMultiple", ...COST_FIELDS];

/** An item row as a command answers it: decimals trimmed, costs only for holders of the cost permission. */
export function presentItem<T extends Record<string, unknown>>(row: T, actor: Actor): T {
  const out = trimDecimals(row, ITEM_DECIMALS) as Record<string, unknown>;
  if (!can(actor, P.itemCostRead)) for (const f of COST_FIELDS) delete out[f];
  return out as T;
}

const itemFields = {
  code: S.ItemCode,
  nameZh: S.Name,
  nameEn: S.Name,
  spec: Type.Optional(S.Nullable(S.Text(200))),
  description: Type.Optional(S.Nullable(S.Text(2000))),
  itemType: oneOf(ITEM_TYPES),
  baseUomId: S.Id,
  purchaseUomId: Type.Optional(S.Nullable(S.Id)),
  salesUomId: Type.Optional(S.Nullable(S.Id)),
  makeOrBuy: oneOf(MAKE_OR_BUY),
  leadTimeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  safetyStock: Type.Optional(S.Qty),
  lotSizeRule: Type.Optional(oneOf(LOT_SIZE_RULES)),
  lotSizeQty: Type.Optional(S.Nullable(S.Qty)),
  lotSizeMin: Type.Optional(S.Nullable(S.Qty)),
  lotSizeMax: Type.Optional(S.Nullable(S.Qty)),
  lotSizeMultiple: Type.Optional(S.Nullable(S.Qty)),
  lotSizePeriods: Type.Optional(S.Nullable(Type.Integer({ minimum: 1, maximum: 366 }))),
  lotSizeSetupCost: Type.Optional(S.Nullable(S.Money)),
  lotSizeHoldingCost: Type.Optional(S.Nullable(S.Money)),
  tracking: Type.Optional(oneOf(TRACKING)),
  shelfLifeDays: Type.Optional(S.Nullable(Type.Integer({ minimum: 1, maximum: 36500 }))),
  valuationMethod: Type.Optional(oneOf(VALUATION)),
  standardCost: Type.Optional(S.Money),
  abcClass: Type.Optional(S.Nullable(oneOf(ABC))),
  barcode: Type.Optional(S.Nullable(Type.String({ pattern: "^[0-9A-Za-z._-]{4,64}$" }))),
  allowNegativeStock: Type.Optional(Type.Boolean()),
};

const AltUnit = StrictObject({
  uomId: S.Id,
  /** Base units in one of this unit; defaults to the category ratio for a unit of the base unit's category. */
  factor: Type.Optional(S.Ratio),
});

export const itemCreateInput = StrictObject({ ...itemFields, alternativeUnits: Type.Optional(Type.Array(AltUnit, { maxItems: 20 })) });
export type ItemCreateInput = Static<typeof itemCreateInput>;

const { properties: optionalItemFields } = Type.Partial(Type.Object(itemFields));
export const itemUpdateInput = StrictObject({ id: S.Id, version: S.Version, ...optionalItemFields });

export interface UnitRow {
  id: number;
  code: string;
  category_id: number;
  ratio: string;
  rounding: string;
  active: boolean;
}

async function unitsById(tx: Executor, companyId: number, ids: number[], cache?: Map<number, UnitRow>): Promise<Map<number, UnitRow>> {
  if (cache && ids.every((id) => cache.has(id))) return new Map(ids.map((id) => [id, cache.get(id)!]));
  if (ids.length === 0) return new Map();
  const list = await rows<UnitRow>(
    tx,
    sql`select id, code, category_id, trim_scale(ratio)::text as ratio, trim_scale(rounding)::text as rounding, active from uom
        where company_id = ${companyId} and id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::int8)`,
  );
  if (cache) for (const u of list) cache.set(u.id, u);
  return new Map(list.map((u) => [u.id, u]));
}

/** An item as the rules see it: the stored row with the requested changes applied. */
export type ItemState = Omit<ItemCreateInput, "alternativeUnits" | "code" | "nameZh" | "nameEn"> & { code?: string };

/**
 * Every rule of an item that needs more than the input schema: units (exist, active, the purchase and
 * sales units among the item's units, alternatives with a factor), tracking, shelf life, the lot-size
 * parameters of the rule (and that lots are whole multiples of the base unit), the barcode's check
 * digit. All problems go into `fe`, with `prefix` before each field (the import uses "" per row).
 * Returns the alternative units with their factors filled in.
 */
export async function checkItem(
  tx: Executor,
  companyId: number,
  s: ItemState,
  alternatives: { uomId: number; factor?: string }[],
  fe: FieldErrors,
  opts: { prefix?: string; newUnits?: Set<number>; alternativesField?: string; documentUnitsField?: string; unitCache?: Map<number, UnitRow> } = {},
): Promise<{ uomId: number; factor: string }[]> {
  const p = opts.prefix ?? "";
  const altField = opts.alternativesField ?? `${p}/alternativeUnits`;
  const ids = [s.baseUomId, ...alternatives.map((a) => a.uomId), s.purchaseUomId, s.salesUomId].filter((x): x is number => typeof x === "number");
  const units = await unitsById(tx, companyId, [...new Set(ids)], opts.unitCache);
  // Only units chosen now must be active; an item keeps a unit that was deactivated later.
  const isNew = (id: number) => !opts.newUnits || opts.newUnits.has(id);
  const base = units.get(s.baseUomId);
  if (!base) fe.add(`${p}/baseUomId`, "exists", "masterdata.error.no_such_unit");
  else if (!base.active && isNew(base.id)) fe.add(`${p}/baseUomId`, "active", "masterdata.error.unit_inactive", { code: base.code });

  const resolved: { uomId: number; factor: string }[] = [];
  const seen = new Set<number>();
  for (const [i, a] of alternatives.entries()) {
    const u = units.get(a.uomId);
    const field = `${altField}/${i}`;
    if (!u) {
      fe.add(`${field}/uomId`, "exists", "masterdata.error.no_such_unit");
      continue;
    }
    if (!u.active && isNew(u.id)) fe.add(`${field}/uomId`, "active", "masterdata.error.unit_inactive", { code: u.code });
    else if (a.uomId === s.baseUomId) fe.add(`${field}/uomId`, "not_base", "masterdata.error.alt_is_base");
    else if (seen.has(a.uomId)) fe.add(`${field}/uomId`, "unique", "masterdata.error.alt_duplicate", { code: u.code });
    else {
      seen.add(a.uomId);
      let factor = a.factor;
      if (factor === undefined && base && u.category_id === base.category_id) factor = new Decimal(u.ratio).div(base.ratio).toDecimalPlaces(12).toFixed();
      if (factor === undefined) fe.add(`${field}/factor`, "required", "masterdata.error.alt_factor_required");
      else if (!new Decimal(factor).gt(0)) fe.add(`${field}/factor`, "minimum", "validation.minimum", { limit: "> 0" });
      else resolved.push({ uomId: a.uomId, factor });
    }
  }

  const itemUnitIds = new Set([s.baseUomId, ...alternatives.map((a) => a.uomId)]);
  for (const f of ["purchaseUomId", "salesUomId"] as const) {
    const v = s[f];
    if (v === null || v === undefined) continue;
    if (!units.has(v)) fe.add(`${p}/${f}`, "exists", "masterdata.error.no_such_unit");
    else if (!itemUnitIds.has(v)) {
      // When the alternatives change (not the default), the change is what is wrong.
      if (opts.documentUnitsField) fe.add(opts.documentUnitsField, "in_use", "masterdata.error.alt_unit_document_default", { code: units.get(v)!.code });
      else fe.add(`${p}/${f}`, "unit_of_item", "masterdata.error.not_item_unit");
    }
  }

  const tracking = s.tracking ?? "none";
  if (tracking === "serial" && base && !new Decimal(base.rounding).mod(1).isZero()) {
    fe.add(`${p}/tracking`, "serial_whole_units", "masterdata.error.serial_whole_units", { code: base.code });
  }
  if (s.itemType === "service" && tracking !== "none") fe.add(`${p}/tracking`, "service", "masterdata.error.service_tracking");
  if (s.shelfLifeDays !== null && s.shelfLifeDays !== undefined && tracking === "none") {
    fe.add(`${p}/shelfLifeDays`, "needs_lots", "masterdata.error.shelf_life_needs_lots");
  }

  const rule = s.lotSizeRule ?? "lot-for-lot";
  const spec = LOT_PARAMS[rule];
  for (const param of ALL_LOT_PARAMS) {
    const v = s[param];
    const given = v !== null && v !== undefined;
    if (spec.required.includes(param) && !given) fe.add(`${p}/${param}`, "required", "masterdata.error.lot_param_required", { rule });
    else if (given && !spec.required.includes(param) && !spec.optional.includes(param)) {
      fe.add(`${p}/${param}`, "not_allowed", "masterdata.error.lot_param_not_allowed", { rule });
    }
  }
  if (rule === "min-max-multiple" && [s.lotSizeMin, s.lotSizeMax, s.lotSizeMultiple].every((v) => v === null || v === undefined)) {
    fe.add(`${p}/lotSizeMin`, "required", "masterdata.error.lot_min_max_multiple");
  }
  for (const param of ["lotSizeQty", "lotSizeMax", "lotSizeMultiple", "lotSizeSetupCost", "lotSizeHoldingCost"] as const) {
    const v = s[param];
    if (v !== null && v !== undefined && !new Decimal(v).gt(0)) fe.add(`${p}/${param}`, "minimum", "validation.minimum", { limit: "> 0" });
  }
  if (s.lotSizeMin && s.lotSizeMax && new Decimal(s.lotSizeMax).lt(s.lotSizeMin)) {
    fe.add(`${p}/lotSizeMax`, "minimum", "masterdata.error.lot_max_below_min");
  }
  if (base) {
    for (const param of ["lotSizeQty", "lotSizeMin", "lotSizeMax", "lotSizeMultiple", "safetyStock"] as const) {
      const v = s[param];
      if (v && !fitsUnit(v, { rounding: base.rounding })) {
        fe.add(`${p}/${param}`, "unit_rounding", "masterdata.error.qty_not_in_unit", { rounding: new Decimal(base.rounding).toFixed(), code: base.code });
      }
    }
  }
  if (s.barcode && !gtinValid(s.barcode)) fe.add(`${p}/barcode`, "checksum", "masterdata.error.barcode_checksum");
  return resolved;
}

/** Inserts a checked item and its alternative units (the create command and the import share this). */
export async function insertItem(tx: Executor, companyId: number, input: ItemCreateInput, alternatives: { uomId: number; factor: string }[]) {
  const { alternativeUnits: _, ...fields } = input;
  const [row] = await tx
    .insert(item)
    .values({
      companyId,
      ...fields,
      safetyStock: fields.safetyStock ?? "0",
      lotSizeRule: fields.lotSizeRule ?? "lot-for-lot",
      tracking: fields.tracking ?? "none",
      valuationMethod: fields.valuationMethod ?? "moving_average",
      standardCost: fields.standardCost ?? "0",
      status: "active",
    })
    .returning();
  if (alternatives.length > 0) await tx.insert(itemUom).values(alternatives.map((a) => ({ itemId: row.id, uomId: a.uomId, factor: a.factor })));
  return row;
}

export const createItem = defineCommand({
  name: "masterdata.item.create",
  permission: P.itemEdit,
  entity: "item",
  input: itemCreateInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    requireSensitive(ctx.actor, P.itemCostRead, COST_FIELDS.some((f) => input[f] !== undefined && input[f] !== null && input[f] !== "0"));
    const fe = new FieldErrors();
    const alternatives = await checkItem(ctx.tx, companyId, input, input.alternativeUnits ?? [], fe);
    fe.throwIfAny();
    const row = await insertItem(ctx.tx, companyId, input, alternatives);
    ctx.audit.after = { ...row, alternativeUnits: alternatives };
    ctx.emit("masterdata.item.created", { id: row.id, companyId, code: row.code });
    return presentItem(row, ctx.actor);
  },
});

async function lockItem(tx: Executor, companyId: number, id: number) {
  const [row] = await tx.select().from(item).where(sql`${item.id} = ${id} and ${item.companyId} = ${companyId}`).for("update");
  if (!row) throw errors.notFound("item");
  return row;
}

async function alternativesOf(tx: Executor, itemId: number) {
  return rows<{ uomId: number; factor: string }>(tx, sql`select uom_id as "uomId", trim_scale(factor)::text as factor from item_uom where item_id = ${itemId} order by uom_id`);
}

export const updateItem = defineCommand({
  name: "masterdata.item.update",
  permission: P.itemEdit,
  entity: "item",
  input: itemUpdateInput,
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    requireSensitive(ctx.actor, P.itemCostRead, COST_FIELDS.some((f) => changes[f] !== undefined));
    const cur = await lockItem(ctx.tx, companyId, id);
    if (cur.version !== version) throw errors.versionConflict(cur.version);
    // A new rule starts from its own parameters: the old rule's ones are cleared unless given again.
    if (changes.lotSizeRule && changes.lotSizeRule !== cur.lotSizeRule) {
      for (const param of ALL_LOT_PARAMS) if (!(param in changes)) (changes as Record<string, unknown>)[param] = null;
    }
    const state = { ...cur, ...changes } as unknown as ItemState;
    const alternatives = await alternativesOf(ctx.tx, id);
    const fe = new FieldErrors();
    const newUnits = new Set([changes.baseUomId, changes.purchaseUomId, changes.salesUomId].filter((x): x is number => typeof x === "number"));
    const baseChanges = changes.baseUomId !== undefined && changes.baseUomId !== cur.baseUomId;
    // Factors count in base units: a new base unit would silently change what every alternative means.
    if (baseChanges && alternatives.length > 0) fe.add("/baseUomId", "has_alternatives", "masterdata.error.base_unit_has_alternatives");
    await checkItem(ctx.tx, companyId, state, baseChanges ? [] : alternatives, fe, { newUnits });
    if (baseChanges) {
      // Stock, prices and BOM lines count in the base unit: it is fixed once anything refers to the item.
      const used = await referencedBy(ctx.tx, "item", id, ["item_uom"]);
      if (used.length > 0) fe.add("/baseUomId", "in_use", "masterdata.error.base_unit_in_use", { tables: used.join(", ") });
    }
    fe.throwIfAny();
    const { before, after } = await updateVersioned(ctx.tx, item, "item", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return presentItem(after, ctx.actor);
  },
});

export const setItemStatus = defineCommand({
  name: "masterdata.item.set_status",
  permission: P.itemEdit,
  entity: "item",
  input: StrictObject({ id: S.Id, version: S.Version, status: oneOf(ITEM_STATUS), reason: Type.Optional(Type.String({ maxLength: 500 })) }),
  async run(ctx, { id, version, status, reason }) {
    const companyId = requireCompany(ctx.actor);
    await lockItem(ctx.tx, companyId, id);
    const { before, after } = await updateVersioned(ctx.tx, item, "item", id, version, { status: status as ItemStatus });
    Object.assign(ctx.audit, diff(before, after));
    if (reason) ctx.audit.details = { reason };
    ctx.emit("masterdata.item.status_changed", { id, companyId, code: after.code, status });
    return presentItem(after, ctx.actor);
  },
});

export const setItemUnits = defineCommand({
  name: "masterdata.item.units.set",
  permission: P.itemEdit,
  entity: "item",
  input: StrictObject({ id: S.Id, version: S.Version, units: Type.Array(AltUnit, { maxItems: 20 }) }),
  async run(ctx, { id, version, units }) {
    const companyId = requireCompany(ctx.actor);
    const cur = await lockItem(ctx.tx, companyId, id);
    if (cur.version !== version) throw errors.versionConflict(cur.version);
    const old = await alternativesOf(ctx.tx, id);
    const oldIds = new Set(old.map((o) => o.uomId));
    const fe = new FieldErrors();
    const resolved = await checkItem(ctx.tx, companyId, cur as unknown as ItemState, units, fe, {
      newUnits: new Set(units.map((u) => u.uomId).filter((u) => !oldIds.has(u))),
      alternativesField: "/units",
      documentUnitsField: "/units",
    });
    const removed = old.filter((o) => !units.some((u) => u.uomId === o.uomId)).map((o) => o.uomId);
    for (const uomId of removed) {
      const priced = await one(ctx.tx, sql`select 1 as x from supplier_item where item_id = ${id} and uom_id = ${uomId} limit 1`);
      if (priced) fe.add("/units", "in_use", "masterdata.error.alt_unit_priced");
    }
    fe.throwIfAny();
    await ctx.tx.delete(itemUom).where(sql`${itemUom.itemId} = ${id}`);
    if (resolved.length > 0) await ctx.tx.insert(itemUom).values(resolved.map((r) => ({ itemId: id, uomId: r.uomId, factor: r.factor })));
    const { after } = await updateVersioned(ctx.tx, item, "item", id, version, {});
    ctx.audit.before = { alternativeUnits: old };
    ctx.audit.after = { alternativeUnits: resolved };
    return presentItem(after, ctx.actor);
  },
});

export const deleteItem = defineCommand({
  name: "masterdata.item.delete",
  permission: P.itemEdit,
  entity: "item",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const cur = await lockItem(ctx.tx, companyId, id);
    await assertUnreferenced(ctx.tx, "item", id, ["item_uom"]);
    const removed = await markAttachmentsRemoved(ctx.tx, ctx.actor, companyId, "item", id);
    await ctx.tx.delete(item).where(sql`${item.id} = ${id}`);
    ctx.audit.before = cur;
    if (removed > 0) ctx.audit.details = { attachmentsRemoved: removed };
    return { id, deleted: true };
  },
});

// ---- reads ----------------------------------------------------------------------------------------

function itemColumns(actor: Actor) {
  const cost = can(actor, P.itemCostRead)
    ? sql`, trim_scale(i.standard_cost)::text as "standardCost", trim_scale(i.lot_size_setup_cost)::text as "lotSizeSetupCost",
        trim_scale(i.lot_size_holding_cost)::text as "lotSizeHoldingCost"`
    : sql``;
  return sql`i.id, i.code, i.name_zh as "nameZh", i.name_en as "nameEn", i.spec, i.description, i.item_type as "itemType",
    i.base_uom_id as "baseUomId", bu.code as "baseUomCode", trim_scale(bu.rounding)::text as "baseUomRounding",
    i.purchase_uom_id as "purchaseUomId", pu.code as "purchaseUomCode", i.sales_uom_id as "salesUomId", su.code as "salesUomCode",
    i.make_or_buy as "makeOrBuy", i.lead_time_days as "leadTimeDays", trim_scale(i.safety_stock)::text as "safetyStock",
    i.lot_size_rule as "lotSizeRule", trim_scale(i.lot_size_qty)::text as "lotSizeQty", trim_scale(i.lot_size_min)::text as "lotSizeMin",
    trim_scale(i.lot_size_max)::text as "lotSizeMax", trim_scale(i.lot_size_multiple)::text as "lotSizeMultiple", i.lot_size_periods as "lotSizePeriods",
    i.tracking, i.shelf_life_days as "shelfLifeDays", i.valuation_method as "valuationMethod", i.abc_class as "abcClass",
    i.status, i.barcode, i.allow_negative_stock as "allowNegativeStock", i.version, i.created_at as "createdAt",
    i.updated_at as "updatedAt"${cost}`;
}

const itemFrom = sql`item i join uom bu on bu.id = i.base_uom_id left join uom pu on pu.id = i.purchase_uom_id
  left join uom su on su.id = i.sales_uom_id`;

export interface ItemFilters {
  itemType?: string;
  status?: string;
  abcClass?: string;
  makeOrBuy?: string;
  tracking?: string;
}

export function listItems(db: Executor, actor: Actor, params: ListParams & ItemFilters) {
  const where = [sql`i.company_id = ${actor.companyId}`];
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p} or i.spec ilike ${p} or i.barcode = ${params.q})`);
  }
  if (params.itemType) where.push(sql`i.item_type = ${params.itemType}`);
  if (params.status) where.push(sql`i.status = ${params.status}`);
  if (params.abcClass) where.push(sql`i.abc_class = ${params.abcClass}`);
  if (params.makeOrBuy) where.push(sql`i.make_or_buy = ${params.makeOrBuy}`);
  if (params.tracking) where.push(sql`i.tracking = ${params.tracking}`);
  // Sorting by a hidden column would leak its order: only holders of the cost permission may.
  const sortable: Record<string, ReturnType<typeof sql>> = {
    code: sql`i.code`,
    nameZh: sql`i.name_zh`,
    nameEn: sql`i.name_en`,
    itemType: sql`i.item_type`,
    status: sql`i.status`,
    abcClass: sql`i.abc_class`,
    leadTimeDays: sql`i.lead_time_days`,
    updatedAt: sql`i.updated_at`,
  };
  if (can(actor, P.itemCostRead)) sortable.standardCost = sql`i.standard_cost`;
  return listPage<Record<string, unknown>>(db, {
    columns: itemColumns(actor),
    from: itemFrom,
    where: sql.join(where, sql` and `),
    sortable,
    defaultSort: "code",
    params,
  });
}

export async function getItem(db: Executor, actor: Actor, id: number) {
  const row = await one<Record<string, unknown>>(db, sql`select ${itemColumns(actor)} from ${itemFrom} where i.id = ${id} and i.company_id = ${actor.companyId}`);
  if (!row) throw errors.notFound("item");
  row.alternativeUnits = await rows(
    db,
    sql`select iu.uom_id as "uomId", u.code, u.name_zh as "nameZh", u.name_en as "nameEn", trim_scale(iu.factor)::text as factor,
          u.category_id = b.category_id as "sameCategory", trim_scale(u.rounding)::text as rounding
        from item_uom iu join uom u on u.id = iu.uom_id join item i on i.id = iu.item_id join uom b on b.id = i.base_uom_id
        where iu.item_id = ${id} order by u.code`,
  );
  const counts = await one<{ attachments: number; supplierItems: number }>(
    db,
    sql`select (select count(*)::int8 from attachment a where a.company_id = ${actor.companyId} and a.entity = 'item'
                  and a.entity_id = ${id} and a.removed_at is null) as attachments,
               (select count(*)::int8 from supplier_item s where s.item_id = ${id}) as "supplierItems"`,
  );
  row.attachmentCount = counts?.attachments ?? 0;
  row.supplierItemCount = counts?.supplierItems ?? 0;
  row.costVisible = can(actor, P.itemCostRead);
  return row;
}

export interface UsableItem {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  itemType: string;
  makeOrBuy: string;
  baseUomId: number;
  tracking: string;
  status: ItemStatus;
}

/**
 * For every module that puts an item on a new document (orders, BOMs, receipts…): the item exists in the
 * company and is active. A blocked or obsolete item is refused — with a field error on `field` when
 * given (e.g. "/lines/2/itemId"), else a 422. Returns what documents usually need of the item.
 */
export async function assertItemUsable(tx: Executor, companyId: number, itemId: number, field?: string): Promise<UsableItem> {
  const row = await one<UsableItem>(
    tx,
    sql`select id, code, name_zh as "nameZh", name_en as "nameEn", item_type as "itemType", make_or_buy as "makeOrBuy",
          base_uom_id as "baseUomId", tracking, status
        from item where id = ${itemId} and company_id = ${companyId}`,
  );
  if (!row) {
    if (field) throw errors.field(field, "exists", "masterdata.error.no_such_item");
    throw errors.notFound("item");
  }
  if (row.status !== "active") {
    if (field) throw errors.field(field, "usable", "masterdata.error.item_not_usable_field", { code: row.code, status: row.status });
    throw errors.rule("item_not_usable", "masterdata.error.item_not_usable", { code: row.code, status: row.status });
  }
  return row;
}
