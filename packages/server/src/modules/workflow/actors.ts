import type { Actor } from "../../platform/actor.ts";
import { type Executor, one, sql } from "../../platform/db/database.ts";
import { grantsToPermissions } from "../identity/sessions.ts";

/**
 * A person as an actor with the permissions they hold right now, for work done in their name outside a
 * request (the demo seed submits its sample requests as the people who would make them).
 */
export async function userActor(db: Executor, userId: number): Promise<Actor> {
  // The same grants and data scopes as a session of theirs would have (identity/sessions.ts).
  const u = await one<{ id: number; display_name: string; company_id: number; department_id: number | null; locale: string; grants: { p: string[]; d: number[] | null }[] }>(
    db,
    sql`select u.id, u.display_name, u.company_id, u.department_id, u.locale,
          coalesce((select jsonb_agg(jsonb_build_object('p', r.permissions, 'w', ur.warehouse_id, 'd',
                      case when ur.department_id is null then null else (
                        with recursive t(id) as (select ur.department_id union all select d.id from department d join t on d.parent_id = t.id)
                        select jsonb_agg(id) from t) end))
                    from user_role ur join role r on r.id = ur.role_id
                    where ur.user_id = u.id and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())), '[]'::jsonb) as grants
        from app_user u where u.id = ${userId} and u.status = 'active'`,
  );
  if (!u) throw new Error(`user ${userId} is not an active user`);
  return {
    kind: "user",
    id: u.id,
    name: u.display_name,
    companyId: u.company_id,
    departmentId: u.department_id,
    ...grantsToPermissions(u.grants),
    lang: u.locale === "en-US" ? "en-US" : "zh-CN",
  };
}
