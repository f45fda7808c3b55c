import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { listQuerySchema } from "../../platform/listing.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { convertOrders, firmOrders, setForecasts, setPlanningItems } from "./commands.ts";
import { P } from "./permissions.ts";
import * as q from "./queries.ts";
import { createWhatIf, startRun } from "./run.ts";

const tags = ["planning"];
const IdQ = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
const itemFilters = {
  plannerId: Type.Optional(IdQ),
  group: Type.Optional(Type.String({ maxLength: 32 })),
  severity: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
  makeOrBuy: Type.Optional(Type.Union([Type.Literal("make"), Type.Literal("buy")])),
};
const Bucket = Type.Union([Type.Literal("day"), Type.Literal("week")]);

export function routes(app: FastifyInstance, rt: Runtime): void {
  // MPS and forecasts -------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: "/api/planning/mps",
    permission: P.planRead,
    tags,
    summary: "Master production schedule: forecast, customer orders, consumption and demand per item and bucket",
    querystring: Type.Object(
      {
        bucket: Type.Optional(Bucket),
        startDate: Type.Optional(Type.String({ format: "date" })),
        periods: Type.Optional(Type.Integer({ minimum: 1, maximum: 104 })),
        calendarId: Type.Optional(IdQ),
        q: Type.Optional(Type.String({ maxLength: 100 })),
      },
      { additionalProperties: false },
    ),
    handler: ({ db, actor, query }) => q.mps(db, actor.companyId!, query),
  });
  commandRoute(app, rt, { method: "PUT", url: "/api/planning/forecasts", command: setForecasts, tags, summary: "Set forecast quantities (0 removes)" });
  commandRoute(app, rt, { method: "PUT", url: "/api/planning/items", command: setPlanningItems, tags, summary: "Assign planners and planning groups" });
  queryRoute(app, rt, {
    url: "/api/planning/planners",
    permission: P.planRead,
    tags,
    summary: "Planners with assigned items (filter values)",
    handler: ({ db, actor }) => q.planners(db, actor.companyId!),
  });
  queryRoute(app, rt, {
    url: "/api/planning/groups",
    permission: P.planRead,
    tags,
    summary: "Planning groups (filter values)",
    handler: ({ db, actor }) => q.groups(db, actor.companyId!),
  });

  // Runs and versions ------------------------------------------------------------------------------
  commandRoute(app, rt, { method: "POST", url: "/api/planning/runs", command: startRun, tags, summary: "Start a regenerative MRP run (background job)", status: 202 });
  commandRoute(app, rt, { method: "POST", url: "/api/planning/what-ifs", command: createWhatIf, tags, summary: "Copy a version's inputs with changes and run it", status: 202 });
  queryRoute(app, rt, {
    url: "/api/planning/versions",
    permission: P.planRead,
    tags,
    summary: "Plan versions (MRP runs and what-ifs)",
    querystring: listQuerySchema({
      kind: Type.Optional(Type.Union([Type.Literal("regenerative"), Type.Literal("what_if")])),
      status: Type.Optional(Type.Union(["queued", "running", "done", "failed"].map((s) => Type.Literal(s)))),
    }),
    handler: ({ db, actor, query }) => q.listVersions(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: "/api/planning/versions/:id",
    withId: true,
    permission: P.planRead,
    tags,
    summary: "One plan version with its counts and the run's progress",
    handler: ({ db, actor, params }) => q.getVersion(db, actor.companyId!, params.id as number),
  });
  queryRoute(app, rt, {
    url: "/api/planning/versions/:id/items",
    withId: true,
    permission: P.planRead,
    tags,
    summary: "Items of a version with exceptions, by planner, group and severity",
    querystring: listQuerySchema({ ...itemFilters, active: Type.Optional(Type.Boolean()) }),
    handler: ({ db, actor, params, query }) => q.versionItems(db, actor.companyId!, params.id as number, query),
  });
  queryRoute(app, rt, {
    url: "/api/planning/versions/:id/record",
    withId: true,
    permission: P.planRead,
    tags,
    summary: "The MRP record of one item: gross requirements, receipts, projected on hand, net requirements, planned orders",
    querystring: Type.Object({ itemId: IdQ }, { additionalProperties: false }),
    handler: ({ db, actor, params, query }) => q.itemRecord(db, actor.companyId!, params.id as number, query.itemId),
  });
  queryRoute(app, rt, {
    url: "/api/planning/versions/:id/pegging",
    withId: true,
    permission: P.planRead,
    tags,
    summary: "Pegging tree of a planned order up to the customer order or forecast",
    querystring: Type.Object({ orderKey: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    handler: ({ db, actor, params, query }) => q.orderPeggingTree(db, actor.companyId!, params.id as number, query.orderKey),
  });
  queryRoute(app, rt, {
    url: "/api/planning/versions/:id/exceptions",
    withId: true,
    permission: P.planRead,
    tags,
    summary: "Exception messages, by planner, group, severity and type",
    querystring: listQuerySchema({
      ...itemFilters,
      type: Type.Optional(Type.Union(["expedite", "defer", "cancel", "past-due", "below-safety-stock"].map((s) => Type.Literal(s)))),
    }),
    handler: ({ db, actor, params, query }) => q.listExceptions(db, actor.companyId!, params.id as number, query),
  });
  queryRoute(app, rt, {
    url: "/api/planning/versions/:id/orders",
    withId: true,
    permission: P.planRead,
    tags,
    summary: "Planned orders of a version",
    querystring: listQuerySchema({
      ...itemFilters,
      kind: Type.Optional(Type.Union([Type.Literal("make"), Type.Literal("buy")])),
      status: Type.Optional(Type.Union(["planned", "firm", "converted"].map((s) => Type.Literal(s)))),
      itemId: Type.Optional(IdQ),
    }),
    handler: ({ db, actor, params, query }) => q.listPlanOrders(db, actor.companyId!, params.id as number, query),
  });
  queryRoute(app, rt, {
    url: "/api/planning/compare",
    permission: P.planRead,
    tags,
    summary: "Two versions side by side (e.g. a what-if and its base)",
    querystring: Type.Object({ a: IdQ, b: IdQ }, { additionalProperties: false }),
    handler: ({ db, actor, query }) => q.compareVersions(db, actor.companyId!, query.a, query.b),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/planning/orders/firm", command: firmOrders, tags, summary: "Firm planned orders" });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/planning/orders/convert",
    command: convertOrders,
    tags,
    summary: "Convert planned orders to draft production orders and requisitions grouped by supplier",
    status: 201,
  });
}
