import { one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { diff, updateVersioned } from "../../platform/versioned.ts";
import { assignRolesChecked } from "../access/assignment.ts";
import { userInScope } from "../access/commands.ts";
import { scopeOf } from "../../platform/actor.ts";
import { runDeparture } from "./departure.ts";
import { checkPassword, hashPassword, oneTimePassword, verifyPassword } from "./password.ts";
import { loadPolicy } from "./policy.ts";
import { verifySecondFactor } from "./totp.ts";
import { P } from "./permissions.ts";
import { appUser, publicUserColumns } from "./schema.ts";
import { createSession } from "./sessions.ts";

const Username = Type.String({ pattern: "^[a-z0-9][a-z0-9._-]{1,63}$", description: "lower-case letters, digits, . _ -" });
const Password = Type.String({ minLength: 1, maxLength: 256 });

/**
 * Signs a person in. A wrong password is not an exception here: the failure must be counted (and the
 * account locked after repeated failures) in the same transaction as its audit record.
 */
export const login = defineCommand({
  name: "auth.login",
  permission: null,
  allowAnonymous: true,
  entity: "app_user",
  input: StrictObject({
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Password,
    /** The second factor, when the account uses one: a 6-digit code or a recovery code. */
    totp: Type.Optional(Type.String({ minLength: 6, maxLength: 20 })),
  }),
  async run(ctx, { username, password, totp }) {
    const user = await one<{
      id: number;
      password_hash: string | null;
      status: string;
      locked: boolean;
      display_name: string;
      company_id: number;
      department_id: number | null;
      must_change_password: boolean;
    }>(
      ctx.tx,
      sql`select id, password_hash, status, coalesce(locked_until > now(), false) as locked, display_name, company_id,
            department_id, must_change_password
          from app_user where username = ${username.trim().toLowerCase()} for update`,
    );
    const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
    const policy = await loadPolicy(ctx.tx, user?.company_id ?? null);
    const LOCKOUT = { failures: policy.lockoutFailures, windowMinutes: policy.lockoutWindowMinutes, lockMinutes: policy.lockoutMinutes };
    ctx.audit.details = { username };
    if (user) {
      ctx.audit.entityId = user.id;
      ctx.audit.actor = { ...ctx.actor, kind: "user", id: user.id, name: user.display_name, companyId: user.company_id };
    }
    if (!user || !passwordOk || user.status !== "active" || user.locked) {
      ctx.audit.outcome = "failed";
      ctx.audit.errorCode = user?.locked ? "account_locked" : user && user.status !== "active" ? `account_${user.status}` : "bad_credentials";
      if (user && !passwordOk) {
        const r = await one<{ locked: boolean }>(
          ctx.tx,
          sql`update app_user set
                failed_login_count = case when first_failed_at > now() - make_interval(mins => ${LOCKOUT.windowMinutes})
                                          then failed_login_count + 1 else 1 end,
                first_failed_at = case when first_failed_at > now() - make_interval(mins => ${LOCKOUT.windowMinutes})
                                       then first_failed_at else now() end
              where id = ${user.id}
              returning failed_login_count >= ${LOCKOUT.failures} as locked`,
        );
        if (r?.locked && !user.locked) {
          await ctx.tx.execute(sql`update app_user set locked_until = now() + make_interval(mins => ${LOCKOUT.lockMinutes}) where id = ${user.id}`);
          ctx.audit.errorCode = "account_locked_now";
        }
      }
      // The same answer whatever the reason, so a caller cannot probe which accounts exist.
      return { ok: false as const, locked: Boolean(user?.locked && passwordOk), totpRequired: false };
    }
    const hasTotp = await one(ctx.tx, sql`select 1 from user_totp where user_id = ${user.id} and enabled`);
    if (hasTotp) {
      if (!totp) {
        // Right password, second factor still to come: not a failure to count, but recorded.
        ctx.audit.outcome = "failed";
        ctx.audit.errorCode = "totp_required";
        return { ok: false as const, locked: false, totpRequired: true };
      }
      const how = await verifySecondFactor(ctx.runtime, ctx.tx, user.id, username.trim().toLowerCase(), totp);
      if (!how) {
        ctx.audit.outcome = "failed";
        ctx.audit.errorCode = "bad_totp";
        await ctx.tx.execute(sql`update app_user set failed_login_count = failed_login_count + 1,
            first_failed_at = coalesce(first_failed_at, now()),
            locked_until = case when failed_login_count + 1 >= ${LOCKOUT.failures} then now() + make_interval(mins => ${LOCKOUT.lockMinutes}) else locked_until end
          where id = ${user.id}`);
        return { ok: false as const, locked: false, totpRequired: true, totpFailed: true };
      }
      ctx.audit.details = { username, secondFactor: how };
    }
    await ctx.tx.execute(sql`update app_user set failed_login_count = 0, first_failed_at = null, locked_until = null,
        last_login_at = now(), last_login_ip = ${ctx.meta.ip ?? null} where id = ${user.id}`);
    const session = await createSession(ctx.tx, user.id, { ip: ctx.meta.ip, userAgent: ctx.meta.userAgent, maxHours: ctx.runtime.config.sessionMaxHours });
    // A password older than the policy allows must be changed now, like a one-time password.
    const expired = await one<{ expired: boolean }>(
      ctx.tx,
      sql`select ${policy.passwordMaxAgeDays} > 0 and coalesce(password_changed_at < now() - make_interval(days => ${policy.passwordMaxAgeDays}), false)
            as expired from app_user where id = ${user.id}`,
    );
    return { ok: true as const, userId: user.id, mustChangePassword: user.must_change_password || Boolean(expired?.expired), ...session };
  },
});

export const logout = defineCommand({
  name: "auth.logout",
  permission: null,
  entity: "app_user",
  input: StrictObject({}),
  async run(ctx) {
    await ctx.tx.execute(sql`update user_session set ended_at = now(), end_reason = 'logout'
        where user_id = ${ctx.actor.id} and left(id, 16) = ${ctx.actor.sessionId ?? ""} and ended_at is null`);
    ctx.audit.entityId = ctx.actor.id;
    return { ok: true };
  },
});

export const changePassword = defineCommand({
  name: "auth.password.change",
  permission: null,
  entity: "app_user",
  input: StrictObject({ currentPassword: Password, newPassword: Type.String({ minLength: 1, maxLength: 256 }) }),
  async run(ctx, { currentPassword, newPassword }) {
    const user = await one<{ id: number; username: string; password_hash: string }>(
      ctx.tx,
      sql`select id, username, password_hash from app_user where id = ${ctx.actor.id} for update`,
    );
    if (!user) throw errors.unauthenticated();
    if (!(await verifyPassword(user.password_hash, currentPassword))) {
      throw errors.field("/currentPassword", "matches", "identity.password.wrong_current");
    }
    const policy = await loadPolicy(ctx.tx, ctx.actor.companyId);
    const problems = checkPassword(newPassword, user.username, {
      minLength: policy.passwordMinLength,
      minClasses: policy.passwordMinClasses,
      historyCount: policy.passwordHistory,
    });
    if (problems.length > 0) throw errors.validation(problems);
    const history = await rows<{ password_hash: string }>(
      ctx.tx,
      sql`select password_hash from password_history where user_id = ${user.id} order by created_at desc limit ${Math.max(policy.passwordHistory - 1, 0)}`,
    );
    for (const h of policy.passwordHistory > 0 ? [user.password_hash, ...history.map((x) => x.password_hash)] : []) {
      if (await verifyPassword(h, newPassword)) throw errors.field("/newPassword", "history", "identity.password.reused");
    }
    const newHash = await hashPassword(newPassword);
    await ctx.tx.execute(sql`insert into password_history (user_id, password_hash) values (${user.id}, ${user.password_hash})`);
    await ctx.tx.execute(sql`update app_user set password_hash = ${newHash}, must_change_password = false,
        password_changed_at = now(), version = version + 1, updated_at = now() where id = ${user.id}`);
    ctx.audit.entityId = user.id;
    ctx.audit.details = { passwordChanged: true };
    return { ok: true };
  },
});

export const createUser = defineCommand({
  name: "identity.user.create",
  permission: P.userCreate,
  entity: "app_user",
  input: StrictObject({
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.Optional(Type.String({ format: "email", maxLength: 200 })),
    jobTitle: Type.Optional(Type.String({ maxLength: 100 })),
    departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
    locale: Type.Optional(Type.Union([Type.Literal("zh-CN"), Type.Literal("en-US")])),
    roles: Type.Array(
      StrictObject({
        role: Type.String({ pattern: "^[a-z][a-z0-9_]{1,63}$" }),
        departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        warehouseId: Type.Optional(Type.Integer({ minimum: 1, description: "limit the role to this warehouse" })),
      }),
      { maxItems: 20 },
    ),
  }),
  async run(ctx, input) {
    const companyId = ctx.actor.companyId;
    if (!companyId) throw errors.rule("no_company", "org.error.no_company");
    if (input.departmentId) {
      const d = await one(ctx.tx, sql`select id from department where id = ${input.departmentId} and company_id = ${companyId}`);
      if (!d) throw errors.field("/departmentId", "exists", "org.error.no_such_department");
    }
    // A department administrator creates users only in the departments they administer (IAM-9).
    const scope = scopeOf(ctx.actor, P.userCreate);
    if (!scope.all && (!input.departmentId || !scope.departments.includes(input.departmentId))) {
      throw errors.field("/departmentId", "outOfScope", "access.error.out_of_scope");
    }
    const password = oneTimePassword();
    const [user] = await ctx.tx
      .insert(appUser)
      .values({
        companyId,
        departmentId: input.departmentId ?? null,
        username: input.username,
        displayName: input.displayName,
        email: input.email ?? null,
        jobTitle: input.jobTitle ?? null,
        locale: input.locale ?? "zh-CN",
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      })
      .returning(publicUserColumns);
    await assignRolesChecked(ctx, P.userCreate, { id: user.id, departmentId: user.departmentId }, input.roles);
    ctx.audit.after = { ...user, roles: input.roles };
    // The one-time password is shown once to whoever created the account; it is never stored in clear.
    return { ...user, oneTimePassword: password };
  },
});

export const disableUser = defineCommand({
  name: "identity.user.disable",
  permission: P.userDisable,
  entity: "app_user",
  input: StrictObject({
    id: Type.Integer({ minimum: 1 }),
    version: Type.Integer({ minimum: 1 }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    keepTokens: Type.Optional(
      Type.Boolean({ description: "keep the API tokens this person created running (default: they are revoked with the departure)" }),
    ),
  }),
  async run(ctx, { id, version, reason, keepTokens }) {
    await userInScope(ctx.tx, ctx.actor, P.userDisable, id);
    const { before, after } = await updateVersioned(ctx.tx, appUser, "app_user", id, version, { status: "disabled" });
    // Departure (IAM-8): every session, every role, temporary grant and API token ends at once.
    const sessions = await rows(ctx.tx, sql`update user_session set ended_at = now(), end_reason = 'disabled' where user_id = ${id} and ended_at is null returning id`);
    await ctx.tx.execute(sql`update user_role set valid_until = now() where user_id = ${id} and (valid_until is null or valid_until > now())
        and valid_from < now()`);
    await ctx.tx.execute(sql`delete from user_role where user_id = ${id} and valid_from >= now()`);
    const ended = await runDeparture(ctx, {
      userId: id,
      companyId: after.companyId,
      username: after.username,
      reason: reason ?? null,
      keepTokens: keepTokens ?? false,
    });
    Object.assign(ctx.audit, diff(before, after));
    ctx.audit.entityId = id;
    ctx.audit.details = { reason: reason ?? null, sessionsEnded: sessions.length, ...ended };
    return publicFields(after);
  },
});

export const resetPassword = defineCommand({
  name: "identity.user.reset_password",
  permission: P.userResetPassword,
  entity: "app_user",
  input: StrictObject({ id: Type.Integer({ minimum: 1 }) }),
  async run(ctx, { id }) {
    await userInScope(ctx.tx, ctx.actor, P.userResetPassword, id);
    const password = oneTimePassword();
    await ctx.tx.execute(sql`update app_user set password_hash = ${await hashPassword(password)}, must_change_password = true,
        failed_login_count = 0, locked_until = null, version = version + 1, updated_at = now() where id = ${id}`);
    await ctx.tx.execute(sql`update user_session set ended_at = now(), end_reason = 'password_reset' where user_id = ${id} and ended_at is null`);
    ctx.audit.details = { passwordReset: true };
    ctx.audit.entityId = id;
    return { id, oneTimePassword: password };
  },
});

function publicFields(u: typeof appUser.$inferSelect) {
  const { passwordHash: _, failedLoginCount: __, firstFailedAt: ___, lockedUntil: ____, ...rest } = u;
  return rest;
}
