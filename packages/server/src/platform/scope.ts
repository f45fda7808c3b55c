import { type SQL, sql } from "drizzle-orm";
import { type Actor, scopeOf, warehouseScopeOf } from "./actor.ts";

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

/**
 * The warehouses an actor's `permission` is limited to, for queries' filters: null = every warehouse.
 * An empty list means none (the filter then matches nothing).
 */
export function warehouseFilter(actor: Actor, permission: string): readonly number[] | null {
  const s = warehouseScopeOf(actor, permission);
  return s.all ? null : s.warehouses;
}

/** `column in (…)` for a warehouse scope (`true` for every warehouse, `false` for none). */
export function warehouseCondition(warehouses: readonly number[] | null | undefined, column: SQL): SQL {
  if (warehouses === null || warehouses === undefined) return sql`true`;
  if (warehouses.length === 0) return sql`false`;
  return sql`${column} in (${sql.join(
    warehouses.map((w) => sql`${w}`),
    sql`, `,
  )})`;
}
