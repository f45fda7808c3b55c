import { createHash } from "node:crypto";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../../http/routes.ts";
import { can } from "../../../platform/actor.ts";
import { normaliseOutput } from "../../../platform/db/database.ts";
import { errors } from "../../../platform/errors.ts";
import { listQuerySchema } from "../../../platform/listing.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { MAX_ATTACHMENT_BYTES, attachmentRoutes, readMultipart } from "./attachments.ts";
import type { ImportKind } from "./columns.ts";
import { S, oneOf } from "./common.ts";
import { importTemplate } from "./export.ts";
import { exportRoute, sendFile } from "./export-route.ts";
import { detectFormat, parseCsv, parseXlsx } from "./files.ts";
import { IMPORT_KINDS, checkImport, executeImport, getImportRun, listImportRuns, tableToInput } from "./import.ts";
import * as items from "./items.ts";
import * as partners from "./partners.ts";
import { P } from "./permissions.ts";
import * as si from "./supplier-items.ts";
import * as units from "./units.ts";
import * as wh from "./warehouses.ts";

const tags = ["masterdata"];
const base = "/api/masterdata";
const Bool = Type.Optional(Type.Boolean());

const itemFilters = {
  itemType: Type.Optional(oneOf(items.ITEM_TYPES)),
  status: Type.Optional(oneOf(items.ITEM_STATUS)),
  abcClass: Type.Optional(oneOf(items.ABC)),
  makeOrBuy: Type.Optional(oneOf(items.MAKE_OR_BUY)),
  tracking: Type.Optional(oneOf(items.TRACKING)),
};
const uomFilters = { categoryId: Type.Optional(S.Id), active: Bool };
const warehouseFilters = { active: Bool };
const locationFilters = { warehouseId: Type.Optional(S.Id), kind: Type.Optional(oneOf(wh.LOCATION_KINDS)), active: Bool, virtual: Bool };
const partnerFilters = { role: Type.Optional(oneOf(["customer", "supplier"] as const)), status: Type.Optional(oneOf(["active", "blocked"] as const)) };
const supplierItemFilters = {
  partnerId: Type.Optional(S.Id),
  itemId: Type.Optional(S.Id),
  preferred: Bool,
  active: Bool,
  validOn: Type.Optional(S.Date),
};

