import { type Executor, one, sql } from "../../platform/db/database.ts";

/**
 * Who reviews a person's access: the manager of their department, or — when there is none, or it is
 * the person themselves — the manager of the next department up. `above` skips that many levels of
 * managers (escalation). Null when nobody is left: the review administrators take the item.
 */
export async function reviewerFor(tx: Executor, userId: number, departmentId: number | null, above = 0): Promise<number | null> {
  if (departmentId === null) return null;
  const r = await one<{ manager: number | null }>(
    tx,
    sql`with recursive up(id, parent_id, manager_user_id, depth) as (
          select id, parent_id, manager_user_id, 0 from department where id = ${departmentId}
          union all
          select d.id, d.parent_id, d.manager_user_id, up.depth + 1 from department d join up on d.id = up.parent_id where up.depth < 50)
        select manager_user_id as manager from up
        where manager_user_id is not null and manager_user_id <> ${userId}
          and exists (select 1 from app_user u where u.id = manager_user_id and u.status = 'active')
        order by depth offset ${above} limit 1`,
  );
  return r?.manager ?? null;
}
