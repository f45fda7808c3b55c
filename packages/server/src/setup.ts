import { systemActor } from "./platform/actor.ts";
import { one, sql } from "./platform/db/database.ts";
import type { DemoContext } from "./platform/module.ts";
import { execute } from "./platform/pipeline.ts";
import type { Runtime } from "./platform/runtime.ts";
import { syncBuiltinRoles } from "./modules/access/grants.ts";
import { createUser } from "./modules/identity/commands.ts";
import { createCompany } from "./modules/org/commands.ts";

export interface InstallResult {
  installed: boolean;
  admin?: { username: string; password: string };
  demoLogins?: { username: string; password: string; roles: string }[];
}

export async function isInstalled(runtime: Runtime): Promise<boolean> {
  return Boolean(await one(runtime.database.db, sql`select 1 from company limit 1`));
}

/**
 * First start: the company, the built-in roles and the first administrator (a random one-time
 * password, changed at first login); with `demo`, each module's part of the bilingual demo company.
 * Later starts only refresh the built-in roles from the permissions the modules now declare.
 */
export async function ensureInstalled(runtime: Runtime, opts: { demo: boolean; onStep?: (step: string) => void }): Promise<InstallResult> {
  await runtime.database.db.transaction((tx) => syncBuiltinRoles(runtime, tx));
  if (await isInstalled(runtime)) return { installed: false };
  const system = systemActor("setup");
  opts.onStep?.("company");
  const company = await execute(
    runtime,
    createCompany,
    opts.demo
      ? { code: "KAIWU", nameZh: "开物示范制造有限公司", nameEn: "Kaiwu Demo Manufacturing Co., Ltd." }
      : { code: "COMPANY", nameZh: "我的公司", nameEn: "My Company" },
    system,
  );
  const actor = systemActor("setup", company.id);
  const admin = await execute(runtime, createUser, { username: "admin", displayName: "系统管理员 Administrator", roles: [{ role: "super_admin" }] }, actor);
  const result: InstallResult = { installed: true, admin: { username: "admin", password: admin.oneTimePassword } };
  if (opts.demo) {
    const demo: DemoContext = { companyId: company.id };
    for (const m of runtime.modules) {
      if (!m.seedDemo) continue;
      opts.onStep?.(`demo: ${m.name}`);
      await m.seedDemo(runtime, demo);
    }
    result.demoLogins = demo.logins as InstallResult["demoLogins"];
  }
  return result;
}