export async function routes(app: FastifyInstance, rt: Runtime): Promise<void> {
  // ---- units --------------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: `${base}/uom-categories`,
    permission: P.uomRead,
    tags,
    summary: "Unit categories with their reference unit",
    handler: ({ db, actor }) => units.listUomCategories(db, actor.companyId!),
  });
  commandRoute(app, rt, { method: "POST", url: `${base}/uom-categories`, command: units.createUomCategory, tags, summary: "Create a unit category", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/uom-categories/:id`,
    command: units.updateUomCategory,
    tags,
    summary: "Rename or deactivate a unit category",
    body: Type.Omit(Type.Partial(units.updateUomCategory.input), ["id"]),
  });
  exportRoute(app, rt, "uom", `${base}/uoms/export`, uomFilters);
  queryRoute(app, rt, {
    url: `${base}/uoms/convert`,
    permission: P.uomRead,
    tags,
    summary: "Convert a quantity between units (through an item's own factors when itemId is given)",
    querystring: Type.Object(
      {
        qty: Type.String({ pattern: "^-?\\d{1,15}(\\.\\d{1,12})?$" }),
        fromUomId: S.Id,
        toUomId: S.Id,
        itemId: Type.Optional(S.Id),
        rounding: Type.Optional(oneOf(["half-up", "up", "down", "none"] as const)),
      },
      { additionalProperties: false },
    ),
    handler: async ({ db, actor, query }) => ({
      ...query,
      result: await units.convertItemQty(db, actor.companyId!, query, { from: "/querystring/fromUomId", to: "/querystring/toUomId", item: "/querystring/itemId" }),
    }),
  });
  queryRoute(app, rt, {
    url: `${base}/uoms`,
    permission: P.uomRead,
    tags,
    summary: "List units of measure",
    querystring: listQuerySchema(uomFilters),
    handler: ({ db, actor, query }) => units.listUoms(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: `${base}/uoms/:id`,
    withId: true,
    permission: P.uomRead,
    tags,
    summary: "One unit of measure",
    handler: ({ db, actor, params }) => units.getUom(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: `${base}/uoms`, command: units.createUom, tags, summary: "Create a unit of measure", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/uoms/:id`,
    command: units.updateUom,
    tags,
    summary: "Edit a unit (ratio and coarser rounding only while unused)",
    body: Type.Omit(Type.Partial(units.updateUom.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${base}/uoms/:id`, command: units.deleteUom, tags, summary: "Delete an unused unit" });

  // ---- items --------------------------------------------------------------------------------------
  exportRoute(app, rt, "item", `${base}/items/export`, itemFilters);
  queryRoute(app, rt, {
    url: `${base}/items`,
    permission: P.itemRead,
    tags,
    sensitive: { entity: "item", fields: { [P.itemCostRead]: ["standardCost", "lotSizeSetupCost", "lotSizeHoldingCost"] } },
    summary: "List items (costs only with masterdata.item.cost.read)",
    querystring: listQuerySchema(itemFilters),
    handler: ({ db, actor, query }) => items.listItems(db, actor, query),
  });
  queryRoute(app, rt, {
    url: `${base}/items/:id`,
    withId: true,
    permission: P.itemRead,
    tags,
    sensitive: { entity: "item", fields: { [P.itemCostRead]: ["standardCost", "lotSizeSetupCost", "lotSizeHoldingCost"] } },
    summary: "One item with its alternative units",
    handler: ({ db, actor, params }) => items.getItem(db, actor, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: `${base}/items`, command: items.createItem, tags, summary: "Create an item", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/items/:id`,
    command: items.updateItem,
    tags,
    summary: "Edit an item (version in If-Match)",
    body: Type.Omit(Type.Partial(items.updateItem.input), ["id"]),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: `${base}/items/:id/status`,
    command: items.setItemStatus,
    tags,
    summary: "Activate, block or retire an item",
    body: Type.Omit(Type.Partial(items.setItemStatus.input), ["id"]),
  });
  commandRoute(app, rt, {
    method: "PUT",
    url: `${base}/items/:id/units`,
    command: items.setItemUnits,
    tags,
    summary: "Replace the item's alternative units",
    body: Type.Omit(Type.Partial(items.setItemUnits.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${base}/items/:id`, command: items.deleteItem, tags, summary: "Delete an unused item (else block or retire it)" });

  // ---- warehouses and locations -------------------------------------------------------------------
  exportRoute(app, rt, "warehouse", `${base}/warehouses/export`, warehouseFilters);
  queryRoute(app, rt, {
    url: `${base}/warehouses`,
    permission: P.warehouseRead,
    tags,
    summary: "List warehouses",
    querystring: listQuerySchema(warehouseFilters),
    handler: ({ db, actor, query }) => wh.listWarehouses(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: `${base}/warehouses/:id`,
    withId: true,
    permission: P.warehouseRead,
    tags,
    summary: "One warehouse",
    handler: ({ db, actor, params }) => wh.getWarehouse(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: `${base}/warehouses`,
    command: wh.createWarehouse,
    tags,
    summary: "Create a warehouse (with its standard locations; the company's virtual locations on the first one)",
    status: 201,
  });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/warehouses/:id`,
    command: wh.updateWarehouse,
    tags,
    summary: "Edit or deactivate a warehouse",
    body: Type.Omit(Type.Partial(wh.updateWarehouse.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${base}/warehouses/:id`, command: wh.deleteWarehouse, tags, summary: "Delete an unused warehouse" });
  exportRoute(app, rt, "location", `${base}/locations/export`, locationFilters);
  queryRoute(app, rt, {
    url: `${base}/locations`,
    permission: P.warehouseRead,
    tags,
    summary: "List locations (flat with parentId)",
    querystring: listQuerySchema(locationFilters),
    handler: ({ db, actor, query }) => wh.listLocations(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: `${base}/locations/:id`,
    withId: true,
    permission: P.warehouseRead,
    tags,
    summary: "One location",
    handler: ({ db, actor, params }) => wh.getLocation(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: `${base}/locations`, command: wh.createLocation, tags, summary: "Create a location", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/locations/:id`,
    command: wh.updateLocation,
    tags,
    summary: "Edit, move, make default or deactivate a location",
    body: Type.Omit(Type.Partial(wh.updateLocation.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${base}/locations/:id`, command: wh.deleteLocation, tags, summary: "Delete an unused location" });

  // ---- payment terms and partners -----------------------------------------------------------------
  queryRoute(app, rt, {
    url: `${base}/payment-terms`,
    permission: P.partnerRead,
    tags,
    summary: "List payment terms",
    querystring: listQuerySchema({ active: Bool }),
    handler: ({ db, actor, query }) => partners.listPaymentTerms(db, actor.companyId!, query),
  });
  commandRoute(app, rt, { method: "POST", url: `${base}/payment-terms`, command: partners.createPaymentTerm, tags, summary: "Create a payment term", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/payment-terms/:id`,
    command: partners.updatePaymentTerm,
    tags,
    summary: "Edit or deactivate a payment term",
    body: Type.Omit(Type.Partial(partners.updatePaymentTerm.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${base}/payment-terms/:id`, command: partners.deletePaymentTerm, tags, summary: "Delete an unused payment term" });

  exportRoute(app, rt, "partner", `${base}/partners/export`, partnerFilters);
  queryRoute(app, rt, {
    url: `${base}/partners`,
    permission: P.partnerRead,
    tags,
    summary: "List customers and suppliers",
    querystring: listQuerySchema(partnerFilters),
    handler: ({ db, actor, query }) => partners.listPartners(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: `${base}/partners/:id`,
    withId: true,
    permission: P.partnerRead,
    tags,
    sensitive: { entity: "partner", fields: { [P.partnerBankRead]: ["banks"] } },
    summary: "One partner with contacts, addresses (and bank accounts with masterdata.partner.bank.read)",
    handler: ({ db, actor, params }) => partners.getPartner(db, actor, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: `${base}/partners`, command: partners.createPartner, tags, summary: "Create a customer and/or supplier", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/partners/:id`,
    command: partners.updatePartner,
    tags,
    summary: "Edit a partner (contacts, addresses, bank accounts replaced when given)",
    body: Type.Omit(Type.Partial(partners.updatePartner.input), ["id"]),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: `${base}/partners/:id/status`,
    command: partners.setPartnerStatus,
    tags,
    summary: "Block or unblock a partner",
    body: Type.Omit(Type.Partial(partners.setPartnerStatus.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${base}/partners/:id`, command: partners.deletePartner, tags, summary: "Delete an unused partner" });

  // ---- supplier items -----------------------------------------------------------------------------
  exportRoute(app, rt, "supplier_item", `${base}/supplier-items/export`, supplierItemFilters);
  queryRoute(app, rt, {
    url: `${base}/supplier-items`,
    permission: P.supplierItemRead,
    tags,
    sensitive: { entity: "supplier_item", fields: { [P.supplierItemPriceRead]: ["price"] } },
    summary: "List supplier items (prices only with masterdata.supplier_item.price.read)",
    querystring: listQuerySchema(supplierItemFilters),
    handler: ({ db, actor, query }) => si.listSupplierItems(db, actor, query),
  });
  queryRoute(app, rt, {
    url: `${base}/supplier-items/:id`,
    withId: true,
    permission: P.supplierItemRead,
    tags,
    sensitive: { entity: "supplier_item", fields: { [P.supplierItemPriceRead]: ["price"] } },
    summary: "One supplier item",
    handler: ({ db, actor, params }) => si.getSupplierItem(db, actor, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: `${base}/supplier-items`, command: si.createSupplierItem, tags, summary: "Create a supplier item (price)", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: `${base}/supplier-items/:id`,
    command: si.updateSupplierItem,
    tags,
    summary: "Edit, prefer or deactivate a supplier item",
    body: Type.Omit(Type.Partial(si.updateSupplierItem.input), ["id"]),
  });
  commandRoute(app, rt, { method: "DELETE", url: `${base}/supplier-items/:id`, command: si.deleteSupplierItem, tags, summary: "Delete a supplier item" });

  // ---- import -------------------------------------------------------------------------------------
  queryRoute(app, rt, {
    url: `${base}/imports`,
    permission: P.importRun,
    tags,
    summary: "Import runs, newest first",
    querystring: listQuerySchema({ kind: Type.Optional(oneOf(IMPORT_KINDS)) }),
    handler: ({ db, actor, query }) => listImportRuns(db, actor.companyId!, query),
  });
  app.get(
    `${base}/imports/template`,
    {
      schema: {
        tags,
        summary: "An empty import file with the columns (XLSX with a sheet explaining them)",
        querystring: Type.Object({ kind: oneOf(IMPORT_KINDS), format: oneOf(["csv", "xlsx"] as const) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      if (req.actor.kind === "anonymous") throw errors.unauthenticated();
      if (!can(req.actor, P.importRun)) throw errors.forbidden(P.importRun);
      const { kind, format } = req.query as { kind: ImportKind; format: "csv" | "xlsx" };
      return sendFile(reply, await importTemplate(kind, format, req.actor));
    },
  );
  queryRoute(app, rt, {
    url: `${base}/imports/:id`,
    withId: true,
    permission: P.importRun,
    tags,
    summary: "An import run with every error found",
    handler: ({ db, actor, params }) => getImportRun(db, actor, params.id as number),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: `${base}/imports/:id/execute`,
    command: executeImport,
    tags,
    summary: "Import a checked file: mode all (nothing if any row is bad) or good (only the good rows)",
    body: Type.Object({ mode: oneOf(["all", "good"] as const) }, { additionalProperties: false }),
  });
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, fieldSize: 100, parts: 6 } });
    scope.post(
      `${base}/imports`,
      {
        schema: {
          tags,
          summary: "Upload a CSV or XLSX file and check it (multipart: kind, file): lists every bad row, imports nothing",
          description: `Command \`masterdata.import.check\`, permission \`${P.importRun}\`.`,
          consumes: ["multipart/form-data"],
        },
      },
      async (req, reply) => {
        if (req.actor.kind === "anonymous") throw errors.unauthenticated();
        const { fields, file } = await readMultipart(req);
        const kind = fields.kind as ImportKind;
        if (!IMPORT_KINDS.includes(kind)) throw errors.field("/kind", "enum", "validation.enum", { values: IMPORT_KINDS.join(", ") });
        if (!file) throw errors.field("/file", "required", "validation.required");
        const format = detectFormat(file.fileName, file.content);
        const table = format === "xlsx" ? await parseXlsx(file.content) : parseCsv(file.content);
        const input = {
          kind,
          fileName: file.fileName.split(/[/\\]/).pop()!.slice(0, 255) || "import",
          format,
          sha256: createHash("sha256").update(file.content).digest("hex"),
          ...tableToInput(kind, table),
        };
        const run = await execute(rt, checkImport, input, req.actor, req.meta);
        reply.code(201);
        return normaliseOutput(run);
      },
    );
  });

  await attachmentRoutes(app, rt);
}
