import type { Bilingual } from "../../platform/i18n.ts";

export interface BuiltinRole {
  code: string;
  name: Bilingual;
  description: Bilingual;
  /** Permission keys; "*" = all. Patterns ending in ".*" expand to every declared key with that prefix. */
  permissions: string[];
  /** May a department administrator hand it out (default; a system administrator can change it)? */
  delegable?: boolean;
}

/** Master data and stock screens without costs, prices, rates or BOM quantities (those are sensitive). */
const LOOK = [
  "masterdata.uom.read", "masterdata.item.read", "masterdata.warehouse.read", "masterdata.partner.read", "masterdata.supplier_item.read",
  "masterdata.bom.read", "masterdata.routing.read", "masterdata.workcentre.read", "inventory.stock.read",
];
/** Day-to-day stock work: receipts, issues, transfers, counting and reservations (approval of counts is not). */
const STOCK_WORK = [
  "inventory.receipt.edit", "inventory.receipt.post", "inventory.issue.edit", "inventory.issue.post", "inventory.transfer.edit",
  "inventory.transfer.post", "inventory.count.edit", "inventory.reservation.edit",
];
/** What a manager reads besides: costs, prices, rates, recipes and stock values. */
const SENSITIVE_READ = [
  "masterdata.item.cost.read", "masterdata.supplier_item.price.read", "masterdata.workcentre.rate.read", "masterdata.bom.quantity.read",
  "inventory.value.read",
];

/** The duties of the seed's 职责分工, each with only what it needs (least privilege, IAM-4). */
export const BUILTIN_ROLES: BuiltinRole[] = [
  {
    code: "super_admin",
    name: { "zh-CN": "超级管理员", "en-US": "Super administrator" },
    description: { "zh-CN": "拥有全部权限，仅用于初始化与应急。", "en-US": "Every permission; for setup and emergencies only." },
    permissions: ["*"],
  },
  {
    code: "system_admin",
    name: { "zh-CN": "系统管理员", "en-US": "System administrator" },
    description: { "zh-CN": "系统设置、用户、备份与性能。", "en-US": "Settings, users, backups and performance." },
    // Handles security events and runs integrity checks, but reading the log itself is the auditors' (segregation of duties).
    permissions: ["org.*", "identity.*", "access.*", "ops.*", "system.*", "workflow.*", "audit.security.*", "audit.log.verify"],
  },
  {
    code: "dept_admin",
    name: { "zh-CN": "部门管理员", "en-US": "Department administrator" },
    description: { "zh-CN": "管理本部门用户，处理本部门的系统使用问题。", "en-US": "Manages their department's users and its use of the system." },
    // The master data reads too: an administrator hands out only what they hold, and operators need them.
    permissions: [
      "org.read", "identity.user.read", "identity.user.create", "identity.user.edit", "identity.user.disable", "identity.user.reset_password",
      ...LOOK,
    ],
  },
  {
    code: "dept_manager",
    name: { "zh-CN": "部门负责人", "en-US": "Department manager" },
    description: { "zh-CN": "监督本部门业务，审批并查看报表。", "en-US": "Supervises the department's work, approves, reads reports." },
    permissions: [
      "org.read", "identity.user.read", "access.temporary.read", "access.review.read", "access.review.decide",
      ...LOOK, ...SENSITIVE_READ, "masterdata.export", "inventory.count.approve", "inventory.document.reverse",
      "planning.plan.read", "production.order.read", "purchasing.requisition.read",
    ],
  },
  {
    code: "operator",
    name: { "zh-CN": "操作员", "en-US": "Operator" },
    description: { "zh-CN": "录入和处理业务数据，对数据准确性负责。", "en-US": "Enters and processes business data and owns its accuracy." },
    permissions: ["org.read", ...LOOK],
    delegable: true,
  },
  {
    code: "storekeeper",
    name: { "zh-CN": "仓管员", "en-US": "Storekeeper" },
    description: {
      "zh-CN": "收货、发料、调拨、盘点与预留，导出库存清单；看不到成本与金额。",
      "en-US": "Receives, issues, transfers, counts and reserves stock and exports its lists; sees no costs or values.",
    },
    permissions: ["org.read", ...LOOK, ...STOCK_WORK, "masterdata.export"],
  },
  {
    code: "planner",
    name: { "zh-CN": "计划员", "en-US": "Planner" },
    description: {
      "zh-CN": "维护需求预测，运行 MRP 与模拟，把计划订单转为生产订单和请购单。",
      "en-US": "Maintains forecasts, runs MRP and what-ifs, converts planned orders to production orders and requisitions.",
    },
    permissions: ["org.read", ...LOOK, "planning.*", "production.order.read", "purchasing.requisition.read"],
    delegable: true,
  },
  {
    code: "auditor",
    name: { "zh-CN": "审计员", "en-US": "Auditor" },
    description: { "zh-CN": "只读，查阅日志与权限审查。", "en-US": "Read-only: logs and access reviews." },
    permissions: [
      "org.read", "identity.user.read", "audit.log.read", "ops.backup.read", "ops.maintenance.read", "workflow.chain.read", "workflow.request.read",
      "identity.registration.read", "access.temporary.read", "audit.log.verify", "audit.security.read", "access.token.read",
      "access.review.read", "access.sod.read", "access.role.read",
    ],
  },
  {
    code: "readonly",
    name: { "zh-CN": "只读用户", "en-US": "Read-only user" },
    description: { "zh-CN": "只能查看。", "en-US": "May only look." },
    permissions: ["org.read", ...LOOK],
    delegable: true,
  },
];

/** Expands "module.*" patterns against the permission keys the modules declare. */
export function expandPermissions(patterns: string[], declared: Iterable<string>): string[] {
  const keys = [...declared];
  const out = new Set<string>();
  for (const p of patterns) {
    if (p === "*") {
      out.add("*");
    } else if (p.endsWith(".*")) {
      for (const k of keys) if (k.startsWith(p.slice(0, -1))) out.add(k);
    } else {
      out.add(p);
    }
  }
  return [...out].sort();
}
