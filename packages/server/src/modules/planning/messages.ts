import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "planning.error.no_calendar": {
    "zh-CN": "没有可用的工作日历，请先在组织设置中建立默认日历。",
    "en-US": "There is no working calendar; set up a default calendar in the organisation settings first.",
  },
  "planning.error.no_working_days": { "zh-CN": "计划期间内没有工作日", "en-US": "The planning horizon has no working days" },
  "planning.error.no_such_item": { "zh-CN": "物料不存在", "en-US": "is not an existing item" },
  "planning.error.no_such_user": { "zh-CN": "用户不存在", "en-US": "is not an existing user" },
  "planning.error.quantity": { "zh-CN": "数量不能为负数", "en-US": "must not be negative" },
  "planning.error.run_in_progress": {
    "zh-CN": "已有一个 MRP 运行正在进行，请等待它完成。",
    "en-US": "An MRP run is already in progress; wait for it to finish.",
  },
  "planning.error.version_not_done": { "zh-CN": "计划版本 {code} 尚未完成运行", "en-US": "Plan version {code} has not finished running" },
  "planning.error.what_if_convert": {
    "zh-CN": "模拟版本 {code} 的计划订单不能下达，请在正式版本中转换。",
    "en-US": "Planned orders of the what-if version {code} cannot be converted; convert them in a regenerative version.",
  },
  "planning.error.no_such_order": { "zh-CN": "计划订单 {order} 不在版本中", "en-US": "planned order {order} is not in the version" },
  "planning.error.already_converted": { "zh-CN": "计划订单 {order} 已转换", "en-US": "planned order {order} is converted already" },
  "planning.error.engine": { "zh-CN": "MRP 输入有误：{message}", "en-US": "MRP input is invalid: {message}" },
  "planning.error.period": { "zh-CN": "期间超出计划范围 1..{periods}", "en-US": "is outside the plan's periods 1..{periods}" },
  "planning.error.item_not_in_plan": { "zh-CN": "物料不在该计划版本中", "en-US": "is not in the plan version" },
});
