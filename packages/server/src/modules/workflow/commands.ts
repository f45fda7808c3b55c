import { Decimal } from "decimal.js";
import { eq } from "drizzle-orm";
import { can, inScope } from "../../platform/actor.ts";
import { type Executor, one, sql } from "../../platform/db/database.ts";
import { AppError, type FieldError, errors } from "../../platform/errors.ts";
import { type CommandContext, defineCommand } from "../../platform/pipeline.ts";
import { DecimalString, type Static, StrictObject, Type } from "../../platform/validation.ts";
import { diff, updateVersioned } from "../../platform/versioned.ts";
import { decide, escalate, withdraw } from "./engine.ts";
import { P } from "./permissions.ts";
import { approvalChain, approvalChainLevel, approvalChainRevision, approvalDelegation } from "./schema.ts";

const Id = Type.Integer({ minimum: 1 });
const Version = Type.Integer({ minimum: 1 });
const DocType = Type.String({ pattern: "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$", maxLength: 64, description: "module.document, e.g. purchasing.order" });
const Reason = Type.String({ maxLength: 1000 });

function requireCompany(ctx: CommandContext): number {
  if (!ctx.actor.companyId) throw errors.rule("no_company", "org.error.no_company");
  return ctx.actor.companyId;
}

// ---- decisions -------------------------------------------------------------------------------------

export const approve = defineCommand({
  name: "workflow.approve",
  // Who may decide is the chain's rule for the open level, checked by the engine (403 when not named).
  permission: null,
  entity: "approval_request",
  input: StrictObject({ requestId: Id, level: Type.Integer({ minimum: 1, maximum: 10 }), comment: Type.Optional(Reason) }),
  async run(ctx, input) {
    const { request, final } = await decide(ctx, { requestId: input.requestId, level: input.level, decision: "approve", reason: input.comment });
    return { id: request.id, number: request.number, status: request.status, currentLevel: request.currentLevel, final };
  },
});

export const reject = defineCommand({
  name: "workflow.reject",
  permission: null,
  entity: "approval_request",
  input: StrictObject({ requestId: Id, level: Type.Integer({ minimum: 1, maximum: 10 }), reason: Type.String({ minLength: 1, maxLength: 1000 }) }),
  async run(ctx, input) {
    const { request } = await decide(ctx, { requestId: input.requestId, level: input.level, decision: "reject", reason: input.reason });
    return { id: request.id, number: request.number, status: request.status };
  },
});

export const withdrawRequest = defineCommand({
  name: "workflow.withdraw",
  permission: null,
  entity: "approval_request",
  input: StrictObject({ requestId: Id, reason: Type.Optional(Reason) }),
  async run(ctx, input) {
    const r = await withdraw(ctx, input.requestId, input.reason?.trim() || null);
    return { id: r.id, number: r.number, status: r.status };
  },
});

/** Run by the escalation job for each level that waited longer than its chain allows. */
export const escalateStep = defineCommand({
  name: "workflow.escalate",
  permission: "*",
  entity: "approval_request",
  input: StrictObject({ stepId: Id }),
  async run(ctx, input) {
    return escalate(ctx, input.stepId);
  },
});

// ---- chains ----------------------------------------------------------------------------------------

const LevelInput = StrictObject({
  nameZh: Type.String({ minLength: 1, maxLength: 100 }),
  nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  approverKind: Type.Union([Type.Literal("role"), Type.Literal("department_manager"), Type.Literal("superior"), Type.Literal("user")]),
  roleId: Type.Optional(Type.Union([Id, Type.Null()])),
  departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
  userId: Type.Optional(Type.Union([Id, Type.Null()])),
  minAmount: Type.Optional(Type.Union([DecimalString({ description: "the level applies from this amount on" }), Type.Null()])),
  escalateAfterHours: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 720 }), Type.Null()])),
});
type LevelInputT = Static<typeof LevelInput>;
const Levels = Type.Array(LevelInput, { minItems: 1, maxItems: 10 });

