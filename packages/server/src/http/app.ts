import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { anonymous } from "../platform/actor.ts";
import { AppError, errors } from "../platform/errors.ts";
import { langFromHeader } from "../platform/i18n.ts";
import { metrics } from "../platform/metrics.ts";
import type { Runtime } from "../platform/runtime.ts";
import { toFieldErrors } from "../platform/validation.ts";
import { SESSION_COOKIE, resolveSession } from "../modules/identity/sessions.ts";
import { authenticateBearer } from "../modules/access/tokens/index.ts";
import { healthRoutes } from "./health.ts";
import { ProblemSchema } from "./routes.ts";

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Reachable before the forced first password change.
const PASSWORD_CHANGE_ALLOWED = new Set(["/api/auth/me", "/api/auth/password", "/api/auth/logout", "/api/auth/password-policy"]);

/** `logStream`: where the request log goes instead of stdout (tests read it to prove no secret is logged). */
export async function buildApp(runtime: Runtime, opts: { logger?: boolean; logStream?: { write(line: string): void } } = {}): Promise<FastifyInstance> {
  const redact = ["req.headers.cookie", "req.headers.authorization", "req.headers[\"x-csrf-token\"]", "body.password"];
  const app = Fastify({
    logger: opts.logger === false ? false : { level: runtime.config.logLevel, redact, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 200 },
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: process.env.KAIWU_TRUST_PROXY === "1",
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.addSchema(ProblemSchema);
  app.decorateRequest("actor", null as never);
  app.decorateRequest("meta", null as never);
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Kaiwu ERP API",
        version: runtime.version,
        description:
          "Every write is a command: authenticated, authorised, validated, run in one transaction and audited. " +
          "Errors are application/problem+json (RFC 9457) with a stable `code`. Lists take page, pageSize, sort and q. " +
          "POST takes an Idempotency-Key header; updates take the record's version (If-Match or `version`).",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
          apiToken: { type: "http", scheme: "bearer", description: "API token of an external system: `kw_…`" },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.addHook("onRequest", async (req, reply) => {
    const lang = langFromHeader(req.headers["accept-language"]);
    req.meta = {
      ip: req.ip,
      userAgent: req.headers["user-agent"],
      requestId: req.id,
      idempotencyKey: typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined,
    };
    req.actor = anonymous(lang);
    reply.header("x-request-id", req.id);
    if (!req.url.startsWith("/api/")) return;
    // External systems (INT-1): `Authorization: Bearer kw_…` acts as the API token. Browsers never add a
    // bearer header by themselves, so no CSRF check is needed; a bad token is a 401, never a fallback.
    // (Other schemes, e.g. Basic from a reverse proxy, are left alone.)
    const authorization = req.headers.authorization;
    if (authorization && /^bearer\s/i.test(authorization)) {
      req.actor = await authenticateBearer(runtime, authorization, req.meta, lang);
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    // "Stay signed in" calls /api/auth/me: it always refreshes the server's idle clock.
    const touch = req.url.startsWith("/api/auth/me");
    const found = await resolveSession(runtime.database, token, runtime.config.idleTimeoutMinutes, lang, touch);
    if (!found || "expired" in found) {
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      if (req.url.startsWith("/api/auth/login")) return;
      throw found ? errors.sessionExpired() : errors.unauthenticated();
    }
    req.actor = found.actor;
    // Cookies ride along on cross-site requests; a header only our own pages can read proves the origin.
    if (UNSAFE.has(req.method) && req.headers["x-csrf-token"] !== found.actor.csrfToken) throw errors.csrf();
    const route = req.url.split("?")[0];
    if (found.actor.mustChangePassword && !PASSWORD_CHANGE_ALLOWED.has(route)) {
      throw new AppError(403, "password_change_required", "identity.password.change_required");
    }
    if (found.actor.mustEnrollTotp && !PASSWORD_CHANGE_ALLOWED.has(route) && !route.startsWith("/api/auth/totp/")) {
      throw new AppError(403, "totp_enrollment_required", "identity.totp.enrollment_required");
    }
  });

  app.addHook("onSend", async (req, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "same-origin");
    reply.header("cross-origin-opener-policy", "same-origin");
    if (!req.url.startsWith("/api/docs")) {
      reply.header(
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      );
    }
    if (req.protocol === "https") reply.header("strict-transport-security", "max-age=31536000");
    if (req.url.startsWith("/api/")) reply.header("cache-control", "no-store");
    return payload;
  });

  app.addHook("onResponse", async (req, reply) => {
    metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const lang = req.actor?.lang ?? langFromHeader(req.headers["accept-language"]);
    const problem = toAppError(error, req.id);
    if (problem.status >= 500) req.log.error({ err: error }, "request failed");
    reply
      .code(problem.status)
      .type("application/problem+json")
      .send(problem.toProblem(lang, req.url.split("?")[0]));
  });

  app.setNotFoundHandler((req, reply) => {
    // A missing asset (an old page after an upgrade) must fail as a 404, not come back as the page itself.
    const isFile = /\.[a-z0-9]{1,8}$/i.test(req.url.split("?")[0]);
    if (req.url.startsWith("/api/") || req.url.startsWith("/health") || isFile || !fs.existsSync(path.join(WEB_DIST, "index.html"))) {
      const lang = langFromHeader(req.headers["accept-language"]);
      reply.code(404).type("application/problem+json").send(new AppError(404, "route_not_found", "error.route_not_found").toProblem(lang, req.url));
      return;
    }
    // The web app routes on the client: every other path gets its page.
    reply.type("text/html").sendFile("index.html");
  });

  await healthRoutes(app, runtime);
  for (const m of runtime.modules) await m.routes?.(app, runtime);

  if (fs.existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: "/", wildcard: false, index: ["index.html"] });
  }
  return app;
}

function toAppError(error: FastifyError & { validation?: unknown[]; validationContext?: string }, requestId: string): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const prefix = error.validationContext && error.validationContext !== "body" ? `/${error.validationContext}` : "";
    return errors.validation(toFieldErrors(error.validation as Parameters<typeof toFieldErrors>[0], prefix));
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError(413, "payload_too_large", "error.payload_too_large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError(415, "unsupported_media_type", "error.unsupported_media_type");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError(400, "malformed_json", "error.malformed_json");
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return new AppError(400, "malformed_json", "error.malformed_json");
  }
  if (error.statusCode === 414) return new AppError(414, "uri_too_long", "error.validation");
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(error.statusCode, "bad_request", "error.validation");
  }
  return new AppError(500, "internal_error", "error.internal", { requestId });
}
