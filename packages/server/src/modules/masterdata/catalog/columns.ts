import type { Lang } from "../../../platform/i18n.ts";
import { P } from "./permissions.ts";

/**
 * The columns of each list as a file: what an export writes and what an import reads, so an exported
 * file can be edited and imported back. Headers are written in the user's language; an import accepts
 * the key, the Chinese or the English header. Enumerations are written as labels and read as a code or
 * either label; booleans as 是/否 or Yes/No.
 */
export type ColumnKind = "text" | "int" | "decimal" | "bool" | "enum" | "date";

export interface ColumnSpec {
  key: string;
  zh: string;
  en: string;
  kind: ColumnKind;
  /** enum values with their labels */
  values?: Record<string, { zh: string; en: string }>;
  /** The permission without which the column is neither exported nor imported. */
  sensitive?: string;
  /** Needed in every imported row. */
  required?: boolean;
  /** Written by exports only (status, counts); an import ignores it. */
  exportOnly?: boolean;
  /** The list row field holding the value, when it is not `key` (the unit's code for a unit column). */
  from?: string;
  /** …in English exports, when it differs (the English name of a supplier). */
  fromEn?: string;
}

/** Lists of the catalog; other areas and modules register theirs (`registerExportList` in export.ts). */
export type CatalogList = "item" | "uom" | "partner" | "supplier_item" | "warehouse" | "location";
export type ExportList = string;
/** Units, items, partners and supplier prices are imported by the catalog; BOMs by engineering, opening stock by inventory. */
export const IMPORT_KINDS = ["uom", "item", "partner", "supplier_item", "bom", "opening_stock"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const L = (zh: string, en: string) => ({ zh, en });

export const ENUMS = {
  itemType: {
    raw: L("原材料", "Raw material"),
    semi: L("半成品", "Semi-finished"),
    finished: L("成品", "Finished good"),
    consumable: L("辅料耗材", "Consumable"),
    service: L("服务", "Service"),
  },
  makeOrBuy: { make: L("自制", "Make"), buy: L("外购", "Buy") },
  lotSizeRule: {
    "lot-for-lot": L("按需批量", "Lot-for-lot"),
    fixed: L("固定批量", "Fixed lot"),
    multiple: L("倍数批量", "Multiple"),
    "min-max-multiple": L("最小/最大/倍数", "Min/max/multiple"),
    "periods-of-supply": L("期间供应", "Periods of supply"),
    eoq: L("经济批量", "EOQ"),
  },
  tracking: { none: L("不跟踪", "None"), lot: L("批次", "Lot"), serial: L("序列号", "Serial") },
  valuationMethod: { moving_average: L("移动加权平均", "Moving average"), fifo: L("先进先出", "FIFO"), standard: L("标准成本", "Standard cost") },
  itemStatus: { active: L("启用", "Active"), blocked: L("冻结", "Blocked"), obsolete: L("淘汰", "Obsolete") },
  abcClass: { A: L("A", "A"), B: L("B", "B"), C: L("C", "C") },
  partnerStatus: { active: L("正常", "Active"), blocked: L("冻结", "Blocked") },
  locationKind: {
    internal: L("库存", "Internal"),
    receiving: L("收货", "Receiving"),
    quality_hold: L("待检", "Quality hold"),
    production: L("生产线边", "Production"),
    scrap: L("报废", "Scrap"),
    supplier: L("供应商", "Supplier"),
    customer: L("客户", "Customer"),
    adjustment: L("库存调整", "Adjustment"),
    transit: L("在途", "Transit"),
  },
} as const;

const text = (key: string, zh: string, en: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ key, zh, en, kind: "text", ...extra });
const dec = (key: string, zh: string, en: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ key, zh, en, kind: "decimal", ...extra });
const int = (key: string, zh: string, en: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ key, zh, en, kind: "int", ...extra });
const bool = (key: string, zh: string, en: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ key, zh, en, kind: "bool", ...extra });
const en = (key: string, zh: string, enL: string, values: Record<string, { zh: string; en: string }>, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  key,
  zh,
  en: enL,
  kind: "enum",
  values,
  ...extra,
});

