import type { PermissionDef } from "../../../platform/module.ts";

export const P = { tokenRead: "access.token.read", tokenManage: "access.token.manage" } as const;

export const permissions: PermissionDef[] = [
  { key: P.tokenRead, label: { "zh-CN": "查看 API 令牌", "en-US": "View API tokens" } },
  { key: P.tokenManage, label: { "zh-CN": "创建、吊销 API 令牌（外部系统接口）", "en-US": "Create and revoke API tokens (external systems)" } },
];
