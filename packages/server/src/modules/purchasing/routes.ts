import type { FastifyInstance } from "fastify";
import { Type, queryRoute } from "../../http/routes.ts";
import { can } from "../../platform/actor.ts";
import { listQuerySchema } from "../../platform/listing.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { P } from "./permissions.ts";
import { getRequisition, listRequisitions } from "./requisitions.ts";

const tags = ["purchasing"];
const IdQ = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
/** Prices come from the supplier items and are as sensitive there as here. */
const PRICE_READ = "masterdata.supplier_item.price.read";

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/purchasing/requisitions",
    permission: P.requisitionRead,
    tags,
    summary: "Purchase requisitions, one per proposed supplier",
    querystring: listQuerySchema({
      state: Type.Optional(Type.Union(["draft", "approved", "ordered", "cancelled"].map((s) => Type.Literal(s)))),
      supplierId: Type.Optional(IdQ),
      planVersionId: Type.Optional(IdQ),
    }),
    handler: ({ db, actor, query }) => listRequisitions(db, actor.companyId!, query, can(actor, PRICE_READ)),
  });
  queryRoute(app, rt, {
    url: "/api/purchasing/requisitions/:id",
    withId: true,
    permission: P.requisitionRead,
    tags,
    summary: "One purchase requisition with its lines and their pegging",
    handler: ({ db, actor, params }) => getRequisition(db, actor.companyId!, params.id as number, can(actor, PRICE_READ)),
  });
}
