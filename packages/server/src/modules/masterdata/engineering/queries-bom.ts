import { BomCycleError, TooManyRowsError, explodeMultiLevel, summarizedExplosion, whereUsed, whereUsedSingleLevel } from "@kaiwu/bom";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { D, type ItemInfo, fixed, loadItems, requireItem } from "./common.ts";
import { P } from "./permissions.ts";
import { engineLines, loadStructure, qtyPerUnit } from "./structure.ts";

const SIX_OR_FEWER = /^(\d+)(?:\.(\d{1,6}))?$/;

/** Quantities are shown to 6 decimal places, the scale they are stored with (padded as text when already that short). */
function qty(text: string): string {
  const m = SIX_OR_FEWER.exec(text);
  return m ? `${m[1]}.${(m[2] ?? "").padEnd(6, "0")}` : fixed(new D(text), 6);
}

const itemBrief = (i: ItemInfo | undefined) =>
  i ? { itemId: i.id, code: i.code, nameZh: i.nameZh, nameEn: i.nameEn, itemType: i.itemType, makeOrBuy: i.makeOrBuy, uom: i.baseUomCode } : null;

function cycleProblem(e: BomCycleError, items: Map<number, ItemInfo>) {
  const path = e.cycle.map((id) => items.get(Number(id))?.code ?? `#${id}`).join(" → ");
  return errors.rule("bom_cycle", "masterdata.error.bom_cycle", { path });
}

// ---------------------------------------------------------------- list and detail

export function listBoms(db: Executor, actor: Actor, params: ListParams & { status?: string; itemId?: number }) {
  const q = params.q ? likePattern(params.q) : null;
  const baseQty = can(actor, P.bomQuantityRead) ? sql`b.base_qty::text` : sql`null`;
  return listPage(db, {
    columns: sql`b.id, b.item_id as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn",
      u.code as uom, b.version_code as "versionCode", b.description, b.status,
      to_char(b.effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(b.effective_to, 'YYYY-MM-DD') as "effectiveTo",
      ${baseQty} as "baseQty", b.version, b.updated_at as "updatedAt",
      (select count(*)::int8 from bom_line l where l.bom_id = b.id) as "lineCount"`,
    from: sql`bom b join item i on i.id = b.item_id join uom u on u.id = i.base_uom_id`,
    where: sql`b.company_id = ${actor.companyId}
      and (${q}::text is null or i.code ilike ${q} or i.name_zh ilike ${q} or i.name_en ilike ${q} or b.version_code ilike ${q} or b.description ilike ${q})
      and (${params.status ?? null}::text is null or b.status = ${params.status ?? null})
      and (${params.itemId ?? null}::int8 is null or b.item_id = ${params.itemId ?? null}::int8)`,
    sortable: {
      itemCode: sql`i.code`,
      versionCode: sql`b.version_code`,
      status: sql`b.status`,
      effectiveFrom: sql`b.effective_from`,
      updatedAt: sql`b.updated_at`,
    },
    defaultSort: "itemCode,versionCode",
    params,
  });
}

