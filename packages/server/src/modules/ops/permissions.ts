import type { PermissionDef } from "../../platform/module.ts";

export const P = { backupRead: "ops.backup.read", backupRun: "ops.backup.run" } as const;

export const permissions: PermissionDef[] = [
  { key: P.backupRead, label: { "zh-CN": "查看备份记录", "en-US": "View backups" } },
  { key: P.backupRun, label: { "zh-CN": "发起备份与校验", "en-US": "Start backups and verifications" } },
];
