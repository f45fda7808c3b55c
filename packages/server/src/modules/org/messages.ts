import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "org.error.no_company": { "zh-CN": "当前用户不属于任何公司。", "en-US": "The current user belongs to no company." },
  "org.error.no_such_department": { "zh-CN": "部门不存在", "en-US": "is not an existing department" },
  "org.error.no_such_calendar": { "zh-CN": "日历不存在", "en-US": "is not an existing calendar" },
  "org.error.active_children": {
    "zh-CN": "该部门下仍有启用的子部门，请先停用或移走它们。",
    "en-US": "This department still has active sub-departments; deactivate or move them first.",
  },
  "constraint.department_no_cycle": {
    "zh-CN": "不能把部门移到它自己的下级部门之下。",
    "en-US": "A department cannot be moved under one of its own sub-departments.",
  },
  "org.error.day_range": { "zh-CN": "日期范围应在 0 到 1100 天之间", "en-US": "must give a range of 0 to 1100 days" },
});
