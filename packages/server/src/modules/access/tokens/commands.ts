import { can, scopeOf, warehouseScopeOf } from "../../../platform/actor.ts";
import { one, sql, textArray } from "../../../platform/db/database.ts";
import { AppError, type FieldError, errors } from "../../../platform/errors.ts";
import { defineCommand } from "../../../platform/pipeline.ts";
import { StrictObject, Type } from "../../../platform/validation.ts";
import { newToken } from "./auth.ts";
import { P } from "./permissions.ts";

const MAX_DAYS = 365;

/**
 * Creates an API token for an external system (INT-1). Its permissions must be exact keys the creator
 * holds, within the creator's data scope: nobody can mint rights they do not have. The token itself is
 * returned once and only its SHA-256 is kept. (The HTTP route does not keep this answer for
 * Idempotency-Key replays: the secret must not be stored.)
 */
export const createToken = defineCommand({
  name: "access.token.create",
  permission: P.tokenManage,
  entity: "api_token",
  input: StrictObject({
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 200, uniqueItems: true }),
    departmentId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    warehouseId: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: "limit every permission of the token to this warehouse; omitted = every warehouse" }),
    ),
    expiresAt: Type.String({ format: "date-time", description: "required; at most one year ahead" }),
  }),
  async run(ctx, input) {
    const { actor } = ctx;
    if (actor.kind === "token") throw new AppError(403, "forbidden", "access.token.not_by_token");
    const companyId = actor.companyId;
    if (!companyId) throw errors.rule("no_company", "org.error.no_company");
    const problems: FieldError[] = [];
    const exceeded: FieldError[] = [];
    const departmentId = input.departmentId ?? null;
    const warehouseId = input.warehouseId ?? null;
    input.permissions.forEach((key, i) => {
      const field = `/permissions/${i}`;
      if (key === "*" || key.endsWith(".*")) problems.push({ field, rule: "exact", messageKey: "access.token.wildcard" });
      else if (!ctx.runtime.permissions.has(key)) problems.push({ field, rule: "declared", messageKey: "access.error.unknown_permission", params: { key } });
      else if (!can(actor, key)) exceeded.push({ field, rule: "exceedsOwnRights", messageKey: "access.token.exceeds_own_rights" });
      else {
        const scope = scopeOf(actor, key);
        if (!scope.all && (departmentId === null || !scope.departments.includes(departmentId))) {
          exceeded.push({ field: "/departmentId", rule: "outOfScope", messageKey: "access.token.scope_required" });
        }
        // Likewise for the warehouse data scope: a permission the creator holds for some warehouses only
        // may go to a token only if the token is limited to one of those warehouses.
        const wScope = warehouseScopeOf(actor, key);
        if (!wScope.all && (warehouseId === null || !wScope.warehouses.includes(warehouseId))) {
          exceeded.push({ field: "/warehouseId", rule: "outOfScope", messageKey: "access.token.warehouse_required" });
        }
      }
    });
    const expires = Date.parse(input.expiresAt);
    if (!(expires > Date.now() + 60_000)) problems.push({ field: "/expiresAt", rule: "minimum", messageKey: "access.token.expiry_past" });
    else if (expires > Date.now() + MAX_DAYS * 86_400_000) problems.push({ field: "/expiresAt", rule: "maximum", messageKey: "access.token.expiry_max" });
    if (departmentId !== null) {
      const d = await one(ctx.tx, sql`select 1 from department where id = ${departmentId} and company_id = ${companyId}`);
      if (!d) problems.push({ field: "/departmentId", rule: "exists", messageKey: "org.error.no_such_department" });
    }
    if (warehouseId !== null) {
      const w = await one(ctx.tx, sql`select 1 from warehouse where id = ${warehouseId} and company_id = ${companyId}`);
      if (!w) problems.push({ field: "/warehouseId", rule: "exists", messageKey: "access.error.no_such_warehouse" });
    }
    if (problems.length > 0) throw errors.validation([...problems, ...exceeded]);
    // A distinct code: an attempt to hand out rights one does not hold is what the escalation rule looks for.
    if (exceeded.length > 0) throw new AppError(400, "exceeds_own_rights", "error.validation", {}, dedupe(exceeded));
    const { token, prefix, hash } = newToken();
    const row = await one<{ id: number; created_at: string; expires_at: string; version: number }>(
      ctx.tx,
      sql`insert into api_token (company_id, name, description, prefix, token_hash, permissions, department_id, warehouse_id, created_by, created_by_name, expires_at)
          values (${companyId}, ${input.name.trim()}, ${input.description ?? null}, ${prefix}, ${hash}, ${textArray([...input.permissions].sort())},
                  ${departmentId}, ${warehouseId}, ${actor.kind === "user" ? actor.id : null}, ${actor.name}, ${new Date(expires).toISOString()})
          returning id, created_at, expires_at, version`,
    );
    const view = {
      id: row!.id,
      name: input.name.trim(),
      prefix,
      permissions: [...input.permissions].sort(),
      departmentId,
      warehouseId,
      expiresAt: row!.expires_at,
      createdAt: row!.created_at,
      version: row!.version,
    };
    ctx.audit.after = view;
    return { ...view, token };
  },
});

function dedupe(fields: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return fields.filter((f) => {
    const k = `${f.field}|${f.rule}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Revokes a token for good: its next request gets 401. */
export const revokeToken = defineCommand({
  name: "access.token.revoke",
  permission: P.tokenManage,
  entity: "api_token",
  input: StrictObject({
    id: Type.Integer({ minimum: 1 }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
  async run(ctx, input) {
    if (ctx.actor.kind === "token") throw new AppError(403, "forbidden", "access.token.not_by_token");
    const t = await one<{ id: number; version: number; revoked_at: string | null; name: string }>(
      ctx.tx,
      sql`select id, version, revoked_at, name from api_token where id = ${input.id} and company_id = ${ctx.actor.companyId} for update`,
    );
    if (!t) throw errors.notFound("api_token");
    if (input.version !== undefined && input.version !== t.version) throw errors.versionConflict(t.version);
    if (t.revoked_at) throw errors.rule("already_revoked", "access.token.already_revoked");
    const after = await one<{ revoked_at: string; version: number }>(
      ctx.tx,
      sql`update api_token set revoked_at = now(), revoked_by = ${ctx.actor.kind === "user" ? ctx.actor.id : null},
            revoked_by_name = ${ctx.actor.name}, revoke_reason = ${input.reason}, version = version + 1
          where id = ${t.id} returning revoked_at, version`,
    );
    ctx.audit.before = { revokedAt: null };
    ctx.audit.after = { revokedAt: after!.revoked_at, reason: input.reason };
    return { id: t.id, name: t.name, revokedAt: after!.revoked_at, version: after!.version };
  },
});
