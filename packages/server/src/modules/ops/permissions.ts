import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  backupRead: "ops.backup.read",
  backupRun: "ops.backup.run",
  maintenanceRead: "ops.maintenance.read",
  maintenanceRun: "ops.maintenance.run",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.backupRead, label: { "zh-CN": "查看备份记录", "en-US": "View backups" } },
  { key: P.backupRun, label: { "zh-CN": "发起备份与校验", "en-US": "Start backups and verifications" } },
  { key: P.maintenanceRead, label: { "zh-CN": "查看数据库维护状态", "en-US": "View database maintenance" } },
  { key: P.maintenanceRun, label: { "zh-CN": "立即执行数据库维护", "en-US": "Run database maintenance now" } },
];
