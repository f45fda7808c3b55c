import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  userRead: "identity.user.read",
  userCreate: "identity.user.create",
  userEdit: "identity.user.edit",
  userDisable: "identity.user.disable",
  userResetPassword: "identity.user.reset_password",
  policyEdit: "identity.policy.edit",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.userRead, label: { "zh-CN": "查看用户", "en-US": "View users" } },
  { key: P.userCreate, label: { "zh-CN": "新建用户", "en-US": "Create users" } },
  { key: P.userEdit, label: { "zh-CN": "修改用户资料", "en-US": "Edit users" } },
  { key: P.userDisable, label: { "zh-CN": "停用用户（离职）", "en-US": "Disable users (departure)" } },
  { key: P.userResetPassword, label: { "zh-CN": "重置用户密码与双因素认证", "en-US": "Reset users' passwords and two-factor authentication" } },
  { key: P.policyEdit, label: { "zh-CN": "设置密码与登录安全策略", "en-US": "Set the password and login security policy" } },
];
