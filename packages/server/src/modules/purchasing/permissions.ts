import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  requisitionRead: "purchasing.requisition.read",
} as const;

export const permissions: PermissionDef[] = [
  {
    key: P.requisitionRead,
    label: { "zh-CN": "查看请购单（价格另需供应商物料价格权限）", "en-US": "View purchase requisitions (prices need the supplier item price permission)" },
  },
];
