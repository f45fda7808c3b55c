import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  read: "access.review.read",
  decide: "access.review.decide",
  manage: "access.review.manage",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.read, label: { "zh-CN": "查看权限审查及结果", "en-US": "View access reviews and their outcome" } },
  { key: P.decide, label: { "zh-CN": "审查下属的权限（确认或收回）", "en-US": "Review one's people's access (confirm or revoke)" } },
  { key: P.manage, label: { "zh-CN": "发起、关闭权限审查，处理无人负责的审查项", "en-US": "Start and close access reviews, handle unassigned items" } },
];
