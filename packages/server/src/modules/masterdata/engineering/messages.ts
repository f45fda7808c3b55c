import { registerMessages } from "../../../platform/i18n.ts";

registerMessages({
  "masterdata.error.no_company": { "zh-CN": "当前用户不属于任何公司。", "en-US": "The current user belongs to no company." },
  "masterdata.error.no_such_item": { "zh-CN": "物料不存在", "en-US": "is not an existing item" },
  "masterdata.error.item_not_usable": {
    "zh-CN": "物料 {code} 已冻结或作废，不能使用",
    "en-US": "is item {code}, which is blocked or obsolete and cannot be used",
  },
  "masterdata.error.no_such_uom": { "zh-CN": "计量单位不存在", "en-US": "is not an existing unit of measure" },
  "masterdata.error.uom_not_convertible": {
    "zh-CN": "不能换算为物料 {code} 的基本单位 {uom}",
    "en-US": "cannot be converted to item {code}'s base unit {uom}",
  },
  "masterdata.error.positive": { "zh-CN": "必须大于 0", "en-US": "must be greater than 0" },
  "masterdata.error.not_negative": { "zh-CN": "不能为负数", "en-US": "must not be negative" },
  "masterdata.error.scrap_range": { "zh-CN": "损耗率应在 0 到 100 之间（不含 100）", "en-US": "must be from 0 up to (not including) 100" },
  "masterdata.error.by_product_scrap": { "zh-CN": "联副产品不计损耗", "en-US": "must be 0 on a by-product" },
  "masterdata.error.phantom_by_product": {
    "zh-CN": "虚拟件不能同时是联副产品",
    "en-US": "cannot be set together with phantom",
  },
  "masterdata.error.date_order": { "zh-CN": "必须晚于生效日期", "en-US": "must be after the effective-from date" },
  "masterdata.error.duplicate": { "zh-CN": "与第 {other} 行重复", "en-US": "repeats row {other}" },
  "masterdata.error.self_component": { "zh-CN": "不能把父项物料自身用作子件", "en-US": "cannot be the parent item itself" },
  "masterdata.error.bom_cycle": {
    "zh-CN": "BOM 不能包含自身（循环引用）：{path}",
    "en-US": "A bill of materials cannot contain itself (cycle): {path}",
  },
  "masterdata.error.bom_cycle_field": { "zh-CN": "形成循环：{path}", "en-US": "closes the cycle {path}" },
  "masterdata.error.bom_overlap": {
    "zh-CN": "该物料已有生效的 BOM 版本 {version}（{from} 至 {to}），与本版本的有效期重叠。",
    "en-US": "Version {version} of this item's BOM is already active from {from} to {to}, overlapping this version's dates.",
  },
  "masterdata.error.routing_overlap": {
    "zh-CN": "该物料已有生效的工艺路线版本 {version}（{from} 至 {to}），与本版本的有效期重叠。",
    "en-US": "Version {version} of this item's routing is already active from {from} to {to}, overlapping this version's dates.",
  },
  "masterdata.error.not_draft": {
    "zh-CN": "只有草稿状态的版本可以修改或删除（当前状态：{status}）。请复制为新版本后再修改。",
    "en-US": "Only a draft version can be edited or deleted (this one is {status}). Copy it to a new version to make changes.",
  },
  "masterdata.error.not_active": {
    "zh-CN": "只有已生效的版本可以作废（当前状态：{status}）。",
    "en-US": "Only an active version can be made obsolete (this one is {status}).",
  },
  "masterdata.error.bom_empty": {
    "zh-CN": "BOM 至少需要一行非联副产品的子件才能生效。",
    "en-US": "A bill of materials needs at least one component line (not a by-product) to be activated.",
  },
  "masterdata.error.routing_empty": {
    "zh-CN": "工艺路线至少需要一道工序才能生效。",
    "en-US": "A routing needs at least one operation to be activated.",
  },
  "masterdata.error.components_not_usable": {
    "zh-CN": "以下子件已冻结或作废，不能发布：{codes}",
    "en-US": "These components are blocked or obsolete, so the BOM cannot be released: {codes}",
  },
  "masterdata.error.work_centres_inactive": {
    "zh-CN": "以下工作中心已停用，不能发布：{codes}",
    "en-US": "These work centres are inactive, so the routing cannot be released: {codes}",
  },
  "masterdata.error.quantity_permission": {
    "zh-CN": "修改 BOM 行需要查看用量的权限（{permission}）。",
    "en-US": "Editing BOM lines needs the permission to see quantities ({permission}).",
  },
  "masterdata.error.too_many_rows": {
    "zh-CN": "展开结果超过 {limit} 行，请减少层数或使用汇总展开。",
    "en-US": "The explosion would exceed {limit} rows; limit the levels or use the summarised explosion.",
  },
  "masterdata.error.no_bom": {
    "zh-CN": "物料 {code} 在 {date} 没有生效的 BOM。",
    "en-US": "Item {code} has no active bill of materials on {date}.",
  },
  "masterdata.error.no_such_bom": { "zh-CN": "BOM 不存在", "en-US": "is not an existing bill of materials" },
  "masterdata.error.bom_item_mismatch": { "zh-CN": "该 BOM 不属于所选物料", "en-US": "is a bill of materials of another item" },
  "masterdata.error.no_such_workshop": { "zh-CN": "车间不存在", "en-US": "is not an existing workshop" },
  "masterdata.error.no_such_line": { "zh-CN": "生产线不存在或不属于该车间", "en-US": "is not a production line of this workshop" },
  "masterdata.error.no_such_work_centre": { "zh-CN": "工作中心不存在", "en-US": "is not an existing work centre" },
  "masterdata.error.work_centre_inactive": { "zh-CN": "工作中心 {code} 已停用", "en-US": "is work centre {code}, which is inactive" },
  "masterdata.error.no_such_skill": { "zh-CN": "技能不存在", "en-US": "is not an existing skill" },
  "masterdata.error.no_such_department": { "zh-CN": "部门不存在", "en-US": "is not an existing department" },
  "masterdata.error.no_such_calendar": { "zh-CN": "日历不存在", "en-US": "is not an existing calendar" },
  "masterdata.error.skill_people": {
    "zh-CN": "掌握该技能的人数不能超过工作中心人数 {people}",
    "en-US": "cannot exceed the work centre's {people} people",
  },
  "masterdata.error.skill_missing": {
    "zh-CN": "工作中心 {code} 没有掌握所需技能 {skill} 的人员",
    "en-US": "work centre {code} has nobody with the required skill {skill}",
  },
  "masterdata.error.crew_too_large": {
    "zh-CN": "作业人数超过工作中心 {code} 的 {people} 人",
    "en-US": "is more people than work centre {code} has ({people})",
  },
  "masterdata.error.alternative_is_primary": { "zh-CN": "替代工作中心不能是主工作中心", "en-US": "cannot be the operation's own work centre" },
  "masterdata.error.operation_time": { "zh-CN": "准备时间和单件加工时间不能都为 0", "en-US": "setup and run time cannot both be 0" },
  "masterdata.error.no_calendar": {
    "zh-CN": "工作中心 {code} 没有可用的工作日历（也没有公司默认日历）。",
    "en-US": "Work centre {code} has no working calendar (and the company has no default calendar).",
  },
  "masterdata.error.workshop_has_active": {
    "zh-CN": "该车间下仍有启用的生产线或工作中心，请先停用它们。",
    "en-US": "This workshop still has active lines or work centres; deactivate them first.",
  },
  "masterdata.error.line_has_active": {
    "zh-CN": "该生产线上仍有启用的工作中心，请先停用或移走它们。",
    "en-US": "This line still has active work centres; deactivate or move them first.",
  },
  "masterdata.error.work_centre_in_use": {
    "zh-CN": "工作中心 {code} 仍被生效的工艺路线 {routings} 使用，不能停用。",
    "en-US": "Work centre {code} is still used by the active routings {routings}; it cannot be deactivated.",
  },
  "masterdata.error.skill_in_use": {
    "zh-CN": "技能仍被工作中心或生效的工艺路线使用，不能停用。",
    "en-US": "The skill is still held at work centres or required by active routings; it cannot be deactivated.",
  },
  "masterdata.error.day_range": { "zh-CN": "日期范围应在 0 到 366 天之间", "en-US": "must give a range of 0 to 366 days" },
  "constraint.bom_released_unchanged": {
    "zh-CN": "已发布的 BOM 不能修改（只能设置失效日期或作废），请复制为新版本。",
    "en-US": "A released bill of materials cannot be changed (only ended or made obsolete); copy it to a new version.",
  },
  "constraint.bom_obsolete_final": { "zh-CN": "已作废的 BOM 不能再修改。", "en-US": "An obsolete bill of materials cannot change any more." },
  "constraint.bom_status_transition": {
    "zh-CN": "BOM 状态只能由草稿→生效→作废。",
    "en-US": "A bill of materials goes from draft to active to obsolete only.",
  },
  "constraint.bom_line_not_self": { "zh-CN": "BOM 不能把父项物料自身作为子件。", "en-US": "A bill of materials cannot contain its own item." },
  "constraint.bom_effective_range": { "zh-CN": "失效日期必须晚于生效日期。", "en-US": "The end date must be after the start date." },
  "constraint.bom_line_effective_range": { "zh-CN": "BOM 行的失效日期必须晚于生效日期。", "en-US": "A line's end date must be after its start date." },
  "constraint.bom_line_phantom_by_product": { "zh-CN": "虚拟件不能同时是联副产品。", "en-US": "A line cannot be both phantom and by-product." },
  "constraint.bom_line_by_product_scrap": { "zh-CN": "联副产品不计损耗。", "en-US": "A by-product line has no scrap." },
  "constraint.routing_released_unchanged": {
    "zh-CN": "已发布的工艺路线不能修改（只能设置失效日期或作废），请复制为新版本。",
    "en-US": "A released routing cannot be changed (only ended or made obsolete); copy it to a new version.",
  },
  "constraint.routing_obsolete_final": { "zh-CN": "已作废的工艺路线不能再修改。", "en-US": "An obsolete routing cannot change any more." },
  "constraint.routing_status_transition": {
    "zh-CN": "工艺路线状态只能由草稿→生效→作废。",
    "en-US": "A routing goes from draft to active to obsolete only.",
  },
  "constraint.routing_effective_range": { "zh-CN": "失效日期必须晚于生效日期。", "en-US": "The end date must be after the start date." },
  "constraint.routing_operation_has_time": {
    "zh-CN": "工序的准备时间和单件加工时间不能都为 0。",
    "en-US": "An operation needs a setup or a run time.",
  },
  "constraint.work_centre_has_capacity": {
    "zh-CN": "工作中心至少要有一台设备或一名人员。",
    "en-US": "A work centre needs at least one machine or one person.",
  },
  "constraint.work_centre_skill_people": {
    "zh-CN": "掌握某项技能的人数不能超过工作中心的人数。",
    "en-US": "No skill can be held by more people than the work centre has.",
  },
});
