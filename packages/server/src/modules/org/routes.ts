import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { listQuerySchema } from "../../platform/listing.ts";
import type { Runtime } from "../../platform/runtime.ts";
import * as c from "./commands.ts";
import { P } from "./permissions.ts";
import * as q from "./queries.ts";

const tags = ["org"];

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/org/company",
    permission: null,
    tags,
    summary: "The signed-in user's company",
    handler: ({ db, actor }) => q.getCompany(db, actor.companyId!),
  });
  commandRoute(app, rt, { method: "PATCH", url: "/api/org/company/:id", command: c.updateCompany, tags, summary: "Edit the company", body: Type.Omit(c.updateCompany.input, ["id"]) });

  queryRoute(app, rt, {
    url: "/api/org/departments",
    permission: P.read,
    tags,
    summary: "List departments (flat, with parentId)",
    querystring: listQuerySchema({ active: Type.Optional(Type.Boolean()) }),
    handler: ({ db, actor, query }) => q.listDepartments(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: "/api/org/departments/:id",
    withId: true,
    permission: P.read,
    tags,
    summary: "One department",
    handler: ({ db, actor, params }) => q.getDepartment(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/org/departments", command: c.createDepartment, tags, summary: "Create a department", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/org/departments/:id",
    command: c.updateDepartment,
    tags,
    summary: "Edit, move or deactivate a department (version in If-Match or body)",
    body: Type.Omit(Type.Partial(c.updateDepartment.input), ["id"]),
  });

  queryRoute(app, rt, {
    url: "/api/org/calendars",
    permission: P.read,
    tags,
    summary: "List working calendars",
    querystring: listQuerySchema(),
    handler: ({ db, actor, query }) => q.listCalendars(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: "/api/org/calendars/:id",
    withId: true,
    permission: P.read,
    tags,
    summary: "A calendar with its shifts and exceptions",
    handler: ({ db, actor, params }) => q.getCalendar(db, actor.companyId!, params.id as number),
  });
  queryRoute(app, rt, {
    url: "/api/org/calendars/:id/days",
    withId: true,
    permission: P.read,
    tags,
    summary: "Working days and minutes between two dates",
    querystring: Type.Object({ from: Type.String({ format: "date" }), to: Type.String({ format: "date" }) }, { additionalProperties: false }),
    handler: ({ db, actor, params, query }) => q.calendarDays(db, actor.companyId!, params.id as number, query.from, query.to),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/org/calendars", command: c.createCalendar, tags, summary: "Create a working calendar", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/org/calendars/:id",
    command: c.updateCalendar,
    tags,
    summary: "Edit a calendar (shifts replaced when given)",
    body: Type.Omit(Type.Partial(c.updateCalendar.input), ["id"]),
  });
  commandRoute(app, rt, { method: "PUT", url: "/api/org/calendar-exceptions", command: c.setCalendarException, tags, summary: "Set a holiday or extra working day" });
  commandRoute(app, rt, {
    method: "DELETE",
    url: "/api/org/calendar-exceptions/:id",
    command: c.removeCalendarException,
    tags,
    summary: "Remove a holiday or extra working day",
  });
}
