import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { errors } from "../../platform/errors.ts";
import { listQuerySchema } from "../../platform/listing.ts";
import type { Runtime } from "../../platform/runtime.ts";
import * as c from "./commands.ts";
import { readFile } from "./files.ts";
import { P } from "./permissions.ts";
import * as q from "./queries.ts";

const tags = ["workflow"];
const RequestStatus = Type.Union([Type.Literal("pending"), Type.Literal("approved"), Type.Literal("rejected"), Type.Literal("withdrawn")]);
const DocTypeFilter = Type.String({ pattern: "^[a-z][a-z0-9_.]*$", maxLength: 64 });
const body = (schema: ReturnType<typeof Type.Object>, omit: string[]) => Type.Omit(schema, omit);

export function routes(app: FastifyInstance, rt: Runtime): void {
  queryRoute(app, rt, {
    url: "/api/workflow/inbox",
    permission: null,
    tags,
    summary: "What waits for me: open levels I may decide now (also standing in for others)",
    querystring: listQuerySchema({ docType: Type.Optional(DocTypeFilter) }),
    handler: ({ db, actor, query }) => q.inbox(db, actor, query),
  });
  queryRoute(app, rt, {
    url: "/api/workflow/requests",
    permission: null,
    tags,
    summary: "Approval requests: mine, decided by me, or all (workflow.request.read)",
    querystring: listQuerySchema({
      scope: Type.Optional(Type.Union([Type.Literal("mine"), Type.Literal("decided"), Type.Literal("all")])),
      status: Type.Optional(RequestStatus),
      docType: Type.Optional(DocTypeFilter),
    }),
    handler: ({ db, actor, query }) => q.listRequests(db, actor, query),
  });
  queryRoute(app, rt, {
    url: "/api/workflow/requests/:id",
    withId: true,
    permission: null,
    tags,
    summary: "A request with its levels, approvers, history, the document and whether I may decide it",
    handler: ({ db, actor, params }) => q.getRequest(db, actor, params.id as number),
  });
  queryRoute(app, rt, {
    url: "/api/workflow/history",
    permission: null,
    tags,
    summary: "Every approval request of one document with its history (the timeline on a document)",
    querystring: Type.Object({ docType: DocTypeFilter, docId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
    handler: ({ db, actor, query }) => q.documentHistory(db, actor, query.docType, query.docId),
  });

  // The document's files (proofs of a registration…), for the people who may read its request.
  app.get(
    "/api/workflow/requests/:id/files/:fileId",
    {
      schema: {
        tags,
        summary: "Download a file of the request's document (inline=1 to view it in the browser)",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), fileId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        querystring: Type.Object({ inline: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      if (req.actor.kind === "anonymous") throw errors.unauthenticated();
      const { id, fileId } = req.params as { id: number; fileId: number };
      const request = await q.requestForFile(rt.database.db, req.actor, id);
      const file = await readFile(rt.database.db, fileId);
      if (!file || file.entity !== request.docType || file.entityId !== request.docId) throw errors.notFound("file");
      const disposition = (req.query as { inline?: boolean }).inline ? "inline" : "attachment";
      reply
        .header("content-type", file.contentType)
        .header("content-length", String(file.sizeBytes))
        .header("content-disposition", `${disposition}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header("x-content-sha256", file.sha256);
      return reply.send(file.content);
    },
  );

  commandRoute(app, rt, {
    method: "POST",
    url: "/api/workflow/requests/:id/approve",
    command: c.approve,
    tags,
    summary: "Approve the open level (give the level you saw; another level is refused)",
    body: body(c.approve.input, ["requestId"]),
    input: (req) => ({ ...(req.body as object), requestId: (req.params as { id: number }).id }),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/workflow/requests/:id/reject",
    command: c.reject,
    tags,
    summary: "Reject the open level with a reason (closes the request)",
    body: body(c.reject.input, ["requestId"]),
    input: (req) => ({ ...(req.body as object), requestId: (req.params as { id: number }).id }),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/workflow/requests/:id/withdraw",
    command: c.withdrawRequest,
    tags,
    summary: "Withdraw one's own open request",
    body: body(c.withdrawRequest.input, ["requestId"]),
    input: (req) => ({ ...(req.body as object), requestId: (req.params as { id: number }).id }),
  });

  queryRoute(app, rt, {
    url: "/api/workflow/doc-types",
    permission: null,
    tags,
    summary: "Document types that can have approval chains, with their names",
    handler: ({ db, actor }) => q.docTypes(db, actor.companyId!),
  });
  queryRoute(app, rt, {
    url: "/api/workflow/chains",
    permission: P.chainRead,
    tags,
    summary: "Approval chains",
    querystring: listQuerySchema({ docType: Type.Optional(DocTypeFilter), active: Type.Optional(Type.Boolean()) }),
    handler: ({ db, actor, query }) => q.listChains(db, actor.companyId!, query),
  });
  queryRoute(app, rt, {
    url: "/api/workflow/chains/:id",
    withId: true,
    permission: P.chainRead,
    tags,
    summary: "An approval chain with its levels and every earlier revision",
    handler: ({ db, actor, params }) => q.getChain(db, actor.companyId!, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/workflow/chains", command: c.createChain, tags, summary: "Define an approval chain", status: 201 });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/workflow/chains/:id",
    command: c.updateChain,
    tags,
    summary: "Edit a chain (levels replaced when given: a new revision); version in If-Match or body",
    body: Type.Omit(Type.Partial(c.updateChain.input), ["id"]),
  });

  queryRoute(app, rt, {
    url: "/api/workflow/delegations",
    permission: null,
    tags,
    summary: "Delegations from or to me, or all (workflow.delegation.admin)",
    querystring: listQuerySchema({
      scope: Type.Optional(Type.Union([Type.Literal("mine"), Type.Literal("all")])),
      state: Type.Optional(Type.Union([Type.Literal("active"), Type.Literal("upcoming"), Type.Literal("past"), Type.Literal("cancelled")])),
    }),
    handler: ({ db, actor, query }) => q.listDelegations(db, actor, query),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/workflow/delegations",
    command: c.createDelegation,
    tags,
    summary: "Hand on my approvals (or, as administrator, someone's) for a date range",
    status: 201,
  });
  commandRoute(app, rt, { method: "POST", url: "/api/workflow/delegations/:id/cancel", command: c.cancelDelegation, tags, summary: "Cancel a delegation" });

  queryRoute(app, rt, {
    url: "/api/workflow/people",
    permission: null,
    tags,
    summary: "Active colleagues to choose as a delegate or a named approver",
    querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
    handler: ({ db, actor, query }) => q.people(db, actor.companyId!, query.q),
  });
}
