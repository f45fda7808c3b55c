import type { PermissionDef } from "../../../platform/module.ts";

/**
 * Catalog permissions. Sensitive keys reveal money (standard costs, EOQ cost parameters, supplier
 * prices, bank accounts); writing a sensitive field also needs its read key: nobody sets what they may
 * not see.
 */
export const P = {
  uomRead: "masterdata.uom.read",
  uomEdit: "masterdata.uom.edit",
  itemRead: "masterdata.item.read",
  itemEdit: "masterdata.item.edit",
  itemCostRead: "masterdata.item.cost.read",
  warehouseRead: "masterdata.warehouse.read",
  warehouseEdit: "masterdata.warehouse.edit",
  partnerRead: "masterdata.partner.read",
  partnerEdit: "masterdata.partner.edit",
  partnerBankRead: "masterdata.partner.bank.read",
  supplierItemRead: "masterdata.supplier_item.read",
  supplierItemEdit: "masterdata.supplier_item.edit",
  supplierItemPriceRead: "masterdata.supplier_item.price.read",
  importRun: "masterdata.import.run",
  export: "masterdata.export",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.uomRead, label: { "zh-CN": "查看计量单位", "en-US": "View units of measure" } },
  { key: P.uomEdit, label: { "zh-CN": "维护计量单位与单位类别", "en-US": "Edit units of measure and their categories" } },
  { key: P.itemRead, label: { "zh-CN": "查看物料", "en-US": "View items" } },
  { key: P.itemEdit, label: { "zh-CN": "新建、修改、冻结物料", "en-US": "Create, edit and block items" } },
  { key: P.itemCostRead, label: { "zh-CN": "查看与维护物料标准成本（敏感）", "en-US": "See and set item standard costs (sensitive)" }, sensitive: true },
  { key: P.warehouseRead, label: { "zh-CN": "查看仓库与库位", "en-US": "View warehouses and locations" } },
  { key: P.warehouseEdit, label: { "zh-CN": "维护仓库与库位", "en-US": "Edit warehouses and locations" } },
  { key: P.partnerRead, label: { "zh-CN": "查看客户与供应商", "en-US": "View customers and suppliers" } },
  { key: P.partnerEdit, label: { "zh-CN": "维护客户、供应商与付款条件", "en-US": "Edit customers, suppliers and payment terms" } },
  {
    key: P.partnerBankRead,
    label: { "zh-CN": "查看与维护往来单位银行账户（敏感）", "en-US": "See and set partners' bank accounts (sensitive)" },
    sensitive: true,
  },
  { key: P.supplierItemRead, label: { "zh-CN": "查看供应商物料", "en-US": "View supplier items" } },
  { key: P.supplierItemEdit, label: { "zh-CN": "维护供应商物料", "en-US": "Edit supplier items" } },
  {
    key: P.supplierItemPriceRead,
    label: { "zh-CN": "查看与维护采购价格（敏感）", "en-US": "See and set purchase prices (sensitive)" },
    sensitive: true,
  },
  { key: P.importRun, label: { "zh-CN": "导入主数据", "en-US": "Import master data" } },
  { key: P.export, label: { "zh-CN": "导出主数据", "en-US": "Export master data" } },
];
