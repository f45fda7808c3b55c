import { eq } from "drizzle-orm";
import { inScope } from "../../../platform/actor.ts";
import { type Executor, one, sql } from "../../../platform/db/database.ts";
import { AppError, errors } from "../../../platform/errors.ts";
import { translate } from "../../../platform/i18n.ts";
import { type CommandContext, defineCommand } from "../../../platform/pipeline.ts";
import { StrictObject, Type } from "../../../platform/validation.ts";
import { registerApprovalHandler, submitForApproval, withdraw } from "../../workflow/engine.ts";
import { sodConflicts } from "../assignment.ts";
import { P } from "./permissions.ts";
import { grantableRole, temporaryGrant } from "./schema.ts";

export const TEMPORARY_GRANT = "access.temporary_grant";
const Id = Type.Integer({ minimum: 1 });
const DAY_MS = 86_400_000;

function requireCompany(ctx: CommandContext): number {
  if (!ctx.actor.companyId) throw errors.rule("no_company", "org.error.no_company");
  return ctx.actor.companyId;
}

export const requestGrant = defineCommand({
  name: "access.temporary.request",
  // Anyone signed in may ask, for themself, for a role marked grantable; their superior decides.
  permission: null,
  entity: "temporary_grant",
  input: StrictObject({
    roleId: Id,
    departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.String({ format: "date-time" }),
    validUntil: Type.String({ format: "date-time" }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx);
    if (ctx.actor.kind !== "user" || !ctx.actor.id) throw new AppError(403, "approval_person_only", "workflow.error.person_only");
    const userId = ctx.actor.id;
    const reason = input.reason.trim();
    if (!reason) throw errors.field("/reason", "required", "validation.required");
    const role = await one<{ max_days: number; code: string; name_zh: string; name_en: string }>(
      ctx.tx,
      sql`select g.max_days, r.code, r.name_zh, r.name_en from grantable_role g join role r on r.id = g.role_id
          where g.company_id = ${companyId} and g.role_id = ${input.roleId}`,
    );
    if (!role) throw errors.field("/roleId", "grantable", "temporary.error.not_grantable");
    let scope: { name_zh: string; name_en: string } | undefined;
    if (input.departmentId) {
      scope = await one(ctx.tx, sql`select name_zh, name_en from department where id = ${input.departmentId} and company_id = ${companyId} and active`);
      if (!scope) throw errors.field("/departmentId", "exists", "temporary.error.no_department");
    }
    const now = Date.now();
    // A start in the past means "from now": access is never granted backwards.
    const from = new Date(Math.max(Date.parse(input.validFrom), now));
    const until = new Date(input.validUntil);
    if (until.getTime() <= from.getTime()) throw errors.field("/validUntil", "order", "temporary.error.until_order");
    if (until.getTime() - from.getTime() > role.max_days * DAY_MS) throw errors.field("/validUntil", "maxDays", "temporary.error.too_long", { days: role.max_days });
    const held = await one(
      ctx.tx,
      sql`select 1 from user_role where user_id = ${userId} and role_id = ${input.roleId}
            and (department_id is null or department_id is not distinct from ${input.departmentId ?? null}::int8)
            and valid_from <= now() and valid_until is null`,
    );
    if (held) throw errors.field("/roleId", "held", "temporary.error.already_held");
    const asked = await one(
      ctx.tx,
      sql`select 1 from temporary_grant where user_id = ${userId} and role_id = ${input.roleId}
            and department_id is not distinct from ${input.departmentId ?? null}::int8
            and (status = 'pending' or (status = 'approved' and valid_until > now()))`,
    );
    if (asked) throw errors.field("/roleId", "duplicate", "temporary.error.already_asked");

    const [grant] = await ctx.tx
      .insert(temporaryGrant)
      .values({
        companyId,
        userId,
        roleId: input.roleId,
        departmentId: input.departmentId ?? null,
        validFrom: from.toISOString(),
        validUntil: until.toISOString(),
        reason,
        requestedBy: userId,
      })
      .returning();
    const period = await one<{ from: string; until: string }>(
      ctx.tx,
      sql`select to_char(${grant.validFrom}::timestamptz at time zone c.timezone, 'YYYY-MM-DD HH24:MI') as from,
            to_char(${grant.validUntil}::timestamptz at time zone c.timezone, 'YYYY-MM-DD HH24:MI') as until
          from company c where c.id = ${companyId}`,
    );
    const params = { user: ctx.actor.name, from: period!.from, until: period!.until, reason: reason.slice(0, 200) };
    const approval = await submitForApproval(ctx, {
      docType: TEMPORARY_GRANT,
      docId: grant.id,
      summary: {
        "zh-CN": translate("temporary.summary", "zh-CN", { ...params, role: role.name_zh, scope: scope?.name_zh ?? translate("temporary.scope_all", "zh-CN") }),
        "en-US": translate("temporary.summary", "en-US", { ...params, role: role.name_en, scope: scope?.name_en ?? translate("temporary.scope_all", "en-US") }),
      },
    });
    await ctx.tx.update(temporaryGrant).set({ approvalRequestId: approval.requestId }).where(eq(temporaryGrant.id, grant.id));
    ctx.audit.entityId = grant.id;
    ctx.audit.after = { ...grant, role: role.code, approvalRequestId: approval.requestId };
    return { ...grant, approvalRequestId: approval.requestId, approvalNumber: approval.number };
  },
});

export const revokeGrant = defineCommand({
  name: "access.temporary.revoke",
  permission: P.revoke,
  entity: "temporary_grant",
  input: StrictObject({ id: Id, reason: Type.String({ minLength: 1, maxLength: 500 }) }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx);
    const reason = input.reason.trim();
    if (!reason) throw errors.field("/reason", "required", "validation.required");
    const g = await lockGrant(ctx.tx, input.id, companyId);
    const holder = await one<{ department_id: number | null }>(ctx.tx, sql`select department_id from app_user where id = ${g.userId}`);
    if (!inScope(ctx.actor, P.revoke, holder?.department_id ?? null)) throw errors.notFound("temporary_grant");
    if (g.status !== "approved") throw errors.rule("temporary_not_in_force", "temporary.error.not_in_force", { status: g.status });
    if (!(await one(ctx.tx, sql`select 1 from temporary_grant where id = ${g.id} and valid_until > now()`))) {
      throw errors.rule("temporary_not_in_force", "temporary.error.not_in_force", { status: "expired" });
    }
    await endRole(ctx.tx, g.userRoleId);
    const [after] = await ctx.tx
      .update(temporaryGrant)
      .set({ status: "revoked", endedAt: sql`now()`, endReason: reason, endedBy: ctx.actor.id, version: sql`${temporaryGrant.version} + 1` } as never)
      .where(eq(temporaryGrant.id, g.id))
      .returning();
    ctx.audit.before = { status: g.status };
    ctx.audit.after = { status: after.status, endedAt: after.endedAt, endReason: reason };
    ctx.audit.details = { userId: g.userId, roleId: g.roleId, userRoleId: g.userRoleId };
    return after;
  },
});

