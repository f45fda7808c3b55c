import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../../http/routes.ts";
import { type Executor, one, sql } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { likePattern, listPage, listQuerySchema } from "../../../platform/listing.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { scopeWarehouseChoices } from "../assignment.ts";
import { createToken, revokeToken } from "./commands.ts";
import { P } from "./permissions.ts";

const tags = ["access"];

const COLUMNS = sql`t.id, t.name, t.description, t.prefix, t.permissions, t.department_id as "departmentId",
  d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn", t.warehouse_id as "warehouseId", w.code as "warehouseCode",
  w.name_zh as "warehouseNameZh", w.name_en as "warehouseNameEn", t.created_by as "createdBy", t.created_by_name as "createdByName",
  cu.status as "creatorStatus", t.created_at as "createdAt", t.expires_at as "expiresAt", t.revoked_at as "revokedAt",
  t.revoked_by_name as "revokedByName", t.revoke_reason as "revokeReason", t.last_used_at as "lastUsedAt", t.last_used_ip as "lastUsedIp",
  case when t.revoked_at is not null then 'revoked' when t.expires_at <= now() then 'expired' else 'active' end as status, t.version`;
const FROM = sql`api_token t left join department d on d.id = t.department_id left join warehouse w on w.id = t.warehouse_id left join app_user cu on cu.id = t.created_by`;

function listTokens(db: Executor, companyId: number, query: { status?: string; q?: string; page?: number; pageSize?: number; sort?: string }) {
  const where = [sql`t.company_id = ${companyId}`];
  if (query.status === "active") where.push(sql`t.revoked_at is null and t.expires_at > now()`);
  if (query.status === "expired") where.push(sql`t.revoked_at is null and t.expires_at <= now()`);
  if (query.status === "revoked") where.push(sql`t.revoked_at is not null`);
  if (query.q) where.push(sql`(t.name ilike ${likePattern(query.q)} or t.prefix ilike ${likePattern(query.q)})`);
  return listPage(db, {
    columns: COLUMNS,
    from: FROM,
    where: sql.join(where, sql` and `),
    sortable: { createdAt: sql`t.created_at`, name: sql`t.name`, expiresAt: sql`t.expires_at`, lastUsedAt: sql`t.last_used_at` },
    defaultSort: "-createdAt",
    params: query,
  });
}

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/access/tokens",
    permission: P.tokenRead,
    tags,
    summary: "API tokens of external systems: rights, department and warehouse scope, expiry, last use, and whether their creator is still active",
    querystring: listQuerySchema({ status: Type.Optional(Type.Union([Type.Literal("active"), Type.Literal("expired"), Type.Literal("revoked")])) }),
    handler: ({ db, actor, query }) => listTokens(db, actor.companyId!, query),
  });
  // The creation form's warehouse picker (the same list the role grant form gets from /api/access/scope-warehouses,
  // for those who may make tokens but not read roles).
  queryRoute(app, rt, {
    url: "/api/access/token-warehouses",
    permission: P.tokenManage,
    tags,
    summary: "Active warehouses an API token can be limited to (warehouse data scope)",
    handler: ({ db, actor }) => scopeWarehouseChoices(db, actor.companyId!),
  });
  queryRoute(app, rt, {
    url: "/api/access/tokens/:id",
    withId: true,
    permission: P.tokenRead,
    tags,
    summary: "One API token (never its secret)",
    handler: async ({ db, actor, params }) => {
      const t = await one(db, sql`select ${COLUMNS} from ${FROM} where t.id = ${params.id as number} and t.company_id = ${actor.companyId}`);
      if (!t) throw errors.notFound("api_token");
      return t;
    },
  });
  // Written out rather than with commandRoute: the answer carries the secret, so it must not be stored
  // for Idempotency-Key replays (a retried request makes a second token; the unseen one can be revoked).
  app.post(
    "/api/access/tokens",
    {
      schema: {
        tags,
        summary: "Create an API token; the answer shows the token once",
        description: `Command \`${createToken.name}\`, permission \`${createToken.permission}\`. Not replayed by Idempotency-Key.`,
        body: createToken.input,
      },
    },
    async (req, reply) => {
      const { idempotencyKey: _, ...meta } = req.meta;
      const result = await execute(rt, createToken, req.body, req.actor, meta);
      reply.code(201);
      return result;
    },
  );
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/access/tokens/:id/revoke",
    command: revokeToken,
    tags,
    summary: "Revoke an API token for good",
    body: Type.Omit(Type.Partial(revokeToken.input), ["id"]),
  });
}