/** A BOM with its lines (component, unit, flags; quantities only with the permission) and its item's other versions. */
export async function getBom(db: Executor, actor: Actor, id: number) {
  const showQty = can(actor, P.bomQuantityRead);
  const header = await one<Record<string, unknown> & { itemId: number; baseQty: string | null }>(
    db,
    sql`select b.id, b.item_id as "itemId", i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn",
          i.item_type as "itemType", u.code as uom, b.version_code as "versionCode", b.description, b.status,
          to_char(b.effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(b.effective_to, 'YYYY-MM-DD') as "effectiveTo",
          b.base_qty::text as "baseQty", b.notes, b.activated_at as "activatedAt", au.display_name as "activatedBy",
          b.obsoleted_at as "obsoletedAt", ou.display_name as "obsoletedBy", b.version, b.created_at as "createdAt", b.updated_at as "updatedAt"
        from bom b join item i on i.id = b.item_id join uom u on u.id = i.base_uom_id
        left join app_user au on au.id = b.activated_by left join app_user ou on ou.id = b.obsoleted_by
        where b.id = ${id} and b.company_id = ${actor.companyId}`,
  );
  if (!header) throw errors.notFound("bom");
  const lines = await rows<Record<string, unknown> & { qty: string | null }>(
    db,
    sql`select l.id, l.position, l.component_item_id as "componentItemId", ci.code as "componentCode",
          ci.name_zh as "componentNameZh", ci.name_en as "componentNameEn", ci.item_type as "componentType", ci.status as "componentStatus",
          cu.code as "baseUom", l.qty::text as qty, l.uom_id as "uomId", lu.code as uom, l.scrap_pct::text as "scrapPct",
          l.phantom, l.by_product as "byProduct", to_char(l.effective_from, 'YYYY-MM-DD') as "effectiveFrom",
          to_char(l.effective_to, 'YYYY-MM-DD') as "effectiveTo", l.notes,
          exists (select 1 from bom sb where sb.item_id = l.component_item_id and sb.status = 'active') as "hasBom"
        from bom_line l join item ci on ci.id = l.component_item_id join uom cu on cu.id = ci.base_uom_id join uom lu on lu.id = l.uom_id
        where l.bom_id = ${id} order by l.position`,
  );
  const versions = await rows(
    db,
    sql`select id, version_code as "versionCode", status, to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom",
          to_char(effective_to, 'YYYY-MM-DD') as "effectiveTo", version
        from bom where item_id = ${header.itemId} and company_id = ${actor.companyId} order by effective_from desc, version_code desc`,
  );
  return {
    ...header,
    baseQty: showQty ? header.baseQty : null,
    quantitiesHidden: !showQty,
    lines: lines.map((l) => (showQty ? l : { ...l, qty: null, scrapPct: null })),
    versions,
  };
}

// ---------------------------------------------------------------- explosion

export interface ExplosionQuery {
  itemId: number;
  qty?: string;
  asOf: string;
  maxLevels?: number;
  /** Explode this version of the item (e.g. a draft) instead of the one active on the date. */
  bomId?: number;
}

const MAX_ROWS = 250_000;

/**
 * Indented multi-level explosion of `qty` of an item on a date, by the BOM engine over the structure
 * loaded in one query: scrap of every level applied, phantoms blown through, by-products listed as
 * outputs. Without the quantity permission the structure is shown and every quantity is null.
 */
export async function explodeBom(db: Executor, actor: Actor, query: ExplosionQuery) {
  const companyId = actor.companyId!;
  const root = await requireItem(db, companyId, query.itemId, "/querystring/itemId");
  const structure = await loadStructure(db, companyId, root, query.asOf, query.bomId);
  if (query.bomId && !structure.rootBom) throw errors.field("/querystring/bomId", "exists", "masterdata.error.no_such_bom");
  if (!structure.rootBom) throw errors.rule("no_bom", "masterdata.error.no_bom", { code: root.code, date: query.asOf });
  const requested = query.qty ?? structure.rootBom.baseQty;
  let result: ReturnType<typeof explodeMultiLevel>;
  try {
    result = explodeMultiLevel(engineLines(structure.lines), { item: String(root.id), qty: requested, asOf: query.asOf, maxLevels: query.maxLevels, maxRows: MAX_ROWS });
  } catch (e) {
    if (e instanceof TooManyRowsError) throw errors.rule("too_many_rows", "masterdata.error.too_many_rows", { limit: MAX_ROWS });
    if (e instanceof BomCycleError) throw cycleProblem(e, structure.items);
    throw e;
  }
  const showQty = can(actor, P.bomQuantityRead);
  const byLine = new Map(structure.lines.map((l) => [String(l.lineId), l]));
  // Rows carry the item's id and code; names, units and types come once per item in `items`
  // (a 50,000-row explosion would otherwise repeat them on every row).
  const out = result.rows.map((r) => {
    const line = byLine.get(r.lineId!)!;
    const itemId = Number(r.component);
    return {
      level: r.level,
      itemId,
      code: structure.items.get(itemId)?.code ?? String(itemId),
      parentItemId: Number(r.parent),
      phantomItemId: r.viaPhantom ? Number(r.path[r.path.length - 2]) : null,
      lineId: line.lineId,
      bomVersion: line.bomVersion,
      position: line.position,
      phantom: line.phantom,
      viaPhantom: r.viaPhantom,
      byProduct: r.byProduct,
      hasComponents: r.hasComponents,
      lineUom: line.uomCode,
      notes: line.notes,
      lineQty: showQty ? line.qty : null,
      baseQty: showQty ? line.baseQty : null,
      qtyPer: showQty ? r.qtyPer : null,
      scrapPct: showQty ? r.scrapPct : null,
      extendedQty: showQty ? qty(r.extendedQty) : null,
    };
  });
  const totals = (list: { component: string; qty: string }[]) =>
    list.map((t) => ({ itemId: Number(t.component), code: structure.items.get(Number(t.component))?.code, qty: showQty ? qty(t.qty) : null }));
  const items: Record<number, ReturnType<typeof itemBrief>> = {};
  for (const [id, i] of structure.items) items[id] = itemBrief(i);
  return {
    item: itemBrief(root),
    bom: { ...structure.rootBom, baseQty: showQty ? structure.rootBom.baseQty : null },
    qty: showQty ? requested : null,
    asOf: query.asOf,
    quantitiesHidden: !showQty,
    rows: out,
    requirements: totals(result.requirements),
    byProducts: totals(result.byProducts),
    items,
  };
}