export const COLUMNS: Record<string, ColumnSpec[]> = {
  uom: [
    text("category", "单位类别", "Category", { required: true, from: "categoryCode" }),
    text("categoryNameZh", "类别中文名", "Category Chinese name", { from: "categoryNameZh" }),
    text("categoryNameEn", "类别英文名", "Category English name", { from: "categoryNameEn" }),
    text("code", "单位编码", "Unit code", { required: true }),
    text("nameZh", "中文名称", "Chinese name", { required: true }),
    text("nameEn", "英文名称", "English name", { required: true }),
    dec("ratio", "换算比率", "Ratio"),
    dec("rounding", "舍入精度", "Rounding"),
    bool("isReference", "基准单位", "Reference unit"),
    bool("active", "启用", "Active", { exportOnly: true }),
  ],
  item: [
    text("code", "物料编码", "Item code", { required: true }),
    text("nameZh", "中文名称", "Chinese name", { required: true }),
    text("nameEn", "英文名称", "English name", { required: true }),
    text("spec", "规格型号", "Specification"),
    en("itemType", "物料类型", "Item type", ENUMS.itemType, { required: true }),
    text("baseUom", "基本单位", "Base unit", { required: true, from: "baseUomCode" }),
    text("purchaseUom", "采购单位", "Purchase unit", { from: "purchaseUomCode" }),
    text("salesUom", "销售单位", "Sales unit", { from: "salesUomCode" }),
    en("makeOrBuy", "自制/外购", "Make or buy", ENUMS.makeOrBuy, { required: true }),
    int("leadTimeDays", "提前期（天）", "Lead time (days)"),
    dec("safetyStock", "安全库存", "Safety stock"),
    en("lotSizeRule", "批量规则", "Lot-size rule", ENUMS.lotSizeRule),
    dec("lotSizeQty", "固定批量", "Fixed lot quantity"),
    dec("lotSizeMin", "最小批量", "Minimum lot"),
    dec("lotSizeMax", "最大批量", "Maximum lot"),
    dec("lotSizeMultiple", "批量倍数", "Lot multiple"),
    int("lotSizePeriods", "供应期间数", "Periods of supply"),
    dec("lotSizeSetupCost", "订货/准备成本", "Setup cost", { sensitive: P.itemCostRead }),
    dec("lotSizeHoldingCost", "每期持有成本", "Holding cost per period", { sensitive: P.itemCostRead }),
    en("tracking", "批次/序列号管理", "Tracking", ENUMS.tracking),
    int("shelfLifeDays", "保质期（天）", "Shelf life (days)"),
    en("valuationMethod", "计价方法", "Valuation method", ENUMS.valuationMethod),
    dec("standardCost", "标准成本", "Standard cost", { sensitive: P.itemCostRead }),
    en("abcClass", "ABC 分类", "ABC class", ENUMS.abcClass),
    text("barcode", "条形码", "Barcode"),
    bool("allowNegativeStock", "允许负库存", "Allow negative stock"),
    text("description", "描述", "Description"),
    en("status", "状态", "Status", ENUMS.itemStatus, { exportOnly: true }),
  ],
  partner: [
    text("code", "往来单位编码", "Partner code", { required: true }),
    text("nameZh", "中文名称", "Chinese name", { required: true }),
    text("nameEn", "英文名称", "English name", { required: true }),
    text("shortName", "简称", "Short name"),
    bool("isCustomer", "客户", "Customer"),
    bool("isSupplier", "供应商", "Supplier"),
    text("taxId", "统一社会信用代码/税号", "Tax ID"),
    text("phone", "电话", "Phone"),
    text("email", "邮箱", "Email"),
    text("website", "网站", "Website"),
    text("currency", "币种", "Currency"),
    text("paymentTerm", "付款条件", "Payment term", { from: "paymentTermCode" }),
    dec("creditLimit", "信用额度", "Credit limit"),
    text("contactName", "联系人", "Contact"),
    text("contactPhone", "联系电话", "Contact phone"),
    text("contactEmail", "联系人邮箱", "Contact email"),
    text("province", "省份", "Province"),
    text("city", "城市", "City"),
    text("district", "区县", "District"),
    text("street", "详细地址", "Street address"),
    text("postcode", "邮编", "Postcode"),
    text("notes", "备注", "Notes"),
    en("status", "状态", "Status", ENUMS.partnerStatus, { exportOnly: true }),
  ],
  supplier_item: [
    text("partner", "供应商编码", "Supplier code", { required: true, from: "partnerCode" }),
    text("partnerName", "供应商名称", "Supplier name", { exportOnly: true, from: "partnerNameZh", fromEn: "partnerNameEn" }),
    text("item", "物料编码", "Item code", { required: true, from: "itemCode" }),
    text("itemName", "物料名称", "Item name", { exportOnly: true, from: "itemNameZh", fromEn: "itemNameEn" }),
    text("supplierItemCode", "供应商料号", "Supplier's item code"),
    text("supplierItemName", "供应商品名", "Supplier's item name"),
    text("uom", "计价单位", "Price unit", { from: "uomCode" }),
    dec("price", "单价", "Unit price", { sensitive: P.supplierItemPriceRead, required: true }),
    text("currency", "币种", "Currency"),
    dec("minQty", "最小起订量", "Minimum quantity"),
    int("leadTimeDays", "采购提前期（天）", "Lead time (days)"),
    { key: "validFrom", zh: "生效日期", en: "Valid from", kind: "date" },
    { key: "validTo", zh: "失效日期", en: "Valid to", kind: "date" },
    bool("preferred", "首选", "Preferred"),
    text("notes", "备注", "Notes"),
    bool("active", "启用", "Active", { exportOnly: true }),
  ],
  warehouse: [
    text("code", "仓库编码", "Warehouse code"),
    text("nameZh", "中文名称", "Chinese name"),
    text("nameEn", "英文名称", "English name"),
    text("department", "所属部门", "Department", { from: "departmentCode" }),
    text("address", "地址", "Address"),
    int("locationCount", "库位数", "Locations"),
    bool("active", "启用", "Active"),
  ],
  location: [
    text("code", "库位编码", "Location code"),
    text("nameZh", "中文名称", "Chinese name"),
    text("nameEn", "英文名称", "English name"),
    en("kind", "库位类型", "Kind", ENUMS.locationKind),
    text("warehouse", "仓库", "Warehouse", { from: "warehouseCode" }),
    text("parent", "上级库位", "Parent location", { from: "parentCode" }),
    bool("isDefault", "默认库位", "Default"),
    bool("allowNegativeStock", "允许负库存", "Allow negative stock"),
    bool("active", "启用", "Active"),
  ],
  // One row per BOM line; the rows of one parent and version form one BOM (imported as a draft, or
  // released when "release" is yes). Header columns repeat on every row or are given on the first only.
  bom: [
    text("parent", "父项物料编码", "Parent item code", { required: true, from: "parentCode" }),
    text("parentName", "父项名称", "Parent name", { exportOnly: true, from: "parentNameZh", fromEn: "parentNameEn" }),
    text("versionCode", "BOM 版本", "BOM version", { required: true }),
    { key: "effectiveFrom", zh: "生效日期", en: "Effective from", kind: "date" },
    { key: "effectiveTo", zh: "失效日期", en: "Effective to", kind: "date" },
    dec("baseQty", "基准数量", "Base quantity", { sensitive: "masterdata.bom.quantity.read" }),
    text("description", "BOM 说明", "BOM description"),
    int("position", "行号", "Line"),
    text("component", "子项物料编码", "Component code", { required: true, from: "componentCode" }),
    text("componentName", "子项名称", "Component name", { exportOnly: true, from: "componentNameZh", fromEn: "componentNameEn" }),
    dec("qty", "用量", "Quantity", { required: true, sensitive: "masterdata.bom.quantity.read" }),
    text("uom", "单位", "Unit", { from: "uomCode" }),
    dec("scrapPct", "损耗率 %", "Scrap %", { sensitive: "masterdata.bom.quantity.read" }),
    bool("phantom", "虚拟件", "Phantom"),
    bool("byProduct", "副产品", "By-product"),
    text("notes", "行备注", "Line notes"),
    bool("release", "导入后发布", "Release"),
    en("status", "状态", "Status", { draft: L("草稿", "Draft"), active: L("已发布", "Active"), obsolete: L("已失效", "Obsolete") }, { exportOnly: true }),
  ],
  // Opening stock: one receipt line per row from the company's adjustment location, posted as one
  // document per posting date when imported.
  opening_stock: [
    text("item", "物料编码", "Item code", { required: true }),
    text("warehouse", "仓库编码", "Warehouse code", { required: true }),
    text("location", "库位编码", "Location code"),
    dec("quantity", "数量（基本单位）", "Quantity (base unit)", { required: true }),
    dec("unitCost", "单位成本", "Unit cost", { sensitive: "inventory.value.read" }),
    text("lotNo", "批次/序列号", "Lot or serial number"),
    { key: "expiryDate", zh: "有效期至", en: "Expiry date", kind: "date" },
    text("supplierLot", "供应商批号", "Supplier lot"),
    { key: "postingDate", zh: "过账日期", en: "Posting date", kind: "date" },
  ],
};

