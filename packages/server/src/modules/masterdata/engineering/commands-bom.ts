import { eq } from "drizzle-orm";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { AppError, type FieldError, errors } from "../../../platform/errors.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import {
  Id,
  IsoDate,
  type ItemInfo,
  Nullable,
  Numeric,
  type Static,
  StrictObject,
  Type,
  Version,
  VersionCode,
  companyToday,
  dec,
  idList,
  isExclusionViolation,
  loadItems,
  lockStructure,
  requireCompany,
  requireItem,
  throwFields,
} from "./common.ts";
import { P } from "./permissions.ts";
import { bom, bomLine } from "./schema.ts";
import { assertNoCycle } from "./structure.ts";

const LineInput = StrictObject({
  /** Line number; default 10, 20, 30… in the order given. */
  position: Type.Optional(Type.Integer({ minimum: 1, maximum: 99999 })),
  componentItemId: Id,
  qty: Numeric(12, 6, "quantity per base quantity of the parent, in the line's unit (a by-product: the quantity it yields)"),
  /** Default: the component's base unit. */
  uomId: Type.Optional(Id),
  scrapPct: Type.Optional(Numeric(2, 3, "component scrap, percent (0 ≤ x < 100)")),
  phantom: Type.Optional(Type.Boolean()),
  byProduct: Type.Optional(Type.Boolean()),
  effectiveFrom: Type.Optional(Nullable(IsoDate)),
  effectiveTo: Type.Optional(Nullable(IsoDate)),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});
type LineInput = Static<typeof LineInput>;
const Lines = Type.Array(LineInput, { maxItems: 2000 });

const HeaderFields = {
  versionCode: VersionCode,
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  effectiveFrom: IsoDate,
  effectiveTo: Type.Optional(Nullable(IsoDate)),
  baseQty: Type.Optional(Numeric(12, 6, "line quantities are per this many base units of the parent (default 1)")),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};

type BomRow = typeof bom.$inferSelect;
type NewLine = typeof bomLine.$inferInsert;

/** Writing lines means handling the recipe's quantities: only for those allowed to see them. */
function requireQuantityPermission(actor: Actor): void {
  if (!can(actor, P.bomQuantityRead)) throw new AppError(403, "forbidden", "masterdata.error.quantity_permission", { permission: P.bomQuantityRead });
}

/** A header without its base quantity for someone who may not see BOM quantities. */
export function maskHeader<T extends { baseQty?: string | null }>(actor: Actor, row: T): T {
  return can(actor, P.bomQuantityRead) ? row : { ...row, baseQty: null };
}

/** Validates every line against the items and units; adds each bad field to `fields` and returns the rows to insert. */
async function checkLines(tx: Executor, companyId: number, parent: ItemInfo, lines: LineInput[], fields: FieldError[]): Promise<Omit<NewLine, "bomId">[]> {
  const at = (i: number, name: string, rule: string, messageKey: string, params?: Record<string, unknown>) =>
    fields.push({ field: `/lines/${i}/${name}`, rule, messageKey, params });
  const items = await loadItems(tx, companyId, lines.map((l) => l.componentItemId));
  const uomIds = lines.map((l) => l.uomId).filter((u): u is number => u !== undefined);
  const uoms = new Map(
    (await rows<{ id: number; categoryId: number; code: string }>(
      tx,
      sql`select id, category_id as "categoryId", code from uom where company_id = ${companyId} and id in ${idList(uomIds)}`,
    )).map((u) => [u.id, u]),
  );
  const itemUnits = new Set(
    (await rows<{ k: string }>(
      tx,
      sql`select item_id || ':' || uom_id as k from item_uom where item_id in ${idList(lines.map((l) => l.componentItemId))}`,
    )).map((r) => r.k),
  );
  const positions = new Map<number, number>();
  const out: Omit<NewLine, "bomId">[] = [];
  lines.forEach((l, i) => {
    const item = items.get(l.componentItemId);
    if (!item) at(i, "componentItemId", "exists", "masterdata.error.no_such_item");
    else if (item.id === parent.id) at(i, "componentItemId", "self", "masterdata.error.self_component");
    else if (item.status !== "active") at(i, "componentItemId", "usable", "masterdata.error.item_not_usable", { code: item.code });
    if (dec(l.qty).lte(0)) at(i, "qty", "minimum", "masterdata.error.positive");
    const uomId = l.uomId ?? item?.baseUomId;
    if (l.uomId !== undefined) {
      const u = uoms.get(l.uomId);
      if (!u) at(i, "uomId", "exists", "masterdata.error.no_such_uom");
      else if (item && u.categoryId !== item.baseUomCategoryId && !itemUnits.has(`${item.id}:${u.id}`)) {
        at(i, "uomId", "convertible", "masterdata.error.uom_not_convertible", { code: item.code, uom: item.baseUomCode });
      }
    }
    const scrap = dec(l.scrapPct ?? "0");
    if (scrap.gte(100)) at(i, "scrapPct", "maximum", "masterdata.error.scrap_range");
    if (l.byProduct && scrap.gt(0)) at(i, "scrapPct", "byProduct", "masterdata.error.by_product_scrap");
    if (l.byProduct && l.phantom) at(i, "byProduct", "phantom", "masterdata.error.phantom_by_product");
    if (l.effectiveFrom && l.effectiveTo && l.effectiveTo <= l.effectiveFrom) at(i, "effectiveTo", "after", "masterdata.error.date_order");
    const position = l.position ?? (i + 1) * 10;
    if (positions.has(position)) at(i, "position", "unique", "masterdata.error.duplicate", { other: positions.get(position)! + 1 });
    positions.set(position, i);
    out.push({
      position,
      componentItemId: l.componentItemId,
      qty: l.qty,
      uomId: uomId ?? 0,
      scrapPct: l.scrapPct ?? "0",
      phantom: l.phantom ?? false,
      byProduct: l.byProduct ?? false,
      effectiveFrom: l.effectiveFrom ?? null,
      effectiveTo: l.effectiveTo ?? null,
      notes: l.notes ?? null,
    });
  });
  return out;
}

