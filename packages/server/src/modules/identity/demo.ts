import { systemActor } from "../../platform/actor.ts";
import type { DemoContext } from "../../platform/module.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { createUser } from "./commands.ts";

const PEOPLE: { username: string; displayName: string; dept: string; jobTitle: string; roles: { role: string; dept?: string }[] }[] = [
  { username: "it.zhou", displayName: "周敏 Zhou Min", dept: "IT", jobTitle: "系统管理员 System administrator", roles: [{ role: "system_admin" }] },
  { username: "prod.zhang", displayName: "张伟 Zhang Wei", dept: "PROD", jobTitle: "生产部经理 Production manager", roles: [{ role: "dept_manager", dept: "PROD" }] },
  { username: "prod.admin", displayName: "刘洋 Liu Yang", dept: "PROD", jobTitle: "生产部系统管理员 Production dept. administrator", roles: [{ role: "dept_admin", dept: "PROD" }] },
  { username: "ws1.li", displayName: "李娜 Li Na", dept: "WS1", jobTitle: "总装线班长 Assembly line lead", roles: [{ role: "operator", dept: "WS1" }] },
  { username: "ws2.wang", displayName: "王强 Wang Qiang", dept: "WS2", jobTitle: "机加工操作员 Machinist", roles: [{ role: "operator", dept: "WS2" }] },
  { username: "pur.chen", displayName: "陈静 Chen Jing", dept: "PUR", jobTitle: "采购员 Buyer", roles: [{ role: "operator", dept: "PUR" }] },
  { username: "pur.zhao", displayName: "赵磊 Zhao Lei", dept: "PUR", jobTitle: "采购部经理 Purchasing manager", roles: [{ role: "dept_manager", dept: "PUR" }] },
  { username: "wh.sun", displayName: "孙丽 Sun Li", dept: "WH", jobTitle: "仓管员 Storekeeper", roles: [{ role: "storekeeper", dept: "WH" }] },
  { username: "fin.wu", displayName: "吴芳 Wu Fang", dept: "FIN", jobTitle: "会计 Accountant", roles: [{ role: "operator", dept: "FIN" }] },
  { username: "audit.huang", displayName: "黄涛 Huang Tao", dept: "AUDIT", jobTitle: "内审员 Internal auditor", roles: [{ role: "auditor" }] },
  { username: "sales.xu", displayName: "徐婷 Xu Ting", dept: "SALES", jobTitle: "销售代表 Sales representative", roles: [{ role: "readonly", dept: "SALES" }] },
];

/** People in every built-in role across departments, each with a one-time password to change at first login. */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const actor = systemActor("demo-seed", demo.companyId as number);
  const depts = demo.departments as Record<string, number>;
  const logins: { username: string; password: string; roles: string }[] = [];
  for (const p of PEOPLE) {
    const u = await execute(
      runtime,
      createUser,
      {
        username: p.username,
        displayName: p.displayName,
        departmentId: depts[p.dept],
        jobTitle: p.jobTitle,
        roles: p.roles.map((r) => (r.dept ? { role: r.role, departmentId: depts[r.dept] } : { role: r.role })),
      },
      actor,
    );
    logins.push({ username: p.username, password: u.oneTimePassword, roles: p.roles.map((r) => r.role).join(",") });
  }
  demo.logins = logins;
}
