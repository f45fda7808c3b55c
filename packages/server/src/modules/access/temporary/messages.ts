import { registerMessages } from "../../../platform/i18n.ts";

registerMessages({
  "temporary.error.not_grantable": { "zh-CN": "该角色不能临时申请", "en-US": "is not a role that can be asked for temporarily" },
  "temporary.error.never_grantable": {
    "zh-CN": "拥有全部权限的角色不能临时授予",
    "en-US": "a role with every permission cannot be granted temporarily",
  },
  "temporary.error.too_long": { "zh-CN": "期限不能超过 {days} 天", "en-US": "must be at most {days} days after the start" },
  "temporary.error.until_order": { "zh-CN": "结束时间须晚于开始时间和当前时间", "en-US": "must be after the start and after now" },
  "temporary.error.already_held": { "zh-CN": "您已持有该角色（在此范围内）", "en-US": "is already yours (for this scope)" },
  "temporary.error.already_asked": {
    "zh-CN": "同一角色已有待审批或生效中的临时申请",
    "en-US": "already has a temporary request waiting or in force",
  },
  "temporary.error.period_over": {
    "zh-CN": "申请的期限已经结束，请驳回该申请。",
    "en-US": "The period asked for is already over; reject the request instead.",
  },
  "temporary.error.not_pending": { "zh-CN": "该临时权限申请已处理（{status}）。", "en-US": "This temporary access request was already decided ({status})." },
  "temporary.error.not_in_force": { "zh-CN": "该临时权限未生效或已结束（{status}）。", "en-US": "This temporary access is not in force ({status})." },
  "temporary.error.no_department": { "zh-CN": "部门不存在", "en-US": "is not an existing department" },
  "temporary.summary": {
    "zh-CN": "临时权限：{user} 申请角色「{role}」（范围：{scope}），{from} 至 {until}。理由：{reason}",
    "en-US": "Temporary access: {user} asks for the role \"{role}\" (scope: {scope}) from {from} to {until}. Reason: {reason}",
  },
  "temporary.scope_all": { "zh-CN": "全公司", "en-US": "whole company" },
});
