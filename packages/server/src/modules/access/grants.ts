import { type Executor, one, sql, textArray } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { BUILTIN_ROLES, expandPermissions } from "./builtin-roles.ts";

/** Gives a user roles (by code), each optionally limited to a department subtree. */
export async function assignRoles(
  tx: Executor,
  companyId: number,
  userId: number,
  roles: { role: string; departmentId?: number }[],
  grantedBy: number | null,
): Promise<void> {
  for (const [i, r] of roles.entries()) {
    const role = await one<{ id: number }>(
      tx,
      sql`select id from role where code = ${r.role} and (company_id is null or company_id = ${companyId})
          order by company_id nulls last limit 1`,
    );
    if (!role) throw errors.field(`/roles/${i}/role`, "exists", "identity.user.unknown_role", { code: r.role });
    await tx.execute(sql`insert into user_role (user_id, role_id, department_id, granted_by)
        values (${userId}, ${role.id}, ${r.departmentId ?? null}, ${grantedBy})`);
  }
}

/** Creates or refreshes the built-in roles from the permissions the modules declare now. */
export async function syncBuiltinRoles(runtime: Runtime, tx: Executor): Promise<void> {
  const declared = runtime.permissions.keys();
  const keys = [...declared];
  for (const r of BUILTIN_ROLES) {
    const perms = expandPermissions(r.permissions, keys);
    // `delegable` is only a default: a system administrator's later choice survives upgrades.
    await tx.execute(sql`insert into role (company_id, code, name_zh, name_en, description_zh, description_en, builtin, permissions, delegable)
        values (null, ${r.code}, ${r.name["zh-CN"]}, ${r.name["en-US"]}, ${r.description["zh-CN"]}, ${r.description["en-US"]}, true,
                ${textArray(perms)}, ${r.delegable ?? false})
        on conflict ((coalesce(company_id, 0)), code) do update set permissions = excluded.permissions,
          name_zh = excluded.name_zh, name_en = excluded.name_en,
          description_zh = excluded.description_zh, description_en = excluded.description_en`);
  }
}
