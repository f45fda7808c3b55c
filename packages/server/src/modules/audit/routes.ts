import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { errors } from "../../platform/errors.ts";
import { listQuerySchema } from "../../platform/listing.ts";
import type { Runtime } from "../../platform/runtime.ts";
import { StrictObject } from "../../platform/validation.ts";
import { readAnchor, verifyChain } from "./chain.ts";
import * as ev from "./events.ts";
import { exportLog } from "./export.ts";
import { P } from "./permissions.ts";
import * as q from "./queries.ts";
import { getSettings, updateSettings } from "./settings.ts";

const literal = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const logFilters = {
  userId: Type.Optional(Type.Integer({ minimum: 1, description: "a person (actor id of type user)" })),
  actorType: Type.Optional(literal("user", "token", "system", "anonymous")),
  tokenId: Type.Optional(Type.Integer({ minimum: 1, description: "an API token" })),
  from: Type.Optional(Type.String({ format: "date-time", description: "from this time (inclusive)" })),
  to: Type.Optional(Type.String({ format: "date-time", description: "up to this time (inclusive)" })),
  action: Type.Optional(Type.String({ maxLength: 200, pattern: "^[A-Za-z0-9_.:-]+(\\.\\*)?$", description: "an action, or a prefix ending in .*" })),
  entity: Type.Optional(Type.String({ maxLength: 100 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  ip: Type.Optional(Type.String({ maxLength: 64, pattern: "^[0-9A-Fa-f.:]+$", description: "an address or its start (a subnet)" })),
  outcome: Type.Optional(literal("success", "denied", "failed")),
};

const eventFilters = {
  status: Type.Optional(literal("open", "investigating", "resolved", "unresolved")),
  severity: Type.Optional(literal("low", "medium", "high", "critical")),
  rule: Type.Optional(Type.String({ maxLength: 40, pattern: "^[a-z_]+$" })),
  assigneeId: Type.Optional(Type.Integer({ minimum: 1 })),
  from: Type.Optional(Type.String({ format: "date-time" })),
  to: Type.Optional(Type.String({ format: "date-time" })),
};

const idOf = (req: { params: unknown }) => (req.params as { id: number }).id;

export function routes(app: FastifyInstance, rt: Runtime): void {
  const tags = ["audit"];
  queryRoute(app, rt, {
    url: "/api/audit/log",
    permission: P.logRead,
    tags,
    summary: "The audit log, newest first, filtered by person, period, action, entity, address and outcome",
    querystring: listQuerySchema(logFilters),
    handler: ({ db, actor, query }) => q.listLog(db, actor, query),
  });
  queryRoute(app, rt, {
    url: "/api/audit/log/:id",
    withId: true,
    permission: P.logRead,
    tags,
    summary: "One audit record with its before/after field by field and its place in the chain",
    handler: ({ db, actor, params }) => q.getLogRecord(db, actor, params.id as number),
  });
  queryRoute(app, rt, {
    url: "/api/audit/actions",
    permission: P.logRead,
    tags,
    summary: "The actions that occur in the log, with their names in both languages",
    handler: ({ db, actor }) => q.listActions(db, actor.lang),
  });
  queryRoute(app, rt, {
    url: "/api/audit/export",
    permission: P.logExport,
    tags,
    summary: "The filtered log as CSV (UTF-8); the export itself is recorded with its filter and row count",
    querystring: Type.Object(logFilters, { additionalProperties: false }),
    handler: async ({ actor, query }, req, reply) => {
      const { fileName, count, stream } = await exportLog(rt, actor, req.meta, query);
      reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${fileName}"`)
        .header("x-export-rows", String(count));
      return reply.send(stream);
    },
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/audit/verify",
    command: verifyChain,
    tags,
    summary: "Verify the audit chain now (and that the log still reaches the anchor kept outside the database)",
    body: StrictObject({}),
    input: () => ({ trigger: "manual" }),
  });
  queryRoute(app, rt, {
    url: "/api/audit/verifications",
    permission: P.logRead,
    tags,
    summary: "Past verifications of the audit chain",
    querystring: listQuerySchema(),
    handler: ({ db, query }) => q.listVerifications(db, query),
  });
  queryRoute(app, rt, {
    url: "/api/audit/anchor",
    permission: P.logRead,
    tags,
    summary: "The chain head recorded outside the database at the last good verification",
    handler: async () => ({ anchor: readAnchor(rt) }),
  });

  const stags = ["security"];
  queryRoute(app, rt, {
    url: "/api/security/events",
    permission: P.securityRead,
    tags: stags,
    summary: "Security events found by the anomaly rules or reported by people",
    querystring: listQuerySchema(eventFilters),
    handler: ({ db, actor, query }) => q.listEvents(db, actor, query),
  });
  queryRoute(app, rt, {
    url: "/api/security/events/summary",
    permission: P.securityRead,
    tags: stags,
    summary: "Counts of unresolved events (the menu badge) and when the rules last ran",
    handler: ({ db, actor }) => q.eventSummary(db, actor),
  });
  queryRoute(app, rt, {
    url: "/api/security/events/:id",
    withId: true,
    permission: P.securityRead,
    tags: stags,
    summary: "A security event with its timeline and the audit records behind it",
    handler: ({ db, actor, params }) => q.getEvent(db, actor, params.id as number),
  });
  commandRoute(app, rt, { method: "POST", url: "/api/security/events", command: ev.report, tags: stags, summary: "Report a security event", status: 201 });
  const step = (url: string, command: typeof ev.investigate | typeof ev.resolve | typeof ev.reopen | typeof ev.assign, summary: string) =>
    commandRoute(app, rt, {
      method: "POST",
      url,
      command: command as typeof ev.investigate,
      tags: stags,
      summary,
      // Required fields are checked by the command (same problem format); the version may come in If-Match.
      body: Type.Omit(Type.Partial(command.input), ["id"]),
      input: (req) => ({ ...(req.body as object), id: idOf(req), ...versionFromHeader(req.headers["if-match"], req.body) }),
    });
  step("/api/security/events/:id/investigate", ev.investigate, "Start investigating (open → investigating), with a note and an assignee");
  step("/api/security/events/:id/resolve", ev.resolve, "Resolve with a resolution and a note");
  step("/api/security/events/:id/reopen", ev.reopen, "Reopen a resolved event for investigation");
  step("/api/security/events/:id/assign", ev.assign, "Assign the event to a person (or nobody)");
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/security/events/:id/comments",
    command: ev.comment,
    tags: stags,
    summary: "Add a note to the event's timeline",
    body: Type.Omit(ev.comment.input, ["id"]),
    status: 201,
  });
  commandRoute(app, rt, { method: "POST", url: "/api/security/scan", command: ev.scan, tags: stags, summary: "Run the anomaly rules now" });
  queryRoute(app, rt, {
    url: "/api/security/assignees",
    permission: P.securityManage,
    tags: stags,
    summary: "People who may be assigned security events",
    handler: ({ db, actor }) => q.listAssignees(db, actor),
  });
  queryRoute(app, rt, {
    url: "/api/security/settings",
    permission: P.securityRead,
    tags: stags,
    summary: "Thresholds of the anomaly rules",
    handler: ({ db, actor }) => getSettings(db, actor.companyId!),
  });
  commandRoute(app, rt, {
    method: "PATCH",
    url: "/api/security/settings",
    command: updateSettings,
    tags: stags,
    summary: "Change the thresholds (version in If-Match or body)",
    body: Type.Partial(updateSettings.input),
    input: (req) => ({ ...(req.body as object), ...versionFromHeader(req.headers["if-match"], req.body) }),
  });
}

/** `If-Match: "3"` → { version: 3 } unless the body carries the version itself. */
function versionFromHeader(ifMatch: string | string[] | undefined, body: unknown): { version?: number } {
  if (body && typeof body === "object" && "version" in body) return {};
  if (typeof ifMatch !== "string") return {};
  const v = Number(ifMatch.replace(/^W\//, "").replaceAll('"', ""));
  if (!Number.isInteger(v)) throw errors.field("/headers/if-match", "format", "validation.format", { format: '"<version>"' });
  return { version: v };
}
