import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { can } from "../../platform/actor.ts";
import { listQuerySchema } from "../../platform/listing.ts";
import { warehouseFilter } from "../../platform/scope.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { exportRoute } from "../masterdata/catalog/export-route.ts";
import * as c from "./commands.ts";
import { valueSight } from "./common.ts";
import * as counts from "./counts.ts";
import { P } from "./permissions.ts";
import * as q from "./queries.ts";
import * as res from "./reservations.ts";

const tags = ["inventory"];
const IdQ = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
const DateQ = Type.String({ format: "date" });
const VersionOnly = Type.Object({ version: Type.Optional(c.Version) }, { additionalProperties: false });
const DOC_TYPES = ["receipt", "issue", "transfer"] as const;
const docTypeSchema = Type.Union(DOC_TYPES.map((t) => Type.Literal(t)));

export function routes(app: FastifyInstance, rt: Runtime): void {
  // Stock and ledger ------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: "/api/inventory/stock",
    permission: P.stockRead,
    tags,
    sensitive: { entity: "stock_balance", fields: { [P.valueRead]: ["unitCost", "value"] } },
    summary: "Stock overview: on hand, reserved, available, incoming (and value with inventory.value.read)",
    querystring: listQuerySchema({
      group: Type.Optional(Type.Union([Type.Literal("item"), Type.Literal("warehouse"), Type.Literal("location"), Type.Literal("lot")])),
      itemId: Type.Optional(IdQ),
      warehouseId: Type.Optional(IdQ),
      locationId: Type.Optional(IdQ),
      lotId: Type.Optional(IdQ),
      showZero: Type.Optional(Type.Boolean()),
    }),
    handler: ({ db, actor, query }) => q.stockOverview(db, actor.companyId!, { ...query, scopeWarehouses: warehouseFilter(actor, P.stockRead) }, valueSight(actor)),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/items/:id/stock",
    withId: true,
    permission: P.stockRead,
    tags,
    sensitive: { entity: "item", fields: { [P.valueRead]: ["unitCost", "value"] } },
    summary: "All stock of one item by location and lot",
    handler: ({ db, actor, params }) => q.itemStock(db, actor.companyId!, params.id as number, valueSight(actor), warehouseFilter(actor, P.stockRead)),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/moves",
    permission: P.stockRead,
    tags,
    sensitive: { entity: "stock_move", fields: { [P.valueRead]: ["unitCost", "value"] } },
    summary: "The stock move ledger",
    querystring: listQuerySchema({
      itemId: Type.Optional(IdQ),
      locationId: Type.Optional(IdQ),
      warehouseId: Type.Optional(IdQ),
      lotId: Type.Optional(IdQ),
      docType: Type.Optional(Type.Union([...DOC_TYPES, "count"].map((t) => Type.Literal(t)))),
      moveType: Type.Optional(
        Type.Union(["receipt", "issue", "transfer", "adjustment", "scrap", "production_consumption", "production_output"].map((t) => Type.Literal(t))),
      ),
      from: Type.Optional(DateQ),
      to: Type.Optional(DateQ),
    }),
    handler: ({ db, actor, query }) => q.listMoves(db, actor.companyId!, { ...query, scopeWarehouses: warehouseFilter(actor, P.stockRead) }, valueSight(actor)),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/lots",
    permission: P.stockRead,
    tags,
    summary: "Lots and serial numbers",
    querystring: listQuerySchema({ itemId: Type.Optional(IdQ) }),
    handler: ({ db, actor, query }) => q.listLots(db, actor.companyId!, { ...query, scopeWarehouses: warehouseFilter(actor, P.stockRead) }),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/trace",
    permission: P.stockRead,
    tags,
    summary: "Lot trace: forward (where it went, what it went into) or backward (where it came from, what it was made of)",
    querystring: Type.Object(
      { lotId: IdQ, direction: Type.Union([Type.Literal("forward"), Type.Literal("backward")]), depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) },
      { additionalProperties: false },
    ),
    handler: ({ db, actor, query }) => q.traceLot(db, actor.companyId!, query.lotId, query.direction, query.depth ?? 8, warehouseFilter(actor, P.stockRead)),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/suggest-lots",
    permission: P.stockRead,
    tags,
    summary: "FEFO/FIFO lot proposal for an issue: earliest expiry first, then oldest receipt",
    querystring: Type.Object(
      {
        itemId: IdQ,
        quantity: Type.Optional(c.Quantity),
        locationId: Type.Optional(IdQ),
        warehouseId: Type.Optional(IdQ),
      },
      { additionalProperties: false },
    ),
    handler: ({ db, actor, query }) => q.suggestLots(db, actor.companyId!, query, warehouseFilter(actor, P.stockRead)),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/valuation",
    permission: P.valueRead,
    tags,
    sensitive: { entity: "stock_valuation", fields: { [P.valueRead]: ["unitCost", "value"] } },
    summary: "Inventory value as of the end of a day, per item, warehouse or both",
    querystring: listQuerySchema({
      asOf: DateQ,
      group: Type.Optional(Type.Union([Type.Literal("item"), Type.Literal("warehouse"), Type.Literal("item_warehouse")])),
      warehouseId: Type.Optional(IdQ),
    }),
    handler: ({ db, actor, query }) => q.valuationAsOf(db, actor.companyId!, { ...query, scopeWarehouses: warehouseFilter(actor, P.valueRead) }),
  });

  // Exports (CSV/XLSX, audited; the lists' filters) -----------------------------------------------
  const stockGroup = Type.Union([Type.Literal("item"), Type.Literal("warehouse"), Type.Literal("location"), Type.Literal("lot")]);
  const opt = Type.Optional;
  exportRoute(app, rt, "stock", "/api/inventory/stock/export", {
    group: opt(stockGroup), itemId: opt(IdQ), warehouseId: opt(IdQ), locationId: opt(IdQ), lotId: opt(IdQ), showZero: opt(Type.Boolean()),
  }, tags);
  exportRoute(app, rt, "move", "/api/inventory/moves/export", {
    itemId: opt(IdQ), locationId: opt(IdQ), warehouseId: opt(IdQ), lotId: opt(IdQ),
    docType: opt(Type.Union([...DOC_TYPES, "count"].map((t) => Type.Literal(t)))),
    moveType: opt(Type.Union(["receipt", "issue", "transfer", "adjustment", "scrap", "production_consumption", "production_output"].map((t) => Type.Literal(t)))),
    from: opt(DateQ), to: opt(DateQ),
  }, tags);
  exportRoute(app, rt, "stock_document", "/api/inventory/documents/export", {
    type: opt(docTypeSchema), state: opt(Type.Union(["draft", "posted", "reversed", "cancelled"].map((s) => Type.Literal(s)))), itemId: opt(IdQ),
  }, tags);
  exportRoute(app, rt, "valuation", "/api/inventory/valuation/export", {
    asOf: DateQ, group: opt(Type.Union([Type.Literal("item"), Type.Literal("warehouse"), Type.Literal("item_warehouse")])), warehouseId: opt(IdQ),
  }, tags);

  // Pickers ----------------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: "/api/inventory/lookup/items",
    permission: P.stockRead,
    tags,
    summary: "Stocked items by code, name or barcode (pickers)",
    querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
    handler: ({ db, actor, query }) => q.lookupItems(db, actor.companyId!, query.q),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/lookup/locations",
    permission: P.stockRead,
    tags,
    summary: "Active locations, optionally of some kinds or one warehouse (pickers)",
    querystring: Type.Object(
      {
        kinds: Type.Optional(Type.String({ pattern: "^[a-z_]+(,[a-z_]+)*$", maxLength: 200 })),
        warehouseId: Type.Optional(IdQ),
        q: Type.Optional(Type.String({ maxLength: 100 })),
      },
      { additionalProperties: false },
    ),
    handler: ({ db, actor, query }) => q.lookupLocations(db, actor.companyId!, { kinds: query.kinds?.split(","), warehouseId: query.warehouseId, q: query.q, scopeWarehouses: warehouseFilter(actor, P.stockRead) }),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/lookup/warehouses",
    permission: P.stockRead,
    tags,
    summary: "Active warehouses (pickers)",
    handler: ({ db, actor }) => q.lookupWarehouses(db, actor.companyId!, warehouseFilter(actor, P.stockRead)),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/lookup/partners",
    permission: P.stockRead,
    tags,
    summary: "Active suppliers or customers (pickers)",
    querystring: Type.Object(
      { role: Type.Optional(Type.Union([Type.Literal("supplier"), Type.Literal("customer")])), q: Type.Optional(Type.String({ maxLength: 100 })) },
      { additionalProperties: false },
    ),
    handler: ({ db, actor, query }) => q.lookupPartners(db, actor.companyId!, query.role, query.q),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/scan",
    permission: P.stockRead,
    tags,
    summary: "Resolve a scanned code: item barcode or code, or lot number",
    querystring: Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    handler: ({ db, actor, query }) => q.scan(db, actor.companyId!, query.code),
  });

  // Documents ------------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: "/api/inventory/documents",
    permission: P.stockRead,
    tags,
    summary: "Goods receipts, issues and transfers",
    querystring: listQuerySchema({
      type: Type.Optional(docTypeSchema),
      state: Type.Optional(Type.Union(["draft", "posted", "reversed", "cancelled"].map((s) => Type.Literal(s)))),
      itemId: Type.Optional(IdQ),
    }),
    handler: ({ db, actor, query }) => q.listDocuments(db, actor.companyId!, { ...query, scopeWarehouses: warehouseFilter(actor, P.stockRead) }, valueSight(actor)),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/documents/:id",
    withId: true,
    permission: P.stockRead,
    tags,
    sensitive: { entity: "stock_document", fields: { [P.valueRead]: ["unitCost", "value"] } },
    summary: "A stock document with its lines (and moves once posted)",
    handler: async ({ db, actor, params }) => {
      // Outside the reader's warehouses the document does not exist for them (404, IAM-5).
      await q.assertDocumentInScope(db, params.id as number, warehouseFilter(actor, P.stockRead));
      return q.getDocument(db, actor.companyId!, params.id as number, valueSight(actor));
    },
  });
  const plural = { receipt: "receipts", issue: "issues", transfer: "transfers" } as const;
  for (const [type, cmds] of [
    ["receipt", c.receipt],
    ["issue", c.issue],
    ["transfer", c.transfer],
  ] as const) {
    const base = `/api/inventory/${plural[type]}`;
    commandRoute(app, rt, { method: "POST", url: base, command: cmds.create, tags, summary: `Create a ${type} draft (post: true posts it at once)`, status: 201 });
    commandRoute(app, rt, {
      method: "PATCH",
      url: `${base}/:id`,
      command: cmds.update,
      tags,
      summary: `Edit a ${type} draft (lines replaced when given; version in If-Match or body)`,
      body: Type.Omit(Type.Partial(cmds.update.input), ["id"]),
    });
    commandRoute(app, rt, { method: "POST", url: `${base}/:id/post`, command: cmds.post, tags, summary: `Post a ${type}: moves, valuation, balances`, body: VersionOnly });
    commandRoute(app, rt, { method: "POST", url: `${base}/:id/cancel`, command: cmds.cancel, tags, summary: `Cancel a ${type} draft`, body: VersionOnly });
  }
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/inventory/documents/:id/reverse",
    command: c.reverseDocument,
    tags,
    summary: "Reverse a posted document with a new document posting the exact opposite moves",
    status: 201,
    body: Type.Object(
      { version: Type.Optional(c.Version), reason: Type.String({ minLength: 1, maxLength: 500 }), postingDate: Type.Optional(DateQ) },
      { additionalProperties: false },
    ),
  });

  // Counts ---------------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: "/api/inventory/counts",
    permission: P.stockRead,
    tags,
    summary: "Physical inventory counts",
    querystring: listQuerySchema({
      state: Type.Optional(Type.Union(["draft", "counting", "review", "posted", "cancelled"].map((s) => Type.Literal(s)))),
      warehouseId: Type.Optional(IdQ),
    }),
    handler: ({ db, actor, query }) => q.listCounts(db, actor.companyId!, { ...query, scopeWarehouses: warehouseFilter(actor, P.stockRead) }),
  });
  queryRoute(app, rt, {
    url: "/api/inventory/counts/:id",
    withId: true,
    permission: P.stockRead,
    tags,
    summary: "A count with its lines and variances",
    handler: async ({ db, actor, params }) => {
      await q.assertCountInScope(db, params.id as number, warehouseFilter(actor, P.stockRead));
      return q.getCount(db, actor.companyId!, params.id as number, { sight: valueSight(actor), canApprove: can(actor, P.countApprove) });
    },
  });
  commandRoute(app, rt, { method: "POST", url: "/api/inventory/counts", command: counts.createCount, tags, summary: "Create a count of a warehouse", status: 201 });
  commandRoute(app, rt, { method: "POST", url: "/api/inventory/counts/:id/start", command: counts.startCount, tags, summary: "Freeze the locations and take the expected quantities", body: VersionOnly });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/inventory/counts/:id/record",
    command: counts.recordCount,
    tags,
    summary: "Record counted quantities (scans add up with mode add)",
    body: Type.Omit(counts.recordCount.input, ["id"]),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/inventory/counts/:id/submit",
    command: counts.submitCount,
    tags,
    summary: "Finish counting and send the variances for review",
    body: Type.Omit(Type.Partial(counts.submitCount.input), ["id"]),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/inventory/counts/:id/reject",
    command: counts.rejectCount,
    tags,
    summary: "Send a count back for recounting",
    body: Type.Object({ version: Type.Optional(c.Version), note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/inventory/counts/:id/approve",
    command: counts.approveCount,
    tags,
    summary: "Approve the variances (not by a counter) and post the adjustments",
    body: Type.Omit(Type.Partial(counts.approveCount.input), ["id"]),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/inventory/counts/:id/cancel", command: counts.cancelCount, tags, summary: "Cancel a count (unfreezes)", body: VersionOnly });

  // Reservations ---------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: "/api/inventory/reservations",
    permission: P.stockRead,
    tags,
    summary: "Stock reservations for orders",
    querystring: listQuerySchema({
      state: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("closed")])),
      itemId: Type.Optional(IdQ),
      refType: Type.Optional(c.RefType),
      refId: Type.Optional(Type.String({ maxLength: 64 })),
    }),
    handler: ({ db, actor, query }) => q.listReservations(db, actor.companyId!, { ...query, scopeWarehouses: warehouseFilter(actor, P.stockRead) }),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/inventory/reservations", command: res.createReservation, tags, summary: "Reserve stock for an order", status: 201 });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/inventory/reservations/:id/release",
    command: res.releaseReservation,
    tags,
    summary: "Release a reservation (all of it, or a quantity)",
    body: Type.Omit(Type.Partial(res.releaseReservation.input), ["id"]),
  });
}
