import { Decimal } from "decimal.js";
import { asc, eq } from "drizzle-orm";
import type { Actor } from "../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { AppError, errors } from "../../platform/errors.ts";
import type { Bilingual } from "../../platform/i18n.ts";
import { raiseAlert } from "../../platform/jobs.ts";
import type { CommandContext } from "../../platform/pipeline.ts";
import { type ActionKind, approvalAction, approvalChainLevel, approvalRequest, approvalStep } from "./schema.ts";

export type ApprovalRequestRow = typeof approvalRequest.$inferSelect;
export type ApprovalStepRow = typeof approvalStep.$inferSelect;

/** Called inside the transaction of the final approval: the approved thing takes effect with it. */
export type ApprovalHandler = (ctx: CommandContext, docId: string, request: ApprovalRequestRow) => Promise<void>;
/** Called inside the transaction of a rejection or withdrawal, with the reason given. */
export type ClosingHandler = (ctx: CommandContext, docId: string, info: { request: ApprovalRequestRow; reason: string | null }) => Promise<void>;

export interface DocTypeDef {
  /** What the document is called in lists and the chain editor. */
  label?: Bilingual;
  onApproved?: ApprovalHandler;
  onRejected?: ClosingHandler;
  onWithdrawn?: ClosingHandler;
  /** The document as an approver needs to see it (shown next to the request); files included. */
  describe?: (db: Executor, docId: string, viewer: Actor) => Promise<unknown>;
  /** Holders of this permission may read every request of the type (besides workflow.request.read). */
  readPermission?: string;
}

const docTypes = new Map<string, DocTypeDef>();

/** Declares a document type's finaliser (and optionally more): `registerApprovalHandler("purchasing.order", async (ctx, id) => …)`. */
export function registerApprovalHandler(docType: string, onApproved: ApprovalHandler, more: Omit<DocTypeDef, "onApproved"> = {}): void {
  registerDocType(docType, { ...more, onApproved });
}

export function registerDocType(docType: string, def: DocTypeDef): void {
  docTypes.set(docType, { ...docTypes.get(docType), ...def });
}

export function docTypeDef(docType: string): DocTypeDef | undefined {
  return docTypes.get(docType);
}

export function registeredDocTypes(): { docType: string; label: Bilingual | null }[] {
  return [...docTypes.entries()].map(([docType, d]) => ({ docType, label: d.label ?? null })).sort((a, b) => a.docType.localeCompare(b.docType));
}

export interface SubmitInput {
  docType: string;
  docId: string | number;
  /** Decimal string; needed when the chain has amount thresholds. */
  amount?: string | null;
  /** Routes the request (chain choice, managers, role scopes); default: the maker's department. */
  departmentId?: number | null;
  summary: string | Bilingual;
  /** The person the request is from, when not the signed-in actor (e.g. an anonymous applicant's new account). */
  makerId?: number;
  /** Default: the actor's company. */
  companyId?: number;
}

export interface SubmitResult {
  requestId: number;
  number: string;
  status: "pending" | "approved";
  levels: number;
}

/**
 * Starts the approval of a document, inside the calling command's transaction: picks the chain (the
 * nearest department subtree wins over the company-wide one), keeps the levels whose amount threshold
 * the amount reaches, and opens level 1. With no level left the request is approved at once (and the
 * finaliser runs). Without a chain the command fails: an approval that nobody defined is not skipped.
 */
