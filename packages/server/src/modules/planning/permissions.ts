import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  planRead: "planning.plan.read",
  forecastEdit: "planning.forecast.edit",
  runExecute: "planning.run.execute",
  orderConvert: "planning.order.convert",
} as const;

export const permissions: PermissionDef[] = [
  {
    key: P.planRead,
    label: { "zh-CN": "查看主生产计划、MRP 计划版本、物料需求记录、追溯与异常", "en-US": "View the MPS, MRP plan versions, item records, pegging and exceptions" },
  },
  { key: P.forecastEdit, label: { "zh-CN": "录入、修改需求预测与计划员分配", "en-US": "Enter and edit forecasts and planner assignments" } },
  { key: P.runExecute, label: { "zh-CN": "运行 MRP 与模拟（what-if）", "en-US": "Run MRP and what-if simulations" } },
  {
    key: P.orderConvert,
    label: { "zh-CN": "确认计划订单并转为生产订单或请购单", "en-US": "Firm planned orders and convert them to production orders or requisitions" },
  },
];
