import type { PermissionDef } from "../../platform/module.ts";

export const P = { roleRead: "access.role.read" } as const;

export const permissions: PermissionDef[] = [{ key: P.roleRead, label: { "zh-CN": "查看角色与权限", "en-US": "View roles and permissions" } }];
