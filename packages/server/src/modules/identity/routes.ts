import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { one, rows, sql } from "../../platform/db/database.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { likePattern, listPage, listQuerySchema } from "../../platform/listing.ts";
import { scopeCondition } from "../../platform/scope.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import * as c from "./commands.ts";
import * as mfa from "./commands-mfa.ts";
import { loadPolicy, updatePolicy } from "./policy.ts";
import { P } from "./permissions.ts";
import { SESSION_COOKIE, type SessionActor } from "./sessions.ts";

const tags = ["auth"];

export function routes(app: FastifyInstance, rt: Runtime): void {
  app.post(
    "/api/auth/login",
    {
      schema: { tags, summary: "Sign in; sets the session cookie and returns the CSRF token", body: c.login.input },
      config: { rateLimit: "login" },
    },
    async (req, reply) => {
      // Throttling per address (SEC-1): counted from the audit log, so it holds across processes.
      const limit = await one<{ n: number; max: number }>(
        rt.database.db,
        sql`select (select count(*)::int8 from audit_log where ip = ${req.meta.ip ?? ""} and action = 'auth.login' and outcome = 'failed'
                      and error_code <> 'totp_required' and occurred_at > now() - interval '10 minutes') as n,
                   coalesce((select min(ip_failures_per_10min) from security_policy), 20) as max`,
      );
      if (limit && limit.n >= limit.max) throw new AppError(429, "login_throttled", "identity.login.throttled");
      const result = await execute(rt, c.login, req.body, req.actor, { ip: req.meta.ip, userAgent: req.meta.userAgent, requestId: req.meta.requestId });
      if (!result.ok) {
        if (result.totpRequired) {
          throw "totpFailed" in result && result.totpFailed
            ? new AppError(401, "totp_failed", "identity.login.totp_failed")
            : new AppError(401, "totp_required", "identity.login.totp_required");
        }
        throw result.locked ? new AppError(401, "account_locked", "identity.login.locked") : new AppError(401, "login_failed", "identity.login.failed");
      }
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: req.protocol === "https",
        expires: new Date(result.expiresAt),
      });
      return { userId: result.userId, mustChangePassword: result.mustChangePassword, csrfToken: result.csrfToken };
    },
  );

  app.post("/api/auth/logout", { schema: { tags, summary: "Sign out (ends this session)" } }, async (req, reply) => {
    if (req.actor.kind === "user") await execute(rt, c.logout, {}, req.actor, req.meta);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return { ok: true };
  });

  app.get("/api/auth/me", { schema: { tags, summary: "Who is signed in, with permissions and the CSRF token" } }, async (req) => {
    const actor = req.actor as SessionActor;
    if (actor.kind === "anonymous") throw errors.unauthenticated();
    return {
      id: actor.id,
      name: actor.name,
      username: actor.username,
      companyId: actor.companyId,
      departmentId: actor.departmentId,
      permissions: [...actor.permissions].sort(),
      mustChangePassword: actor.mustChangePassword ?? false,
      mustEnrollTotp: actor.mustEnrollTotp ?? false,
      totpEnabled: Boolean(await one(rt.database.db, sql`select 1 from user_totp where user_id = ${actor.id} and enabled`)),
      csrfToken: actor.csrfToken,
      idleTimeoutMinutes: rt.config.idleTimeoutMinutes,
    };
  });

  commandRoute(app, rt, { method: "POST", url: "/api/auth/password", command: c.changePassword, tags, summary: "Change one's own password" });

  const userTags = ["identity"];
  queryRoute(app, rt, {
    url: "/api/identity/users",
    permission: P.userRead,
    tags: userTags,
    summary: "List users",
    querystring: listQuerySchema({
      status: Type.Optional(Type.Union([Type.Literal("pending"), Type.Literal("active"), Type.Literal("disabled")])),
      departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
    handler: ({ db, actor, query }) => {
      // Another department's people are simply absent for a department-scoped reader (IAM-5).
      const where = [sql`u.company_id = ${actor.companyId}`, scopeCondition(actor, P.userRead, sql`u.department_id`)];
      if (query.q) where.push(sql`(u.username ilike ${likePattern(query.q)} or u.display_name ilike ${likePattern(query.q)})`);
      if (query.status) where.push(sql`u.status = ${query.status}`);
      if (query.departmentId) where.push(sql`u.department_id = ${query.departmentId}`);
      return listPage(db, {
        columns: sql`u.id, u.username, u.display_name as "displayName", u.email, u.job_title as "jobTitle", u.status,
          u.department_id as "departmentId", d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn",
          u.last_login_at as "lastLoginAt", u.must_change_password as "mustChangePassword", u.version,
          coalesce((select array_agg(r.code order by r.code) from user_role ur join role r on r.id = ur.role_id
                    where ur.user_id = u.id and (ur.valid_until is null or ur.valid_until > now())), '{}') as roles`,
        from: sql`app_user u left join department d on d.id = u.department_id`,
        where: sql.join(where, sql` and `),
        sortable: { username: sql`u.username`, displayName: sql`u.display_name`, lastLoginAt: sql`u.last_login_at`, status: sql`u.status` },
        defaultSort: "username",
        params: query,
      });
    },
  });
  commandRoute(app, rt, { method: "POST", url: "/api/identity/users", command: c.createUser, tags: userTags, summary: "Create a user (returns a one-time password)", status: 201 });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/identity/users/:id/disable",
    command: c.disableUser,
    tags: userTags,
    summary: "Disable a user (departure): ends their sessions, roles, temporary grants and API tokens at once",
    body: Type.Object(
      {
        version: Type.Optional(Type.Integer({ minimum: 1 })),
        reason: Type.Optional(Type.String({ maxLength: 500 })),
        keepTokens: Type.Optional(Type.Boolean({ description: "keep the API tokens this person created running" })),
      },
      { additionalProperties: false },
    ),
  });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/identity/users/:id/reset-password",
    command: c.resetPassword,
    tags: userTags,
    summary: "Give a user a new one-time password",
  });
  queryRoute(app, rt, {
    url: "/api/auth/sessions",
    permission: null,
    tags,
    summary: "The signed-in user's open sessions",
    handler: ({ db, actor }) =>
      rows(
        db,
        sql`select left(id, 16) as id, created_at as "createdAt", last_seen_at as "lastSeenAt", ip, user_agent as "userAgent",
              left(id, 16) = ${actor.sessionId ?? ""} as current
            from user_session where user_id = ${actor.id} and ended_at is null order by last_seen_at desc`,
      ),
  });

  commandRoute(app, rt, { method: "POST", url: "/api/auth/totp/setup", command: mfa.setupTotp, tags, summary: "Start two-factor enrolment (secret and otpauth URI)" });
  commandRoute(app, rt, { method: "POST", url: "/api/auth/totp/enable", command: mfa.enableTotp, tags, summary: "Confirm enrolment with a code; returns recovery codes once" });
  commandRoute(app, rt, { method: "POST", url: "/api/auth/totp/disable", command: mfa.disableTotp, tags, summary: "Turn two-factor authentication off (password and code)" });
  commandRoute(app, rt, {
    method: "POST",
    url: "/api/identity/users/:id/totp-reset",
    command: mfa.resetTotp,
    tags: userTags,
    summary: "Remove a user's second factor (lost device); ends their sessions",
    body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false }),
  });
  app.post(
    "/api/auth/sessions/:sid/end",
    { schema: { tags, summary: "End one of one's own sessions", params: Type.Object({ sid: Type.String({ pattern: "^[0-9a-f]{16}$" }) }) } },
    async (req) => execute(rt, mfa.endOwnSession, { id: (req.params as { sid: string }).sid }, req.actor, req.meta),
  );
  queryRoute(app, rt, {
    url: "/api/auth/password-policy",
    permission: null,
    tags,
    summary: "What a new password must satisfy (for the forms' hints)",
    handler: async ({ db, actor }) => {
      const p = await loadPolicy(db, actor.companyId);
      return { minLength: p.passwordMinLength, minClasses: p.passwordMinClasses, history: p.passwordHistory, maxAgeDays: p.passwordMaxAgeDays };
    },
  });
  queryRoute(app, rt, {
    url: "/api/identity/policy",
    permission: P.policyEdit,
    tags: userTags,
    summary: "The company's password, lockout and two-factor policy",
    handler: ({ db, actor }) => loadPolicy(db, actor.companyId),
  });
  commandRoute(app, rt, { method: "PUT", url: "/api/identity/policy", command: updatePolicy, tags: userTags, summary: "Change the security policy (version 0 the first time)" });
}