/** Columns the actor may see (sensitive ones need their permission). */
export function visibleColumns(list: ExportList, can: (permission: string) => boolean): ColumnSpec[] {
  return COLUMNS[list].filter((c) => !c.sensitive || can(c.sensitive));
}

export function header(c: ColumnSpec, lang: Lang): string {
  return lang === "zh-CN" ? c.zh : c.en;
}

const norm = (s: string) => s.normalize("NFKC").toLowerCase().replace(/[\s*_（）()]/g, "");

/** The column a header of an imported file names (key, Chinese or English header), or undefined. */
export function columnForHeader(kind: ImportKind, text: string): ColumnSpec | undefined {
  const h = norm(text);
  if (!h) return undefined;
  return COLUMNS[kind].find((c) => norm(c.key) === h || norm(c.zh) === h || norm(c.en) === h);
}

/** The code of an enum cell: the code itself or either label (case-insensitive). */
export function enumCode(c: ColumnSpec, cell: string): string | undefined {
  const v = norm(cell);
  for (const [code, label] of Object.entries(c.values ?? {})) {
    if (norm(code) === v || norm(label.zh) === v || norm(label.en) === v) return code;
  }
  return undefined;
}

const TRUE = new Set(["true", "yes", "y", "1", "是", "√", "✓", "x"]);
const FALSE = new Set(["false", "no", "n", "0", "否", ""]);

export function parseBool(cell: string): boolean | undefined {
  const v = norm(cell);
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}

/** An exported cell: labels for enums and booleans in the user's language; numbers and text as they are. */
export function cellText(c: ColumnSpec, value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return "";
  if (c.kind === "bool") return value ? (lang === "zh-CN" ? "是" : "Yes") : lang === "zh-CN" ? "否" : "No";
  if (c.kind === "enum") {
    const label = c.values?.[String(value)];
    return label ? (lang === "zh-CN" ? label.zh : label.en) : String(value);
  }
  if (c.kind === "decimal") return trimDecimal(String(value));
  return String(value);
}

/** "12.500000" → "12.5" (NUMERIC columns come back with all their scale). */
export function trimDecimal(s: string): string {
  return /^-?\d+\.\d+$/.test(s) ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}
