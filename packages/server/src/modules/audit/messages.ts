import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  // Security event titles: `facts` of the event fill the placeholders.
  "security.rule.repeated_failures": {
    "zh-CN": "{subject} 在 {minutes} 分钟内登录失败 {count} 次",
    "en-US": "{count} failed sign-ins for {subject} within {minutes} minutes",
  },
  "security.rule.off_hours_login": {
    "zh-CN": "{subject} 在非工作时间登录（{localTime}）",
    "en-US": "{subject} signed in outside working hours ({localTime})",
  },
  "security.rule.new_address": {
    "zh-CN": "{subject} 从新的地址 {ip} 登录",
    "en-US": "{subject} signed in from a new address, {ip}",
  },
  "security.rule.mass_export": {
    "zh-CN": "{subject} 在 {minutes} 分钟内导出 {count} 次，共 {rows} 行",
    "en-US": "{subject} exported {count} times ({rows} rows) within {minutes} minutes",
  },
  "security.rule.mass_deletion": {
    "zh-CN": "{subject} 在 {minutes} 分钟内删除 {count} 条记录",
    "en-US": "{subject} deleted {count} records within {minutes} minutes",
  },
  "security.rule.rights_escalation.admin_role": {
    "zh-CN": "{subject} 被授予管理角色 {role}（操作人 {by}）",
    "en-US": "{subject} was given the administrative role {role} (by {by})",
  },
  "security.rule.rights_escalation.permission_change": {
    "zh-CN": "{by} 变更了角色权限（{actionLabel}）",
    "en-US": "{by} changed role permissions ({actionLabel})",
  },
  "security.rule.rights_escalation.self_grant": {
    "zh-CN": "{subject} 试图给自己授予权限（{actionLabel}）",
    "en-US": "{subject} tried to grant rights to themselves ({actionLabel})",
  },
  "security.rule.rights_escalation.exceeds_own_rights": {
    "zh-CN": "{subject} 试图授出自己没有的权限（{actionLabel}）",
    "en-US": "{subject} tried to hand out rights they do not hold ({actionLabel})",
  },
  "security.rule.rights_escalation.denied": {
    "zh-CN": "{subject} 无权却尝试变更权限（{actionLabel}）",
    "en-US": "{subject} tried to change rights without permission ({actionLabel})",
  },
  "security.rule.disabled_account": {
    "zh-CN": "已停用的账户 {subject} 被尝试登录 {count} 次",
    "en-US": "{count} sign-in attempts on the disabled account {subject}",
  },
  "security.rule.chain_integrity": {
    "zh-CN": "审计日志完整性校验失败：{problemLabel}（记录 {recordId}）",
    "en-US": "The audit log failed its integrity check: {problemLabel} (record {recordId})",
  },
  "security.problem.hash_mismatch": { "zh-CN": "记录内容被修改或伪造", "en-US": "a record was altered or forged" },
  "security.problem.broken_link": { "zh-CN": "记录缺失（链断开）", "en-US": "records are missing (the chain is broken)" },
  "security.problem.truncated": { "zh-CN": "日志末尾被截断", "en-US": "the end of the log was cut off" },
  "security.problem.missing": { "zh-CN": "锚点记录缺失", "en-US": "the anchored record is gone" },
  "security.problem.mismatch": { "zh-CN": "锚点记录与保存的哈希不符", "en-US": "the anchored record no longer matches its hash" },

  "alert.audit_chain_broken": {
    "zh-CN": "审计日志完整性校验失败：记录 {id} {problem}。请立即调查。",
    "en-US": "The audit log failed verification: record {id}, {problem}. Investigate now.",
  },
  "alert.audit_chain_truncated": {
    "zh-CN": "审计日志在上次校验后被截断：现在最后一条是 {lastId}，锚点是 {anchorId}（{status}）。请立即调查。",
    "en-US": "The audit log was cut back since the last verification: it now ends at {lastId}, the anchor is {anchorId} ({status}). Investigate now.",
  },
  "alert.security_event": {
    "zh-CN": "新的{severityLabelZh}安全事件 #{id}：{titleZh}",
    "en-US": "New {severityLabelEn} security event #{id}: {titleEn}",
  },
  "security.severity.low": { "zh-CN": "低风险", "en-US": "low" },
  "security.severity.medium": { "zh-CN": "中风险", "en-US": "medium" },
  "security.severity.high": { "zh-CN": "高风险", "en-US": "high" },
  "security.severity.critical": { "zh-CN": "严重", "en-US": "critical" },

  "audit.error.assignee": { "zh-CN": "应为本公司有权处理安全事件的在职用户", "en-US": "must be an active user of the company who may handle security events" },
  "audit.error.period": { "zh-CN": "结束时间不能早于开始时间", "en-US": "must not be before the start" },
  "audit.error.export_too_large": {
    "zh-CN": "筛选结果有 {rows} 条，超过单次导出上限 {limit} 条。请缩小时间范围或增加筛选条件。",
    "en-US": "The filter matches {rows} records, more than the {limit} one export may hold. Narrow the period or add filters.",
  },
  "audit.error.not_visible": { "zh-CN": "该安全事件不存在或不属于您的公司。", "en-US": "This security event does not exist or belongs to another company." },
  "constraint.security_event_transition": {
    "zh-CN": "安全事件的状态只能按“待处理 → 调查中 → 已结案”推进，已结案的可重新调查。",
    "en-US": "A security event moves open → investigating → resolved; a resolved one may be reopened for investigation.",
  },
  "constraint.security_event_resolution": {
    "zh-CN": "结案必须给出结论；未结案的事件不能有结论。",
    "en-US": "A resolved event needs a resolution; an unresolved one cannot have one.",
  },

  // CSV export headers (the caller's language).
  "audit.csv.id": { "zh-CN": "记录号", "en-US": "Record" },
  "audit.csv.time": { "zh-CN": "时间（UTC）", "en-US": "Time (UTC)" },
  "audit.csv.actorType": { "zh-CN": "操作者类型", "en-US": "Actor type" },
  "audit.csv.actorId": { "zh-CN": "操作者编号", "en-US": "Actor id" },
  "audit.csv.actor": { "zh-CN": "操作者", "en-US": "Actor" },
  "audit.csv.session": { "zh-CN": "会话/令牌", "en-US": "Session / token" },
  "audit.csv.ip": { "zh-CN": "IP 地址", "en-US": "IP address" },
  "audit.csv.action": { "zh-CN": "操作代码", "en-US": "Action code" },
  "audit.csv.actionLabel": { "zh-CN": "操作", "en-US": "Action" },
  "audit.csv.entity": { "zh-CN": "对象", "en-US": "Entity" },
  "audit.csv.entityId": { "zh-CN": "对象编号", "en-US": "Entity id" },
  "audit.csv.outcome": { "zh-CN": "结果", "en-US": "Outcome" },
  "audit.csv.errorCode": { "zh-CN": "错误代码", "en-US": "Error code" },
  "audit.csv.changes": { "zh-CN": "变更（修改前/后）", "en-US": "Changes (before/after)" },
  "audit.csv.details": { "zh-CN": "详情", "en-US": "Details" },
  "audit.csv.userAgent": { "zh-CN": "客户端", "en-US": "User agent" },
  "audit.csv.requestId": { "zh-CN": "请求号", "en-US": "Request id" },
  "audit.csv.hash": { "zh-CN": "哈希", "en-US": "Hash" },
  "audit.outcome.success": { "zh-CN": "成功", "en-US": "success" },
  "audit.outcome.failed": { "zh-CN": "失败", "en-US": "failed" },
  "audit.outcome.denied": { "zh-CN": "拒绝", "en-US": "denied" },
});