/** Checks the levels against each other and the company's roles, people and departments; field errors name the level. */
async function checkLevels(tx: Executor, companyId: number, levels: LevelInputT[]) {
  const problems: FieldError[] = [];
  let previous: Decimal | null = null;
  for (const [i, l] of levels.entries()) {
    const at = `/levels/${i}`;
    if (l.approverKind === "role") {
      if (!l.roleId) problems.push({ field: `${at}/roleId`, rule: "required", messageKey: "validation.required" });
      else if (!(await one(tx, sql`select 1 from role where id = ${l.roleId} and (company_id is null or company_id = ${companyId})`)))
        problems.push({ field: `${at}/roleId`, rule: "exists", messageKey: "workflow.error.no_such_role" });
    } else if (l.roleId) problems.push({ field: `${at}/roleId`, rule: "notAllowed", messageKey: "workflow.error.field_not_for_kind" });
    if (l.approverKind === "user") {
      if (!l.userId) problems.push({ field: `${at}/userId`, rule: "required", messageKey: "validation.required" });
      else if (!(await one(tx, sql`select 1 from app_user where id = ${l.userId} and company_id = ${companyId} and status = 'active'`)))
        problems.push({ field: `${at}/userId`, rule: "exists", messageKey: "workflow.error.no_such_user" });
    } else if (l.userId) problems.push({ field: `${at}/userId`, rule: "notAllowed", messageKey: "workflow.error.field_not_for_kind" });
    if (l.departmentId) {
      if (l.approverKind !== "department_manager") problems.push({ field: `${at}/departmentId`, rule: "notAllowed", messageKey: "workflow.error.field_not_for_kind" });
      else if (!(await one(tx, sql`select 1 from department where id = ${l.departmentId} and company_id = ${companyId}`)))
        problems.push({ field: `${at}/departmentId`, rule: "exists", messageKey: "org.error.no_such_department" });
    }
    if (l.minAmount !== undefined && l.minAmount !== null) {
      const m = new Decimal(l.minAmount);
      if (m.isNegative()) problems.push({ field: `${at}/minAmount`, rule: "minimum", messageKey: "validation.minimum", params: { limit: 0 } });
      // Thresholds grow with the level: a higher level never applies to less than a lower one.
      else if (previous !== null && m.lt(previous))
        problems.push({ field: `${at}/minAmount`, rule: "order", messageKey: "workflow.error.threshold_order", params: { previous: previous.toFixed() } });
      previous = m;
    } else if (previous !== null) {
      problems.push({ field: `${at}/minAmount`, rule: "order", messageKey: "workflow.error.threshold_order", params: { previous: previous.toFixed() } });
    }
  }
  if (problems.length > 0) throw errors.validation(problems);
}

async function writeLevels(tx: Executor, chainId: number, levels: LevelInputT[]) {
  await tx.delete(approvalChainLevel).where(eq(approvalChainLevel.chainId, chainId));
  await tx.insert(approvalChainLevel).values(
    levels.map((l, i) => ({
      chainId,
      level: i + 1,
      nameZh: l.nameZh.trim(),
      nameEn: l.nameEn.trim(),
      minAmount: l.minAmount ? new Decimal(l.minAmount).toFixed() : null,
      approverKind: l.approverKind,
      roleId: l.approverKind === "role" ? (l.roleId ?? null) : null,
      departmentId: l.approverKind === "department_manager" ? (l.departmentId ?? null) : null,
      userId: l.approverKind === "user" ? (l.userId ?? null) : null,
      escalateAfterHours: l.escalateAfterHours ?? null,
    })),
  );
}

function definition(chain: { nameZh: string; nameEn: string; distinctApprovers: boolean; departmentId: number | null; docType: string }, levels: LevelInputT[]) {
  return {
    docType: chain.docType,
    departmentId: chain.departmentId,
    nameZh: chain.nameZh,
    nameEn: chain.nameEn,
    distinctApprovers: chain.distinctApprovers,
    levels: levels.map((l, i) => ({
      level: i + 1,
      nameZh: l.nameZh,
      nameEn: l.nameEn,
      approverKind: l.approverKind,
      roleId: l.roleId ?? null,
      departmentId: l.departmentId ?? null,
      userId: l.userId ?? null,
      minAmount: l.minAmount ?? null,
      escalateAfterHours: l.escalateAfterHours ?? null,
    })),
  };
}

async function refuseSecondActiveChain(tx: Executor, companyId: number, docType: string, departmentId: number | null, exceptId = 0) {
  const clash = await one(
    tx,
    sql`select id from approval_chain where company_id = ${companyId} and doc_type = ${docType} and active and id <> ${exceptId}
        and coalesce(department_id, 0) = ${departmentId ?? 0}`,
  );
  if (clash) throw errors.field(departmentId ? "/departmentId" : "/docType", "unique", "workflow.error.chain_exists");
}

