import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "workflow.error.no_chain": {
    "zh-CN": "尚未为单据类型 {docType} 定义审批流程，不能提交。请联系系统管理员。",
    "en-US": "No approval chain is defined for {docType}, so it cannot be submitted. Ask your system administrator.",
  },
  "workflow.error.amount_required": {
    "zh-CN": "{docType} 的审批流程按金额分级，提交时必须给出金额。",
    "en-US": "The approval chain of {docType} depends on the amount; an amount is required.",
  },
  "workflow.error.amount_invalid": { "zh-CN": "金额不是有效的十进制数。", "en-US": "The amount is not a valid decimal number." },
  "workflow.error.already_pending": {
    "zh-CN": "该单据已有审批中的申请（{number}）。",
    "en-US": "This document already has an approval request in progress ({number}).",
  },
  "workflow.error.not_submitted": { "zh-CN": "该{docType}尚未提交审批。", "en-US": "This {docType} has not been submitted for approval." },
  "workflow.error.not_approved": {
    "zh-CN": "审批申请 {number} 尚未通过（当前状态：{status}），不能继续。",
    "en-US": "Approval request {number} is not approved (it is {status}); this cannot go ahead.",
  },
  "workflow.error.not_pending": {
    "zh-CN": "审批申请 {number} 已结束（{status}），不能再处理。",
    "en-US": "Approval request {number} is already closed ({status}).",
  },
  "workflow.error.level_not_current": {
    "zh-CN": "不得越级审批：当前待审批的是第 {current} 级，不是第 {level} 级。",
    "en-US": "Levels cannot be skipped: level {current} is waiting for a decision, not level {level}.",
  },
  "workflow.error.maker": {
    "zh-CN": "申请人不能审批自己的申请（无论担任何种角色）。",
    "en-US": "The person who made a request cannot approve or reject it, whatever roles they hold.",
  },
  "workflow.error.not_eligible": {
    "zh-CN": "您不是第 {level} 级的审批人，也未受其委托，不能处理该申请。",
    "en-US": "You are not an approver of level {level} and do not stand in for one, so you cannot decide this request.",
  },
  "workflow.error.person_only": { "zh-CN": "审批只能由本人登录后处理。", "en-US": "Approvals are decided by a signed-in person." },
  "workflow.error.only_maker_withdraws": { "zh-CN": "只有申请人可以撤回申请。", "en-US": "Only the person who made a request can withdraw it." },
  "workflow.error.reason_required": { "zh-CN": "驳回时必须填写原因", "en-US": "is required when rejecting" },
  "workflow.error.no_such_role": { "zh-CN": "角色不存在", "en-US": "is not an existing role" },
  "workflow.error.no_such_user": { "zh-CN": "不是本公司的在职用户", "en-US": "is not an active user of this company" },
  "workflow.error.field_not_for_kind": { "zh-CN": "与所选审批人类型不符", "en-US": "does not belong with the chosen kind of approver" },
  "workflow.error.threshold_order": {
    "zh-CN": "金额阈值须逐级不减（上一级为 {previous}）",
    "en-US": "must not be lower than the threshold of the level before ({previous})",
  },
  "workflow.error.chain_exists": {
    "zh-CN": "该单据类型在此范围内已有启用的审批流程",
    "en-US": "already has an active approval chain for this document type and scope",
  },
  "workflow.error.delegate_self": { "zh-CN": "不能委托给自己", "en-US": "cannot be the same person" },
  "workflow.error.ends_before_start": { "zh-CN": "结束日期不能早于开始日期", "en-US": "must not be before the start date" },
  "workflow.error.ends_in_past": { "zh-CN": "结束日期已过", "en-US": "is already in the past" },
  "workflow.error.delegation_cancelled": { "zh-CN": "该委托已取消。", "en-US": "This delegation is already cancelled." },
  "workflow.error.file_not_found": { "zh-CN": "文件不存在。", "en-US": "No such file." },
  "constraint.approval_delegation_overlap": {
    "zh-CN": "该时间段与此人已有的审批委托重叠。",
    "en-US": "These dates overlap another delegation of the same person.",
  },
  "constraint.approval_level_skipped": { "zh-CN": "不得越级审批。", "en-US": "Approval levels cannot be skipped." },
  "constraint.approval_maker_is_checker": { "zh-CN": "申请人不能审批自己的申请。", "en-US": "The maker of a request cannot decide it." },
  "constraint.approval_step_decided": { "zh-CN": "该级已审批，不能更改。", "en-US": "This level is already decided and cannot change." },
  "constraint.approval_request_closed": { "zh-CN": "该审批申请已结束，不能更改。", "en-US": "This approval request is closed and cannot change." },
  "workflow.alert.no_approver": {
    "zh-CN": "审批申请 {number} 的第 {level} 级（{levelZh}）目前没有任何人可以审批：请检查审批流程、部门负责人或角色分配。",
    "en-US": "Nobody can decide level {level} ({levelEn}) of approval request {number}: check the chain, the department managers or the role holders.",
  },
  "workflow.alert.no_superior": {
    "zh-CN": "审批申请 {number} 的第 {level} 级（{levelZh}）已超时，但组织架构中没有更高一级的负责人可以升级。",
    "en-US": "Level {level} ({levelEn}) of approval request {number} is overdue and there is no higher manager in the organisation to escalate to.",
  },
});