export async function submitForApproval(ctx: CommandContext, input: SubmitInput): Promise<SubmitResult> {
  const tx = ctx.tx;
  const docId = String(input.docId);
  const companyId = input.companyId ?? ctx.actor.companyId;
  if (!companyId) throw errors.rule("no_company", "org.error.no_company");
  const makerId = input.makerId ?? (ctx.actor.kind === "user" ? ctx.actor.id : null);
  let makerName = ctx.actor.name;
  let makerDept: number | null = null;
  if (makerId) {
    const u = await one<{ display_name: string; department_id: number | null; company_id: number }>(
      tx,
      sql`select display_name, department_id, company_id from app_user where id = ${makerId}`,
    );
    if (!u || u.company_id !== companyId) throw errors.notFound("app_user");
    makerName = u.display_name;
    makerDept = u.department_id;
  }
  const departmentId = input.departmentId ?? makerDept;
  let amount: Decimal | null = null;
  if (input.amount !== undefined && input.amount !== null) {
    try {
      amount = new Decimal(input.amount);
    } catch {
      throw errors.rule("approval_amount_invalid", "workflow.error.amount_invalid");
    }
    if (!amount.isFinite()) throw errors.rule("approval_amount_invalid", "workflow.error.amount_invalid");
  }

  const chain = await one<{ id: number; revision: number; distinct_approvers: boolean }>(
    tx,
    sql`select c.id, c.revision, c.distinct_approvers from approval_chain c
        left join approval_dept_ancestors(${departmentId}::int8) a on a.dept_id = c.department_id
        where c.company_id = ${companyId} and c.doc_type = ${input.docType} and c.active
          and (c.department_id is null or a.dept_id is not null)
        order by a.depth asc nulls last limit 1`,
  );
  if (!chain) throw errors.rule("approval_chain_missing", "workflow.error.no_chain", { docType: input.docType });
  const levels = await tx.select().from(approvalChainLevel).where(eq(approvalChainLevel.chainId, chain.id)).orderBy(asc(approvalChainLevel.level));
  const applicable = [];
  for (const l of levels) {
    if (l.minAmount === null) applicable.push(l);
    else if (amount === null) throw errors.rule("approval_amount_required", "workflow.error.amount_required", { docType: input.docType });
    else if (amount.gte(l.minAmount)) applicable.push(l);
  }
  const open = await one(
    tx,
    sql`select number from approval_request where company_id = ${companyId} and doc_type = ${input.docType} and doc_id = ${docId}
        and status = 'pending' for update`,
  );
  if (open) throw errors.rule("approval_already_pending", "workflow.error.already_pending", { number: open.number as string });

  const summary = typeof input.summary === "string" ? { "zh-CN": input.summary, "en-US": input.summary } : input.summary;
  const [request] = await tx
    .insert(approvalRequest)
    .values({
      companyId,
      docType: input.docType,
      docId,
      chainId: chain.id,
      chainRevision: chain.revision,
      distinctApprovers: chain.distinct_approvers,
      departmentId,
      amount: amount?.toFixed() ?? null,
      summaryZh: summary["zh-CN"].slice(0, 500),
      summaryEn: summary["en-US"].slice(0, 500),
      makerUserId: makerId,
      makerName,
      status: applicable.length === 0 ? "approved" : "pending",
      currentLevel: applicable.length === 0 ? null : 1,
      closedAt: applicable.length === 0 ? sql`now()` : null,
    } as typeof approvalRequest.$inferInsert)
    .returning();
  const steps =
    applicable.length === 0
      ? []
      : await tx
          .insert(approvalStep)
          .values(
            applicable.map((l, i) => ({
              requestId: request.id,
              seq: i + 1,
              chainLevel: l.level,
              nameZh: l.nameZh,
              nameEn: l.nameEn,
              minAmount: l.minAmount,
              approverKind: l.approverKind,
              roleId: l.roleId,
              departmentId: l.departmentId,
              userId: l.userId,
              escalateAfterHours: l.escalateAfterHours,
              status: i === 0 ? ("pending" as const) : ("waiting" as const),
              activatedAt: i === 0 ? sql`now()` : null,
              waitingSince: i === 0 ? sql`now()` : null,
            })) as (typeof approvalStep.$inferInsert)[],
          )
          .returning();
  await recordAction(tx, { requestId: request.id, action: "submitted", actorUserId: makerId, actorName: makerName });
  ctx.emit("workflow.submitted", { requestId: request.id, number: request.number, docType: input.docType, docId });
  ctx.audit.details = {
    ...ctx.audit.details,
    approval: { requestId: request.id, number: request.number, chainId: chain.id, chainRevision: chain.revision, levels: steps.length },
  };
  if (steps.length === 0) {
    await recordAction(tx, { requestId: request.id, action: "auto_approved", actorUserId: null, actorName: "system" });
    await finalise(ctx, request);
  } else {
    await warnIfNobodyCanDecide(tx, request, steps[0]);
  }
  return { requestId: request.id, number: request.number, status: request.status as "pending" | "approved", levels: steps.length };
}

