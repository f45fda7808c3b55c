import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  stockRead: "inventory.stock.read",
  /** Unit costs and values of stock, moves and documents; the valuation report. */
  valueRead: "inventory.value.read",
  receiptEdit: "inventory.receipt.edit",
  receiptPost: "inventory.receipt.post",
  issueEdit: "inventory.issue.edit",
  issuePost: "inventory.issue.post",
  transferEdit: "inventory.transfer.edit",
  transferPost: "inventory.transfer.post",
  documentReverse: "inventory.document.reverse",
  countEdit: "inventory.count.edit",
  countApprove: "inventory.count.approve",
  reservationEdit: "inventory.reservation.edit",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.stockRead, label: { "zh-CN": "查看库存、出入库单据、流水与批次追溯", "en-US": "View stock, stock documents, moves and lot trace" } },
  {
    key: P.valueRead,
    label: { "zh-CN": "查看库存成本与金额、库存估值报表（敏感）", "en-US": "See stock costs and values, the valuation report (sensitive)" },
    sensitive: true,
  },
  { key: P.receiptEdit, label: { "zh-CN": "录入、修改入库单草稿", "en-US": "Enter and edit goods receipt drafts" } },
  { key: P.receiptPost, label: { "zh-CN": "过账入库单", "en-US": "Post goods receipts" } },
  { key: P.issueEdit, label: { "zh-CN": "录入、修改出库单草稿", "en-US": "Enter and edit goods issue drafts" } },
  { key: P.issuePost, label: { "zh-CN": "过账出库单", "en-US": "Post goods issues" } },
  { key: P.transferEdit, label: { "zh-CN": "录入、修改调拨单草稿", "en-US": "Enter and edit transfer drafts" } },
  { key: P.transferPost, label: { "zh-CN": "过账调拨单", "en-US": "Post transfers" } },
  { key: P.documentReverse, label: { "zh-CN": "冲销已过账的出入库单据", "en-US": "Reverse posted stock documents" } },
  { key: P.countEdit, label: { "zh-CN": "创建盘点、冻结库位、录入盘点数量", "en-US": "Create counts, freeze locations, enter counted quantities" } },
  { key: P.countApprove, label: { "zh-CN": "审核盘点差异并过账调整", "en-US": "Approve count variances and post the adjustments" } },
  { key: P.reservationEdit, label: { "zh-CN": "预留与释放库存", "en-US": "Reserve and release stock" } },
];
