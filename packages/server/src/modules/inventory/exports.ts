import type { ColumnSpec } from "../masterdata/catalog/columns.ts";
import { registerExportList } from "../masterdata/catalog/export.ts";
import { valueSight } from "./common.ts";
import { P } from "./permissions.ts";
import * as q from "./queries.ts";
import { warehouseFilter } from "../../platform/scope.ts";

/**
 * The inventory lists as CSV/XLSX files (DAT-3), through the audited `masterdata.export` command: the
 * same filters as the screens; costs and values only for holders of inventory.value.read.
 */
const L = (zh: string, en: string) => ({ zh, en });
const text = (key: string, zh: string, en: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ key, zh, en, kind: "text", ...extra });
const dec = (key: string, zh: string, en: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ key, zh, en, kind: "decimal", ...extra });
const enumOf = (key: string, zh: string, en: string, values: Record<string, { zh: string; en: string }>): ColumnSpec => ({ key, zh, en, kind: "enum", values });
const value = { sensitive: P.valueRead };

const MOVE_TYPES = {
  receipt: L("采购/其他入库", "Receipt"),
  issue: L("出库", "Issue"),
  transfer: L("调拨", "Transfer"),
  adjustment: L("库存调整", "Adjustment"),
  scrap: L("报废", "Scrap"),
  production_consumption: L("生产领料", "Production consumption"),
  production_output: L("生产入库", "Production output"),
};
const DOC_TYPES = { receipt: L("入库单", "Goods receipt"), issue: L("出库单", "Goods issue"), transfer: L("调拨单", "Transfer"), count: L("盘点单", "Stock count") };
const DOC_STATES = { draft: L("草稿", "Draft"), posted: L("已过账", "Posted"), reversed: L("已冲销", "Reversed"), cancelled: L("已取消", "Cancelled") };
const itemName = text("itemName", "物料名称", "Item name", { from: "itemNameZh", fromEn: "itemNameEn" });

registerExportList("stock", {
  read: [P.stockRead],
  fileName: "stock",
  sheet: L("库存", "Stock"),
  columns: [
    text("item", "物料编码", "Item code", { from: "itemCode" }),
    itemName,
    text("uom", "单位", "Unit"),
    text("warehouse", "仓库", "Warehouse", { from: "warehouseCode" }),
    text("location", "库位", "Location", { from: "locationCode" }),
    text("lotNo", "批次/序列号", "Lot or serial number"),
    text("expiryDate", "有效期至", "Expiry date"),
    dec("onHand", "现存量", "On hand"),
    dec("reserved", "已预留", "Reserved"),
    dec("available", "可用量", "Available"),
    dec("incoming", "待入库", "Incoming"),
    dec("unitCost", "单位成本", "Unit cost", value),
    dec("value", "金额", "Value", value),
  ],
  fetch: (tx, actor, p) => q.stockOverview(tx, actor.companyId!, { ...(p as object), scopeWarehouses: warehouseFilter(actor, P.stockRead) } as never, valueSight(actor)),
});

registerExportList("move", {
  read: [P.stockRead],
  fileName: "stock-moves",
  sheet: L("库存流水", "Stock moves"),
  columns: [
    { key: "id", zh: "流水号", en: "Move", kind: "int" },
    text("postingDate", "过账日期", "Posting date"),
    text("docNumber", "单据号", "Document"),
    enumOf("moveType", "业务类型", "Move type", MOVE_TYPES),
    text("item", "物料编码", "Item code", { from: "itemCode" }),
    itemName,
    text("lotNo", "批次/序列号", "Lot or serial number"),
    dec("quantity", "数量", "Quantity"),
    text("uom", "单位", "Unit"),
    text("fromLocation", "来源库位", "From location", { from: "fromLocationCode" }),
    text("toLocation", "目标库位", "To location", { from: "toLocationCode" }),
    text("productionRef", "生产订单", "Production order"),
    dec("unitCost", "单位成本", "Unit cost", value),
    dec("value", "金额", "Value", value),
    { key: "reversalOf", zh: "冲销的流水", en: "Reverses move", kind: "int" },
    text("postedByName", "过账人", "Posted by"),
  ],
  fetch: (tx, actor, p) => q.listMoves(tx, actor.companyId!, { ...(p as object), scopeWarehouses: warehouseFilter(actor, P.stockRead) } as never, valueSight(actor)),
});

registerExportList("stock_document", {
  read: [P.stockRead],
  fileName: "stock-documents",
  sheet: L("出入库单据", "Stock documents"),
  columns: [
    text("number", "单据号", "Number"),
    enumOf("docType", "单据类型", "Type", DOC_TYPES),
    enumOf("state", "状态", "State", DOC_STATES),
    text("postingDate", "过账日期", "Posting date"),
    text("partner", "往来单位", "Partner", { from: "partnerCode" }),
    text("partnerName", "往来单位名称", "Partner name", { from: "partnerNameZh", fromEn: "partnerNameEn" }),
    text("reference", "参考号", "Reference"),
    text("productionRef", "生产订单", "Production order"),
    { key: "lineCount", zh: "行数", en: "Lines", kind: "int" },
    dec("totalQty", "总数量", "Total quantity"),
    dec("totalValue", "总金额", "Total value", value),
    text("createdByName", "制单人", "Created by"),
    text("postedByName", "过账人", "Posted by"),
  ],
  fetch: (tx, actor, p) => q.listDocuments(tx, actor.companyId!, { ...(p as object), scopeWarehouses: warehouseFilter(actor, P.stockRead) } as never, valueSight(actor)),
});

registerExportList("valuation", {
  read: [P.stockRead, P.valueRead],
  fileName: "inventory-value",
  sheet: L("库存估值", "Inventory value"),
  columns: [
    text("item", "物料编码", "Item code", { from: "itemCode" }),
    itemName,
    text("uom", "单位", "Unit"),
    text("warehouse", "仓库", "Warehouse", { from: "warehouseCode" }),
    text("warehouseName", "仓库名称", "Warehouse name", { from: "warehouseNameZh", fromEn: "warehouseNameEn" }),
    dec("quantity", "数量", "Quantity"),
    dec("unitCost", "单位成本", "Unit cost"),
    dec("value", "金额", "Value"),
  ],
  fetch: (tx, actor, p) => q.valuationAsOf(tx, actor.companyId!, { ...(p as object), scopeWarehouses: warehouseFilter(actor, P.valueRead) } as never),
});