/** Run by the sweep: a grant whose time is up is recorded as expired (its role row already ended by itself). */
export const expireGrant = defineCommand({
  name: "access.temporary.expire",
  permission: "*",
  entity: "temporary_grant",
  input: StrictObject({ id: Id }),
  async run(ctx, input) {
    const g = await lockGrant(ctx.tx, input.id, null);
    const due = await one(ctx.tx, sql`select 1 from temporary_grant where id = ${g.id} and valid_until <= now()`);
    if (g.status !== "approved" || !due) return { id: g.id, status: g.status, skipped: true };
    const [after] = await ctx.tx
      .update(temporaryGrant)
      .set({ status: "expired", endedAt: sql`valid_until`, version: sql`${temporaryGrant.version} + 1` } as never)
      .where(eq(temporaryGrant.id, g.id))
      .returning();
    ctx.audit.before = { status: g.status };
    ctx.audit.after = { status: "expired", endedAt: after.endedAt };
    ctx.audit.details = { userId: g.userId, roleId: g.roleId, validFrom: g.validFrom, validUntil: g.validUntil };
    return after;
  },
});

/**
 * Run by the sweep: a person who left loses their temporary access (an open request is withdrawn); a
 * grant whose role row was ended elsewhere (an access review, an administrator) is recorded as ended.
 */
