import { Decimal } from "decimal.js";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { type Static, StrictObject, Type } from "../../../platform/validation.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import { FieldErrors, S, assertUnreferenced, referencedBy, requireCompany, trimDecimals } from "./common.ts";
import { P } from "./permissions.ts";
import { uom, uomCategory } from "./schema.ts";
import { type ItemUnits, type RoundingMode, UomConversionError, type UnitInfo, convertQty } from "./uom.ts";

// ---- categories -----------------------------------------------------------------------------------

export const createUomCategory = defineCommand({
  name: "masterdata.uom_category.create",
  permission: P.uomEdit,
  entity: "uom_category",
  input: StrictObject({ code: S.Code, nameZh: Type.String({ minLength: 1, maxLength: 100 }), nameEn: Type.String({ minLength: 1, maxLength: 100 }) }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const [row] = await ctx.tx.insert(uomCategory).values({ companyId, ...input }).returning();
    ctx.audit.after = row;
    return row;
  },
});

export const updateUomCategory = defineCommand({
  name: "masterdata.uom_category.update",
  permission: P.uomEdit,
  entity: "uom_category",
  input: StrictObject({
    id: S.Id,
    version: S.Version,
    nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    const owned = await one(ctx.tx, sql`select id from uom_category where id = ${id} and company_id = ${companyId}`);
    if (!owned) throw errors.notFound("uom_category");
    if (changes.active === false) {
      const unit = await one(ctx.tx, sql`select 1 as x from uom where category_id = ${id} and active limit 1`);
      if (unit) throw errors.rule("category_has_active_units", "masterdata.error.category_active_units");
    }
    const { before, after } = await updateVersioned(ctx.tx, uomCategory, "uom_category", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

// ---- units ----------------------------------------------------------------------------------------

const UnitName = Type.String({ minLength: 1, maxLength: 100 });

export const uomCreateInput = StrictObject({
  categoryId: S.Id,
  code: S.UomCode,
  nameZh: UnitName,
  nameEn: UnitName,
  ratio: Type.Optional(S.Ratio),
  rounding: Type.Optional(S.Ratio),
  isReference: Type.Optional(Type.Boolean()),
});
export type UomCreateInput = Static<typeof uomCreateInput>;

/** Field errors of a new unit (shared with the import, which lists them per row). */
export async function checkUomCreate(tx: Executor, companyId: number, input: UomCreateInput, fe: FieldErrors, prefix = ""): Promise<void> {
  const cat = await one<{ active: boolean }>(tx, sql`select active from uom_category where id = ${input.categoryId} and company_id = ${companyId}`);
  if (!cat) fe.add(`${prefix}/categoryId`, "exists", "masterdata.error.no_such_category");
  else if (!cat.active) fe.add(`${prefix}/categoryId`, "active", "masterdata.error.category_inactive");
  const ratio = new Decimal(input.ratio ?? "1");
  if (ratio.lte(0)) fe.add(`${prefix}/ratio`, "minimum", "validation.minimum", { limit: "> 0" });
  if (input.rounding !== undefined && new Decimal(input.rounding).lt("0.000001")) fe.add(`${prefix}/rounding`, "minimum", "validation.minimum", { limit: "0.000001" });
  if (cat) {
    const ref = await one(tx, sql`select 1 as x from uom where category_id = ${input.categoryId} and is_reference`);
    const isRef = input.isReference ?? !ref; // the first unit of a category is its reference unit
    if (isRef && ref) fe.add(`${prefix}/isReference`, "unique", "masterdata.error.reference_exists");
    if (isRef && !ratio.eq(1)) fe.add(`${prefix}/ratio`, "reference", "masterdata.error.reference_ratio");
    if (!isRef && !ref) fe.add(`${prefix}/isReference`, "required", "masterdata.error.reference_first");
  }
}

export async function insertUom(tx: Executor, companyId: number, input: UomCreateInput) {
  const ref = await one(tx, sql`select 1 as x from uom where category_id = ${input.categoryId} and is_reference`);
  const [row] = await tx
    .insert(uom)
    .values({
      companyId,
      categoryId: input.categoryId,
      code: input.code,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      ratio: input.ratio ?? "1",
      rounding: input.rounding ?? "0.000001",
      isReference: input.isReference ?? !ref,
    })
    .returning();
  return row;
}

export const createUom = defineCommand({
  name: "masterdata.uom.create",
  permission: P.uomEdit,
  entity: "uom",
  input: uomCreateInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const fe = new FieldErrors();
    await checkUomCreate(ctx.tx, companyId, input, fe);
    fe.throwIfAny();
    const row = await insertUom(ctx.tx, companyId, input);
    ctx.audit.after = row;
    return trimDecimals(row, ["ratio", "rounding"]);
  },
});

export const updateUom = defineCommand({
  name: "masterdata.uom.update",
  permission: P.uomEdit,
  entity: "uom",
  input: StrictObject({
    id: S.Id,
    version: S.Version,
    code: Type.Optional(S.UomCode),
    nameZh: Type.Optional(UnitName),
    nameEn: Type.Optional(UnitName),
    ratio: Type.Optional(S.Ratio),
    rounding: Type.Optional(S.Ratio),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    const cur = await one<{ ratio: string; rounding: string; is_reference: boolean; category_id: number }>(
      ctx.tx,
      sql`select trim_scale(ratio)::text as ratio, trim_scale(rounding)::text as rounding, is_reference, category_id from uom where id = ${id} and company_id = ${companyId}`,
    );
    if (!cur) throw errors.notFound("uom");
    const fe = new FieldErrors();
    const ratioChanges = changes.ratio !== undefined && !new Decimal(changes.ratio).eq(cur.ratio);
    // Finer rounding keeps every stored quantity valid; coarser would strand existing decimals.
    const roundingCoarser = changes.rounding !== undefined && !new Decimal(cur.rounding).mod(changes.rounding).isZero();
    if (changes.rounding !== undefined && new Decimal(changes.rounding).lt("0.000001")) fe.add("/rounding", "minimum", "validation.minimum", { limit: "0.000001" });
    if (ratioChanges && cur.is_reference) fe.add("/ratio", "reference", "masterdata.error.reference_ratio");
    if (ratioChanges && new Decimal(changes.ratio!).lte(0)) fe.add("/ratio", "minimum", "validation.minimum", { limit: "> 0" });
    if (ratioChanges || roundingCoarser) {
      const used = await referencedBy(ctx.tx, "uom", id);
      if (used.length > 0) {
        if (ratioChanges) fe.add("/ratio", "in_use", "masterdata.error.unit_in_use_ratio", { tables: used.join(", ") });
        if (roundingCoarser) fe.add("/rounding", "in_use", "masterdata.error.unit_in_use_rounding", { tables: used.join(", ") });
      }
    }
    if (changes.active === false && cur.is_reference) {
      const others = await one(ctx.tx, sql`select 1 as x from uom where category_id = ${cur.category_id} and id <> ${id} and active limit 1`);
      if (others) fe.add("/active", "reference", "masterdata.error.reference_deactivate");
    }
    fe.throwIfAny();
    const { before, after } = await updateVersioned(ctx.tx, uom, "uom", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return trimDecimals(after, ["ratio", "rounding"]);
  },
});

export const deleteUom = defineCommand({
  name: "masterdata.uom.delete",
  permission: P.uomEdit,
  entity: "uom",
  input: StrictObject({ id: S.Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor);
    const row = await one<{ is_reference: boolean; category_id: number }>(
      ctx.tx,
      sql`select is_reference, category_id from uom where id = ${id} and company_id = ${companyId} for update`,
    );
    if (!row) throw errors.notFound("uom");
    await assertUnreferenced(ctx.tx, "uom", id);
    if (row.is_reference) {
      const others = await one(ctx.tx, sql`select 1 as x from uom where category_id = ${row.category_id} and id <> ${id} limit 1`);
      if (others) throw errors.rule("reference_unit", "masterdata.error.reference_delete");
    }
    const deleted = await one(ctx.tx, sql`delete from uom where id = ${id} returning *`);
    ctx.audit.before = deleted;
    return { id, deleted: true };
  },
});

// ---- reads ----------------------------------------------------------------------------------------

export function listUomCategories(db: Executor, companyId: number) {
  return rows(
    db,
    sql`select c.id, c.code, c.name_zh as "nameZh", c.name_en as "nameEn", c.active, c.version,
          (select count(*)::int8 from uom u where u.category_id = c.id) as "unitCount",
          (select u.code from uom u where u.category_id = c.id and u.is_reference) as "referenceCode"
        from uom_category c where c.company_id = ${companyId} order by c.code`,
  );
}

export const uomColumns = sql`u.id, u.code, u.name_zh as "nameZh", u.name_en as "nameEn", u.category_id as "categoryId",
  c.code as "categoryCode", c.name_zh as "categoryNameZh", c.name_en as "categoryNameEn",
  trim_scale(u.ratio)::text as ratio, trim_scale(u.rounding)::text as rounding, u.is_reference as "isReference", u.active, u.version,
  (select count(*)::int8 from item i where i.base_uom_id = u.id) as "itemCount"`;

export function listUoms(db: Executor, companyId: number, params: ListParams & { categoryId?: number; active?: boolean }) {
  const where = [sql`u.company_id = ${companyId}`];
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(u.code ilike ${p} or u.name_zh ilike ${p} or u.name_en ilike ${p})`);
  }
  if (params.categoryId) where.push(sql`u.category_id = ${params.categoryId}`);
  if (params.active !== undefined) where.push(sql`u.active = ${params.active}`);
  return listPage<Record<string, unknown>>(db, {
    columns: uomColumns,
    from: sql`uom u join uom_category c on c.id = u.category_id`,
    where: sql.join(where, sql` and `),
    sortable: { code: sql`u.code`, nameZh: sql`u.name_zh`, nameEn: sql`u.name_en`, category: sql`c.code`, ratio: sql`u.ratio` },
    defaultSort: "category,ratio",
    params,
  });
}

export async function getUom(db: Executor, companyId: number, id: number) {
  const row = await one(db, sql`select ${uomColumns} from uom u join uom_category c on c.id = u.category_id where u.id = ${id} and u.company_id = ${companyId}`);
  if (!row) throw errors.notFound("uom");
  return row;
}

async function unitInfos(db: Executor, companyId: number, ids: number[]): Promise<Map<number, UnitInfo>> {
  const list = await rows<UnitInfo>(
    db,
    sql`select id, code, category_id as "categoryId", trim_scale(ratio)::text as ratio, trim_scale(rounding)::text as rounding
        from uom where company_id = ${companyId} and id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::int8)`,
  );
  return new Map(list.map((u) => [u.id, u]));
}

/** The item's units as the pure converter wants them (base unit and alternatives with factors). */
export async function itemUnits(db: Executor, companyId: number, itemId: number): Promise<ItemUnits | null> {
  const base = await one<UnitInfo>(
    db,
    sql`select u.id, u.code, u.category_id as "categoryId", trim_scale(u.ratio)::text as ratio, trim_scale(u.rounding)::text as rounding
        from item i join uom u on u.id = i.base_uom_id where i.id = ${itemId} and i.company_id = ${companyId}`,
  );
  if (!base) return null;
  const alternatives = await rows<UnitInfo & { factor: string }>(
    db,
    sql`select u.id, u.code, u.category_id as "categoryId", trim_scale(u.ratio)::text as ratio, trim_scale(u.rounding)::text as rounding, trim_scale(iu.factor)::text as factor
        from item_uom iu join uom u on u.id = iu.uom_id where iu.item_id = ${itemId} order by u.code`,
  );
  return { base, alternatives: alternatives.map(({ factor, ...unit }) => ({ unit, factor })) };
}

/**
 * Converts a quantity between two units of the company, through the item's own factors when an item is
 * given. For other modules (a purchase line in boxes to stock in pieces). Unknown units are field
 * errors naming `fields.from` / `fields.to`; no way to convert is a 422.
 */
export async function convertItemQty(
  db: Executor,
  companyId: number,
  args: { qty: Decimal.Value; fromUomId: number; toUomId: number; itemId?: number | null; rounding?: RoundingMode },
  fields: { from?: string; to?: string; item?: string } = {},
): Promise<string> {
  const units = await unitInfos(db, companyId, [args.fromUomId, args.toUomId]);
  const from = units.get(args.fromUomId);
  const to = units.get(args.toUomId);
  const fe = new FieldErrors();
  if (!from) fe.add(fields.from ?? "/fromUomId", "exists", "masterdata.error.no_such_unit");
  if (!to) fe.add(fields.to ?? "/toUomId", "exists", "masterdata.error.no_such_unit");
  let item: ItemUnits | null = null;
  if (args.itemId) {
    item = await itemUnits(db, companyId, args.itemId);
    if (!item) fe.add(fields.item ?? "/itemId", "exists", "masterdata.error.no_such_item");
  }
  fe.throwIfAny();
  try {
    return convertQty(args.qty, from!, to!, { item: item ?? undefined, rounding: args.rounding });
  } catch (e) {
    if (e instanceof UomConversionError) {
      if (e.reason === "bad_quantity") throw errors.field("/qty", "decimal", "validation.decimal");
      throw errors.rule("uom_no_conversion", "masterdata.error.no_conversion", { from: from!.code, to: to!.code });
    }
    throw e;
  }
}
