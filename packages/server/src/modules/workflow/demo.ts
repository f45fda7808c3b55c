import { systemActor } from "../../platform/actor.ts";
import { one, sql } from "../../platform/db/database.ts";
import type { DemoContext } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { seedDemo as seedTemporaryGrants } from "../access/temporary/demo.ts";
import { createUser } from "../identity/commands.ts";
import { seedDemo as seedRegistration } from "../identity/registration/demo.ts";
import { updateDepartment } from "../org/commands.ts";
import { userActor } from "./actors.ts";
import { createChain, createDelegation } from "./commands.ts";

const MANAGERS: [dept: string, username: string][] = [
  ["GM", "gm.lin"],
  ["PROD", "prod.zhang"],
  ["PUR", "pur.zhao"],
  ["FIN", "fin.he"],
];

/**
 * The demo company's approvals: a finance manager and a general manager (so the purchase-order chain
 * has someone at every level), department managers, the chains for account applications, temporary
 * access and purchase orders (10,000 / 100,000 thresholds), a planned absence with a stand-in, then the
 * sample application and temporary grants (which need all of that first).
 */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const db = runtime.database.db;
  const companyId = demo.companyId as number;
  const depts = demo.departments as Record<string, number>;
  const actor = systemActor("demo-seed", companyId);
  if (!demo.logins) demo.logins = [];
  const logins = demo.logins as { username: string; password: string; roles: string }[];

  for (const p of [
    { username: "fin.he", displayName: "何静 He Jing", dept: "FIN", jobTitle: "财务经理 Finance manager" },
    { username: "gm.lin", displayName: "林国栋 Lin Guodong", dept: "GM", jobTitle: "总经理 General manager" },
  ]) {
    const u = await execute(
      runtime,
      createUser,
      { username: p.username, displayName: p.displayName, departmentId: depts[p.dept], jobTitle: p.jobTitle, roles: [{ role: "dept_manager", departmentId: depts[p.dept] }] },
      actor,
    );
    logins.push({ username: p.username, password: u.oneTimePassword, roles: "dept_manager" });
  }
  const userId = async (username: string) => (await one<{ id: number }>(db, sql`select id from app_user where username = ${username}`))!.id;
  for (const [dept, username] of MANAGERS) {
    const d = await one<{ version: number }>(db, sql`select version from department where id = ${depts[dept]}`);
    await execute(runtime, updateDepartment, { id: depts[dept], version: d!.version, managerUserId: await userId(username) }, actor);
  }
  const deptAdmin = await one<{ id: number }>(db, sql`select id from role where code = 'dept_admin' and company_id is null`);

  await execute(
    runtime,
    createChain,
    {
      docType: "identity.registration",
      nameZh: "账号注册审批",
      nameEn: "Account application approval",
      levels: [
        { nameZh: "部门管理员审核", nameEn: "Department administrator", approverKind: "role", roleId: deptAdmin!.id, escalateAfterHours: 48 },
      ],
      note: "演示数据 / demo data",
    },
    actor,
  );
  await execute(
    runtime,
    createChain,
    {
      docType: "access.temporary_grant",
      nameZh: "临时权限审批",
      nameEn: "Temporary access approval",
      levels: [{ nameZh: "直属上级审批", nameEn: "Superior", approverKind: "superior", escalateAfterHours: 24 }],
      note: "演示数据 / demo data",
    },
    actor,
  );
  await execute(
    runtime,
    createChain,
    {
      docType: "purchasing.order",
      nameZh: "采购订单审批",
      nameEn: "Purchase order approval",
      levels: [
        { nameZh: "申请部门负责人", nameEn: "Department manager", approverKind: "department_manager", escalateAfterHours: 48 },
        {
          nameZh: "财务经理",
          nameEn: "Finance manager",
          approverKind: "department_manager",
          departmentId: depts.FIN,
          minAmount: "10000",
          escalateAfterHours: 48,
        },
        { nameZh: "总经理", nameEn: "General manager", approverKind: "department_manager", departmentId: depts.GM, minAmount: "100000", escalateAfterHours: 72 },
      ],
      note: "演示数据 / demo data",
    },
    actor,
  );

  // The purchasing manager's holiday next month: his purchase orders go to the general manager.
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  await execute(
    runtime,
    createDelegation,
    { toUserId: await userId("gm.lin"), startsOn: day(30), endsOn: day(37), docType: "purchasing.order", reason: "年假 / Annual leave" },
    await userActor(db, await userId("pur.zhao")),
    { requestId: "demo-seed" },
  );

  await seedRegistration(runtime, demo);
  await seedTemporaryGrants(runtime, demo);
}
