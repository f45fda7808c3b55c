import { type Actor, can } from "../../../platform/actor.ts";
import type { Executor } from "../../../platform/db/database.ts";
import { AppError, errors } from "../../../platform/errors.ts";
import type { Lang } from "../../../platform/i18n.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { StrictObject, Type } from "../../../platform/validation.ts";
import { type CatalogList, type ColumnSpec, COLUMNS, type ImportKind, cellText, header, visibleColumns } from "./columns.ts";
import { oneOf, requireCompany } from "./common.ts";
import { type OutColumn, writeCsv, writeXlsx } from "./files.ts";
import { listItems } from "./items.ts";
import { listPartners } from "./partners.ts";
import { P } from "./permissions.ts";
import { listSupplierItems } from "./supplier-items.ts";
import { listUoms } from "./units.ts";
import { listLocations, listWarehouses } from "./warehouses.ts";

export const MAX_EXPORT_ROWS = 100_000;

type Filters = Record<string, string | number | boolean>;

/** A list that can be exported: its columns, who may read it, and how its rows are fetched. */
export interface ExportListDef {
  /** Every permission needed to read the list: an export shows nothing the list would not. */
  read: string[];
  fileName: string;
  sheet: { zh: string; en: string };
  columns: ColumnSpec[];
  fetch(tx: Executor, actor: Actor, params: Filters & { page: number; pageSize: number }): Promise<{ items: Record<string, unknown>[]; total: number }>;
}

const LISTS = new Map<string, ExportListDef>();

/** Lists of other areas and modules (BOM lines, stock, moves…) join the catalog's here. */
export function registerExportList(list: string, def: ExportListDef): void {
  LISTS.set(list, def);
  COLUMNS[list] = def.columns;
}

const catalogList = (list: CatalogList, read: string, fileName: string, zh: string, en: string, fetch: ExportListDef["fetch"]) =>
  registerExportList(list, { read: [read], fileName, sheet: { zh, en }, columns: COLUMNS[list], fetch });
catalogList("item", P.itemRead, "items", "物料", "Items", (tx, actor, p) => listItems(tx, actor, p as never));
catalogList("uom", P.uomRead, "units", "计量单位", "Units", (tx, actor, p) => listUoms(tx, actor.companyId!, p as never));
catalogList("partner", P.partnerRead, "partners", "往来单位", "Partners", (tx, actor, p) => listPartners(tx, actor.companyId!, p as never));
catalogList("supplier_item", P.supplierItemRead, "supplier-items", "供应商物料", "Supplier items", (tx, actor, p) => listSupplierItems(tx, actor, p as never));
catalogList("warehouse", P.warehouseRead, "warehouses", "仓库", "Warehouses", (tx, actor, p) => listWarehouses(tx, actor.companyId!, p as never));
catalogList("location", P.warehouseRead, "locations", "库位", "Locations", (tx, actor, p) => listLocations(tx, actor.companyId!, p as never));

export function exportListDef(list: string): ExportListDef | undefined {
  return LISTS.get(list);
}

function outColumns(cols: ColumnSpec[], lang: Lang): OutColumn[] {
  return cols.map((c) => ({ header: header(c, lang), kind: c.kind === "int" || c.kind === "decimal" ? "number" : "text" }));
}

function stamp(): string {
  return new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  content: Buffer;
  rows: number;
}

export const CONTENT_TYPE = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/**
 * Export of a list (with the list's filters and sort) to CSV or XLSX. Audited like a write: data that
 * leaves the system is on record with who, what list, how many rows, which format and filters.
 * Sensitive columns appear only for holders of their permission.
 */
export const exportList = defineCommand({
  name: "masterdata.export",
  permission: P.export,
  entity: "export",
  input: StrictObject({
    list: Type.String({ pattern: "^[a-z_]{1,40}$" }),
    format: oneOf(["csv", "xlsx"] as const),
    filters: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()])),
  }),
  async run(ctx, { list, format, filters }): Promise<ExportFile> {
    requireCompany(ctx.actor);
    const def = LISTS.get(list);
    if (!def) throw errors.field("/list", "enum", "validation.enum", { values: [...LISTS.keys()].join(", ") });
    for (const read of def.read) if (!can(ctx.actor, read)) throw errors.forbidden(read);
    const { items, total } = await def.fetch(ctx.tx, ctx.actor, { ...filters, page: 1, pageSize: MAX_EXPORT_ROWS + 1 });
    if (total > MAX_EXPORT_ROWS) throw new AppError(422, "export_too_large", "masterdata.error.export_too_large", { rows: total, limit: MAX_EXPORT_ROWS });
    const lang = ctx.actor.lang;
    const cols = visibleColumns(list, (p) => can(ctx.actor, p));
    const cells = items.map((row) => cols.map((c) => cellText(c, row[(lang === "en-US" && c.fromEn) || c.from || c.key], lang)));
    const out = outColumns(cols, lang);
    const content = format === "csv" ? writeCsv(out, cells) : await writeXlsx(lang === "zh-CN" ? def.sheet.zh : def.sheet.en, out, cells);
    ctx.audit.details = { list, rows: items.length, format, filters, columns: cols.map((c) => c.key) };
    return { fileName: `${def.fileName}-${stamp()}.${format}`, contentType: CONTENT_TYPE[format], content, rows: items.length };
  },
});

const KIND_LABEL: Record<ImportKind, { zh: string; en: string; file: string }> = {
  uom: { zh: "计量单位", en: "Units", file: "units" },
  item: { zh: "物料", en: "Items", file: "items" },
  partner: { zh: "往来单位", en: "Partners", file: "partners" },
  supplier_item: { zh: "供应商物料", en: "Supplier items", file: "supplier-items" },
  bom: { zh: "物料清单", en: "BOMs", file: "boms" },
  opening_stock: { zh: "期初库存", en: "Opening stock", file: "opening-stock" },
};

/**
 * An empty file to fill in for an import: the columns the user may set; in XLSX a second sheet explains
 * each column (required or not, what it holds, allowed values).
 */
export async function importTemplate(kind: ImportKind, format: "csv" | "xlsx", actor: Actor): Promise<ExportFile> {
  const lang = actor.lang;
  const cols = visibleColumns(kind, (p) => can(actor, p)).filter((c) => !c.exportOnly);
  const out = outColumns(cols, lang);
  const zh = lang === "zh-CN";
  const kindText: Record<ColumnSpec["kind"], [string, string]> = {
    text: ["文本", "text"],
    int: ["整数", "whole number"],
    decimal: ["数字（小数点用 .）", "number (decimal point .)"],
    bool: ["是/否", "yes/no"],
    enum: ["取值之一", "one of"],
    date: ["日期 YYYY-MM-DD", "date YYYY-MM-DD"],
  };
  const help = {
    title: zh ? "填写说明" : "How to fill in",
    lines: [
      zh ? ["列", "必填", "内容", "可选值"] : ["Column", "Required", "Holds", "Allowed values"],
      ...cols.map((c) => [
        header(c, lang),
        c.required ? (zh ? "是" : "yes") : "",
        kindText[c.kind][zh ? 0 : 1],
        c.values ? Object.entries(c.values).map(([code, l]) => `${code} = ${zh ? l.zh : l.en}`).join("; ") : "",
      ]),
    ],
  };
  const content = format === "csv" ? writeCsv(out, []) : await writeXlsx(zh ? KIND_LABEL[kind].zh : KIND_LABEL[kind].en, out, [], help);
  return { fileName: `${KIND_LABEL[kind].file}-template.${format}`, contentType: CONTENT_TYPE[format], content, rows: 0 };
}

export { COLUMNS };
