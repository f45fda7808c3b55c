import { type BomLine, findCycles, wouldCreateCycle } from "@kaiwu/bom";
import { type Executor, rows, sql } from "../../../platform/db/database.ts";
import type { FieldError } from "../../../platform/errors.ts";
import { D, type ItemInfo, loadItems, ruleAt } from "./common.ts";

/** A line being saved or released: parent → component (by-products are outputs, not structure). */
export interface NewEdge {
  component: number;
  byProduct: boolean;
  /** Pointer of the input field, to name it in the error. */
  field?: string;
}

/**
 * Refuses a BOM of `parent` whose lines would make an item contain itself at any depth, checked
 * against the whole released structure (every active version, whatever its dates: a loop that only
 * becomes effective next year is refused today). The released structure is loaded in one query and
 * handed to the BOM engine; the error names the loop by item codes, e.g. "FAN → HEAD → FAN".
 */
export async function assertNoCycle(tx: Executor, companyId: number, parent: number, lines: NewEdge[], ignoreBomId?: number): Promise<void> {
  const structural = lines.filter((l) => !l.byProduct);
  if (structural.length === 0) return;
  const edges = await rows<{ p: number; c: number }>(
    tx,
    sql`select distinct b.item_id as p, l.component_item_id as c from bom b join bom_line l on l.bom_id = b.id
        where b.company_id = ${companyId} and b.status = 'active' and not l.by_product and b.id <> ${ignoreBomId ?? 0}`,
  );
  const graph: BomLine[] = edges.map((e) => ({ parent: String(e.p), component: String(e.c), qtyPer: "1" }));
  for (const l of structural) graph.push({ parent: String(parent), component: String(l.component), qtyPer: "1" });
  if (findCycles(graph).length === 0) return;
  // Some new line closes a loop (the released structure itself never has one): name the first such line.
  for (const l of structural) {
    const cycle = wouldCreateCycle(graph, { parent: String(parent), component: String(l.component) });
    if (!cycle) continue;
    const ids = cycle.items.map(Number);
    const items = await loadItems(tx, companyId, ids);
    const path = ids.map((id) => items.get(id)?.code ?? `#${id}`).join(" → ");
    const field: FieldError | undefined = l.field ? { field: l.field, rule: "cycle", messageKey: "masterdata.error.bom_cycle_field", params: { path } } : undefined;
    throw ruleAt("bom_cycle", "masterdata.error.bom_cycle", { path }, field);
  }
}

export interface StructureLine {
  lineId: number;
  bomId: number;
  bomVersion: string;
  baseQty: string;
  parent: number;
  component: number;
  position: number;
  qty: string;
  uomId: number;
  uomCode: string;
  scrapPct: string;
  phantom: boolean;
  byProduct: boolean;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** Base units of the component in one line unit. */
  factor: string;
  notes: string | null;
}

export interface Structure {
  root: ItemInfo;
  /** The BOM used for the root (the active one on the date, or the one asked for). */
  rootBom: { id: number; versionCode: string; status: string; baseQty: string } | null;
  lines: StructureLine[];
  items: Map<number, ItemInfo>;
}

/**
 * Every BOM line below `root` as of `asOf`, in ONE query: a recursive walk through the active version
 * effective that day of each item reached (the root may use a given version instead, e.g. a draft to
 * preview). UNION stops the walk on shared sub-assemblies (and on a loop, which the engine then names).
 */