/** Total requirement per component over all levels (same totals as the explosion, linear in the lines). */
export async function summariseBom(db: Executor, actor: Actor, query: Omit<ExplosionQuery, "maxLevels">) {
  const companyId = actor.companyId!;
  const root = await requireItem(db, companyId, query.itemId, "/querystring/itemId");
  const structure = await loadStructure(db, companyId, root, query.asOf, query.bomId);
  if (!structure.rootBom) throw errors.rule("no_bom", "masterdata.error.no_bom", { code: root.code, date: query.asOf });
  const requested = query.qty ?? structure.rootBom.baseQty;
  let result: ReturnType<typeof summarizedExplosion>;
  try {
    result = summarizedExplosion(engineLines(structure.lines), { item: String(root.id), qty: requested, asOf: query.asOf });
  } catch (e) {
    if (e instanceof BomCycleError) throw cycleProblem(e, structure.items);
    throw e;
  }
  const totals = (list: { component: string; qty: string }[]) =>
    list.map((t) => ({ ...itemBrief(structure.items.get(Number(t.component))), qty: qty(t.qty) }));
  return {
    item: itemBrief(root),
    bom: structure.rootBom,
    qty: requested,
    asOf: query.asOf,
    requirements: totals(result.requirements),
    byProducts: totals(result.byProducts),
  };
}

// ---------------------------------------------------------------- where-used

/**
 * Which items use a component, directly (single level) or through any number of sub-assemblies (full),
 * over the active versions effective on `asOf` (all active versions when no date is given). The chain of
 * users is walked upwards in one query; the engine lists one row per path with the quantity of the
 * component in one unit of each user.
 */
