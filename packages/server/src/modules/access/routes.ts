import type { FastifyInstance } from "fastify";
import { queryRoute } from "../../http/routes.ts";
import { rows, sql } from "../../platform/db/database.ts";
import type { Runtime } from "../../platform/runtime.ts";
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
              r.description_en as "descriptionEn", r.builtin, r.permissions,
              (select count(distinct ur.user_id)::int8 from user_role ur where ur.role_id = r.id
                 and (ur.valid_until is null or ur.valid_until > now())) as holders
            from role r where r.company_id is null or r.company_id = ${actor.companyId} order by r.builtin desc, r.code`,
      ),
  });
}
