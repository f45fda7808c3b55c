import { systemActor } from "../../platform/actor.ts";
import type { DemoContext } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { createSodRule } from "./commands.ts";

/** Segregation-of-duties rules of the demo company (the usual pairs of an internal-control manual). */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const actor = systemActor("demo-seed", demo.companyId as number);
  const rules = [
    { code: "SUPPLIER-PAYMENT", nameZh: "新建供应商 / 批准付款", nameEn: "Create supplier / approve payment", sideA: ["masterdata.partner.create"], sideB: ["finance.payment.approve"] },
    { code: "PO-CREATE-APPROVE", nameZh: "创建采购订单 / 批准采购订单", nameEn: "Create purchase order / approve it", sideA: ["purchasing.order.create"], sideB: ["purchasing.order.approve"] },
    { code: "JOURNAL-POST-APPROVE", nameZh: "过账凭证 / 审核凭证", nameEn: "Post journal entries / approve them", sideA: ["finance.journal.post"], sideB: ["finance.journal.approve"] },
    { code: "ADMIN-AUDIT", nameZh: "管理用户 / 审计日志", nameEn: "Administer users / audit the log", sideA: ["identity.user.create", "access.user_role.assign"], sideB: ["audit.log.read"] },
  ];
  for (const r of rules) await execute(runtime, createSodRule, r, actor);
}
