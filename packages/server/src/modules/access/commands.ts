import { scopeOf } from "../../platform/actor.ts";
import { type Executor, one, sql, textArray } from "../../platform/db/database.ts";
import { type FieldError, errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { assignRolesChecked, holds } from "./assignment.ts";
import { expandPermissions } from "./builtin-roles.ts";
import { P } from "./permissions.ts";

const Id = Type.Integer({ minimum: 1 });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Keys = Type.Array(Type.String({ pattern: "^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*(\\.\\*)?$|^\\*$", maxLength: 100 }), { minItems: 1, maxItems: 500, uniqueItems: true });

/** The target user, if the actor's scope for `permission` reaches them; otherwise 404 (existence does not leak). */
export async function userInScope(tx: Executor, actor: Parameters<typeof scopeOf>[0], permission: string, userId: number) {
  const u = await one<{ id: number; department_id: number | null; company_id: number }>(
    tx,
    sql`select id, department_id, company_id from app_user where id = ${userId}`,
  );
  if (!u || (actor.companyId !== null && u.company_id !== actor.companyId)) throw errors.notFound("app_user");
  const scope = scopeOf(actor, permission);
  if (!scope.all && (u.department_id === null || !scope.departments.includes(u.department_id))) throw errors.notFound("app_user");
  return { id: u.id, departmentId: u.department_id };
}

export const assignRole = defineCommand({
  name: "access.user_role.assign",
  permission: P.assign,
  entity: "user_role",
  input: StrictObject({
    userId: Id,
    role: Type.String({ pattern: "^[a-z][a-z0-9_]{1,63}$" }),
    departmentId: Type.Optional(Id),
    warehouseId: Type.Optional(Id),
    validUntil: Type.Optional(Type.String({ format: "date-time" })),
  }),
  async run(ctx, input) {
    const user = await userInScope(ctx.tx, ctx.actor, P.assign, input.userId);
    const [id] = await assignRolesChecked(
      ctx,
      P.assign,
      user,
      [{ role: input.role, departmentId: input.departmentId, warehouseId: input.warehouseId, validUntil: input.validUntil }],
      null,
    );
    ctx.audit.entityId = id;
    ctx.audit.after = input;
    return { id };
  },
});

export const revokeRole = defineCommand({
  name: "access.user_role.revoke",
  permission: P.assign,
  entity: "user_role",
  input: StrictObject({ id: Id, reason: Type.Optional(Type.String({ maxLength: 500 })) }),
  async run(ctx, { id, reason }) {
    const held = await one<{ user_id: number; code: string; department_id: number | null }>(
      ctx.tx,
      sql`select ur.user_id, r.code, ur.department_id from user_role ur join role r on r.id = ur.role_id
          where ur.id = ${id} and (ur.valid_until is null or ur.valid_until > now())`,
    );
    if (!held) throw errors.notFound("user_role");
    await userInScope(ctx.tx, ctx.actor, P.assign, held.user_id);
    // Ended, not deleted: who held what, and when, stays answerable.
    await ctx.tx.execute(sql`update user_role set valid_until = greatest(now(), valid_from + interval '1 microsecond') where id = ${id}`);
    ctx.audit.before = held;
    ctx.audit.details = { reason: reason ?? null };
    return { id, revoked: true };
  },
});

function checkKeys(declared: ReadonlySet<string>, keys: string[], field: string): FieldError[] {
  return keys
    .map((k, i) => ({ k, i }))
    .filter(({ k }) => k !== "*" && !declared.has(k) && !(k.endsWith(".*") && [...declared].some((d) => d.startsWith(k.slice(0, -1)))))
    .map(({ k, i }) => ({ field: `${field}/${i}`, rule: "declared", messageKey: "access.error.unknown_permission", params: { key: k } }));
}

export const createRole = defineCommand({
  name: "access.role.create",
  permission: P.roleEdit,
  entity: "role",
  input: StrictObject({
    code: Type.String({ pattern: "^[a-z][a-z0-9_]{1,63}$" }),
    nameZh: Name,
    nameEn: Name,
    descriptionZh: Type.Optional(Type.String({ maxLength: 500 })),
    descriptionEn: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Keys,
    delegable: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, input) {
    const declared = new Set(ctx.runtime.permissions.keys());
    const problems = checkKeys(declared, input.permissions, "/permissions");
    if (!ctx.actor.permissions.has("*")) {
      input.permissions.forEach((k, i) => {
        if (!holds(ctx.actor.permissions, k)) problems.push({ field: `/permissions/${i}`, rule: "exceedsOwnRights", messageKey: "access.error.exceeds_own_rights", params: { keys: k } });
      });
    }
    if (problems.length > 0) throw errors.validation(problems);
    // A custom role may not shadow a built-in one: grants by code would pick the wrong role.
    const taken = await one(ctx.tx, sql`select 1 from role where code = ${input.code} and (company_id is null or company_id = ${ctx.actor.companyId})`);
    if (taken) throw errors.unique("code");
    const row = await one<{ id: number; version: number }>(
      ctx.tx,
      sql`insert into role (company_id, code, name_zh, name_en, description_zh, description_en, builtin, permissions, delegable)
          values (${ctx.actor.companyId}, ${input.code}, ${input.nameZh}, ${input.nameEn}, ${input.descriptionZh ?? null},
                  ${input.descriptionEn ?? null}, false, ${textArray(expandPermissions(input.permissions, declared))}, ${input.delegable ?? false})
          returning id, version`,
    );
    ctx.audit.after = input;
    return { id: row!.id, version: row!.version, ...input };
  },
});

export const updateRole = defineCommand({
  name: "access.role.update",
  permission: P.roleEdit,
  entity: "role",
  input: StrictObject({
    id: Id,
    version: Type.Integer({ minimum: 1 }),
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    descriptionZh: Type.Optional(Type.String({ maxLength: 500 })),
    descriptionEn: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Optional(Keys),
    delegable: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, input) {
    const before = await one<{ id: number; version: number; builtin: boolean; company_id: number | null; permissions: string[]; delegable: boolean; name_zh: string; name_en: string }>(
      ctx.tx,
      sql`select id, version, builtin, company_id, permissions, delegable, name_zh, name_en from role
          where id = ${input.id} and (company_id is null or company_id = ${ctx.actor.companyId}) for update`,
    );
    if (!before) throw errors.notFound("role");
    if (before.version !== input.version) throw errors.versionConflict(before.version);
    const changesRights = input.permissions !== undefined || input.nameZh !== undefined || input.nameEn !== undefined;
    if (before.builtin && changesRights) throw errors.rule("builtin_role", "access.error.builtin_role");
    if (input.permissions) {
      const problems = checkKeys(new Set(ctx.runtime.permissions.keys()), input.permissions, "/permissions");
      if (!ctx.actor.permissions.has("*")) {
        input.permissions.forEach((k, i) => {
          if (!holds(ctx.actor.permissions, k)) problems.push({ field: `/permissions/${i}`, rule: "exceedsOwnRights", messageKey: "access.error.exceeds_own_rights", params: { keys: k } });
        });
      }
      if (problems.length > 0) throw errors.validation(problems);
    }
    // "module.*" is stored expanded: sessions match exact keys only.
    const perms = input.permissions ? expandPermissions(input.permissions, ctx.runtime.permissions.keys()) : before.permissions;
    const after = await one(
      ctx.tx,
      sql`update role set name_zh = ${input.nameZh ?? before.name_zh}, name_en = ${input.nameEn ?? before.name_en},
            description_zh = coalesce(${input.descriptionZh ?? null}, description_zh), description_en = coalesce(${input.descriptionEn ?? null}, description_en),
            permissions = ${textArray(perms)}, delegable = ${input.delegable ?? before.delegable}, version = version + 1, updated_at = now()
          where id = ${input.id} returning id, code, version, permissions, delegable`,
    );
    ctx.audit.before = { permissions: before.permissions, delegable: before.delegable };
    ctx.audit.after = { permissions: perms, delegable: input.delegable ?? before.delegable };
    return after;
  },
});

const SodInput = {
  nameZh: Name,
  nameEn: Name,
  sideA: Keys,
  sideB: Keys,
  active: Type.Optional(Type.Boolean()),
};

export const createSodRule = defineCommand({
  name: "access.sod.rule.create",
  permission: P.sodEdit,
  entity: "sod_rule",
  input: StrictObject({ code: Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$" }), ...SodInput }),
  async run(ctx, input) {
    const row = await one(
      ctx.tx,
      sql`insert into sod_rule (company_id, code, name_zh, name_en, side_a, side_b, active)
          values (${ctx.actor.companyId}, ${input.code}, ${input.nameZh}, ${input.nameEn}, ${textArray(input.sideA)},
                  ${textArray(input.sideB)}, ${input.active ?? true}) returning id, code, version`,
    );
    ctx.audit.after = input;
    return row;
  },
});

export const updateSodRule = defineCommand({
  name: "access.sod.rule.update",
  permission: P.sodEdit,
  entity: "sod_rule",
  input: StrictObject({ id: Id, version: Type.Integer({ minimum: 1 }), ...SodInput }),
  async run(ctx, input) {
    const before = await one<{ version: number; side_a: string[]; side_b: string[]; active: boolean }>(
      ctx.tx,
      sql`select version, side_a, side_b, active from sod_rule where id = ${input.id} and company_id = ${ctx.actor.companyId} for update`,
    );
    if (!before) throw errors.notFound("sod_rule");
    if (before.version !== input.version) throw errors.versionConflict(before.version);
    const row = await one(
      ctx.tx,
      sql`update sod_rule set name_zh = ${input.nameZh}, name_en = ${input.nameEn}, side_a = ${textArray(input.sideA)},
            side_b = ${textArray(input.sideB)}, active = ${input.active ?? before.active}, version = version + 1, updated_at = now()
          where id = ${input.id} returning id, code, version`,
    );
    ctx.audit.before = before;
    ctx.audit.after = input;
    return row;
  },
});

export const requestSodException = defineCommand({
  name: "access.sod.exception.request",
  permission: P.sodExceptionRequest,
  entity: "sod_exception",
  input: StrictObject({
    userId: Id,
    ruleId: Id,
    reason: Type.String({ minLength: 5, maxLength: 1000 }),
    validUntil: Type.Optional(Type.String({ format: "date-time" })),
  }),
  async run(ctx, input) {
    await userInScope(ctx.tx, ctx.actor, P.sodExceptionRequest, input.userId);
    const rule = await one(ctx.tx, sql`select id from sod_rule where id = ${input.ruleId} and company_id = ${ctx.actor.companyId}`);
    if (!rule) throw errors.field("/ruleId", "exists", "validation.invalid");
    const row = await one(
      ctx.tx,
      sql`insert into sod_exception (company_id, rule_id, user_id, reason, requested_by, valid_until)
          values (${ctx.actor.companyId}, ${input.ruleId}, ${input.userId}, ${input.reason}, ${ctx.actor.id}, ${input.validUntil ?? null})
          returning id, status`,
    );
    ctx.audit.after = input;
    return row;
  },
});

export const decideSodException = defineCommand({
  name: "access.sod.exception.decide",
  permission: P.sodExceptionApprove,
  entity: "sod_exception",
  input: StrictObject({ id: Id, approve: Type.Boolean(), note: Type.String({ minLength: 1, maxLength: 1000 }) }),
  async run(ctx, { id, approve, note }) {
    const ex = await one<{ requested_by: number; user_id: number; status: string }>(
      ctx.tx,
      sql`select requested_by, user_id, status from sod_exception where id = ${id} and company_id = ${ctx.actor.companyId} for update`,
    );
    if (!ex) throw errors.notFound("sod_exception");
    // Maker ≠ checker: neither the requester nor the person concerned may decide.
    if (ex.requested_by === ctx.actor.id || ex.user_id === ctx.actor.id) throw errors.rule("maker_checker", "access.error.decide_own");
    if (ex.status !== "pending") throw errors.rule("not_pending", "access.error.not_pending");
    await ctx.tx.execute(sql`update sod_exception set status = ${approve ? "approved" : "rejected"}, decided_by = ${ctx.actor.id},
        decided_at = now(), decision_note = ${note} where id = ${id}`);
    ctx.audit.entityId = id;
    ctx.audit.after = { status: approve ? "approved" : "rejected", note };
    return { id, status: approve ? "approved" : "rejected" };
  },
});
