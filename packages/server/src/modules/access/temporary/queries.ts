import { sql } from "drizzle-orm";
import { type Actor, can } from "../../../platform/actor.ts";
import { type Executor, rows } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../../platform/listing.ts";
import { scopeCondition } from "../../../platform/scope.ts";
import { P } from "./permissions.ts";

export function grantableRoles(db: Executor, companyId: number) {
  return rows(
    db,
    sql`select r.id as "roleId", r.code, r.name_zh as "nameZh", r.name_en as "nameEn", r.description_zh as "descriptionZh",
          r.description_en as "descriptionEn", r.permissions, g.max_days as "maxDays"
        from grantable_role g join role r on r.id = g.role_id where g.company_id = ${companyId} order by r.code`,
  );
}

// What a grant is now, from its status, its role row (the truth once granted) and the clock.
const state = sql`case when g.status = 'approved' and g.valid_until <= now() then 'expired'
  when g.status = 'approved' and (ur.id is null or ur.valid_until <= now()) then 'ended'
  when g.status = 'approved' and coalesce(ur.valid_from, g.valid_from) > now() then 'upcoming'
  when g.status = 'approved' then 'active' else g.status end`;

export type GrantScope = "mine" | "all";

/** My temporary access requests, or (access.temporary.read) everyone's; `state=current` lists holders now and soon. */
export function listGrants(db: Executor, actor: Actor, params: ListParams & { scope?: GrantScope; state?: string }) {
  const scope = params.scope ?? "mine";
  if (scope === "all" && !can(actor, P.read)) throw errors.forbidden(P.read);
  const where = [sql`g.company_id = ${actor.companyId}`];
  if (scope === "mine") where.push(sql`g.user_id = ${actor.id}`);
  // Readers see the people of the departments their role covers (IAM-5).
  else where.push(scopeCondition(actor, P.read, sql`u.department_id`));
  if (params.state === "current") where.push(sql`g.status = 'approved' and g.valid_until > now() and ur.valid_until > now()`);
  else if (params.state) where.push(sql`${state} = ${params.state}`);
  if (params.q) {
    const p = likePattern(params.q);
    where.push(sql`(u.display_name ilike ${p} or u.username ilike ${p} or r.code ilike ${p} or r.name_zh ilike ${p} or r.name_en ilike ${p})`);
  }
  return listPage(db, {
    columns: sql`g.id, g.user_id as "userId", u.display_name as "userName", u.username, ud.name_zh as "userDepartmentNameZh",
      ud.name_en as "userDepartmentNameEn", g.role_id as "roleId", r.code as "roleCode", r.name_zh as "roleNameZh", r.name_en as "roleNameEn",
      g.department_id as "departmentId", d.name_zh as "scopeNameZh", d.name_en as "scopeNameEn",
      coalesce(ur.valid_from, g.valid_from) as "validFrom",
      g.valid_until as "validUntil", g.reason, g.status, ${state} as state, g.created_at as "createdAt", g.decided_at as "decidedAt",
      g.ended_at as "endedAt", g.end_reason as "endReason", g.approval_request_id as "requestId", ar.number as "requestNumber",
      ar.current_level as "currentLevel", g.version`,
    from: sql`temporary_grant g join app_user u on u.id = g.user_id join role r on r.id = g.role_id
      left join department ud on ud.id = u.department_id left join department d on d.id = g.department_id
      left join approval_request ar on ar.id = g.approval_request_id left join user_role ur on ur.id = g.user_role_id`,
    where: sql.join(where, sql` and `),
    sortable: { createdAt: sql`g.created_at`, validFrom: sql`g.valid_from`, validUntil: sql`g.valid_until`, userName: sql`u.display_name` },
    defaultSort: params.state === "current" ? "validUntil" : "-createdAt",
    params,
  });
}
