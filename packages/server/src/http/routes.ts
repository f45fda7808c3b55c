import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Type, { type Static, type TSchema } from "typebox";
import { type Actor, can } from "../platform/actor.ts";
import { logSensitiveRead } from "../modules/audit/log.ts";
import { writeAudit } from "../platform/audit.ts";
import { type Executor, normaliseOutput } from "../platform/db/database.ts";
import { errors } from "../platform/errors.ts";
import { type Command, type RequestMeta, execute } from "../platform/pipeline.ts";
import type { Runtime } from "../platform/runtime.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
    meta: RequestMeta;
  }
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), rule: Type.String(), message: Type.String() }))),
  },
  { $id: "Problem", description: "RFC 9457 problem details" },
);

const problemResponses = {
  400: Type.Ref("Problem"),
  401: Type.Ref("Problem"),
  403: Type.Ref("Problem"),
  404: Type.Ref("Problem"),
  409: Type.Ref("Problem"),
  422: Type.Ref("Problem"),
};

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) }, { additionalProperties: false });

interface CommandRouteOptions<S extends TSchema, O> {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  command: Command<S, O>;
  tags: string[];
  summary: string;
  /** Status on success (201 for creations). */
  status?: number;
  /** Schema of the HTTP body, if it differs from the command input (e.g. the id comes from the path). */
  body?: TSchema | null;
  response?: TSchema;
  /** Builds the command input from the request (default: the body, plus `id` and `version` for /:id routes). */
  input?: (req: FastifyRequest) => unknown;
}

/**
 * Exposes a command over HTTP. The route only translates: path, body and If-Match become the command's
 * input; everything else (permission, validation, transaction, audit) happens in the pipeline.
 */
export function commandRoute<S extends TSchema, O>(app: FastifyInstance, runtime: Runtime, opts: CommandRouteOptions<S, O>): void {
  const hasId = opts.url.includes(":id");
  const body = opts.body === undefined ? (hasId ? null : opts.command.input) : opts.body;
  app.route({
    method: opts.method,
    url: opts.url,
    schema: {
      tags: opts.tags,
      summary: opts.summary,
      description: `Command \`${opts.command.name}\`${opts.command.permission ? `, permission \`${opts.command.permission}\`` : ""}.`,
      ...(hasId ? { params: IdParams } : {}),
      ...(body ? { body } : {}),
      headers: Type.Object({
        "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        "if-match": Type.Optional(Type.String({ maxLength: 50 })),
      }),
      response: { [opts.status ?? 200]: opts.response ?? Type.Any(), ...problemResponses },
    },
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const input = opts.input ? opts.input(req) : defaultInput(req, hasId);
      const result = await execute(runtime, opts.command, input, req.actor, req.meta);
      if (result && typeof result === "object" && "version" in result) reply.header("etag", `"${(result as { version: number }).version}"`);
      reply.code(opts.status ?? 200);
      return normaliseOutput(result ?? { ok: true });
    },
  });
}

function defaultInput(req: FastifyRequest, hasId: boolean): unknown {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (!hasId) return body;
  const { id } = req.params as { id: number };
  const input: Record<string, unknown> = { ...body, id };
  const ifMatch = req.headers["if-match"];
  if (ifMatch && input.version === undefined) {
    const v = Number(String(ifMatch).replace(/^W\//, "").replaceAll('"', ""));
    if (!Number.isInteger(v)) throw errors.field("/headers/if-match", "format", "validation.format", { format: '"<version>"' });
    input.version = v;
  }
  return input;
}

export interface QueryContext<Q> {
  db: Executor;
  actor: Actor;
  query: Q;
  params: Record<string, unknown>;
  runtime: Runtime;
}

interface QueryRouteOptions<Q extends TSchema, O> {
  url: string;
  permission: string | null;
  tags: string[];
  summary: string;
  querystring?: Q;
  withId?: boolean;
  response?: TSchema;
  /**
   * Sensitive fields this read can show, by the permission that reveals them (e.g. item cost fields by
   * `masterdata.item.cost.read`). When the reader holds any of them the read is audited (AUD-1) before
   * the answer leaves: entity, record id or row count, and the fields shown.
   */
  sensitive?: { entity: string; fields: Record<string, string[]> };
  handler: (ctx: QueryContext<Static<Q>>, req: FastifyRequest, reply: FastifyReply) => Promise<O>;
}

/** How many records a query answered: a page's items, an array's length, or one record. */
function rowCount(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const items = (result as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items.length : 1;
}

/** A read: authenticated and authorised like a command, answered from the database; a refused one is audited. */
export function queryRoute<Q extends TSchema, O>(app: FastifyInstance, runtime: Runtime, opts: QueryRouteOptions<Q, O>): void {
  app.route({
    method: "GET",
    url: opts.url,
    schema: {
      tags: opts.tags,
      summary: opts.summary,
      description: opts.permission ? `Permission \`${opts.permission}\`.` : "Any signed-in user.",
      ...(opts.querystring ? { querystring: opts.querystring } : {}),
      ...(opts.withId ? { params: IdParams } : {}),
      response: { 200: opts.response ?? Type.Any(), ...problemResponses },
    },
    handler: async (req, reply) => {
      const actor = req.actor;
      if (actor.kind === "anonymous") throw errors.unauthenticated();
      if (opts.permission && !can(actor, opts.permission)) {
        // A refused read is an attempt worth knowing about (AUD-1): recorded in its own small transaction.
        await runtime.database.db
          .transaction((tx) =>
            writeAudit(tx, runtime.auditKey, actor, req.meta, {
              action: "api.read",
              outcome: "denied",
              errorCode: "forbidden",
              details: { route: opts.url, path: req.url.split("?")[0].slice(0, 500), permission: opts.permission },
            }),
          )
          .catch((err) => req.log.error({ err }, "could not audit a refused read"));
        throw errors.forbidden(opts.permission);
      }
      const result = await opts.handler(
        { db: runtime.database.db, actor, query: (req.query ?? {}) as Static<Q>, params: req.params as Record<string, unknown>, runtime },
        req,
        reply,
      );
      const shown = opts.sensitive ? Object.entries(opts.sensitive.fields).flatMap(([perm, fields]) => (can(actor, perm) ? fields : [])) : [];
      // Only successful answers with data are recorded (a streamed file logs itself as an export).
      if (opts.sensitive && shown.length > 0 && reply.statusCode < 300 && !reply.sent) {
        await logSensitiveRead(runtime, actor, req.meta, {
          entity: opts.sensitive.entity,
          ...(opts.withId ? { entityId: String((req.params as { id?: unknown }).id) } : { rows: rowCount(result) }),
          fields: shown,
        });
      }
      return result;
    },
  });
}

export { Type };