/** Refuses to finalise a document whose latest approval request is not approved. */
export async function assertApproved(tx: Executor, docType: string, docId: string | number): Promise<void> {
  const r = await latestRequest(tx, docType, docId);
  if (!r) throw errors.rule("approval_missing", "workflow.error.not_submitted", { docType });
  if (r.status !== "approved") throw errors.rule("approval_not_approved", "workflow.error.not_approved", { number: r.number, status: r.status });
}

export async function latestRequest(db: Executor, docType: string, docId: string | number): Promise<{ id: number; number: string; status: string } | undefined> {
  return one(db, sql`select id, number, status from approval_request where doc_type = ${docType} and doc_id = ${String(docId)} order by id desc limit 1`);
}

export interface DecisionInput {
  requestId: number;
  /** The level (step number) the approver saw: a decision for another level than the open one is refused. */
  level: number;
  decision: "approve" | "reject";
  /** Required to reject; an optional remark when approving. */
  reason?: string;
}

/**
 * Decides the open level of a request. Refused: a closed request, another level than the open one
 * (levels are never skipped), the maker (at any level, whatever roles they hold), anyone the level's
 * rule or a delegation valid today does not name — the latter two with 403, audited as denied.
 */
export async function decide(ctx: CommandContext, input: DecisionInput): Promise<{ request: ApprovalRequestRow; final: boolean }> {
  const tx = ctx.tx;
  const request = await lockRequest(ctx, input.requestId);
  ctx.audit.entityId = request.id;
  ctx.audit.details = { number: request.number, docType: request.docType, docId: request.docId, level: input.level, decision: input.decision };
  if (request.status !== "pending") throw errors.rule("approval_not_pending", "workflow.error.not_pending", { number: request.number, status: request.status });
  if (input.level !== request.currentLevel) {
    throw errors.rule("approval_level_not_current", "workflow.error.level_not_current", { level: input.level, current: request.currentLevel });
  }
  const actorId = ctx.actor.kind === "user" ? ctx.actor.id : null;
  if (!actorId) throw new AppError(403, "approval_person_only", "workflow.error.person_only");
  if (actorId === request.makerUserId) throw new AppError(403, "approval_maker_is_checker", "workflow.error.maker");
  const [step] = await tx.select().from(approvalStep).where(sql`request_id = ${request.id} and seq = ${request.currentLevel}`);
  const eligibility = await rows<{ on_behalf_of: number | null }>(
    tx,
    sql`select on_behalf_of from approval_eligibility(${step.id}::int8, ${actorId}::int8) order by on_behalf_of nulls first`,
  );
  if (eligibility.length === 0) throw new AppError(403, "approval_not_eligible", "workflow.error.not_eligible", { level: step.seq });
  const onBehalfOf = eligibility[0].on_behalf_of;
  const reason = input.reason?.trim() || null;
  if (input.decision === "reject" && !reason) throw errors.field("/reason", "required", "workflow.error.reason_required");
  const representedName = onBehalfOf ? await userName(tx, onBehalfOf) : null;

  await tx
    .update(approvalStep)
    .set({ status: input.decision === "approve" ? "approved" : "rejected", decidedAt: sql`now()`, decidedBy: actorId, onBehalfOf, comment: reason } as never)
    .where(eq(approvalStep.id, step.id));
  await recordAction(tx, {
    requestId: request.id,
    stepId: step.id,
    seq: step.seq,
    action: input.decision === "approve" ? "approved" : "rejected",
    actorUserId: actorId,
    actorName: ctx.actor.name,
    onBehalfOfUserId: onBehalfOf,
    onBehalfOfName: representedName,
    reason,
  });
  Object.assign(ctx.audit.details!, { onBehalfOf, onBehalfOfName: representedName, reason });

  if (input.decision === "reject") {
    await tx.execute(sql`update approval_step set status = 'cancelled' where request_id = ${request.id} and status = 'waiting'`);
    const [closed] = await tx
      .update(approvalRequest)
      .set({ status: "rejected", currentLevel: null, closedAt: sql`now()` } as never)
      .where(eq(approvalRequest.id, request.id))
      .returning();
    await docTypes.get(request.docType)?.onRejected?.(ctx, request.docId, { request: closed, reason });
    ctx.emit("workflow.rejected", { requestId: request.id, number: request.number, docType: request.docType, docId: request.docId, reason });
    return { request: closed, final: true };
  }
  const next = await one<{ id: number }>(tx, sql`select id from approval_step where request_id = ${request.id} and seq = ${step.seq + 1}`);
  if (!next) {
    const [closed] = await tx
      .update(approvalRequest)
      .set({ status: "approved", currentLevel: null, closedAt: sql`now()` } as never)
      .where(eq(approvalRequest.id, request.id))
      .returning();
    ctx.audit.details!.final = true;
    await finalise(ctx, closed);
    return { request: closed, final: true };
  }
  const [opened] = await tx
    .update(approvalStep)
    .set({ status: "pending", activatedAt: sql`now()`, waitingSince: sql`now()` } as never)
    .where(eq(approvalStep.id, next.id))
    .returning();
  const [moved] = await tx
    .update(approvalRequest)
    .set({ currentLevel: step.seq + 1 })
    .where(eq(approvalRequest.id, request.id))
    .returning();
  ctx.emit("workflow.level_approved", { requestId: request.id, number: request.number, level: step.seq, next: step.seq + 1 });
  await warnIfNobodyCanDecide(tx, moved, opened);
  return { request: moved, final: false };
}