export const endGrantOfDisabledUser = defineCommand({
  name: "access.temporary.end",
  permission: "*",
  entity: "temporary_grant",
  input: StrictObject({ id: Id }),
  async run(ctx, input) {
    const g = await lockGrant(ctx.tx, input.id, null);
    const user = await one<{ status: string }>(ctx.tx, sql`select status from app_user where id = ${g.userId}`);
    const roleGone = await one<{ gone: boolean }>(
      ctx.tx,
      sql`select (ur.id is null or (ur.valid_until is not null and ur.valid_until <= now())) and g.valid_until > now() as gone
          from temporary_grant g left join user_role ur on ur.id = g.user_role_id where g.id = ${g.id}`,
    );
    const leaver = user?.status === "disabled";
    if (!(leaver && (g.status === "approved" || g.status === "pending")) && !(g.status === "approved" && roleGone?.gone)) {
      return { id: g.id, status: g.status, skipped: true };
    }
    const endReason = leaver ? "user disabled" : "role ended outside temporary access";
    if (g.status === "pending") {
      if (g.approvalRequestId) await withdraw(ctx, g.approvalRequestId, "user disabled");
      const [after] = await ctx.tx.select().from(temporaryGrant).where(eq(temporaryGrant.id, g.id));
      ctx.audit.entityId = g.id;
      ctx.audit.details = { ...ctx.audit.details, userId: g.userId, withdrawn: true };
      return after;
    }
    await endRole(ctx.tx, g.userRoleId);
    const [after] = await ctx.tx
      .update(temporaryGrant)
      .set({ status: "ended", endedAt: sql`now()`, endReason, version: sql`${temporaryGrant.version} + 1` } as never)
      .where(eq(temporaryGrant.id, g.id))
      .returning();
    ctx.audit.entityId = g.id;
    ctx.audit.before = { status: g.status };
    ctx.audit.after = { status: "ended", endedAt: after.endedAt };
    ctx.audit.details = { userId: g.userId, roleId: g.roleId, reason: endReason };
    return after;
  },
});

export const setGrantable = defineCommand({
  name: "access.temporary.grantable.set",
  permission: P.configure,
  entity: "grantable_role",
  input: StrictObject({ roleId: Id, grantable: Type.Boolean(), maxDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx);
    const role = await one<{ permissions: string[] }>(
      ctx.tx,
      sql`select permissions from role where id = ${input.roleId} and (company_id is null or company_id = ${companyId})`,
    );
    if (!role) throw errors.field("/roleId", "exists", "workflow.error.no_such_role");
    const [before] = await ctx.tx.select().from(grantableRole).where(sql`company_id = ${companyId} and role_id = ${input.roleId}`);
    ctx.audit.entityId = input.roleId;
    ctx.audit.before = before ?? null;
    if (!input.grantable) {
      await ctx.tx.delete(grantableRole).where(sql`company_id = ${companyId} and role_id = ${input.roleId}`);
      ctx.audit.after = null;
      return { roleId: input.roleId, grantable: false };
    }
    if (role.permissions.includes("*")) throw errors.field("/roleId", "notGrantable", "temporary.error.never_grantable");
    const [row] = await ctx.tx
      .insert(grantableRole)
      .values({ companyId, roleId: input.roleId, maxDays: input.maxDays ?? 30, createdBy: ctx.actor.id })
      .onConflictDoUpdate({ target: [grantableRole.companyId, grantableRole.roleId], set: { maxDays: input.maxDays ?? 30 } })
      .returning();
    ctx.audit.after = row;
    return { roleId: input.roleId, grantable: true, maxDays: row.maxDays };
  },
});

async function lockGrant(tx: Executor, id: number, companyId: number | null) {
  const [g] = await tx.select().from(temporaryGrant).where(eq(temporaryGrant.id, id)).for("update");
  if (!g || (companyId !== null && g.companyId !== companyId)) throw errors.notFound("temporary_grant");
  return g;
}

/** Ends a role row now: cut short when it has started, removed when it has not (so it never starts). */
async function endRole(tx: Executor, userRoleId: number | null) {
  if (!userRoleId) return;
  await tx.execute(sql`delete from user_role where id = ${userRoleId} and valid_from >= now()`);
  await tx.execute(sql`update user_role set valid_until = now() where id = ${userRoleId} and valid_from < now() and (valid_until is null or valid_until > now())`);
}

