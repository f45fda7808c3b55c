import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  logRead: "audit.log.read",
  logExport: "audit.log.export",
  logVerify: "audit.log.verify",
  securityRead: "audit.security.read",
  securityManage: "audit.security.manage",
  securityConfigure: "audit.security.configure",
} as const;

export const permissions: PermissionDef[] = [
  // The log shows before/after values of every record, costs and prices included.
  { key: P.logRead, label: { "zh-CN": "查看审计日志", "en-US": "View the audit log" }, sensitive: true },
  { key: P.logExport, label: { "zh-CN": "导出审计日志", "en-US": "Export the audit log" }, sensitive: true },
  { key: P.logVerify, label: { "zh-CN": "校验审计日志完整性", "en-US": "Verify the audit log's integrity" } },
  { key: P.securityRead, label: { "zh-CN": "查看安全事件", "en-US": "View security events" } },
  { key: P.securityManage, label: { "zh-CN": "处理安全事件（调查、指派、结案）", "en-US": "Handle security events (investigate, assign, resolve)" } },
  { key: P.securityConfigure, label: { "zh-CN": "设置异常检测规则阈值", "en-US": "Set the anomaly rules' thresholds" } },
];
