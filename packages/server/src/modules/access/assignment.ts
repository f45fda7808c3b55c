import { scopeOf, warehouseScopeOf } from "../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { type FieldError, errors } from "../../platform/errors.ts";
import type { CommandContext } from "../../platform/pipeline.ts";

export interface RoleRequest {
  role: string;
  /** Limit the role to this department and below; omitted = the whole company. */
  departmentId?: number;
  /** Limit the role to this warehouse's stock, moves, documents and counts; omitted = every warehouse. */
  warehouseId?: number;
  validUntil?: string;
}

/** The company's active warehouses a role or a token can be limited to: the pickers' list. */
export function scopeWarehouseChoices(db: Executor, companyId: number) {
  return rows<{ id: number; code: string; nameZh: string; nameEn: string }>(
    db,
    sql`select w.id, w.code, w.name_zh as "nameZh", w.name_en as "nameEn" from warehouse w
        where w.company_id = ${companyId} and w.active order by w.code`,
  );
}

/** Whether a permission set contains `key` ("*" holds everything; "module.*" patterns in rules). */
export function holds(perms: ReadonlySet<string>, key: string): boolean {
  if (perms.has("*") || perms.has(key)) return true;
  if (key.endsWith(".*")) {
    const prefix = key.slice(0, -1);
    for (const p of perms) if (p.startsWith(prefix)) return true;
  }
  return false;
}

/**
 * Gives roles to a user, with the rules of delegated administration (IAM-9): nobody raises their own
 * rights; nobody hands out a role carrying permissions they do not hold themselves; an actor whose
 * `permission` is limited to departments may hand out only roles marked delegable, and only within
 * those departments. Then segregation of duties is checked on the user's resulting rights.
 */
export async function assignRolesChecked(
  ctx: CommandContext,
  permission: string,
  user: { id: number; departmentId: number | null },
  roles: RoleRequest[],
  /** Where the roles sit in the command's input, for field errors; null when the input is one role. */
  fieldPrefix: string | null = "/roles",
): Promise<number[]> {
  const { tx, actor } = ctx;
  const companyId = actor.companyId!;
  const isSystem = actor.kind === "system";
  if (!isSystem && actor.id === user.id && roles.length > 0) throw errors.rule("self_grant", "access.error.self_grant");
  const scope = scopeOf(actor, permission);
  const problems: FieldError[] = [];
  const ids: number[] = [];
  for (const [i, r] of roles.entries()) {
    const field = fieldPrefix === null ? "" : `${fieldPrefix}/${i}`;
    const role = await one<{ id: number; permissions: string[]; delegable: boolean }>(
      tx,
      sql`select id, permissions, delegable from role where code = ${r.role} and (company_id is null or company_id = ${companyId})
          order by company_id nulls last limit 1`,
    );
    if (!role) {
      problems.push({ field: `${field}/role`, rule: "exists", messageKey: "identity.user.unknown_role", params: { code: r.role } });
      continue;
    }
    if (!isSystem && !actor.permissions.has("*")) {
      const missing = role.permissions.filter((p) => !holds(actor.permissions, p));
      if (missing.length > 0) {
        problems.push({ field: `${field}/role`, rule: "exceedsOwnRights", messageKey: "access.error.exceeds_own_rights", params: { keys: missing.slice(0, 5).join(", ") } });
        continue;
      }
    }
    // The warehouse scope likewise (IAM-5): a permission the granter holds for some warehouses only goes
    // with the role only when the role is held for one of those warehouses.
    const warehouseId = r.warehouseId ?? null;
    const beyondWarehouses = role.permissions.some((p) => {
      const w = warehouseScopeOf(actor, p);
      return !w.all && (warehouseId === null || !w.warehouses.includes(warehouseId));
    });
    if (beyondWarehouses) {
      problems.push({ field: `${field}/warehouseId`, rule: "outOfScope", messageKey: "access.error.warehouse_out_of_reach" });
      continue;
    }
    let departmentId = r.departmentId ?? null;
    if (!scope.all) {
      if (!role.delegable) {
        problems.push({ field: `${field}/role`, rule: "notDelegable", messageKey: "access.error.not_delegable", params: { code: r.role } });
        continue;
      }
      departmentId ??= user.departmentId;
      if (departmentId === null || !scope.departments.includes(departmentId)) {
        problems.push({ field: `${field}/departmentId`, rule: "outOfScope", messageKey: "access.error.out_of_scope" });
        continue;
      }
    }
    if (departmentId !== null) {
      const d = await one(tx, sql`select 1 from department where id = ${departmentId} and company_id = ${companyId}`);
      if (!d) {
        problems.push({ field: `${field}/departmentId`, rule: "exists", messageKey: "org.error.no_such_department" });
        continue;
      }
    }
    if (warehouseId !== null && !(await one(tx, sql`select 1 from warehouse where id = ${warehouseId} and company_id = ${companyId}`))) {
      problems.push({ field: `${field}/warehouseId`, rule: "exists", messageKey: "access.error.no_such_warehouse" });
      continue;
    }
    const row = await one<{ id: number }>(
      tx,
      sql`insert into user_role (user_id, role_id, department_id, warehouse_id, valid_until, granted_by)
          values (${user.id}, ${role.id}, ${departmentId}, ${warehouseId}, ${r.validUntil ?? null}, ${actor.id}) returning id`,
    );
    ids.push(row!.id);
  }
  if (problems.length > 0) throw errors.validation(problems);
  const conflicts = await sodConflicts(tx, companyId, user.id);
  if (conflicts.length > 0) {
    throw errors.rule("sod_conflict", "access.error.sod_conflict", {
      rules: conflicts.map((c) => (actor.lang === "zh-CN" ? c.nameZh : c.nameEn)).join("; "),
    });
  }
  return ids;
}

export interface SodConflict {
  ruleId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  sideA: string[];
  sideB: string[];
}

/** The active rules a user breaks with the roles they hold now or later, less approved exceptions. */
export async function sodConflicts(tx: Executor, companyId: number, userId: number): Promise<SodConflict[]> {
  const held = await rows<{ p: string }>(
    tx,
    sql`select distinct unnest(r.permissions) as p from user_role ur join role r on r.id = ur.role_id
        where ur.user_id = ${userId} and (ur.valid_until is null or ur.valid_until > now())`,
  );
  const perms = new Set(held.map((h) => h.p));
  const rules = await rows<{ id: number; code: string; name_zh: string; name_en: string; side_a: string[]; side_b: string[]; excepted: boolean }>(
    tx,
    sql`select r.id, r.code, r.name_zh, r.name_en, r.side_a, r.side_b,
          exists (select 1 from sod_exception e where e.rule_id = r.id and e.user_id = ${userId} and e.status = 'approved'
                  and (e.valid_until is null or e.valid_until > now())) as excepted
        from sod_rule r where r.company_id = ${companyId} and r.active`,
  );
  return rules
    .filter((r) => !r.excepted && r.side_a.some((k) => holds(perms, k)) && r.side_b.some((k) => holds(perms, k)))
    .map((r) => ({ ruleId: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, sideA: r.side_a, sideB: r.side_b }));
}