function checkHeader(h: { effectiveFrom: string; effectiveTo?: string | null; baseQty?: string }): FieldError[] {
  const fields: FieldError[] = [];
  if (h.effectiveTo && h.effectiveTo <= h.effectiveFrom) fields.push({ field: "/effectiveTo", rule: "after", messageKey: "masterdata.error.date_order" });
  if (h.baseQty !== undefined && dec(h.baseQty).lte(0)) fields.push({ field: "/baseQty", rule: "minimum", messageKey: "masterdata.error.positive" });
  return fields;
}

async function requireVersionCodeFree(tx: Executor, table: "bom" | "routing", companyId: number, itemId: number, versionCode: string, exceptId = 0) {
  const taken = await one(
    tx,
    sql`select 1 from ${sql.identifier(table)} where company_id = ${companyId} and item_id = ${itemId} and version_code = ${versionCode} and id <> ${exceptId}`,
  );
  if (taken) throw errors.unique("versionCode");
}

async function lockBom(tx: Executor, companyId: number, id: number): Promise<BomRow> {
  const [row] = await tx.select().from(bom).where(eq(bom.id, id)).for("update");
  if (!row || row.companyId !== companyId) throw errors.notFound("bom");
  return row;
}

async function linesOf(tx: Executor, bomId: number) {
  const list = await tx.select().from(bomLine).where(eq(bomLine.bomId, bomId)).orderBy(bomLine.position);
  return list.map(({ id: _id, bomId: _bom, ...l }) => l);
}

export const createBom = defineCommand({
  name: "masterdata.bom.create",
  permission: P.bomEdit,
  entity: "bom",
  input: StrictObject({ itemId: Id, ...HeaderFields, lines: Lines }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    if (input.lines.length > 0) requireQuantityPermission(ctx.actor);
    const parent = await requireItem(ctx.tx, companyId, input.itemId, "/itemId");
    const fields = checkHeader(input);
    const lines = await checkLines(ctx.tx, companyId, parent, input.lines, fields);
    throwFields(fields);
    await requireVersionCodeFree(ctx.tx, "bom", companyId, parent.id, input.versionCode);
    await assertNoCycle(
      ctx.tx,
      companyId,
      parent.id,
      lines.map((l, i) => ({ component: l.componentItemId, byProduct: l.byProduct ?? false, field: `/lines/${i}/componentItemId` })),
    );
    const [row] = await ctx.tx
      .insert(bom)
      .values({
        companyId,
        itemId: parent.id,
        versionCode: input.versionCode,
        description: input.description ?? null,
        effectiveFrom: input.effectiveFrom,
        effectiveTo: input.effectiveTo ?? null,
        baseQty: input.baseQty ?? "1",
        notes: input.notes ?? null,
      })
      .returning();
    if (lines.length > 0) await ctx.tx.insert(bomLine).values(lines.map((l) => ({ ...l, bomId: row.id })));
    ctx.audit.after = { ...row, lines };
    ctx.emit("masterdata.bom.created", { id: row.id, companyId, itemId: parent.id, versionCode: row.versionCode });
    return row;
  },
});