// The approval grants the role in the same transaction: a user_role row that starts and ends by itself.
registerApprovalHandler(
  TEMPORARY_GRANT,
  async (ctx, docId) => {
    const g = await lockGrant(ctx.tx, Number(docId), null);
    if (g.status !== "pending") throw errors.rule("temporary_not_pending", "temporary.error.not_pending", { status: g.status });
    if (!(await one(ctx.tx, sql`select 1 from temporary_grant where id = ${g.id} and valid_until > now()`))) {
      throw errors.rule("temporary_period_over", "temporary.error.period_over");
    }
    const ur = await one<{ id: number; valid_from: string }>(
      ctx.tx,
      sql`insert into user_role (user_id, role_id, department_id, valid_from, valid_until, granted_by)
          values (${g.userId}, ${g.roleId}, ${g.departmentId}, greatest(${g.validFrom}::timestamptz, now()), ${g.validUntil}::timestamptz, ${ctx.actor.id})
          returning id, valid_from`,
    );
    // Temporary access does not get round segregation of duties: a conflict refuses the approval.
    const conflicts = await sodConflicts(ctx.tx, g.companyId, g.userId);
    if (conflicts.length > 0) {
      throw errors.rule("sod_conflict", "access.error.sod_conflict", {
        rules: conflicts.map((c) => (ctx.actor.lang === "zh-CN" ? c.nameZh : c.nameEn)).join("; "),
      });
    }
    await ctx.tx
      .update(temporaryGrant)
      .set({ status: "approved", decidedAt: sql`now()`, userRoleId: ur!.id, version: sql`${temporaryGrant.version} + 1` } as never)
      .where(eq(temporaryGrant.id, g.id));
    ctx.audit.details = { ...ctx.audit.details, temporaryGrant: g.id, userRoleId: ur!.id, userId: g.userId, roleId: g.roleId, validFrom: ur!.valid_from, validUntil: g.validUntil };
  },
  {
    label: { "zh-CN": "临时权限申请", "en-US": "Temporary access request" },
    readPermission: P.read,
    onRejected: async (ctx, docId) => {
      await ctx.tx.execute(sql`update temporary_grant set status = 'rejected', decided_at = now(), version = version + 1
          where id = ${Number(docId)} and status = 'pending'`);
    },
    onWithdrawn: async (ctx, docId) => {
      await ctx.tx.execute(sql`update temporary_grant set status = 'withdrawn', decided_at = now(), version = version + 1
          where id = ${Number(docId)} and status = 'pending'`);
    },
    describe: async (db, docId) => {
      const g = await one<Record<string, unknown> & { userId: number }>(
        db,
        sql`select g.id, g.user_id as "userId", u.display_name as "userName", u.username, u.job_title as "jobTitle",
              ud.name_zh as "userDepartmentNameZh", ud.name_en as "userDepartmentNameEn",
              r.code as "roleCode", r.name_zh as "roleNameZh", r.name_en as "roleNameEn", r.description_zh as "roleDescriptionZh",
              r.description_en as "roleDescriptionEn", r.permissions as "rolePermissions",
              g.department_id as "departmentId", d.name_zh as "scopeNameZh", d.name_en as "scopeNameEn",
              g.valid_from as "validFrom", g.valid_until as "validUntil", g.reason, g.status, g.ended_at as "endedAt", g.end_reason as "endReason"
            from temporary_grant g join app_user u on u.id = g.user_id join role r on r.id = g.role_id
              left join department ud on ud.id = u.department_id left join department d on d.id = g.department_id
            where g.id = ${Number(docId)}`,
      );
      if (!g) return null;
      // What the person holds already, so the approver sees what the grant adds.
      const current = await one<{ roles: string[] }>(
        db,
        sql`select coalesce(array_agg(distinct r.code order by r.code), '{}') as roles from user_role ur join role r on r.id = ur.role_id
            where ur.user_id = ${g.userId} and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())`,
      );
      return { kind: "temporary_grant", ...g, currentRoles: current?.roles ?? [] };
    },
  },
);
