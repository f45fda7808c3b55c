import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { can } from "../../platform/actor.ts";
import { rows, sql } from "../../platform/db/database.ts";
import type { Runtime } from "../../platform/runtime.ts";
import * as c from "./commands.ts";
import { P } from "./permissions.ts";

const tags = ["access-review"];

const itemColumns = sql`i.id, i.campaign_id as "campaignId", i.status, i.due_at as "dueAt", i.escalation_level as "escalationLevel",
  i.decided_at as "decidedAt", i.note, u.id as "userId", u.username, u.display_name as "displayName",
  ud.name_zh as "userDepartmentZh", ud.name_en as "userDepartmentEn", r.code as role, r.name_zh as "roleNameZh", r.name_en as "roleNameEn",
  sd.name_zh as "scopeZh", sd.name_en as "scopeEn", rv.display_name as "reviewer", db.display_name as "decidedBy",
  i.due_at < now() and i.status = 'pending' as overdue`;
const itemFrom = sql`access_review_item i join app_user u on u.id = i.user_id join role r on r.id = i.role_id
  left join department ud on ud.id = u.department_id left join department sd on sd.id = i.department_id
  left join app_user rv on rv.id = i.reviewer_id left join app_user db on db.id = i.decided_by`;

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/access-reviews",
    permission: P.read,
    tags,
    summary: "Review campaigns with their progress",
    handler: ({ db, actor }) =>
      rows(
        db,
        sql`select c.id, c.name_zh as "nameZh", c.name_en as "nameEn", c.status, c.trigger, c.started_at as "startedAt",
              c.due_at as "dueAt", c.closed_at as "closedAt",
              count(i.*)::int8 as items,
              count(i.*) filter (where i.status = 'confirmed')::int8 as confirmed,
              count(i.*) filter (where i.status = 'revoked')::int8 as revoked,
              count(i.*) filter (where i.status = 'pending')::int8 as pending,
              count(i.*) filter (where i.status = 'pending' and i.due_at < now())::int8 as overdue,
              count(i.*) filter (where i.escalation_level > 0)::int8 as escalated
            from access_review_campaign c left join access_review_item i on i.campaign_id = c.id
            where c.company_id = ${actor.companyId} group by c.id order by c.started_at desc`,
      ),
  });
  queryRoute(app, rt, {
    url: "/api/access-reviews/:id/items",
    withId: true,
    permission: P.read,
    tags,
    summary: "All items of a campaign with their decisions (the kept outcome)",
    handler: ({ db, actor, params }) =>
      rows(
        db,
        sql`select ${itemColumns} from ${itemFrom} join access_review_campaign c on c.id = i.campaign_id
            where i.campaign_id = ${params.id as number} and c.company_id = ${actor.companyId} order by i.status, u.username`,
      ),
  });
  queryRoute(app, rt, {
    url: "/api/access-reviews/mine",
    permission: P.decide,
    tags,
    summary: "Items waiting for my decision (and, for administrators, items nobody else can take)",
    handler: ({ db, actor }) =>
      rows(
        db,
        sql`select ${itemColumns} from ${itemFrom} join access_review_campaign c on c.id = i.campaign_id
            where c.status = 'open' and i.status = 'pending' and c.company_id = ${actor.companyId} and i.user_id <> ${actor.id}
              and (i.reviewer_id = ${actor.id} or (i.reviewer_id is null and ${can(actor, P.manage)}))
            order by i.due_at, u.username`,
      ),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/access-reviews", command: c.startReview, tags, summary: "Start a review campaign now", status: 201 });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/access-reviews/items/:id/decide",
    command: c.decideItem,
    tags,
    summary: "Confirm or revoke one role (a note is required to revoke)",
    body: Type.Omit(c.decideItem.input, ["id"]),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/access-reviews/:id/close", command: c.closeReview, tags, summary: "Close a campaign whose items are all decided" });
}
