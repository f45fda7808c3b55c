import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../../http/routes.ts";
import { listQuerySchema } from "../../../platform/listing.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import * as c from "./commands.ts";
import * as q from "./queries.ts";

const tags = ["access"];

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/access/temporary/grantable-roles",
    permission: null,
    tags,
    summary: "Roles that may be asked for temporarily, with their longest period",
    handler: ({ db, actor }) => q.grantableRoles(db, actor.companyId!),
  });
  commandRoute(app, rt, {
    method: "PUT",
    url: "/api/access/temporary/grantable-roles",
    command: c.setGrantable,
    tags,
    summary: "Mark a role as grantable temporarily (with a longest period) or not",
  });
  queryRoute(app, rt, {
    url: "/api/access/temporary/grants",
    permission: null,
    tags,
    summary: "Temporary access: mine, or everyone's (access.temporary.read); state=current for holders now and soon",
    querystring: listQuerySchema({
      scope: Type.Optional(Type.Union([Type.Literal("mine"), Type.Literal("all")])),
      state: Type.Optional(
        Type.Union(
          ["current", "pending", "upcoming", "active", "expired", "rejected", "withdrawn", "revoked", "ended"].map((s) => Type.Literal(s)),
        ),
      ),
    }),
    handler: ({ db, actor, query }) => q.listGrants(db, actor, query),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/access/temporary/grants",
    command: c.requestGrant,
    tags,
    summary: "Ask for a grantable role for a limited time (goes to one's superior for approval)",
    status: 201,
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/access/temporary/grants/:id/revoke",
    command: c.revokeGrant,
    tags,
    summary: "End temporary access early (with a reason)",
  });
}
