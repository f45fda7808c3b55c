import type { PermissionDef } from "../../../platform/module.ts";

/** Asking for a temporary role needs no key (any signed-in person may ask); the superior decides. */
export const P = {
  read: "access.temporary.read",
  revoke: "access.temporary.revoke",
  configure: "access.temporary.configure",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.read, label: { "zh-CN": "查看临时权限申请与当前临时权限持有人", "en-US": "View temporary access requests and current holders" } },
  { key: P.revoke, label: { "zh-CN": "提前收回临时权限", "en-US": "End temporary access early" } },
  { key: P.configure, label: { "zh-CN": "设置可临时申请的角色及最长期限", "en-US": "Choose which roles may be asked for temporarily, and for how long" } },
];
