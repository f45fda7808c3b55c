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

// Readable names of this module's commands on the audit screen (modules/audit/actions.ts reads `action.<name>`).
registerMessages({
  "action.planning.forecast.set": { "zh-CN": "维护需求预测", "en-US": "Set forecasts" },
  "action.planning.item.set": { "zh-CN": "设置物料计划员与计划组", "en-US": "Set an item's planner and group" },
  "action.planning.run.start": { "zh-CN": "启动 MRP 运算", "en-US": "Start an MRP run" },
  "action.planning.run.begin": { "zh-CN": "MRP 运算开始计算", "en-US": "MRP run starts computing" },
  "action.planning.run.store": { "zh-CN": "保存 MRP 计划结果", "en-US": "Store an MRP plan" },
  "action.planning.run.fail": { "zh-CN": "MRP 运算失败", "en-US": "MRP run failed" },
  "action.planning.whatif.create": { "zh-CN": "创建模拟（What-if）版本", "en-US": "Create a what-if version" },
  "action.planning.order.firm": { "zh-CN": "确认计划订单", "en-US": "Firm planned orders" },
  "action.planning.order.convert": { "zh-CN": "计划订单转生产订单/请购单", "en-US": "Convert planned orders to production orders / requisitions" },
});
