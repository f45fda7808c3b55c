import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "access.error.self_grant": { "zh-CN": "不能给自己授予角色。", "en-US": "Nobody can grant roles to themselves." },
  "access.error.exceeds_own_rights": {
    "zh-CN": "该角色包含您本人没有的权限（{keys}）",
    "en-US": "carries permissions you do not hold yourself ({keys})",
  },
  "access.error.not_delegable": { "zh-CN": "部门管理员不能授予角色 {code}", "en-US": "role {code} is not one department administrators may hand out" },
  "access.error.out_of_scope": { "zh-CN": "超出您管理的部门范围", "en-US": "is outside the departments you administer" },
  "access.error.no_such_warehouse": { "zh-CN": "仓库不存在", "en-US": "no such warehouse" },
  "access.error.warehouse_out_of_reach": {
    "zh-CN": "该角色的部分权限您只在某些仓库拥有，只能把角色限定在这些仓库之一授予",
    "en-US": "you hold some of this role's permissions for some warehouses only: grant it limited to one of them",
  },
  "access.error.sod_conflict": {
    "zh-CN": "违反职责分离规则：{rules}。如确需兼任，请先申请并获批例外。",
    "en-US": "This breaks segregation of duties: {rules}. Request an exception and have it approved first.",
  },
  "access.error.unknown_permission": { "zh-CN": "未声明的权限：{key}", "en-US": "is not a declared permission: {key}" },
  "access.error.builtin_role": {
    "zh-CN": "内置角色的权限不能修改（只能设置是否可由部门管理员授予）。",
    "en-US": "Built-in roles' permissions cannot be changed (only whether department administrators may hand them out).",
  },
  "access.error.decide_own": {
    "zh-CN": "不能审批自己申请的或涉及自己的例外。",
    "en-US": "You cannot decide an exception you requested or one that concerns you.",
  },
  "access.error.not_pending": { "zh-CN": "该例外申请已处理。", "en-US": "This exception request was already decided." },
});
