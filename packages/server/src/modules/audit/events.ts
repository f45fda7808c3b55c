import type { Actor } from "../../platform/actor.ts";
import { type Executor, one, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type CommandContext, defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { P } from "./permissions.ts";
import { runAnomalyScan } from "./rules.ts";

/**
 * Handling security events (SEC-3): open → investigating → resolved, each step with a note, an
 * assignee, and a resolution at the end; a resolved event can be reopened. The database refuses any
 * other move (trigger `security_event_transition`); every step is a command, so it is audited.
 */

const Id = Type.Integer({ minimum: 1 });
const Version = Type.Integer({ minimum: 1 });
const Note = Type.String({ minLength: 1, maxLength: 4000 });
const Resolution = Type.Union([
  Type.Literal("confirmed_incident"),
  Type.Literal("false_positive"),
  Type.Literal("accepted_risk"),
  Type.Literal("mitigated"),
]);

interface EventRow {
  id: number;
  company_id: number | null;
  status: "open" | "investigating" | "resolved";
  version: number;
  assignee_id: number | null;
  resolution: string | null;
}

/** The event, if the actor's company may see it (its own, or events tied to no company); else 404. */
async function lockEvent(tx: Executor, actor: Actor, id: number, version?: number): Promise<EventRow> {
  const e = await one<EventRow>(
    tx,
    sql`select id, company_id, status, version, assignee_id, resolution from security_event
        where id = ${id} and (company_id is null or company_id = ${actor.companyId} or ${actor.companyId}::int8 is null) for update`,
  );
  if (!e) throw errors.notFound("security_event");
  if (version !== undefined && e.version !== version) throw errors.versionConflict(e.version);
  return e;
}

/** An assignee must be an active person of the company who may handle security events. */
async function checkAssignee(tx: Executor, companyId: number | null, userId: number): Promise<string> {
  const u = await one<{ display_name: string }>(
    tx,
    sql`select u.display_name from app_user u where u.id = ${userId} and u.status = 'active'
          and (${companyId}::int8 is null or u.company_id = ${companyId})
          and exists (select 1 from user_role ur join role r on r.id = ur.role_id
                      where ur.user_id = u.id and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())
                        and ('*' = any(r.permissions) or ${P.securityManage} = any(r.permissions)))`,
  );
  if (!u) throw errors.field("/assigneeId", "assignee", "audit.error.assignee");
  return u.display_name;
}

/** The move must be one the process allows from where the event is now (the database checks it again). */
function requireStatus(e: EventRow, allowed: EventRow["status"][]) {
  if (!allowed.includes(e.status)) throw errors.rule("security_event_transition", "constraint.security_event_transition", { status: e.status });
}

const authorId = (ctx: CommandContext) => (ctx.actor.kind === "user" ? ctx.actor.id : null);

async function addNote(
  ctx: CommandContext,
  eventId: number,
  n: { kind: "reported" | "comment" | "status" | "assigned"; from?: string; to?: string; assigneeId?: number | null; resolution?: string; note?: string },
) {
  await ctx.tx.execute(sql`insert into security_event_note (event_id, author_id, author_name, kind, from_status, to_status, assignee_id, resolution, note)
      values (${eventId}, ${authorId(ctx)}, ${ctx.actor.name}, ${n.kind}, ${n.from ?? null}, ${n.to ?? null}, ${n.assigneeId ?? null},
              ${n.resolution ?? null}, ${n.note ?? null})`);
}

async function setStatus(ctx: CommandContext, e: EventRow, to: EventRow["status"], extra: { resolution?: string | null; assigneeId?: number | null }) {
  const resolved = to === "resolved";
  await ctx.tx.execute(sql`update security_event set status = ${to},
      resolution = ${resolved ? (extra.resolution ?? null) : null},
      resolved_at = ${resolved ? sql`now()` : sql`null`},
      resolved_by = ${resolved ? authorId(ctx) : null},
      assignee_id = ${extra.assigneeId === undefined ? e.assignee_id : extra.assigneeId},
      version = version + 1, updated_at = now()
    where id = ${e.id}`);
}

const result = async (tx: Executor, id: number) =>
  one<{ id: number; status: string; version: number; assigneeId: number | null; resolution: string | null }>(
    tx,
    sql`select id, status, version, assignee_id as "assigneeId", resolution from security_event where id = ${id}`,
  );

export const investigate = defineCommand({
  name: "audit.security.investigate",
  permission: P.securityManage,
  entity: "security_event",
  input: StrictObject({ id: Id, version: Version, note: Note, assigneeId: Type.Optional(Id) }),
  async run(ctx, input) {
    const e = await lockEvent(ctx.tx, ctx.actor, input.id, input.version);
    requireStatus(e, ["open"]);
    const assigneeId = input.assigneeId ?? e.assignee_id ?? authorId(ctx);
    if (assigneeId !== null) await checkAssignee(ctx.tx, e.company_id ?? ctx.actor.companyId, assigneeId);
    await setStatus(ctx, e, "investigating", { assigneeId });
    await addNote(ctx, e.id, { kind: "status", from: e.status, to: "investigating", assigneeId, note: input.note });
    ctx.audit.before = { status: e.status, assigneeId: e.assignee_id };
    ctx.audit.after = { status: "investigating", assigneeId };
    return result(ctx.tx, e.id);
  },
});

export const resolve = defineCommand({
  name: "audit.security.resolve",
  permission: P.securityManage,
  entity: "security_event",
  input: StrictObject({ id: Id, version: Version, resolution: Resolution, note: Note }),
  async run(ctx, input) {
    const e = await lockEvent(ctx.tx, ctx.actor, input.id, input.version);
    requireStatus(e, ["open", "investigating"]);
    await setStatus(ctx, e, "resolved", { resolution: input.resolution });
    await addNote(ctx, e.id, { kind: "status", from: e.status, to: "resolved", resolution: input.resolution, note: input.note });
    ctx.audit.before = { status: e.status, resolution: e.resolution };
    ctx.audit.after = { status: "resolved", resolution: input.resolution };
    return result(ctx.tx, e.id);
  },
});

export const reopen = defineCommand({
  name: "audit.security.reopen",
  permission: P.securityManage,
  entity: "security_event",
  input: StrictObject({ id: Id, version: Version, note: Note }),
  async run(ctx, input) {
    const e = await lockEvent(ctx.tx, ctx.actor, input.id, input.version);
    requireStatus(e, ["resolved"]);
    await setStatus(ctx, e, "investigating", {});
    await addNote(ctx, e.id, { kind: "status", from: e.status, to: "investigating", note: input.note });
    ctx.audit.before = { status: e.status, resolution: e.resolution };
    ctx.audit.after = { status: "investigating", resolution: null };
    return result(ctx.tx, e.id);
  },
});

export const assign = defineCommand({
  name: "audit.security.assign",
  permission: P.securityManage,
  entity: "security_event",
  input: StrictObject({ id: Id, version: Version, assigneeId: Type.Union([Id, Type.Null()]), note: Type.Optional(Note) }),
  async run(ctx, input) {
    const e = await lockEvent(ctx.tx, ctx.actor, input.id, input.version);
    if (input.assigneeId !== null) await checkAssignee(ctx.tx, e.company_id ?? ctx.actor.companyId, input.assigneeId);
    await ctx.tx.execute(sql`update security_event set assignee_id = ${input.assigneeId}, version = version + 1, updated_at = now() where id = ${e.id}`);
    await addNote(ctx, e.id, { kind: "assigned", assigneeId: input.assigneeId, note: input.note });
    ctx.audit.before = { assigneeId: e.assignee_id };
    ctx.audit.after = { assigneeId: input.assigneeId };
    return result(ctx.tx, e.id);
  },
});

/** A note on the timeline without changing the event (findings of the investigation, contacts made…). */
export const comment = defineCommand({
  name: "audit.security.comment",
  permission: P.securityManage,
  entity: "security_event",
  input: StrictObject({ id: Id, note: Note }),
  async run(ctx, input) {
    const e = await lockEvent(ctx.tx, ctx.actor, input.id);
    await addNote(ctx, e.id, { kind: "comment", note: input.note });
    ctx.audit.details = { note: input.note };
    return result(ctx.tx, e.id);
  },
});

/** An incident seen by a person rather than a rule (a lost badge, a shared password, a phishing mail…). */
export const report = defineCommand({
  name: "audit.security.report",
  permission: P.securityManage,
  entity: "security_event",
  input: StrictObject({
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    severity: Type.Union([Type.Literal("low"), Type.Literal("medium"), Type.Literal("high"), Type.Literal("critical")]),
    occurredAt: Type.Optional(Type.String({ format: "date-time" })),
    assigneeId: Type.Optional(Id),
  }),
  async run(ctx, input) {
    const companyId = ctx.actor.companyId;
    if (!companyId) throw errors.rule("no_company", "org.error.no_company");
    if (input.occurredAt && Date.parse(input.occurredAt) > Date.now() + 60_000) {
      throw errors.field("/occurredAt", "maximum", "validation.maximum", { limit: new Date().toISOString() });
    }
    if (input.assigneeId) await checkAssignee(ctx.tx, companyId, input.assigneeId);
    const at = input.occurredAt ?? new Date().toISOString();
    const row = await one<{ id: number }>(
      ctx.tx,
      sql`insert into security_event (company_id, rule, severity, title, description, window_start, window_end, assignee_id, reported_by,
            subject_name, facts)
          values (${companyId}, 'manual', ${input.severity}, ${input.title}, ${input.description ?? null}, ${at}, ${at},
            ${input.assigneeId ?? null}, ${authorId(ctx)}, ${ctx.actor.name}, '{}'::jsonb)
          returning id`,
    );
    await addNote(ctx, row!.id, { kind: "reported", assigneeId: input.assigneeId ?? null, note: input.description });
    ctx.audit.after = input;
    return result(ctx.tx, row!.id);
  },
});

/** Runs the anomaly rules now (the schedule runs them every ten minutes). `since` rescans from a time. */
export const scan = defineCommand({
  name: "audit.security.scan",
  permission: P.securityManage,
  entity: "security_event",
  input: StrictObject({ since: Type.Optional(Type.String({ format: "date-time" })) }),
  async run(ctx, input) {
    const r = await runAnomalyScan(ctx.tx, { since: input.since });
    ctx.audit.details = { fromId: r.fromId, toId: r.toId, findings: r.findings, created: r.created, extended: r.extended, skipped: r.skipped };
    return r;
  },
});