export async function loadStructure(db: Executor, companyId: number, root: ItemInfo, asOf: string, rootBomId?: number): Promise<Structure> {
  // Which BOM a reached item uses: the given version for the root (when asked for), else its active one on the date.
  const applies = sql`b.company_id = ${companyId} and case when ${rootBomId ?? null}::int8 is not null and b.item_id = ${root.id}
      then b.id = ${rootBomId ?? null}::int8
      else b.status = 'active' and b.effective_from <= ${asOf}::date and (b.effective_to is null or b.effective_to > ${asOf}::date) end`;
  const lines = await rows<StructureLine>(
    db,
    sql`with recursive reach(item_id) as (
          select ${root.id}::int8
          union
          select l.component_item_id from reach r join bom b on b.item_id = r.item_id and ${applies}
          join bom_line l on l.bom_id = b.id
          where not l.by_product
            and (l.effective_from is null or l.effective_from <= ${asOf}::date)
            and (l.effective_to is null or l.effective_to > ${asOf}::date)
        )
        select l.id as "lineId", b.id as "bomId", b.version_code as "bomVersion", b.base_qty::text as "baseQty",
          b.item_id as parent, l.component_item_id as component, l.position, l.qty::text as qty, l.uom_id as "uomId",
          lu.code as "uomCode", l.scrap_pct::text as "scrapPct", l.phantom, l.by_product as "byProduct",
          to_char(l.effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(l.effective_to, 'YYYY-MM-DD') as "effectiveTo",
          case when l.uom_id = ci.base_uom_id then '1' else coalesce(iu.factor, lu.ratio / bu.ratio)::text end as factor, l.notes,
          ci.code as "cCode", ci.name_zh as "cNameZh", ci.name_en as "cNameEn", ci.item_type as "cItemType",
          ci.make_or_buy as "cMakeOrBuy", ci.status as "cStatus", ci.base_uom_id as "cBaseUomId", bu.code as "cBaseUomCode",
          bu.category_id as "cBaseUomCategoryId", bu.ratio::text as "cBaseUomRatio"
        from bom b join bom_line l on l.bom_id = b.id
        join item ci on ci.id = l.component_item_id join uom bu on bu.id = ci.base_uom_id join uom lu on lu.id = l.uom_id
        left join item_uom iu on iu.item_id = ci.id and iu.uom_id = l.uom_id
        where ${applies} and b.item_id in (select item_id from reach)`,
  );
  // Line order within a parent is the engine's output order; sorting here is cheaper than in SQL.
  lines.sort((a, b) => a.parent - b.parent || a.position - b.position);
  const rootBom = await rows<{ id: number; versionCode: string; status: string; baseQty: string }>(
    db,
    sql`select id, version_code as "versionCode", status, base_qty::text as "baseQty" from bom b where ${applies} and b.item_id = ${root.id}`,
  );
  // Components come with their line (one query, no second round trip with 35,000 ids).
  const items = new Map<number, ItemInfo>([[root.id, root]]);
  for (const l of lines as (StructureLine & Record<string, unknown>)[]) {
    if (!items.has(l.component)) {
      items.set(l.component, {
        id: l.component,
        code: l.cCode as string,
        nameZh: l.cNameZh as string,
        nameEn: l.cNameEn as string,
        itemType: l.cItemType as string,
        makeOrBuy: l.cMakeOrBuy as string,
        status: l.cStatus as string,
        baseUomId: l.cBaseUomId as number,
        baseUomCode: l.cBaseUomCode as string,
        baseUomCategoryId: l.cBaseUomCategoryId as number,
        baseUomRatio: l.cBaseUomRatio as string,
      });
    }
  }
  return { root, rootBom: rootBom[0] ?? null, lines, items };
}

/**
 * Quantity per ONE base unit of the parent in the component's base unit, the engine's `qtyPer`:
 * qty × unit factor ÷ base quantity. Exact whenever the base quantity divides evenly (1, 10, 100…);
 * otherwise kept to 18 decimal places.
 */
export function qtyPerUnit(line: Pick<StructureLine, "qty" | "factor" | "baseQty">): string {
  // The usual line (base unit, per one parent) needs no arithmetic: 50,000 of them must stay cheap.
  if (line.factor === "1" && ONE_BASE.test(line.baseQty)) return trim(line.qty);
  const value = new D(line.qty).times(new D(line.factor)).div(new D(line.baseQty)).toDecimalPlaces(18);
  return value.isZero() ? "0" : value.toFixed();
}

/** The structure as the BOM engine's lines (item ids as text; line ids echoed back). */
export function engineLines(lines: StructureLine[]): BomLine[] {
  return lines.map((l) => {
    const out: BomLine = {
      id: String(l.lineId),
      parent: String(l.parent),
      component: String(l.component),
      qtyPer: qtyPerUnit(l),
      scrapPct: trim(l.scrapPct),
      phantom: l.phantom,
      byProduct: l.byProduct,
    };
    if (l.effectiveFrom) out.effectiveFrom = l.effectiveFrom;
    if (l.effectiveTo) out.effectiveTo = l.effectiveTo;
    return out;
  });
}

const ONE_BASE = /^1(\.0*)?$/;

/** "2.500000" → "2.5", "3.000" → "3": NUMERIC text without its trailing zeros. */
export function trim(numeric: string): string {
  return numeric.includes(".") ? numeric.replace(/\.?0+$/, "") : numeric;
}