/** The maker takes back a request still open (or the system does, e.g. when the maker leaves). */
export async function withdraw(ctx: CommandContext, requestId: number, reason: string | null): Promise<ApprovalRequestRow> {
  const tx = ctx.tx;
  const request = await lockRequest(ctx, requestId);
  ctx.audit.entityId = request.id;
  ctx.audit.details = { number: request.number, docType: request.docType, docId: request.docId, reason };
  if (request.status !== "pending") throw errors.rule("approval_not_pending", "workflow.error.not_pending", { number: request.number, status: request.status });
  const isMaker = ctx.actor.kind === "user" && ctx.actor.id === request.makerUserId;
  if (!isMaker && ctx.actor.kind !== "system") throw new AppError(403, "approval_not_maker", "workflow.error.only_maker_withdraws");
  await tx.execute(sql`update approval_step set status = 'cancelled' where request_id = ${request.id} and status in ('waiting', 'pending')`);
  const [closed] = await tx
    .update(approvalRequest)
    .set({ status: "withdrawn", currentLevel: null, closedAt: sql`now()` } as never)
    .where(eq(approvalRequest.id, request.id))
    .returning();
  await recordAction(tx, {
    requestId: request.id,
    action: "withdrawn",
    actorUserId: ctx.actor.kind === "user" ? ctx.actor.id : null,
    actorName: ctx.actor.name,
    reason,
  });
  await docTypes.get(request.docType)?.onWithdrawn?.(ctx, request.docId, { request: closed, reason });
  ctx.emit("workflow.withdrawn", { requestId: request.id, number: request.number, docType: request.docType, docId: request.docId });
  return closed;
}

/**
 * Escalates the open level of a request that waited too long: the next superior above everyone who
 * may decide it now may decide it too (the others keep the right). At the top of the tree the step is
 * marked exhausted and administrators get an alert.
 */
