import type { FastifyInstance } from "fastify";
import { Type, commandRoute, queryRoute } from "../../http/routes.ts";
import { rows, sql } from "../../platform/db/database.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { likePattern, listPage, listQuerySchema } from "../../platform/listing.ts";
import { scopeCondition } from "../../platform/scope.ts";
import { execute } from "../../platform/pipeline.ts";
import type { Runtime } from "../../platform/runtime.ts";
import * as c from "./commands.ts";
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
      const result = await execute(rt, c.login, req.body, req.actor, { ip: req.meta.ip, userAgent: req.meta.userAgent, requestId: req.meta.requestId });
      if (!result.ok) {
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
    summary: "Disable a user: ends their sessions and roles at once",
    body: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
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
}
