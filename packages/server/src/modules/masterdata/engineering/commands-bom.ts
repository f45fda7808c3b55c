import { eq } from "drizzle-orm";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, rows, sql } from "../../../platform/db/database.ts";
import { AppError, type FieldError, errors } from "../../../platform/errors.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { diff, updateVersioned } from "../../../platform/versioned.ts";
import { Id, IsoDate, type ItemInfo, Nullable, Numeric, type Static, StrictObject, Type, ReleaseAction, Version, VersionCode, dec, idList, loadItems, lockStructure, requireCompany, requireItem, throwFields } from "./common.ts";
import { P } from "./permissions.ts";
import { bom, bomLine } from "./schema.ts";
import { assertNoCycle } from "./structure.ts";
import { ActivateInput, CopyInput, Description, Notes, activateVersion, checkHeader, copyVersion, deleteDraft, lockVersion, obsoleteVersion, requireVersionCodeFree } from "./versioned-document.ts";

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
  description: Description,
  effectiveFrom: IsoDate,
  effectiveTo: Type.Optional(Nullable(IsoDate)),
  baseQty: Type.Optional(Numeric(12, 6, "line quantities are per this many base units of the parent (default 1)")),
  notes: Notes,
};

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
    const fields = checkHeader(input, { field: "baseQty", value: input.baseQty });
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
    description: Description,
    effectiveFrom: Type.Optional(IsoDate),
    effectiveTo: Type.Optional(Nullable(IsoDate)),
    baseQty: Type.Optional(Numeric(12, 6, "line quantities are per this many base units of the parent")),
    notes: Notes,
    /** When given, replaces every line. */
    lines: Type.Optional(Lines),
  }),
  async run(ctx, { id, version, lines, ...changes }) {
    const companyId = requireCompany(ctx.actor);
    if (lines !== undefined || changes.baseQty !== undefined) requireQuantityPermission(ctx.actor);
    const current = await lockVersion(ctx.tx, "bom", companyId, id, version, "draft");
    const fields = checkHeader(
      { effectiveFrom: changes.effectiveFrom ?? current.effectiveFrom, effectiveTo: changes.effectiveTo !== undefined ? changes.effectiveTo : current.effectiveTo },
      { field: "baseQty", value: changes.baseQty },
    );
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
  input: CopyInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const row = await copyVersion(ctx, "bom", companyId, input, (source) => ({ baseQty: source.baseQty }), async (sourceId, copyId) => {
      const lines = await linesOf(ctx.tx, sourceId);
      if (lines.length > 0) await ctx.tx.insert(bomLine).values(lines.map((l) => ({ ...l, bomId: copyId })));
      return { lines: lines.length };
    });
    return maskHeader(ctx.actor, row);
  },
});

export const activateBom = defineCommand({
  name: "masterdata.bom.activate",
  permission: P.bomRelease,
  entity: "bom",
  input: ActivateInput,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const after = await activateVersion(ctx, "bom", companyId, input, async (current) => {
      const lines = await rows<{ component: number; byProduct: boolean; status: string; code: string }>(
        ctx.tx,
        sql`select l.component_item_id as component, l.by_product as "byProduct", i.status, i.code
            from bom_line l join item i on i.id = l.component_item_id where l.bom_id = ${current.id} order by l.position`,
      );
      if (!lines.some((l) => !l.byProduct)) throw errors.rule("bom_empty", "masterdata.error.bom_empty");
      const unusable = [...new Set(lines.filter((l) => l.status !== "active").map((l) => l.code))];
      if (unusable.length > 0) throw errors.rule("components_not_usable", "masterdata.error.components_not_usable", { codes: unusable.join(", ") });
      await assertNoCycle(ctx.tx, companyId, current.itemId, lines, current.id);
    });
    return maskHeader(ctx.actor, after);
  },
});

export const obsoleteBom = defineCommand({
  name: "masterdata.bom.obsolete",
  permission: P.bomRelease,
  entity: "bom",
  input: ReleaseAction,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    // Waits for BOM activations in progress, as it always has (routing obsoletions do not).
    await lockStructure(ctx.tx, companyId, "bom");
    const { current, after } = await obsoleteVersion(ctx, "bom", companyId, input);
    ctx.emit("masterdata.bom.obsoleted", { id: current.id, companyId, itemId: current.itemId, versionCode: current.versionCode });
    return maskHeader(ctx.actor, after);
  },
});

export const deleteBom = defineCommand({
  name: "masterdata.bom.delete",
  permission: P.bomEdit,
  entity: "bom",
  input: ReleaseAction,
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    return deleteDraft(ctx, "bom", companyId, input, async (id) => ({ lines: await linesOf(ctx.tx, id) }));
  },
});
