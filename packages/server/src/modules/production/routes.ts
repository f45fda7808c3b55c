import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { listQuerySchema } from "../../platform/listing.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { createOrder } from "./commands.ts";
import { getOrder, listOrders } from "./orders.ts";
import { P } from "./permissions.ts";

const tags = ["production"];
const IdQ = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/production/orders",
    permission: P.orderRead,
    tags,
    summary: "Production orders",
    querystring: listQuerySchema({
      state: Type.Optional(Type.Union(["draft", "released", "closed", "cancelled"].map((s) => Type.Literal(s)))),
      itemId: Type.Optional(IdQ),
      planVersionId: Type.Optional(IdQ),
    }),
    handler: ({ db, actor, query }) => listOrders(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: "/api/production/orders/:id",
    withId: true,
    permission: P.orderRead,
    tags,
    summary: "One production order with its pegging",
    handler: ({ db, actor, params }) => getOrder(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/production/orders", command: createOrder, tags, summary: "Create a draft production order", status: 201 });
}
