import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  orderRead: "production.order.read",
  orderEdit: "production.order.edit",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.orderRead, label: { "zh-CN": "查看生产订单", "en-US": "View production orders" } },
  { key: P.orderEdit, label: { "zh-CN": "创建生产订单草稿", "en-US": "Create production order drafts" } },
];
