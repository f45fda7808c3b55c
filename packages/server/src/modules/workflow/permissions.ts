import type { PermissionDef } from "../../platform/module.ts";

/**
 * Deciding a request needs no permission key: whether someone may decide is the chain's rule for the
 * current level (role, manager, superior, named person, delegation), checked by the engine.
 */
export const P = {
  chainRead: "workflow.chain.read",
  chainEdit: "workflow.chain.edit",
  requestRead: "workflow.request.read",
  delegationAdmin: "workflow.delegation.admin",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.chainRead, label: { "zh-CN": "查看审批流程定义", "en-US": "View approval chains" } },
  { key: P.chainEdit, label: { "zh-CN": "维护审批流程（级别、金额阈值、审批人）", "en-US": "Edit approval chains (levels, amount thresholds, approvers)" } },
  { key: P.requestRead, label: { "zh-CN": "查看全部审批申请及其记录", "en-US": "View every approval request and its history" } },
  { key: P.delegationAdmin, label: { "zh-CN": "为他人设置或取消审批代理", "en-US": "Set or cancel approval delegations for others" } },
];
