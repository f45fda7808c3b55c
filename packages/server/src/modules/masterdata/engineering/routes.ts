import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../../http/routes.ts";
import { can } from "../../../platform/actor.ts";
import { errors } from "../../../platform/errors.ts";
import type { Command } from "../../../platform/pipeline.ts";
import { listQuerySchema } from "../../../platform/listing.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { exportRoute } from "../catalog/export-route.ts";
import * as bc from "./commands-bom.ts";
import * as rc from "./commands-resources.ts";
import * as oc from "./commands-routing.ts";
import { Id, IsoDate, Numeric, companyToday } from "./common.ts";
import { P } from "./permissions.ts";
import * as bq from "./queries-bom.ts";
import * as cq from "./queries-cost.ts";
import * as rq from "./queries-resources.ts";
import * as oq from "./queries-routing.ts";

const tags = ["masterdata: engineering"];
const Status = Type.Union([Type.Literal("draft"), Type.Literal("active"), Type.Literal("obsolete")]);
const Qty = Numeric(12, 6, "quantity of the item, in its base unit (default: the BOM's base quantity)");
const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });
/** PATCH bodies: every field optional except that the version may also come in If-Match. */
const patchBody = (input: Parameters<typeof Type.Omit>[0]) => Type.Omit(Type.Partial(input), ["id"]);

// biome-ignore lint/suspicious/noExplicitAny: each document's commands have their own input and output types
type AnyCommand = Command<any, any>;

/**
 * The lifecycle routes of a versioned engineering document (BOM, routing). `noun` words the summaries
 * that differ only by it; edit and release come with their own.
 */