export const updateBom = defineCommand({
  name: "masterdata.bom.update",
  permission: P.bomEdit,
  entity: "bom",
  input: StrictObject({
    id: Id,
    version: Version,
    versionCode: Type.Optional(VersionCode),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    effectiveFrom: Type.Optional(IsoDate),
    effectiveTo: Type.Optional(Nullable(IsoDate)),
    baseQty: Type.Optional(Numeric(12, 6, "line quantities are per this many base units of the parent")),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    /** When given, replaces every line. */
    lines: Type.Optional(Lines),
  }),
  async run(ctx, { id, version, lines, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    if (lines !== undefined || changes.baseQty !== undefined) requireQuantityPermission(ctx.actor);
    const current = await lockBom(ctx.tx, companyId, id);
    if (current.version !== version) throw errors.versionConflict(current.version);
    if (current.status !== "draft") throw errors.rule("bom_not_draft", "masterdata.error.not_draft", { status: current.status });
    const fields = checkHeader({
      effectiveFrom: changes.effectiveFrom ?? current.effectiveFrom,
      effectiveTo: changes.effectiveTo !== undefined ? changes.effectiveTo : current.effectiveTo,
      baseQty: changes.baseQty,
    });
    const parent = (await loadItems(ctx.tx, companyId, [current.itemId])).get(current.itemId)!;
    const newLines = lines ? await checkLines(ctx.tx, companyId, parent, lines, fields) : undefined;
    throwFields(fields);
    if (changes.versionCode) await requireVersionCodeFree(ctx.tx, "bom", companyId, current.itemId, changes.versionCode, id);
    if (newLines) {
      await assertNoCycle(
        ctx.tx,
        companyId,
        parent.id,
        newLines.map((l, i) => ({ component: l.componentItemId, byProduct: l.byProduct ?? false, field: `/lines/${i}/componentItemId` })),
      );
    }
    const { before, after } = await updateVersioned(ctx.tx, bom, "bom", id, version, changes);
    const d = diff(before, after);
    if (newLines) {
      d.before.lines = await linesOf(ctx.tx, id);
      await ctx.tx.delete(bomLine).where(eq(bomLine.bomId, id));
      if (newLines.length > 0) await ctx.tx.insert(bomLine).values(newLines.map((l) => ({ ...l, bomId: id })));
      d.after.lines = newLines;
    }
    Object.assign(ctx.audit, d);
    return after;
  },
});

export const copyBom = defineCommand({
  name: "masterdata.bom.copy",
  permission: P.bomEdit,
  entity: "bom",
  input: StrictObject({
    id: Id,
    /** Ignored: copying reads the source, whatever its version. */
    version: Type.Optional(Version),
    versionCode: VersionCode,
    effectiveFrom: Type.Optional(IsoDate),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const [source] = await ctx.tx.select().from(bom).where(eq(bom.id, input.id));
    if (!source || source.companyId !== companyId) throw errors.notFound("bom");
    await requireVersionCodeFree(ctx.tx, "bom", companyId, source.itemId, input.versionCode);
    const [row] = await ctx.tx
      .insert(bom)
      .values({
        companyId,
        itemId: source.itemId,
        versionCode: input.versionCode,
        description: input.description !== undefined ? input.description : source.description,
        effectiveFrom: input.effectiveFrom ?? (await companyToday(ctx.tx, companyId)),
        baseQty: source.baseQty,
        notes: source.notes,
      })
      .returning();
    const lines = await linesOf(ctx.tx, source.id);
    if (lines.length > 0) await ctx.tx.insert(bomLine).values(lines.map((l) => ({ ...l, bomId: row.id })));
    ctx.audit.after = { ...row, lines: lines.length };
    ctx.audit.details = { copiedFrom: { id: source.id, versionCode: source.versionCode } };
    return maskHeader(ctx.actor, row);
  },
});

export const activateBom = defineCommand({
  name: "masterdata.bom.activate",
  permission: P.bomRelease,
  entity: "bom",
  input: StrictObject({
    id: Id,
    version: Version,
    /** End the version active until now on the day this one starts, instead of refusing the overlap. */
    supersede: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, supersede }) {
    const companyId = requireCompany(ctx.actor);
    await lockStructure(ctx.tx, companyId, "bom");
    const current = await lockBom(ctx.tx, companyId, id);
    if (current.version !== version) throw errors.versionConflict(current.version);
    if (current.status !== "draft") throw errors.rule("bom_not_draft", "masterdata.error.not_draft", { status: current.status });
    const lines = await rows<{ component: number; byProduct: boolean; status: string; code: string }>(
      ctx.tx,
      sql`select l.component_item_id as component, l.by_product as "byProduct", i.status, i.code
          from bom_line l join item i on i.id = l.component_item_id where l.bom_id = ${id} order by l.position`,
    );
    if (!lines.some((l) => !l.byProduct)) throw errors.rule("bom_empty", "masterdata.error.bom_empty");
    const unusable = [...new Set(lines.filter((l) => l.status !== "active").map((l) => l.code))];
    if (unusable.length > 0) throw errors.rule("components_not_usable", "masterdata.error.components_not_usable", { codes: unusable.join(", ") });
    await assertNoCycle(ctx.tx, companyId, current.itemId, lines, id);

    const superseded = await resolveOverlaps(ctx.tx, "bom", current, supersede ?? false);
    let after: BomRow;
    try {
      [after] = await ctx.tx
        .update(bom)
        .set({ status: "active", activatedAt: sql`now()`, activatedBy: ctx.actor.id, version: sql`${bom.version} + 1`, updatedAt: sql`now()` })
        .where(eq(bom.id, id))
        .returning();
    } catch (e) {
      // The exclusion constraint is the last word if anything slipped past the check above.
      if (isExclusionViolation(e, "bom_one_active_version")) {
        throw errors.rule("bom_overlap", "masterdata.error.bom_overlap", { version: "?", from: current.effectiveFrom, to: current.effectiveTo ?? "∞" });
      }
      throw e;
    }
    ctx.audit.before = { status: "draft" };
    ctx.audit.after = { status: "active" };
    if (superseded.length > 0) ctx.audit.details = { superseded };
    ctx.emit("masterdata.bom.activated", { id, companyId, itemId: current.itemId, versionCode: current.versionCode });
    return maskHeader(ctx.actor, after);
  },
});

interface Released {
  id: number;
  itemId: number;
  versionCode: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/**
 * Active versions of the same item whose dates overlap `current`'s. With `supersede`, one that started
 * earlier is ended the day `current` starts; any other overlap is refused, naming the version and dates.
 */
export async function resolveOverlaps(
  tx: Executor,
  table: "bom" | "routing",
  current: Released,
  supersede: boolean,
): Promise<{ id: number; versionCode: string; effectiveTo: string | null }[]> {
  const overlapping = await rows<{ id: number; versionCode: string; effectiveFrom: string; effectiveTo: string | null }>(
    tx,
    sql`select id, version_code as "versionCode", to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom",
          to_char(effective_to, 'YYYY-MM-DD') as "effectiveTo"
        from ${sql.identifier(table)} where item_id = ${current.itemId} and status = 'active' and id <> ${current.id}
          and daterange(effective_from, effective_to, '[)') && daterange(${current.effectiveFrom}::date, ${current.effectiveTo}::date, '[)')
        order by effective_from for update`,
  );
  const done: { id: number; versionCode: string; effectiveTo: string | null }[] = [];
  for (const o of overlapping) {
    if (!supersede || o.effectiveFrom >= current.effectiveFrom) {
      throw errors.rule(`${table}_overlap`, `masterdata.error.${table}_overlap`, { version: o.versionCode, from: o.effectiveFrom, to: o.effectiveTo ?? "∞" });
    }
    await tx.execute(sql`update ${sql.identifier(table)} set effective_to = ${current.effectiveFrom}::date, version = version + 1, updated_at = now() where id = ${o.id}`);
    done.push({ id: o.id, versionCode: o.versionCode, effectiveTo: o.effectiveTo });
  }
  return done;
}

export const obsoleteBom = defineCommand({
  name: "masterdata.bom.obsolete",
  permission: P.bomRelease,
  entity: "bom",
  input: StrictObject({ id: Id, version: Version }),
  async run(ctx, { id, version }) {
    const companyId = requireCompany(ctx.actor);
    await lockStructure(ctx.tx, companyId, "bom");
    const current = await lockBom(ctx.tx, companyId, id);
    if (current.version !== version) throw errors.versionConflict(current.version);
    if (current.status !== "active") throw errors.rule("bom_not_active", "masterdata.error.not_active", { status: current.status });
    const [after] = await ctx.tx
      .update(bom)
      .set({ status: "obsolete", obsoletedAt: sql`now()`, obsoletedBy: ctx.actor.id, version: sql`${bom.version} + 1`, updatedAt: sql`now()` })
      .where(eq(bom.id, id))
      .returning();
    ctx.audit.before = { status: "active" };
    ctx.audit.after = { status: "obsolete" };
    ctx.emit("masterdata.bom.obsoleted", { id, companyId, itemId: current.itemId, versionCode: current.versionCode });
    return maskHeader(ctx.actor, after);
  },
});

export const deleteBom = defineCommand({
  name: "masterdata.bom.delete",
  permission: P.bomEdit,
  entity: "bom",
  input: StrictObject({ id: Id, version: Version }),
  async run(ctx, { id, version }) {
    const companyId = requireCompany(ctx.actor);
    const current = await lockBom(ctx.tx, companyId, id);
    if (current.version !== version) throw errors.versionConflict(current.version);
    if (current.status !== "draft") throw errors.rule("bom_not_draft", "masterdata.error.not_draft", { status: current.status });
    ctx.audit.before = { ...current, lines: await linesOf(ctx.tx, id) };
    await ctx.tx.delete(bom).where(eq(bom.id, id));
    return { id, deleted: true };
  },
});
