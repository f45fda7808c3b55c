import { type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../platform/actor.ts";
import { type Executor, one, rows } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import type { Lang } from "../../platform/i18n.ts";
import { type ListParams, likePattern, listPage } from "../../platform/listing.ts";
import { actionLabel, bothLabels } from "./actions.ts";
import { eventTitle } from "./findings.ts";
import { P } from "./permissions.ts";

// ------------------------------------------------------------------------------------------------
// Audit log
// ------------------------------------------------------------------------------------------------

export interface LogFilter {
  userId?: number;
  actorType?: "user" | "token" | "system" | "anonymous";
  tokenId?: number;
  from?: string;
  to?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  ip?: string;
  outcome?: "success" | "denied" | "failed";
  q?: string;
}

/**
 * The records an auditor of `companyId` may read: the company's own, and those tied to no company
 * (sign-in attempts on unknown accounts, the installation, jobs of the whole system).
 */
export function logWhere(companyId: number | null, f: LogFilter): SQL {
  const w: SQL[] = [companyId === null ? sql`true` : sql`(a.company_id = ${companyId} or a.company_id is null)`];
  if (f.from && f.to && Date.parse(f.to) < Date.parse(f.from)) throw errors.field("/querystring/to", "range", "audit.error.period");
  if (f.userId) w.push(sql`a.actor_type = 'user' and a.actor_id = ${f.userId}`);
  if (f.actorType) w.push(sql`a.actor_type = ${f.actorType}`);
  if (f.tokenId) w.push(sql`a.session_id = ${`token:${f.tokenId}`}`);
  if (f.from) w.push(sql`a.occurred_at >= ${f.from}::timestamptz`);
  if (f.to) w.push(sql`a.occurred_at <= ${f.to}::timestamptz`);
  if (f.action) w.push(f.action.endsWith(".*") ? sql`a.action like ${`${f.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : sql`a.action = ${f.action}`);
  if (f.entity) w.push(sql`a.entity = ${f.entity}`);
  if (f.entityId) w.push(sql`a.entity_id = ${f.entityId}`);
  // An address or the start of one (a subnet such as "10.20.").
  if (f.ip) w.push(sql`a.ip like ${`${f.ip.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (f.outcome) w.push(sql`a.outcome = ${f.outcome}`);
  if (f.q) {
    const p = likePattern(f.q);
    w.push(sql`(a.actor_name ilike ${p} or a.entity_id ilike ${p} or a.action ilike ${p} or a.error_code ilike ${p})`);
  }
  return sql.join(w, sql` and `);
}

/** Counting a large log exactly costs a full scan: beyond this the total is shown as "more than". */
const COUNT_CAP = 100_000;

const LIST_COLUMNS = sql`a.id, a.occurred_at as "occurredAt", a.company_id as "companyId", a.actor_type as "actorType",
  a.actor_id as "actorId", a.actor_name as "actorName", a.session_id as "sessionId", a.ip, a.action, a.entity,
  a.entity_id as "entityId", a.outcome, a.error_code as "errorCode",
  (a.changes is not null) as "hasChanges"`;

export async function listLog(db: Executor, actor: Actor, f: LogFilter & ListParams) {
  const where = logWhere(actor.companyId, f);
  const page = f.page ?? 1;
  const pageSize = f.pageSize ?? 50;
  const sortable: Record<string, SQL> = { id: sql`a.id`, occurredAt: sql`a.occurred_at` };
  const order: SQL[] = [];
  for (const part of (f.sort || "-id").split(",")) {
    const desc = part.startsWith("-");
    const expr = sortable[desc ? part.slice(1) : part];
    if (!expr) throw errors.field("/querystring/sort", "enum", "validation.enum", { values: Object.keys(sortable).join(", ") });
    order.push(desc ? sql`${expr} desc` : sql`${expr} asc`);
  }
  order.push(sql`a.id desc`);
  const items = await rows<Record<string, unknown> & { action: string }>(
    db,
    sql`select ${LIST_COLUMNS} from audit_log a where ${where} order by ${sql.join(order, sql`, `)}
        limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const c = await one<{ n: number }>(db, sql`select count(*)::int8 as n from (select 1 from audit_log a where ${where} limit ${COUNT_CAP + 1}) s`);
  const n = Number(c?.n ?? 0);
  return {
    items: items.map((r) => ({ ...r, actionLabel: actionLabel(r.action, actor.lang) })),
    total: Math.min(n, COUNT_CAP),
    totalCapped: n > COUNT_CAP,
    page,
    pageSize,
  };
}

export interface FieldChange {
  field: string;
  kind: "added" | "removed" | "changed";
  before: unknown;
  after: unknown;
}

/** The before/after of a record field by field: what the detail drawer shows. */
export function fieldChanges(changes: unknown): FieldChange[] {
  if (!changes || typeof changes !== "object") return [];
  const { before, after } = changes as { before?: unknown; after?: unknown };
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObj(before) && !isObj(after)) {
    if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return [];
    return [{ field: "", kind: before == null ? "added" : after == null ? "removed" : "changed", before: before ?? null, after: after ?? null }];
  }
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const out: FieldChange[] = [];
  for (const field of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    const inB = field in b && isObj(before);
    const inA = field in a && isObj(after);
    if (inB && inA && JSON.stringify(b[field]) === JSON.stringify(a[field])) continue;
    out.push({ field, kind: !inB ? "added" : !inA ? "removed" : "changed", before: inB ? b[field] : null, after: inA ? a[field] : null });
  }
  return out;
}

export async function getLogRecord(db: Executor, actor: Actor, id: number) {
  const r = await one<Record<string, unknown> & { action: string; changes: unknown }>(
    db,
    sql`select a.id, a.occurred_at as "occurredAt", a.company_id as "companyId", a.actor_type as "actorType", a.actor_id as "actorId",
          a.actor_name as "actorName", a.session_id as "sessionId", a.ip, a.user_agent as "userAgent", a.request_id as "requestId",
          a.action, a.entity, a.entity_id as "entityId", a.outcome, a.error_code as "errorCode", a.changes, a.details,
          a.prev_hash as "prevHash", a.hash,
          (select max(p.id) from audit_log p where p.id < a.id) as "previousId",
          (select min(n.id) from audit_log n where n.id > a.id) as "nextId",
          coalesce((select jsonb_agg(r.event_id order by r.event_id) from security_event_record r where r.audit_id = a.id), '[]'::jsonb) as "securityEvents"
        from audit_log a where a.id = ${id} and ${logWhere(actor.companyId, {})}`,
  );
  if (!r) throw errors.notFound("audit_log");
  return { ...r, actionLabel: actionLabel(r.action, actor.lang), fieldChanges: fieldChanges(r.changes) };
}

/** The actions that occur in the log, with labels: one index probe per distinct action. */
export async function listActions(db: Executor, lang: Lang) {
  const r = await rows<{ action: string }>(
    db,
    sql`with recursive t(action) as (
          (select action from audit_log order by action limit 1)
          union all
          select (select a.action from audit_log a where a.action > t.action order by a.action limit 1) from t where t.action is not null)
        select action from t where action is not null`,
  );
  return r.map((x) => ({ action: x.action, label: actionLabel(x.action, lang), labels: bothLabels(x.action) }));
}

export function listVerifications(db: Executor, params: ListParams) {
  return listPage(db, {
    columns: sql`v.id, v.started_at as "startedAt", v.finished_at as "finishedAt", v.trigger, v.requested_by_name as "requestedByName",
      v.chain_ok as "chainOk", v.checked, v.first_bad_id as "firstBadId", v.problem, v.head_id as "headId", v.anchor_status as "anchorStatus",
      v.anchor_id as "anchorId", v.duration_ms as "durationMs",
      (v.chain_ok and v.anchor_status in ('none', 'ok')) as ok`,
    from: sql`audit_verification v`,
    sortable: { startedAt: sql`v.started_at`, id: sql`v.id` },
    defaultSort: "-id",
    params,
  });
}

// ------------------------------------------------------------------------------------------------
// Security events
// ------------------------------------------------------------------------------------------------

export interface EventFilter {
  status?: "open" | "investigating" | "resolved" | "unresolved";
  severity?: "low" | "medium" | "high" | "critical";
  rule?: string;
  assigneeId?: number;
  from?: string;
  to?: string;
}

const visibleEvents = (actor: Actor) =>
  actor.companyId === null ? sql`true` : sql`(e.company_id = ${actor.companyId} or e.company_id is null)`;

const SEVERITY_RANK = sql`case e.severity when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end`;

const EVENT_COLUMNS = sql`e.id, e.company_id as "companyId", e.rule, e.severity, e.status, e.subject_key as "subjectKey",
  e.subject_user_id as "subjectUserId", e.subject_name as "subjectName", e.ip, e.facts, e.title, e.window_start as "windowStart",
  e.window_end as "windowEnd", e.occurrences, e.assignee_id as "assigneeId", asg.display_name as "assigneeName", e.resolution,
  e.resolved_at as "resolvedAt", e.detected_at as "detectedAt", e.last_detected_at as "lastDetectedAt", e.version`;

type EventListRow = { rule: string; facts: Record<string, unknown>; subjectName: string | null; title: string | null };
const withTitle = <T extends EventListRow>(r: T, lang: Lang) => ({
  ...r,
  title: eventTitle({ rule: r.rule, facts: r.facts, subject_name: r.subjectName, title: r.title }, lang),
  actionLabel: typeof r.facts?.action === "string" ? actionLabel(r.facts.action, lang) : null,
});

export async function listEvents(db: Executor, actor: Actor, f: EventFilter & ListParams) {
  const w: SQL[] = [visibleEvents(actor)];
  if (f.status === "unresolved") w.push(sql`e.status <> 'resolved'`);
  else if (f.status) w.push(sql`e.status = ${f.status}`);
  if (f.severity) w.push(sql`e.severity = ${f.severity}`);
  if (f.rule) w.push(sql`e.rule = ${f.rule}`);
  if (f.assigneeId) w.push(sql`e.assignee_id = ${f.assigneeId}`);
  if (f.from) w.push(sql`e.detected_at >= ${f.from}::timestamptz`);
  if (f.to) w.push(sql`e.detected_at <= ${f.to}::timestamptz`);
  if (f.q) {
    const p = likePattern(f.q);
    w.push(sql`(e.subject_name ilike ${p} or e.ip ilike ${p} or e.title ilike ${p} or e.facts::text ilike ${p})`);
  }
  const page = await listPage<EventListRow & Record<string, unknown>>(db, {
    columns: EVENT_COLUMNS,
    from: sql`security_event e left join app_user asg on asg.id = e.assignee_id`,
    where: sql.join(w, sql` and `),
    sortable: { detectedAt: sql`e.detected_at`, lastDetectedAt: sql`e.last_detected_at`, severity: SEVERITY_RANK, id: sql`e.id`, status: sql`e.status` },
    defaultSort: "-detectedAt",
    params: f,
  });
  return { ...page, items: page.items.map((r) => withTitle(r, actor.lang)) };
}

export async function getEvent(db: Executor, actor: Actor, id: number) {
  const e = await one<EventListRow & Record<string, unknown>>(
    db,
    sql`select ${EVENT_COLUMNS}, e.description, e.reported_by as "reportedBy", rb.display_name as "resolvedByName"
        from security_event e left join app_user asg on asg.id = e.assignee_id left join app_user rb on rb.id = e.resolved_by
        where e.id = ${id} and ${visibleEvents(actor)}`,
  );
  if (!e) throw errors.notFound("security_event");
  const notes = await rows(
    db,
    sql`select n.id, n.at, n.author_id as "authorId", n.author_name as "authorName", n.kind, n.from_status as "fromStatus",
          n.to_status as "toStatus", n.assignee_id as "assigneeId", u.display_name as "assigneeName", n.resolution, n.note
        from security_event_note n left join app_user u on u.id = n.assignee_id where n.event_id = ${id} order by n.id`,
  );
  const records = await rows<{ action: string } & Record<string, unknown>>(
    db,
    sql`select a.id, a.occurred_at as "occurredAt", a.actor_type as "actorType", a.actor_name as "actorName", a.ip, a.action,
          a.entity, a.entity_id as "entityId", a.outcome, a.error_code as "errorCode"
        from security_event_record r join audit_log a on a.id = r.audit_id where r.event_id = ${id} order by a.id limit 500`,
  );
  return {
    ...withTitle(e, actor.lang),
    notes,
    records: records.map((r) => ({ ...r, actionLabel: actionLabel(r.action, actor.lang) })),
  };
}

/** What the menu badge shows: unresolved events, and how many of them are high or critical. */
export async function eventSummary(db: Executor, actor: Actor) {
  const r = await one<{ open: number; investigating: number; urgent: number }>(
    db,
    sql`select count(*) filter (where e.status = 'open')::int8 as open,
          count(*) filter (where e.status = 'investigating')::int8 as investigating,
          count(*) filter (where e.status <> 'resolved' and e.severity in ('high', 'critical'))::int8 as urgent
        from security_event e where e.status <> 'resolved' and ${visibleEvents(actor)}`,
  );
  const scan = await one<{ lastRunAt: string | null; lastAuditId: number }>(
    db,
    sql`select last_run_at as "lastRunAt", last_audit_id as "lastAuditId" from security_scan_state where id = 1`,
  );
  return { open: Number(r?.open ?? 0), investigating: Number(r?.investigating ?? 0), urgent: Number(r?.urgent ?? 0), lastScanAt: scan?.lastRunAt ?? null };
}

/** People an event can be assigned to: active users of the company who may handle security events. */
export function listAssignees(db: Executor, actor: Actor) {
  return rows(
    db,
    sql`select u.id, u.username, u.display_name as "displayName" from app_user u
        where u.company_id = ${actor.companyId} and u.status = 'active'
          and exists (select 1 from user_role ur join role r on r.id = ur.role_id
                      where ur.user_id = u.id and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())
                        and ('*' = any(r.permissions) or ${P.securityManage} = any(r.permissions)))
        order by u.display_name`,
  );
}
