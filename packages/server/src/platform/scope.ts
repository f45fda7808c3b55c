import { type SQL, sql } from "drizzle-orm";
import { type Actor, scopeOf } from "./actor.ts";

/**
 * The SQL condition that keeps a query within the actor's data scope for `permission` (IAM-5):
 * `true` when company-wide, else the row's department must be one the actor's roles cover.
 * Rows outside the scope are simply absent, so a detail outside it answers 404, not 403.
 */
export function scopeCondition(actor: Actor, permission: string, departmentColumn: SQL): SQL {
  const s = scopeOf(actor, permission);
  if (s.all) return sql`true`;
  if (s.departments.length === 0) return sql`false`;
  return sql`${departmentColumn} in (${sql.join(
    s.departments.map((d) => sql`${d}`),
    sql`, `,
  )})`;
}