export async function whereUsedQuery(db: Executor, actor: Actor, query: { itemId: number; asOf?: string; levels?: "single" | "all" }) {
  const companyId = actor.companyId!;
  const component = await requireItem(db, companyId, query.itemId, "/querystring/itemId");
  const asOf = query.asOf ?? null;
  const lines = await rows<{
    lineId: number;
    bomId: number;
    bomVersion: string;
    parent: number;
    component: number;
    qty: string;
    factor: string;
    baseQty: string;
    scrapPct: string;
    phantom: boolean;
    effectiveFrom: string | null;
    effectiveTo: string | null;
  }>(
    db,
    sql`with recursive eff as (
          select b.id, b.item_id, b.base_qty, b.version_code from bom b
          where b.company_id = ${companyId} and b.status = 'active'
            and (${asOf}::date is null or (b.effective_from <= ${asOf}::date and (b.effective_to is null or b.effective_to > ${asOf}::date)))
        ),
        up(item_id) as (
          select ${component.id}::int8
          union
          select b.item_id from up join bom_line l on l.component_item_id = up.item_id and not l.by_product
          join eff b on b.id = l.bom_id
          ${query.levels === "single" ? sql`where false` : sql``}
        )
        select l.id as "lineId", b.id as "bomId", b.version_code as "bomVersion", b.item_id as parent, l.component_item_id as component,
          l.qty::text as qty, coalesce(iu.factor, lu.ratio / bu.ratio)::text as factor, b.base_qty::text as "baseQty",
          l.scrap_pct::text as "scrapPct", l.phantom,
          to_char(l.effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(l.effective_to, 'YYYY-MM-DD') as "effectiveTo"
        from up join bom_line l on l.component_item_id = up.item_id and not l.by_product join eff b on b.id = l.bom_id
        join item ci on ci.id = l.component_item_id join uom bu on bu.id = ci.base_uom_id join uom lu on lu.id = l.uom_id
        left join item_uom iu on iu.item_id = ci.id and iu.uom_id = l.uom_id
        order by b.item_id, l.position`,
  );
  const graph = lines.map((l) => ({
    id: String(l.lineId),
    parent: String(l.parent),
    component: String(l.component),
    qtyPer: qtyPerUnit(l),
    scrapPct: new D(l.scrapPct).toFixed(),
    phantom: l.phantom,
    ...(l.effectiveFrom ? { effectiveFrom: l.effectiveFrom } : {}),
    ...(l.effectiveTo ? { effectiveTo: l.effectiveTo } : {}),
  }));
  const items = await loadItems(db, companyId, [component.id, ...lines.map((l) => l.parent)]);
  const options = { asOf: query.asOf, maxRows: MAX_ROWS };
  let used: ReturnType<typeof whereUsed>;
  try {
    used = query.levels === "single" ? whereUsedSingleLevel(graph, String(component.id), options) : whereUsed(graph, String(component.id), options);
  } catch (e) {
    if (e instanceof TooManyRowsError) throw errors.rule("too_many_rows", "masterdata.error.too_many_rows", { limit: MAX_ROWS });
    if (e instanceof BomCycleError) throw cycleProblem(e, items);
    throw e;
  }
  const showQty = can(actor, P.bomQuantityRead);
  const byLine = new Map(lines.map((l) => [String(l.lineId), l]));
  return {
    item: itemBrief(component),
    asOf: query.asOf ?? null,
    levels: query.levels ?? "all",
    quantitiesHidden: !showQty,
    rows: used.map((r) => {
      const line = byLine.get(r.lineId!)!;
      return {
        key: r.path.join("/"),
        level: r.level,
        path: r.path.map(Number),
        ...itemBrief(items.get(Number(r.parent))),
        lineId: line.lineId,
        bomId: line.bomId,
        bomVersion: line.bomVersion,
        phantom: r.phantom,
        topLevel: r.topLevel,
        qtyPer: showQty ? r.qtyPer : null,
        scrapPct: showQty ? r.scrapPct : null,
        extendedQty: showQty ? qty(r.extendedQty) : null,
      };
    }),
  };
}

// ---------------------------------------------------------------- pickers

/** Items for the pickers of the BOM and routing editors: code or name search, or given ids. */
export async function itemOptions(db: Executor, companyId: number, params: { q?: string; ids?: string; limit?: number }) {
  const ids = (params.ids ?? "").split(",").filter((s) => /^\d+$/.test(s)).map(Number);
  const q = params.q ? likePattern(params.q) : null;
  return rows(
    db,
    sql`select i.id, i.code, i.name_zh as "nameZh", i.name_en as "nameEn", i.item_type as "itemType", i.make_or_buy as "makeOrBuy",
          i.status, i.base_uom_id as "baseUomId", u.code as uom,
          exists (select 1 from bom b where b.item_id = i.id and b.status = 'active') as "hasBom",
          exists (select 1 from routing r where r.item_id = i.id and r.status = 'active') as "hasRouting"
        from item i join uom u on u.id = i.base_uom_id
        where i.company_id = ${companyId}
          and ${ids.length > 0 ? sql`i.id in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::int8)` : sql`true`}
          and (${q}::text is null or i.code ilike ${q} or i.name_zh ilike ${q} or i.name_en ilike ${q})
        order by (i.status = 'active') desc, i.code limit ${params.limit ?? 30}`,
  );
}

/** Units a BOM line of this component may be entered in: its unit category, plus its own alternative units. */
export async function unitOptions(db: Executor, companyId: number, itemId: number) {
  const item = await requireItem(db, companyId, itemId, "/id");
  return rows(
    db,
    sql`select u.id, u.code, u.name_zh as "nameZh", u.name_en as "nameEn", (u.id = ${item.baseUomId}) as "isBase",
          coalesce(iu.factor, u.ratio / ${item.baseUomRatio}::numeric)::text as factor
        from uom u left join item_uom iu on iu.item_id = ${itemId} and iu.uom_id = u.id
        where u.company_id = ${companyId} and (u.category_id = ${item.baseUomCategoryId} or iu.uom_id is not null)
        order by (u.id = ${item.baseUomId}) desc, u.code`,
  );
}
