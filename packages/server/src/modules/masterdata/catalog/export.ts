import { type Actor, can } from "../../../platform/actor.ts";
import type { Executor } from "../../../platform/db/database.ts";
import { AppError, errors } from "../../../platform/errors.ts";
import type { Lang } from "../../../platform/i18n.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { StrictObject, Type } from "../../../platform/validation.ts";
import { type ColumnSpec, COLUMNS, type ExportList, type ImportKind, cellText, header, visibleColumns } from "./columns.ts";
import { oneOf, requireCompany } from "./common.ts";
import { type OutColumn, writeCsv, writeXlsx } from "./files.ts";
import { listItems } from "./items.ts";
import { listPartners } from "./partners.ts";
import { P } from "./permissions.ts";
import { listSupplierItems } from "./supplier-items.ts";
import { listUoms } from "./units.ts";
import { listLocations, listWarehouses } from "./warehouses.ts";

export const EXPORT_LISTS = ["item", "uom", "partner", "supplier_item", "warehouse", "location"] as const;
export const MAX_EXPORT_ROWS = 100_000;

/** The permission to read each list: an export shows nothing the list would not. */
export const READ_PERMISSION: Record<ExportList, string> = {
  item: P.itemRead,
  uom: P.uomRead,
  partner: P.partnerRead,
  supplier_item: P.supplierItemRead,
  warehouse: P.warehouseRead,
  location: P.warehouseRead,
};

const FILE_NAME: Record<ExportList, string> = {
  item: "items",
  uom: "units",
  partner: "partners",
  supplier_item: "supplier-items",
  warehouse: "warehouses",
  location: "locations",
};

const SHEET: Record<ExportList, { zh: string; en: string }> = {
  item: { zh: "物料", en: "Items" },
  uom: { zh: "计量单位", en: "Units" },
  partner: { zh: "往来单位", en: "Partners" },
  supplier_item: { zh: "供应商物料", en: "Supplier items" },
  warehouse: { zh: "仓库", en: "Warehouses" },
  location: { zh: "库位", en: "Locations" },
};

type Filters = Record<string, string | number | boolean>;

async function fetchRows(tx: Executor, actor: Actor, list: ExportList, filters: Filters): Promise<{ items: Record<string, unknown>[]; total: number }> {
  const params = { ...filters, page: 1, pageSize: MAX_EXPORT_ROWS + 1 } as never;
  const companyId = actor.companyId!;
  switch (list) {
    case "item":
      return listItems(tx, actor, params);
    case "uom":
      return listUoms(tx, companyId, params);
    case "partner":
      return listPartners(tx, companyId, params);
    case "supplier_item":
      return listSupplierItems(tx, actor, params);
    case "warehouse":
      return listWarehouses(tx, companyId, params);
    case "location":
      return listLocations(tx, companyId, params);
  }
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
    list: oneOf(EXPORT_LISTS),
    format: oneOf(["csv", "xlsx"] as const),
    filters: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()])),
  }),
  async run(ctx, { list, format, filters }): Promise<ExportFile> {
    requireCompany(ctx.actor);
    const read = READ_PERMISSION[list];
    if (!can(ctx.actor, read)) throw errors.forbidden(read);
    const { items, total } = await fetchRows(ctx.tx, ctx.actor, list, filters);
    if (total > MAX_EXPORT_ROWS) throw new AppError(422, "export_too_large", "masterdata.error.export_too_large", { rows: total, limit: MAX_EXPORT_ROWS });
    const lang = ctx.actor.lang;
    const cols = visibleColumns(list, (p) => can(ctx.actor, p));
    const cells = items.map((row) => cols.map((c) => cellText(c, row[(lang === "en-US" && c.fromEn) || c.from || c.key], lang)));
    const out = outColumns(cols, lang);
    const content = format === "csv" ? writeCsv(out, cells) : await writeXlsx(lang === "zh-CN" ? SHEET[list].zh : SHEET[list].en, out, cells);
    ctx.audit.details = { list, rows: items.length, format, filters, columns: cols.map((c) => c.key) };
    return { fileName: `${FILE_NAME[list]}-${stamp()}.${format}`, contentType: CONTENT_TYPE[format], content, rows: items.length };
  },
});

const KIND_LABEL: Record<ImportKind, { zh: string; en: string }> = {
  uom: SHEET.uom,
  item: SHEET.item,
  partner: SHEET.partner,
  supplier_item: SHEET.supplier_item,
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
  return { fileName: `${FILE_NAME[kind]}-template.${format}`, contentType: CONTENT_TYPE[format], content, rows: 0 };
}

export { COLUMNS };