function versionRoutes(
  app: FastifyInstance,
  rt: Runtime,
  url: string,
  noun: string,
  c: { create: AnyCommand; copy: AnyCommand; obsolete: AnyCommand; remove: AnyCommand },
  own: { update: [AnyCommand, string]; activate: [AnyCommand, string] },
): void {
  const [update, updateSummary] = own.update;
  const [activate, activateSummary] = own.activate;
  commandRoute(app, rt, { method: "POST", url, command: c.create, tags, summary: `Create a ${noun} version (draft)`, status: 201 });
  commandRoute(app, rt, { method: "PATCH", url: `${url}/:id`, command: update, tags, summary: updateSummary, body: patchBody(update.input) });
  commandRoute(app, rt, {
    method: "POST",
    url: `${url}/:id/copy`,
    command: c.copy,
    tags,
    summary: `Copy a ${noun} version into a new draft version`,
    status: 201,
    body: Type.Omit(c.copy.input, ["id"]),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: `${url}/:id/activate`,
    command: activate,
    tags,
    summary: activateSummary,
    body: Type.Omit(Type.Partial(activate.input), ["id"]),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: `${url}/:id/obsolete`,
    command: c.obsolete,
    tags,
    summary: `Make an active ${noun} obsolete`,
    body: Type.Omit(Type.Partial(c.obsolete.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${url}/:id`, command: c.remove, tags, summary: `Delete a draft ${noun} (version in If-Match)` });
}

export function routes(app: FastifyInstance, rt: Runtime): void {
  // ------------------------------------------------------------ skills, workshops, lines, work centres
  queryRoute(app, rt, {
    url: "/api/masterdata/skills",
    permission: P.resourceRead,
    tags,
    summary: "List skills",
    querystring: listQuerySchema({ active: Type.Optional(Type.Boolean()) }),
    handler: ({ db, actor, query }) => rq.listSkills(db, actor.companyId!, query),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/masterdata/skills", command: rc.createSkill, tags, summary: "Create a skill", status: 201 });
  commandRoute(app, rt, { method: "PATCH", url: "/api/masterdata/skills/:id", command: rc.updateSkill, tags, summary: "Edit or deactivate a skill", body: patchBody(rc.updateSkill.input) });

  queryRoute(app, rt, {
    url: "/api/masterdata/workshops",
    permission: P.resourceRead,
    tags,
    summary: "List workshops (车间)",
    querystring: listQuerySchema({ active: Type.Optional(Type.Boolean()) }),
    handler: ({ db, actor, query }) => rq.listWorkshops(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/workshops/:id",
    withId: true,
    permission: P.resourceRead,
    tags,
    summary: "One workshop",
    handler: ({ db, actor, params }) => rq.getWorkshop(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/masterdata/workshops", command: rc.createWorkshop, tags, summary: "Create a workshop", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/masterdata/workshops/:id",
    command: rc.updateWorkshop,
    tags,
    summary: "Edit or deactivate a workshop",
    body: patchBody(rc.updateWorkshop.input),
  });

  queryRoute(app, rt, {
    url: "/api/masterdata/production-lines",
    permission: P.resourceRead,
    tags,
    summary: "List production lines (生产线)",
    querystring: listQuerySchema({ workshopId: Type.Optional(Id), active: Type.Optional(Type.Boolean()) }),
    handler: ({ db, actor, query }) => rq.listLines(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/production-lines/:id",
    withId: true,
    permission: P.resourceRead,
    tags,
    summary: "One production line",
    handler: ({ db, actor, params }) => rq.getLine(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/masterdata/production-lines", command: rc.createLine, tags, summary: "Create a production line", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/masterdata/production-lines/:id",
    command: rc.updateLine,
    tags,
    summary: "Edit or deactivate a production line",
    body: patchBody(rc.updateLine.input),
  });

  queryRoute(app, rt, {
    url: "/api/masterdata/work-centres",
    permission: P.resourceRead,
    tags,
    sensitive: { entity: "work_centre", fields: { [P.rateRead]: ["labourRate", "machineRate", "overheadRate"] } },
    summary: "List work centres (rates only with masterdata.workcentre.rate.read)",
    querystring: listQuerySchema({ workshopId: Type.Optional(Id), lineId: Type.Optional(Id), active: Type.Optional(Type.Boolean()) }),
    handler: ({ db, actor, query }) => rq.listWorkCentres(db, actor, query),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/work-centres/:id",
    withId: true,
    permission: P.resourceRead,
    tags,
    sensitive: { entity: "work_centre", fields: { [P.rateRead]: ["labourRate", "machineRate", "overheadRate"] } },
    summary: "One work centre with its skills and the routings using it",
    handler: ({ db, actor, params }) => rq.getWorkCentre(db, actor, params.id as number),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/work-centres/:id/capacity",
    withId: true,
    permission: P.resourceRead,
    tags,
    summary: "Available minutes per day between two dates (calendar minutes × machines × efficiency)",
    querystring: strict({ from: IsoDate, to: IsoDate }),
    handler: ({ db, actor, params, query }) => rq.workCentreCapacity(db, actor.companyId!, params.id as number, query.from, query.to),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/masterdata/work-centres", command: rc.createWorkCentre, tags, summary: "Create a work centre", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/masterdata/work-centres/:id",
    command: rc.updateWorkCentre,
    tags,
    summary: "Edit, move or deactivate a work centre (skills replaced when given)",
    body: patchBody(rc.updateWorkCentre.input),
  });

  // ------------------------------------------------------------ bills of materials
  queryRoute(app, rt, {
    url: "/api/masterdata/boms",
    permission: P.bomRead,
    tags,
    summary: "List bills of materials (versions)",
    querystring: listQuerySchema({ status: Type.Optional(Status), itemId: Type.Optional(Id) }),
    handler: ({ db, actor, query }) => bq.listBoms(db, actor, query),
  });
  exportRoute(app, rt, "bom", "/api/masterdata/boms/export", { status: Type.Optional(Status), itemId: Type.Optional(Id) }, tags);
  queryRoute(app, rt, {
    url: "/api/masterdata/boms/:id",
    withId: true,
    permission: P.bomRead,
    tags,
    sensitive: { entity: "bom", fields: { [P.bomQuantityRead]: ["qty", "scrapPct"] } },
    summary: "A BOM version with its lines and the item's other versions (quantities only with masterdata.bom.quantity.read)",
    handler: ({ db, actor, params }) => bq.getBom(db, actor, params.id as number),
  });
  versionRoutes(app, rt, "/api/masterdata/boms", "BOM", { create: bc.createBom, copy: bc.copyBom, obsolete: bc.obsoleteBom, remove: bc.deleteBom }, {
    update: [bc.updateBom, "Edit a draft BOM (lines replaced when given)"],
    activate: [bc.activateBom, "Release a draft BOM (refused if it closes a cycle or overlaps an active version, unless superseding it)"],
  });

  const ExplosionQuery = strict({
    itemId: Id,
    qty: Type.Optional(Qty),
    asOf: Type.Optional(IsoDate),
    maxLevels: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    bomId: Type.Optional(Id),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/bom-explosion",
    permission: P.bomRead,
    tags,
    sensitive: { entity: "bom", fields: { [P.bomQuantityRead]: ["qty", "scrapPct"] } },
    summary: "Indented multi-level explosion for a quantity on a date (phantoms blown through, scrap applied)",
    querystring: ExplosionQuery,
    handler: async ({ db, actor, query }) => bq.explodeBom(db, actor, { ...query, asOf: query.asOf ?? (await companyToday(db, actor.companyId!)) }),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/bom-summary",
    permission: P.bomQuantityRead,
    tags,
    sensitive: { entity: "bom", fields: { [P.bomQuantityRead]: ["qty", "scrapPct"] } },
    summary: "Summarised explosion: total requirement per component",
    querystring: Type.Omit(ExplosionQuery, ["maxLevels"]),
    handler: async ({ db, actor, query }) => bq.summariseBom(db, actor, { ...query, asOf: query.asOf ?? (await companyToday(db, actor.companyId!)) }),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/where-used",
    permission: P.bomRead,
    tags,
    summary: "Where a component is used: direct parents (levels=single) or every item above it (levels=all)",
    querystring: strict({
      itemId: Id,
      asOf: Type.Optional(IsoDate),
      levels: Type.Optional(Type.Union([Type.Literal("single"), Type.Literal("all")])),
    }),
    handler: ({ db, actor, query }) => bq.whereUsedQuery(db, actor, query),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/cost-rollup",
    permission: P.itemCostRead,
    tags,
    sensitive: { entity: "item", fields: { [P.itemCostRead]: ["costRollup"] } },
    summary: "Standard cost roll-up of one unit: material, labour, machine and overhead per level",
    querystring: strict({ itemId: Id, asOf: Type.Optional(IsoDate) }),
    handler: async ({ db, actor, query }) => cq.costRollup(db, actor, { itemId: query.itemId, asOf: query.asOf ?? (await companyToday(db, actor.companyId!)) }),
  });

  // ------------------------------------------------------------ routings
  queryRoute(app, rt, {
    url: "/api/masterdata/routings",
    permission: P.routingRead,
    tags,
    summary: "List routings (versions)",
    querystring: listQuerySchema({ status: Type.Optional(Status), itemId: Type.Optional(Id), workCentreId: Type.Optional(Id) }),
    handler: ({ db, actor, query }) => oq.listRoutings(db, actor, query),
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/routings/:id",
    withId: true,
    permission: P.routingRead,
    tags,
    summary: "A routing version with its operations and the item's other versions",
    handler: ({ db, actor, params }) => oq.getRouting(db, actor, params.id as number),
  });
  versionRoutes(app, rt, "/api/masterdata/routings", "routing", { create: oc.createRouting, copy: oc.copyRouting, obsolete: oc.obsoleteRouting, remove: oc.deleteRouting }, {
    update: [oc.updateRouting, "Edit a draft routing (operations replaced when given)"],
    activate: [oc.activateRouting, "Release a draft routing"],
  });

  // ------------------------------------------------------------ pickers of the editors
  const anyEngineeringRead = (actor: Parameters<typeof can>[0]) => {
    if (![P.bomRead, P.routingRead, P.resourceRead].some((p) => can(actor, p))) throw errors.forbidden(P.bomRead);
  };
  queryRoute(app, rt, {
    url: "/api/masterdata/engineering/item-options",
    permission: null,
    tags,
    summary: "Items for the BOM and routing pickers (code or name search, or ids=1,2,3)",
    querystring: strict({
      q: Type.Optional(Type.String({ maxLength: 100 })),
      ids: Type.Optional(Type.String({ maxLength: 2000, pattern: "^[0-9,]*$" })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    }),
    handler: async ({ db, actor, query }) => {
      anyEngineeringRead(actor);
      return bq.itemOptions(db, actor.companyId!, query);
    },
  });
  queryRoute(app, rt, {
    url: "/api/masterdata/engineering/item-options/:id/units",
    withId: true,
    permission: P.bomRead,
    tags,
    summary: "Units a BOM line of this component can be entered in, with their factor to its base unit",
    handler: ({ db, actor, params }) => bq.unitOptions(db, actor.companyId!, params.id as number),
  });
}
