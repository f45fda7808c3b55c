import { type Executor, one, sql, textArray } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { P } from "./permissions.ts";

export interface SecurityPolicy {
  passwordMinLength: number;
  passwordMinClasses: number;
  passwordHistory: number;
  passwordMaxAgeDays: number;
  lockoutFailures: number;
  lockoutWindowMinutes: number;
  lockoutMinutes: number;
  ipFailuresPer10Min: number;
  totpRequiredRoles: string[];
  /** Accounts approved through self-registration change their password at first sign-in too. */
  changeAtFirstLogin: boolean;
  version: number;
}

export const DEFAULT_POLICY: SecurityPolicy = {
  passwordMinLength: 10,
  passwordMinClasses: 3,
  passwordHistory: 5,
  passwordMaxAgeDays: 90,
  lockoutFailures: 5,
  lockoutWindowMinutes: 15,
  lockoutMinutes: 15,
  ipFailuresPer10Min: 20,
  totpRequiredRoles: [],
  changeAtFirstLogin: true,
  version: 0,
};

const COLUMNS = sql`password_min_length as "passwordMinLength", password_min_classes as "passwordMinClasses",
  password_history as "passwordHistory", password_max_age_days as "passwordMaxAgeDays", lockout_failures as "lockoutFailures",
  lockout_window_minutes as "lockoutWindowMinutes", lockout_minutes as "lockoutMinutes",
  ip_failures_per_10min as "ipFailuresPer10Min", totp_required_roles as "totpRequiredRoles",
  change_at_first_login as "changeAtFirstLogin", version`;

/** The company's policy, or the defaults until an administrator saves one. */
export async function loadPolicy(ex: Executor, companyId: number | null): Promise<SecurityPolicy> {
  if (companyId === null) return DEFAULT_POLICY;
  return (await one<SecurityPolicy>(ex, sql`select ${COLUMNS} from security_policy where company_id = ${companyId}`)) ?? DEFAULT_POLICY;
}

export const updatePolicy = defineCommand({
  name: "identity.policy.update",
  permission: P.policyEdit,
  entity: "security_policy",
  input: StrictObject({
    version: Type.Integer({ minimum: 0, description: "0 when no policy was saved yet" }),
    passwordMinLength: Type.Integer({ minimum: 8, maximum: 128 }),
    passwordMinClasses: Type.Integer({ minimum: 1, maximum: 4 }),
    passwordHistory: Type.Integer({ minimum: 0, maximum: 24 }),
    passwordMaxAgeDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    lockoutFailures: Type.Integer({ minimum: 3, maximum: 20 }),
    lockoutWindowMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    lockoutMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    ipFailuresPer10Min: Type.Integer({ minimum: 5, maximum: 1000 }),
    totpRequiredRoles: Type.Array(Type.String({ pattern: "^[a-z][a-z0-9_]{1,63}$" }), { maxItems: 50, uniqueItems: true }),
    changeAtFirstLogin: Type.Optional(Type.Boolean({ description: "self-registered accounts change their password at first sign-in; unchanged when omitted" })),
  }),
  async run(ctx, input) {
    const companyId = ctx.actor.companyId!;
    const before = await loadPolicy(ctx.tx, companyId);
    if (before.version !== input.version) throw errors.versionConflict(before.version);
    const changeAtFirstLogin = input.changeAtFirstLogin ?? before.changeAtFirstLogin;
    await ctx.tx.execute(sql`insert into security_policy (company_id, password_min_length, password_min_classes, password_history,
        password_max_age_days, lockout_failures, lockout_window_minutes, lockout_minutes, ip_failures_per_10min, totp_required_roles,
        change_at_first_login, version)
      values (${companyId}, ${input.passwordMinLength}, ${input.passwordMinClasses}, ${input.passwordHistory}, ${input.passwordMaxAgeDays},
        ${input.lockoutFailures}, ${input.lockoutWindowMinutes}, ${input.lockoutMinutes}, ${input.ipFailuresPer10Min},
        ${textArray(input.totpRequiredRoles)}, ${changeAtFirstLogin}, 1)
      on conflict (company_id) do update set password_min_length = excluded.password_min_length,
        password_min_classes = excluded.password_min_classes, password_history = excluded.password_history,
        password_max_age_days = excluded.password_max_age_days, lockout_failures = excluded.lockout_failures,
        lockout_window_minutes = excluded.lockout_window_minutes, lockout_minutes = excluded.lockout_minutes,
        ip_failures_per_10min = excluded.ip_failures_per_10min, totp_required_roles = excluded.totp_required_roles,
        change_at_first_login = excluded.change_at_first_login, version = security_policy.version + 1, updated_at = now()`);
    const { version: _, ...rest } = before;
    ctx.audit.before = rest;
    const { version: __, ...after } = input;
    ctx.audit.after = { ...after, changeAtFirstLogin };
    return loadPolicy(ctx.tx, companyId);
  },
});
