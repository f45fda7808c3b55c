import type { DemoContext } from "../../../platform/module.ts";
import { one, sql } from "../../../platform/db/database.ts";
import { systemActor } from "../../../platform/actor.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { userActor } from "../../workflow/actors.ts";
import { approve } from "../../workflow/commands.ts";
import { requestGrant, setGrantable } from "./commands.ts";

const DAY = 86_400_000;

/**
 * Grantable roles, an approved temporary grant in force now (the buyer Chen Jing may read the
 * warehouse's data for a week, approved by the purchasing manager) and one waiting for the production
 * manager (Wang Qiang helps on the assembly line). Needs the temporary-access chain and the managers.
 */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const db = runtime.database.db;
  const companyId = demo.companyId as number;
  const depts = demo.departments as Record<string, number>;
  const admin = systemActor("demo-seed", companyId);
  const roleId = async (code: string) => (await one<{ id: number }>(db, sql`select id from role where code = ${code} and company_id is null`))!.id;
  const userId = async (username: string) => (await one<{ id: number }>(db, sql`select id from app_user where username = ${username}`))!.id;
  for (const [code, maxDays] of [["readonly", 30], ["operator", 30], ["auditor", 14]] as const) {
    await execute(runtime, setGrantable, { roleId: await roleId(code), grantable: true, maxDays }, admin);
  }
  const now = Date.now();
  const chen = await userActor(db, await userId("pur.chen"));
  const granted = await execute(
    runtime,
    requestGrant,
    {
      roleId: await roleId("readonly"),
      departmentId: depts.WH,
      validFrom: new Date(now).toISOString(),
      validUntil: new Date(now + 7 * DAY).toISOString(),
      reason: "下单前核对仓库现有库存与在途 / Check warehouse stock and receipts due before ordering",
    },
    chen,
    { requestId: "demo-seed" },
  );
  const zhao = await userActor(db, await userId("pur.zhao"));
  await execute(runtime, approve, { requestId: granted.approvalRequestId, level: 1, comment: "同意，仅限一周 / Agreed, for one week" }, zhao, {
    requestId: "demo-seed",
  });
  const wang = await userActor(db, await userId("ws2.wang"));
  await execute(
    runtime,
    requestGrant,
    {
      roleId: await roleId("operator"),
      departmentId: depts.WS1,
      validFrom: new Date(now + DAY).toISOString(),
      validUntil: new Date(now + 15 * DAY).toISOString(),
      reason: "支援一车间总装线两周，需要报工 / Helping the assembly line for two weeks; needs to report work",
    },
    wang,
    { requestId: "demo-seed" },
  );
}