export const createChain = defineCommand({
  name: "workflow.chain.create",
  permission: P.chainEdit,
  entity: "approval_chain",
  input: StrictObject({
    docType: DocType,
    departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
    nameZh: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    distinctApprovers: Type.Optional(Type.Boolean()),
    levels: Levels,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx);
    if (input.departmentId && !(await one(ctx.tx, sql`select 1 from department where id = ${input.departmentId} and company_id = ${companyId}`))) {
      throw errors.field("/departmentId", "exists", "org.error.no_such_department");
    }
    await checkLevels(ctx.tx, companyId, input.levels);
    await refuseSecondActiveChain(ctx.tx, companyId, input.docType, input.departmentId ?? null);
    const [chain] = await ctx.tx
      .insert(approvalChain)
      .values({
        companyId,
        docType: input.docType,
        departmentId: input.departmentId ?? null,
        nameZh: input.nameZh.trim(),
        nameEn: input.nameEn.trim(),
        distinctApprovers: input.distinctApprovers ?? true,
      })
      .returning();
    await writeLevels(ctx.tx, chain.id, input.levels);
    const def = definition(chain, input.levels);
    await ctx.tx.insert(approvalChainRevision).values({
      chainId: chain.id,
      revision: 1,
      definition: def,
      note: input.note ?? null,
      changedBy: ctx.actor.kind === "user" ? ctx.actor.id : null,
      changedByName: ctx.actor.name,
    });
    ctx.audit.after = { id: chain.id, ...def, revision: 1 };
    return chain;
  },
});

