import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { rows, sql } from "../../platform/db/database.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { scopeCondition } from "../../platform/scope.ts";
import { scopeWarehouseChoices, sodConflicts } from "./assignment.ts";
import * as c from "./commands.ts";
import { P } from "./permissions.ts";

const tags = ["access"];

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/access/permissions",
    permission: P.roleRead,
    tags,
    summary: "Every permission key the modules declare, with labels in both languages",
    handler: async () => [...rt.permissions.values()].map((p) => ({ key: p.key, module: p.module, label: p.label, sensitive: p.sensitive ?? false })),
  });
  queryRoute(app, rt, {
    url: "/api/access/roles",
    permission: P.roleRead,
    tags,
    summary: "Roles with their permissions and holder counts",
    handler: ({ db, actor }) =>
      rows(
        db,
        sql`select r.id, r.code, r.name_zh as "nameZh", r.name_en as "nameEn", r.description_zh as "descriptionZh",
              r.description_en as "descriptionEn", r.builtin, r.delegable, r.permissions, r.version,
              (select count(distinct ur.user_id)::int8 from user_role ur where ur.role_id = r.id
                 and (ur.valid_until is null or ur.valid_until > now())) as holders
            from role r where r.company_id is null or r.company_id = ${actor.companyId} order by r.builtin desc, r.code`,
      ),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/access/roles", command: c.createRole, tags, summary: "Create a custom role", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/access/roles/:id",
    command: c.updateRole,
    tags,
    summary: "Edit a custom role (built-in roles: only whether department administrators may hand them out)",
    body: Type.Omit(Type.Partial(c.updateRole.input), ["id"]),
  });

  // The grant form's warehouse picker: whoever may read roles may see which warehouses a role can be limited to,
  // without needing the inventory module's own permissions.
  queryRoute(app, rt, {
    url: "/api/access/scope-warehouses",
    permission: P.roleRead,
    tags,
    summary: "Active warehouses a role can be limited to (warehouse data scope)",
    handler: ({ db, actor }) => scopeWarehouseChoices(db, actor.companyId!),
  });

  queryRoute(app, rt, {
    url: "/api/access/users/:id/roles",
    withId: true,
    permission: P.roleRead,
    tags,
    summary: "A user's roles: scope, validity, who granted them (current, upcoming and ended)",
    handler: ({ db, actor, params }) =>
      rows(
        db,
        sql`select ur.id, r.code as role, r.name_zh as "roleNameZh", r.name_en as "roleNameEn", ur.department_id as "departmentId",
              d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn", ur.warehouse_id as "warehouseId", w.code as "warehouseCode",
              w.name_zh as "warehouseNameZh", w.name_en as "warehouseNameEn", ur.valid_from as "validFrom", ur.valid_until as "validUntil",
              g.display_name as "grantedBy",
              case when ur.valid_from > now() then 'upcoming' when ur.valid_until is not null and ur.valid_until <= now() then 'ended'
                   else 'current' end as state
            from user_role ur join role r on r.id = ur.role_id join app_user u on u.id = ur.user_id
            left join department d on d.id = ur.department_id left join warehouse w on w.id = ur.warehouse_id
            left join app_user g on g.id = ur.granted_by
            where ur.user_id = ${params.id as number} and u.company_id = ${actor.companyId}
              and ${scopeCondition(actor, P.roleRead, sql`u.department_id`)}
            order by state, ur.valid_from desc`,
      ),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/access/user-roles", command: c.assignRole, tags, summary: "Grant a role to a user", status: 201 });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/access/user-roles/:id/revoke",
    command: c.revokeRole,
    tags,
    summary: "End a user's role now (kept in the history)",
    body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
  });

  queryRoute(app, rt, {
    url: "/api/access/sod-rules",
    permission: P.sodRead,
    tags,
    summary: "Segregation-of-duties rules",
    handler: ({ db, actor }) =>
      rows(
        db,
        sql`select id, code, name_zh as "nameZh", name_en as "nameEn", side_a as "sideA", side_b as "sideB", active, version
            from sod_rule where company_id = ${actor.companyId} order by code`,
      ),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/access/sod-rules", command: c.createSodRule, tags, summary: "Create a rule", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/access/sod-rules/:id",
    command: c.updateSodRule,
    tags,
    summary: "Edit a rule",
    body: Type.Omit(c.updateSodRule.input, ["id"]),
  });
  queryRoute(app, rt, {
    url: "/api/access/sod-conflicts",
    permission: P.sodRead,
    tags,
    summary: "People who hold conflicting rights now without an approved exception",
    handler: async ({ db, actor }) => {
      const users = await rows<{ id: number; username: string; displayName: string }>(
        db,
        sql`select id, username, display_name as "displayName" from app_user
            where company_id = ${actor.companyId} and status = 'active' order by username`,
      );
      const out = [];
      for (const u of users) {
        const conflicts = await sodConflicts(db, actor.companyId!, u.id);
        if (conflicts.length > 0) out.push({ ...u, conflicts });
      }
      return out;
    },
  });
  queryRoute(app, rt, {
    url: "/api/access/sod-exceptions",
    permission: P.sodRead,
    tags,
    summary: "Exception requests and their decisions",
    handler: ({ db, actor }) =>
      rows(
        db,
        sql`select e.id, e.status, e.reason, e.requested_at as "requestedAt", e.decided_at as "decidedAt", e.decision_note as "decisionNote",
              e.valid_until as "validUntil", r.code as "ruleCode", r.name_zh as "ruleNameZh", r.name_en as "ruleNameEn",
              u.username, u.display_name as "displayName", q.display_name as "requestedBy", k.display_name as "decidedBy"
            from sod_exception e join sod_rule r on r.id = e.rule_id join app_user u on u.id = e.user_id
            join app_user q on q.id = e.requested_by left join app_user k on k.id = e.decided_by
            where e.company_id = ${actor.companyId} order by e.requested_at desc limit 500`,
      ),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/access/sod-exceptions",
    command: c.requestSodException,
    tags,
    summary: "Request an exception for one person and one rule",
    status: 201,
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/access/sod-exceptions/:id/decide",
    command: c.decideSodException,
    tags,
    summary: "Approve or reject an exception (not the requester, not the person concerned)",
    body: Type.Omit(c.decideSodException.input, ["id"]),
  });
}
