import { can } from "../../../platform/actor.ts";
import { type Executor, rows, sql } from "../../../platform/db/database.ts";
import type { ListParams } from "../../../platform/listing.ts";
import { validate } from "../../../platform/validation.ts";
import { COLUMNS } from "../catalog/columns.ts";
import { registerExportList } from "../catalog/export.ts";
import { type PluginRow, type RowAdd, addAppError, registerImporter } from "../catalog/import.ts";
import { activateBom, createBom } from "./commands-bom.ts";
import { companyToday } from "./common.ts";
import { P } from "./permissions.ts";

/**
 * BOM import (DAT-3): one row per line; the rows with the same parent and version make one BOM, created
 * by the create command's own checks (units, scrap, by-products, cycles) and released when the row says
 * so. A BOM goes in with all its lines or not at all — "import the good rows only" imports the good BOMs.
 */
const HEADER = ["parent", "versionCode", "effectiveFrom", "effectiveTo", "baseQty", "description", "release"] as const;

function unitKey(values: Record<string, string>): string {
  return `${(values.parent ?? "").trim().toLowerCase()}|${(values.versionCode ?? "").trim()}`;
}

/** The command's field (/lines/3/qty) → the row and the file's column. */
function lineField(field: string): { index: number | null; column: string } {
  const m = /^\/lines\/(\d+)\/([^/]+)/.exec(field);
  const col: Record<string, string> = { componentItemId: "component", uomId: "uom", itemId: "parent" };
  if (m) return { index: Number(m[1]), column: col[m[2]] ?? m[2] };
  const name = field.replace(/^\//, "");
  return { index: null, column: col[name] ?? name };
}

function routeError(rowsOf: PluginRow[], e: unknown) {
  const first = rowsOf[0];
  const add: RowAdd = (field, rule, messageKey, params) => {
    const { index, column } = lineField(field);
    (index !== null && rowsOf[index] ? rowsOf[index] : first).add(column, rule, messageKey, params);
  };
  addAppError(add, e);
}

registerImporter("bom", {
  unitKey,
  async importUnit(u, list) {
    // Header values: from any row of the BOM; two rows may not disagree.
    const head: Record<string, { value: unknown; text: string; line: number }> = {};
    for (const r of list) {
      for (const k of HEADER) {
        const text = (r.values[k] ?? "").trim();
        if (text === "" || r.cells[k] === undefined) continue;
        const had = head[k];
        if (!had) head[k] = { value: r.cells[k], text, line: r.line };
        else if (had.text !== text) r.add(k, "consistent", "masterdata.import.header_differs", { line: had.line, value: had.text });
      }
    }
    const first = list[0];
    const parentCode = String(head.parent?.value ?? first.cells.parent ?? "");
    const parentId = parentCode ? await u.lookups.id("item", parentCode) : null;
    if (parentCode && parentId === null) first.add("parent", "exists", "masterdata.import.unknown_item", { code: parentCode });
    const lines = [];
    let unknown = false;
    for (const r of list) {
      const c = r.cells;
      const line: Record<string, unknown> = {};
      if (typeof c.component === "string") {
        const id = await u.lookups.id("item", c.component);
        if (id === null) {
          r.add("component", "exists", "masterdata.import.unknown_item", { code: c.component });
          unknown = true;
        } else line.componentItemId = id;
      }
      if (typeof c.uom === "string") {
        const id = await u.lookups.id("uom", c.uom);
        if (id === null) {
          r.add("uom", "exists", "masterdata.import.unknown_unit", { code: c.uom });
          unknown = true;
        } else line.uomId = id;
      }
      for (const k of ["position", "qty", "scrapPct", "phantom", "byProduct", "notes"] as const) if (c[k] !== undefined) line[k] = c[k];
      lines.push(line);
    }
    const release = head.release?.value === true;
    if (release && !can(u.actor, P.bomRelease)) first.add("release", "permission", "masterdata.import.release_permission", { permission: P.bomRelease });
    if (parentId === null || unknown || list.some((r) => r.cells.component === undefined)) return false;
    const input: Record<string, unknown> = {
      itemId: parentId,
      versionCode: head.versionCode?.value,
      effectiveFrom: head.effectiveFrom?.value ?? (await companyToday(u.tx, u.companyId)),
      lines,
    };
    for (const k of ["effectiveTo", "baseQty", "description"] as const) if (head[k]) input[k] = head[k].value;
    try {
      const valid = validate(createBom.input, input);
      const created = await createBom.run(u.command, valid);
      if (release) await activateBom.run(u.command, { id: created.id, version: created.version });
      return true;
    } catch (e) {
      routeError(list, e);
      return false;
    }
  },
});

/** BOM lines as a flat list (the import's columns), for export: one row per line of each version. */
export async function listBomLines(db: Executor, companyId: number, params: ListParams & { status?: string; itemId?: number }) {
  const where = [sql`b.company_id = ${companyId}`];
  if (params.status) where.push(sql`b.status = ${params.status}`);
  if (params.itemId) where.push(sql`b.item_id = ${params.itemId}`);
  if (params.q) {
    const p = `%${params.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(sql`(pi.code ilike ${p} or pi.name_zh ilike ${p} or pi.name_en ilike ${p} or b.version_code ilike ${p})`);
  }
  const items = await rows<Record<string, unknown>>(
    db,
    sql`select pi.code as "parentCode", pi.name_zh as "parentNameZh", pi.name_en as "parentNameEn", b.version_code as "versionCode",
          to_char(b.effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(b.effective_to, 'YYYY-MM-DD') as "effectiveTo",
          b.base_qty::text as "baseQty", b.description, b.status, l.position, ci.code as "componentCode", ci.name_zh as "componentNameZh",
          ci.name_en as "componentNameEn", l.qty::text as qty, u.code as "uomCode", l.scrap_pct::text as "scrapPct", l.phantom,
          l.by_product as "byProduct", l.notes
        from bom b join item pi on pi.id = b.item_id join bom_line l on l.bom_id = b.id join item ci on ci.id = l.component_item_id
        join uom u on u.id = l.uom_id
        where ${sql.join(where, sql` and `)}
        order by pi.code, b.version_code, l.position
        limit ${(params.pageSize ?? 100_000) + 1}`,
  );
  return { items, total: items.length };
}

registerExportList("bom", {
  read: [P.bomRead],
  fileName: "boms",
  sheet: { zh: "物料清单", en: "BOMs" },
  columns: COLUMNS.bom,
  fetch: (tx, actor, p) => listBomLines(tx, actor.companyId!, p as never),
});
