import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  roleRead: "access.role.read",
  roleEdit: "access.role.edit",
  assign: "access.user_role.assign",
  sodRead: "access.sod.read",
  sodEdit: "access.sod.edit",
  sodExceptionRequest: "access.sod.exception.request",
  sodExceptionApprove: "access.sod.exception.approve",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.roleRead, label: { "zh-CN": "查看角色与权限", "en-US": "View roles and permissions" } },
  { key: P.roleEdit, label: { "zh-CN": "新建、修改自定义角色", "en-US": "Create and edit custom roles" } },
  { key: P.assign, label: { "zh-CN": "授予、收回用户角色", "en-US": "Grant and revoke users' roles" } },
  { key: P.sodRead, label: { "zh-CN": "查看职责分离规则与冲突", "en-US": "View segregation-of-duties rules and conflicts" } },
  { key: P.sodEdit, label: { "zh-CN": "维护职责分离规则", "en-US": "Edit segregation-of-duties rules" } },
  { key: P.sodExceptionRequest, label: { "zh-CN": "申请职责分离例外", "en-US": "Request segregation-of-duties exceptions" } },
  { key: P.sodExceptionApprove, label: { "zh-CN": "批准职责分离例外", "en-US": "Approve segregation-of-duties exceptions" } },
];