export async function escalate(ctx: CommandContext, stepId: number): Promise<{ escalatedTo: number | null; skipped?: string }> {
  const tx = ctx.tx;
  const step = await one<{
    id: number;
    request_id: number;
    seq: number;
    status: string;
    due: boolean;
    escalation_exhausted: boolean;
    name_zh: string;
    name_en: string;
  }>(
    tx,
    sql`select s.id, s.request_id, s.seq, s.status, s.escalation_exhausted, s.name_zh, s.name_en,
          (s.escalate_after_hours is not null and s.waiting_since + make_interval(hours => s.escalate_after_hours) <= now()) as due
        from approval_step s where s.id = ${stepId} for update`,
  );
  if (!step) throw errors.notFound("approval_step");
  const request = await lockRequest(ctx, step.request_id);
  ctx.audit.entityId = request.id;
  ctx.audit.details = { number: request.number, docType: request.docType, docId: request.docId, level: step.seq };
  // Another worker or a decision got there first: nothing to do (and nothing to record as done).
  if (step.status !== "pending" || !step.due || step.escalation_exhausted) return { escalatedTo: null, skipped: "not_due" };
  const target = await one<{ id: number | null }>(tx, sql`select approval_escalation_target(${step.id}::int8) as id`);
  if (target?.id) {
    const name = await userName(tx, target.id);
    await tx.execute(sql`update approval_step set waiting_since = now() where id = ${step.id}`);
    await recordAction(tx, { requestId: request.id, stepId: step.id, seq: step.seq, action: "escalated", actorUserId: null, actorName: ctx.actor.name, toUserId: target.id, toUserName: name });
    Object.assign(ctx.audit.details, { escalatedTo: target.id, escalatedToName: name });
    ctx.emit("workflow.escalated", { requestId: request.id, number: request.number, level: step.seq, toUserId: target.id });
    return { escalatedTo: target.id };
  }
  await tx.execute(sql`update approval_step set escalation_exhausted = true where id = ${step.id}`);
  await recordAction(tx, { requestId: request.id, stepId: step.id, seq: step.seq, action: "escalation_failed", actorUserId: null, actorName: ctx.actor.name });
  await raiseAlert(tx, "warning", "workflow", "workflow.alert.no_superior", { number: request.number, level: step.seq, levelZh: step.name_zh, levelEn: step.name_en });
  Object.assign(ctx.audit.details, { escalatedTo: null, exhausted: true });
  return { escalatedTo: null };
}

async function lockRequest(ctx: CommandContext, requestId: number): Promise<ApprovalRequestRow> {
  const [request] = await ctx.tx.select().from(approvalRequest).where(eq(approvalRequest.id, requestId)).for("update");
  // The system (jobs, CLI) acts in every company; people only in their own.
  if (!request || (ctx.actor.kind !== "system" && request.companyId !== ctx.actor.companyId)) throw errors.notFound("approval_request");
  return request;
}

async function finalise(ctx: CommandContext, request: ApprovalRequestRow): Promise<void> {
  await docTypes.get(request.docType)?.onApproved?.(ctx, request.docId, request);
  ctx.emit("workflow.approved", { docType: request.docType, docId: request.docId, requestId: request.id, number: request.number });
}

/** A level nobody can decide would wait forever unnoticed: tell the administrators (fixing the org fixes it). */
async function warnIfNobodyCanDecide(tx: Executor, request: ApprovalRequestRow, step: ApprovalStepRow): Promise<void> {
  const n = await one<{ n: number }>(tx, sql`select count(*)::int8 as n from approval_step_approvers(${step.id}::int8)`);
  if (Number(n?.n ?? 0) > 0) return;
  await raiseAlert(tx, "warning", "workflow", "workflow.alert.no_approver", { number: request.number, level: step.seq, levelZh: step.nameZh, levelEn: step.nameEn });
}

async function userName(tx: Executor, id: number): Promise<string | null> {
  const u = await one<{ display_name: string }>(tx, sql`select display_name from app_user where id = ${id}`);
  return u?.display_name ?? null;
}

async function recordAction(
  tx: Executor,
  a: {
    requestId: number;
    stepId?: number;
    seq?: number;
    action: ActionKind;
    actorUserId: number | null;
    actorName: string;
    onBehalfOfUserId?: number | null;
    onBehalfOfName?: string | null;
    toUserId?: number;
    toUserName?: string | null;
    reason?: string | null;
  },
): Promise<void> {
  await tx.insert(approvalAction).values({
    requestId: a.requestId,
    stepId: a.stepId ?? null,
    seq: a.seq ?? null,
    action: a.action,
    actorUserId: a.actorUserId,
    actorName: a.actorName,
    onBehalfOfUserId: a.onBehalfOfUserId ?? null,
    onBehalfOfName: a.onBehalfOfName ?? null,
    toUserId: a.toUserId ?? null,
    toUserName: a.toUserName ?? null,
    reason: a.reason ?? null,
  });
}