export const updateChain = defineCommand({
  name: "workflow.chain.update",
  permission: P.chainEdit,
  entity: "approval_chain",
  input: StrictObject({
    id: Id,
    version: Version,
    nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    distinctApprovers: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
    /** When given, replaces the levels (a new revision; running requests keep theirs). */
    levels: Type.Optional(Levels),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  async run(ctx, { id, version, levels, note, ...changes }) {
    const companyId = requireCompany(ctx);
    const [current] = await ctx.tx.select().from(approvalChain).where(eq(approvalChain.id, id));
    if (!current || current.companyId !== companyId) throw errors.notFound("approval_chain");
    if (levels) await checkLevels(ctx.tx, companyId, levels);
    if (changes.active === true && !current.active) await refuseSecondActiveChain(ctx.tx, companyId, current.docType, current.departmentId, id);
    const oldLevels = await ctx.tx.select().from(approvalChainLevel).where(eq(approvalChainLevel.chainId, id));
    const redefines =
      levels !== undefined || (changes.distinctApprovers !== undefined && changes.distinctApprovers !== current.distinctApprovers) ||
      (changes.nameZh !== undefined && changes.nameZh.trim() !== current.nameZh) ||
      (changes.nameEn !== undefined && changes.nameEn.trim() !== current.nameEn);
    const set: Partial<typeof approvalChain.$inferInsert> = {
      ...(changes.nameZh !== undefined ? { nameZh: changes.nameZh.trim() } : {}),
      ...(changes.nameEn !== undefined ? { nameEn: changes.nameEn.trim() } : {}),
      ...(changes.distinctApprovers !== undefined ? { distinctApprovers: changes.distinctApprovers } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
      ...(redefines ? { revision: current.revision + 1 } : {}),
    };
    const { before, after } = await updateVersioned(ctx.tx, approvalChain, "approval_chain", id, version, set);
    const effectiveLevels: LevelInputT[] =
      levels ??
      oldLevels
        .sort((a, b) => a.level - b.level)
        .map((l) => ({
          nameZh: l.nameZh,
          nameEn: l.nameEn,
          approverKind: l.approverKind,
          roleId: l.roleId,
          departmentId: l.departmentId,
          userId: l.userId,
          minAmount: l.minAmount,
          escalateAfterHours: l.escalateAfterHours,
        }));
    if (levels) await writeLevels(ctx.tx, id, levels);
    const d = diff(before, after);
    if (redefines) {
      const def = definition(after, effectiveLevels);
      await ctx.tx.insert(approvalChainRevision).values({
        chainId: id,
        revision: after.revision,
        definition: def,
        note: note ?? null,
        changedBy: ctx.actor.kind === "user" ? ctx.actor.id : null,
        changedByName: ctx.actor.name,
      });
      if (levels) {
        d.before.levels = oldLevels.map(({ id: _, chainId: __, ...l }) => l);
        d.after.levels = def.levels;
      }
    }
    Object.assign(ctx.audit, d);
    ctx.audit.details = { note: note ?? null };
    return after;
  },
});

// ---- delegation ------------------------------------------------------------------------------------

const DateString = Type.String({ format: "date" });

export const createDelegation = defineCommand({
  name: "workflow.delegation.create",
  // Anyone may hand on their own approvals; for someone else it takes workflow.delegation.admin.
  permission: null,
  entity: "approval_delegation",
  input: StrictObject({
    fromUserId: Type.Optional(Id),
    toUserId: Id,
    startsOn: DateString,
    endsOn: DateString,
    docType: Type.Optional(Type.Union([DocType, Type.Null()])),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx);
    if (ctx.actor.kind !== "user" && ctx.actor.kind !== "system") throw new AppError(403, "approval_person_only", "workflow.error.person_only");
    const fromUserId = input.fromUserId ?? ctx.actor.id;
    if (!fromUserId) throw errors.field("/fromUserId", "required", "validation.required");
    if (fromUserId !== ctx.actor.id && !can(ctx.actor, P.delegationAdmin)) throw errors.forbidden(P.delegationAdmin);
    const from = await one<{ department_id: number | null }>(ctx.tx, sql`select department_id from app_user where id = ${fromUserId} and company_id = ${companyId}`);
    if (!from || (fromUserId !== ctx.actor.id && !inScope(ctx.actor, P.delegationAdmin, from.department_id))) {
      throw errors.field("/fromUserId", "exists", "workflow.error.no_such_user");
    }
    if (input.toUserId === fromUserId) throw errors.field("/toUserId", "different", "workflow.error.delegate_self");
    const to = await one(ctx.tx, sql`select id from app_user where id = ${input.toUserId} and company_id = ${companyId} and status = 'active'`);
    if (!to) throw errors.field("/toUserId", "exists", "workflow.error.no_such_user");
    if (input.endsOn < input.startsOn) throw errors.field("/endsOn", "order", "workflow.error.ends_before_start");
    const today = await one<{ d: string }>(ctx.tx, sql`select to_char((now() at time zone timezone)::date, 'YYYY-MM-DD') as d from company where id = ${companyId}`);
    if (input.endsOn < today!.d) throw errors.field("/endsOn", "past", "workflow.error.ends_in_past");
    const [row] = await ctx.tx
      .insert(approvalDelegation)
      .values({
        companyId,
        fromUserId,
        toUserId: input.toUserId,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        docType: input.docType ?? null,
        reason: input.reason?.trim() || null,
        createdBy: ctx.actor.id,
      })
      .returning();
    ctx.audit.after = row;
    return row;
  },
});

export const cancelDelegation = defineCommand({
  name: "workflow.delegation.cancel",
  permission: null,
  entity: "approval_delegation",
  input: StrictObject({ id: Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx);
    const [row] = await ctx.tx.select().from(approvalDelegation).where(eq(approvalDelegation.id, id)).for("update");
    if (!row || row.companyId !== companyId) throw errors.notFound("approval_delegation");
    if (row.fromUserId !== ctx.actor.id) {
      if (!can(ctx.actor, P.delegationAdmin)) throw errors.forbidden(P.delegationAdmin);
      const from = await one<{ department_id: number | null }>(ctx.tx, sql`select department_id from app_user where id = ${row.fromUserId}`);
      if (!inScope(ctx.actor, P.delegationAdmin, from?.department_id ?? null)) throw errors.notFound("approval_delegation");
    }
    if (row.cancelledAt) throw errors.rule("delegation_cancelled", "workflow.error.delegation_cancelled");
    const [after] = await ctx.tx
      .update(approvalDelegation)
      .set({ cancelledAt: sql`now()`, cancelledBy: ctx.actor.id, version: sql`${approvalDelegation.version} + 1` } as never)
      .where(eq(approvalDelegation.id, id))
      .returning();
    ctx.audit.before = { cancelledAt: null };
    ctx.audit.after = { cancelledAt: after.cancelledAt };
    return after;
  },
});
