import { one, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { userInScope } from "../access/commands.ts";
import { verifyPassword } from "./password.ts";
import { P } from "./permissions.ts";
import { loadPolicy } from "./policy.ts";
import { codeStep, decryptSecret, encryptSecret, hashRecovery, newRecoveryCodes, newTotp, verifySecondFactor } from "./totp.ts";

const Code = Type.String({ minLength: 6, maxLength: 20 });

async function username(tx: Parameters<typeof one>[0], userId: number): Promise<string> {
  const u = await one<{ username: string }>(tx, sql`select username from app_user where id = ${userId}`);
  return u!.username;
}

/** Step 1 of enrolment: a new secret, shown as a QR code / key; nothing changes until it is confirmed. */
export const setupTotp = defineCommand({
  name: "auth.totp.setup",
  permission: null,
  entity: "app_user",
  input: StrictObject({}),
  async run(ctx) {
    const userId = ctx.actor.id!;
    const enabled = await one(ctx.tx, sql`select 1 from user_totp where user_id = ${userId} and enabled`);
    if (enabled) throw errors.rule("totp_already_enabled", "identity.totp.already_enabled");
    const totp = newTotp(await username(ctx.tx, userId));
    await ctx.tx.execute(sql`insert into user_totp (user_id, secret_enc, enabled) values (${userId}, ${encryptSecret(ctx.runtime, totp.secret.base32)}, false)
        on conflict (user_id) do update set secret_enc = excluded.secret_enc, enabled = false, last_step = null`);
    ctx.audit.entityId = userId;
    ctx.audit.details = { step: "setup" };
    return { secret: totp.secret.base32, uri: totp.toString() };
  },
});

/** Step 2: a code from the authenticator proves it holds the secret; recovery codes are shown once. */
export const enableTotp = defineCommand({
  name: "auth.totp.enable",
  permission: null,
  entity: "app_user",
  input: StrictObject({ code: Type.String({ pattern: "^\\d{6}$" }) }),
  async run(ctx, { code }) {
    const userId = ctx.actor.id!;
    const row = await one<{ secret_enc: string; enabled: boolean }>(ctx.tx, sql`select secret_enc, enabled from user_totp where user_id = ${userId} for update`);
    if (!row || row.enabled) throw errors.rule("totp_not_pending", "identity.totp.not_pending");
    const step = codeStep(newTotp(await username(ctx.tx, userId), decryptSecret(ctx.runtime, row.secret_enc)), code);
    if (step === null) throw errors.field("/code", "totp", "identity.totp.bad_code");
    await ctx.tx.execute(sql`update user_totp set enabled = true, enabled_at = now(), last_step = ${step} where user_id = ${userId}`);
    await ctx.tx.execute(sql`delete from totp_recovery_code where user_id = ${userId}`);
    const codes = newRecoveryCodes();
    for (const c of codes) await ctx.tx.execute(sql`insert into totp_recovery_code (user_id, code_hash) values (${userId}, ${hashRecovery(c)})`);
    ctx.audit.entityId = userId;
    ctx.audit.details = { step: "enabled" };
    return { enabled: true, recoveryCodes: codes };
  },
});

export const disableTotp = defineCommand({
  name: "auth.totp.disable",
  permission: null,
  entity: "app_user",
  input: StrictObject({ password: Type.String({ minLength: 1, maxLength: 256 }), code: Code }),
  async run(ctx, { password, code }) {
    const userId = ctx.actor.id!;
    const u = await one<{ username: string; password_hash: string }>(ctx.tx, sql`select username, password_hash from app_user where id = ${userId}`);
    if (!(await verifyPassword(u!.password_hash, password))) throw errors.field("/password", "matches", "identity.password.wrong_current");
    if (!(await verifySecondFactor(ctx.runtime, ctx.tx, userId, u!.username, code))) throw errors.field("/code", "totp", "identity.totp.bad_code");
    if (await totpRequiredFor(ctx.tx, userId, ctx.actor.companyId)) throw errors.rule("totp_required_by_policy", "identity.totp.required_by_policy");
    await ctx.tx.execute(sql`delete from user_totp where user_id = ${userId}`);
    await ctx.tx.execute(sql`delete from totp_recovery_code where user_id = ${userId}`);
    ctx.audit.entityId = userId;
    ctx.audit.details = { step: "disabled" };
    return { enabled: false };
  },
});

/** For someone who lost their phone: an administrator removes the second factor (they enrol again). */
export const resetTotp = defineCommand({
  name: "identity.user.totp_reset",
  permission: P.userResetPassword,
  entity: "app_user",
  input: StrictObject({ id: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 3, maxLength: 500 }) }),
  async run(ctx, { id, reason }) {
    await userInScope(ctx.tx, ctx.actor, P.userResetPassword, id);
    const had = await one(ctx.tx, sql`delete from user_totp where user_id = ${id} returning user_id`);
    await ctx.tx.execute(sql`delete from totp_recovery_code where user_id = ${id}`);
    await ctx.tx.execute(sql`update user_session set ended_at = now(), end_reason = 'totp_reset' where user_id = ${id} and ended_at is null`);
    ctx.audit.entityId = id;
    ctx.audit.details = { reason, hadTotp: Boolean(had) };
    return { id, reset: true };
  },
});

/** Whether the policy makes two-factor authentication compulsory for this user (by the roles they hold). */
export async function totpRequiredFor(tx: Parameters<typeof one>[0], userId: number, companyId: number | null): Promise<boolean> {
  const policy = await loadPolicy(tx, companyId);
  if (policy.totpRequiredRoles.length === 0) return false;
  const r = await one(
    tx,
    sql`select 1 from user_role ur join role r on r.id = ur.role_id
        where ur.user_id = ${userId} and (ur.valid_until is null or ur.valid_until > now()) and ur.valid_from <= now()
          and r.code in (select jsonb_array_elements_text(${JSON.stringify(policy.totpRequiredRoles)}::jsonb))`,
  );
  return Boolean(r);
}

/** A person ends one of their own sessions (another browser, a lost laptop). */
export const endOwnSession = defineCommand({
  name: "auth.session.end",
  permission: null,
  entity: "user_session",
  input: StrictObject({ id: Type.String({ pattern: "^[0-9a-f]{16}$" }) }),
  async run(ctx, { id }) {
    const row = await one(
      ctx.tx,
      sql`update user_session set ended_at = now(), end_reason = 'ended_by_user'
          where user_id = ${ctx.actor.id} and left(id, 16) = ${id} and ended_at is null returning user_id`,
    );
    if (!row) throw errors.notFound("user_session");
    ctx.audit.entityId = id;
    return { id, ended: true };
  },
});
