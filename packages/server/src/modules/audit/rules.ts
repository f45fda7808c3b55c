import { type Executor, one, rows, sql, textArray } from "../../platform/db/database.ts";
import { type Finding, type Severity, upsertFinding } from "./findings.ts";
import { EXPORT_ACTION } from "./log.ts";
import { type RuleSettings, allSettings, settingsFor } from "./settings.ts";

/**
 * The anomaly rules (AUD-3). Each run reads the audit records written since the previous run (plus
 * the records before them that their windows need), and turns what it sees into findings; the same
 * finding seen twice extends one security event (findings.ts), so a rule fires once per finding
 * however often it runs. Runs are serialised by an advisory lock.
 */

const SCAN_LOCK = 7240003;
/** A first run, or a rescan, looks back at most this far. */
const MAX_LOOKBACK_DAYS = 30;
// Roles that administer: everything, or a right over rights, accounts or the security settings.
const ADMIN_KEYS = [
  "access.role.edit", "access.user_role.assign", "access.token.manage", "access.sod.edit", "access.sod.exception.approve",
  "identity.user.create", "identity.user.edit", "identity.user.reset_password", "identity.policy.edit", "audit.security.configure",
];
const ADMIN_ROLE_CODES = sql`select code from role r where '*' = any(r.permissions) or r.permissions && ${textArray(ADMIN_KEYS)}`;

export interface ScanResult {
  fromId: number;
  toId: number;
  findings: number;
  created: number[];
  extended: number[];
  /** Rules that could not run, and why (e.g. no default working calendar for the hours rule). */
  skipped: { rule: string; companyId: number | null; reason: string }[];
}

interface Hit {
  id: number;
  at: number;
  companyId: number | null;
  actorId: number | null;
  actorName: string;
  actorType: string;
  ip: string | null;
  username?: string | null;
  rows?: number;
  errorCode?: string | null;
}

interface RawRecord {
  id: number;
  occurred_at: string;
  company_id: number | null;
  actor_type: string;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  username: string | null;
  error_code: string | null;
  rows: number | null;
}

const toHit = (r: RawRecord): Hit => ({
  id: r.id,
  at: Date.parse(r.occurred_at),
  companyId: r.company_id,
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorType: r.actor_type,
  ip: r.ip,
  username: r.username,
  rows: r.rows ?? 0,
  errorCode: r.error_code,
});

export async function runAnomalyScan(tx: Executor, opts: { since?: string } = {}): Promise<ScanResult> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SCAN_LOCK})`);
  const state = await one<{ last_audit_id: number }>(tx, sql`select last_audit_id from security_scan_state where id = 1 for update`);
  const head = await one<{ id: number | null }>(tx, sql`select max(id) as id from audit_log`);
  const toId = Number(head?.id ?? 0);
  const floor = await idBefore(tx, new Date(Date.now() - MAX_LOOKBACK_DAYS * 86_400_000).toISOString());
  let fromId = Number(state?.last_audit_id ?? 0);
  if (opts.since) fromId = Math.min(fromId, await idBefore(tx, opts.since));
  fromId = Math.max(fromId, floor);
  const result: ScanResult = { fromId, toId, findings: 0, created: [], extended: [], skipped: [] };
  if (toId > fromId) {
    const settings = await allSettings(tx);
    const findings: Finding[] = [
      ...(await repeatedFailures(tx, settings, fromId, toId)),
      ...(await disabledAccount(tx, settings, fromId, toId)),
      ...(await offHours(tx, fromId, toId, result)),
      ...(await newAddress(tx, fromId, toId)),
      ...(await massActivity(tx, settings, fromId, toId, "mass_export")),
      ...(await massActivity(tx, settings, fromId, toId, "mass_deletion")),
      ...(await rightsEscalation(tx, fromId, toId)),
    ];
    for (const f of findings) {
      const r = await upsertFinding(tx, f);
      result.findings++;
      if (r.created) result.created.push(r.eventId);
      else if (r.grew) result.extended.push(r.eventId);
    }
  }
  await tx.execute(sql`update security_scan_state set last_audit_id = greatest(last_audit_id, ${toId}), last_run_at = now() where id = 1`);
  return result;
}

/** The id of the last record written before `time` (0 if none): where a time window starts in the log. */
async function idBefore(tx: Executor, time: string): Promise<number> {
  const r = await one<{ id: number }>(tx, sql`select id from audit_log where occurred_at < ${time}::timestamptz order by occurred_at desc, id desc limit 1`);
  return Number(r?.id ?? 0);
}

/** Where the records a rule must look at begin: the window before the first new record. */
async function contextStart(tx: Executor, fromId: number, windowMinutes: number): Promise<number> {
  const first = await one<{ occurred_at: string }>(tx, sql`select occurred_at from audit_log where id > ${fromId} order by id limit 1`);
  if (!first) return fromId;
  return Math.min(fromId, await idBefore(tx, new Date(Date.parse(first.occurred_at) - windowMinutes * 60_000).toISOString()));
}

/**
 * Bursts: the hits (one subject, in time order) that lie in some window of `windowMs` holding enough
 * of them (`hot`), merged where they overlap or follow within the window. Only bursts that contain a
 * hit newer than `fromId` are new findings.
 */
export function bursts(hits: Hit[], windowMs: number, hot: (window: Hit[]) => boolean, fromId: number): Hit[][] {
  const out: Hit[][] = [];
  let current: Hit[] | null = null;
  let lastEnd = Number.NEGATIVE_INFINITY;
  let j = 0;
  for (let i = 0; i < hits.length; i++) {
    while (hits[i].at - hits[j].at >= windowMs) j++;
    const window = hits.slice(j, i + 1);
    if (!hot(window)) continue;
    if (current && window[0].at - lastEnd < windowMs) {
      const seen = new Set(current.map((h) => h.id));
      for (const h of window) if (!seen.has(h.id)) current.push(h);
    } else {
      if (current) out.push(current);
      current = [...window];
    }
    lastEnd = hits[i].at;
  }
  if (current) out.push(current);
  return out.filter((b) => b.some((h) => h.id > fromId));
}

function groupBy<T>(items: T[], key: (t: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === null) continue;
    m.set(k, [...(m.get(k) ?? []), it]);
  }
  return m;
}

const iso = (ms: number) => new Date(ms).toISOString();
const commonCompany = (hits: Hit[]): number | null => {
  const c = hits[0].companyId;
  return hits.every((h) => h.companyId === c) ? c : null;
};

async function records(tx: Executor, where: ReturnType<typeof sql>, fromId: number, toId: number): Promise<RawRecord[]> {
  return rows<RawRecord>(
    tx,
    sql`select id, occurred_at, company_id, actor_type, actor_id, actor_name, ip, details->>'username' as username, error_code,
          case when details->>'rows' ~ '^[0-9]{1,15}$' then (details->>'rows')::int8 end as rows
        from audit_log where id > ${fromId} and id <= ${toId} and ${where} order by occurred_at, id`,
  );
}

/** Repeated failed sign-ins: for one account, or from one address across several or unknown accounts. */
async function repeatedFailures(tx: Executor, settings: Map<number | null, RuleSettings>, fromId: number, toId: number): Promise<Finding[]> {
  const maxWindow = Math.max(...[...settings.values()].map((s) => s.failedLoginWindowMinutes));
  const start = await contextStart(tx, fromId, maxWindow);
  const hits = (await records(tx, sql`action = 'auth.login' and outcome = 'failed' and error_code <> 'account_disabled'`, start, toId)).map(toHit);
  const findings: Finding[] = [];
  const hotFor = (s: RuleSettings) => (w: Hit[]) => w.length >= s.failedLoginThreshold;
  for (const [key, list] of groupBy(hits, (h) => (h.actorId ? `user:${h.actorId}` : null))) {
    const s = settingsFor(settings, list[0].companyId);
    if (!s.repeatedFailuresEnabled) continue;
    for (const b of bursts(list, s.failedLoginWindowMinutes * 60_000, hotFor(s), fromId)) {
      findings.push({
        companyId: commonCompany(b),
        rule: "repeated_failures",
        severity: b.length >= 2 * s.failedLoginThreshold ? "high" : "medium",
        subjectKey: key,
        subjectUserId: b[0].actorId,
        subjectName: b[0].actorName,
        ip: b[b.length - 1].ip,
        facts: { count: b.length, minutes: s.failedLoginWindowMinutes, threshold: s.failedLoginThreshold, ips: distinct(b.map((h) => h.ip)), username: b[0].username },
        windowStart: iso(b[0].at),
        windowEnd: iso(b[b.length - 1].at),
        auditIds: b.map((h) => h.id),
        dedupKey: `repeated_failures:${key}:${b[0].id}`,
        mergeWithinMinutes: s.failedLoginWindowMinutes,
      });
    }
  }
  // One address trying several accounts (or accounts that do not exist): password spraying.
  for (const [key, list] of groupBy(hits, (h) => (h.ip ? `ip:${h.ip}` : null))) {
    const s = settingsFor(settings, commonCompany(list));
    if (!s.repeatedFailuresEnabled) continue;
    for (const b of bursts(list, s.failedLoginWindowMinutes * 60_000, hotFor(s), fromId)) {
      const accounts = distinct(b.map((h) => h.username ?? `#${h.actorId}`));
      if (accounts.length < 2 && b.every((h) => h.actorId !== null)) continue; // one known account: reported above
      findings.push({
        companyId: commonCompany(b),
        rule: "repeated_failures",
        severity: b.length >= 2 * s.failedLoginThreshold ? "high" : "medium",
        subjectKey: key,
        subjectName: b[0].ip,
        ip: b[0].ip,
        facts: { count: b.length, minutes: s.failedLoginWindowMinutes, threshold: s.failedLoginThreshold, usernames: accounts.slice(0, 20), byAddress: true },
        windowStart: iso(b[0].at),
        windowEnd: iso(b[b.length - 1].at),
        auditIds: b.map((h) => h.id),
        dedupKey: `repeated_failures:${key}:${b[0].id}`,
        mergeWithinMinutes: s.failedLoginWindowMinutes,
      });
    }
  }
  return findings;
}

/** Sign-in attempts on a disabled (departed) account: each attempt matters; attempts within an hour are one event. */
async function disabledAccount(tx: Executor, settings: Map<number | null, RuleSettings>, fromId: number, toId: number): Promise<Finding[]> {
  const hits = (await records(tx, sql`action = 'auth.login' and outcome = 'failed' and error_code = 'account_disabled'`, fromId, toId)).map(toHit);
  const findings: Finding[] = [];
  for (const [key, list] of groupBy(hits, (h) => (h.actorId ? `user:${h.actorId}` : null))) {
    if (!settingsFor(settings, list[0].companyId).disabledAccountEnabled) continue;
    for (const b of bursts(list, 60 * 60_000, () => true, fromId)) {
      findings.push({
        companyId: commonCompany(b),
        rule: "disabled_account",
        severity: b.length >= 3 ? "high" : "medium",
        subjectKey: key,
        subjectUserId: b[0].actorId,
        subjectName: b[0].actorName,
        ip: b[b.length - 1].ip,
        facts: { count: b.length, ips: distinct(b.map((h) => h.ip)), username: b[0].username },
        windowStart: iso(b[0].at),
        windowEnd: iso(b[b.length - 1].at),
        auditIds: b.map((h) => h.id),
        dedupKey: `disabled_account:${key}:${b[0].id}`,
        mergeWithinMinutes: 60,
      });
    }
  }
  return findings;
}

/**
 * Successful sign-ins outside working hours of the company's default working calendar: a day off (weekday
 * pattern, holidays, extra working days) or outside every shift, with a grace period around the shifts.
 */
async function offHours(tx: Executor, fromId: number, toId: number, result: ScanResult): Promise<Finding[]> {
  const missing = await rows<{ company_id: number }>(
    tx,
    sql`select distinct a.company_id from audit_log a
        where a.id > ${fromId} and a.id <= ${toId} and a.action = 'auth.login' and a.outcome = 'success' and a.company_id is not null
          and not exists (select 1 from work_calendar c where c.company_id = a.company_id and c.is_default)`,
  );
  for (const m of missing) result.skipped.push({ rule: "off_hours_login", companyId: m.company_id, reason: "no_default_calendar" });
  const hits = await rows<{
    id: number;
    occurred_at: string;
    company_id: number;
    actor_id: number;
    actor_name: string;
    ip: string | null;
    local_day: string;
    local_time: string;
    calendar_code: string;
    reason: "holiday" | "day_off" | "outside_shifts";
  }>(
    tx,
    sql`with s as (
          select a.id, a.occurred_at, a.company_id, a.actor_id, a.actor_name, a.ip, c.id as calendar_id, c.code as calendar_code,
                 c.working_weekdays, a.occurred_at at time zone co.timezone as local_ts,
                 coalesce(rs.off_hours_grace_minutes, 60) as grace
          from audit_log a
          join company co on co.id = a.company_id
          join work_calendar c on c.company_id = a.company_id and c.is_default
          left join security_rule_settings rs on rs.company_id = a.company_id
          where a.id > ${fromId} and a.id <= ${toId} and a.action = 'auth.login' and a.outcome = 'success'
            and a.actor_type = 'user' and coalesce(rs.off_hours_enabled, true)),
        d as (
          select s.*, e.kind as exception_kind,
                 coalesce(e.kind = 'workday', extract(isodow from s.local_ts)::int = any(s.working_weekdays)) as working_day,
                 extract(hour from s.local_ts)::int * 60 + extract(minute from s.local_ts)::int as m
          from s left join calendar_exception e on e.calendar_id = s.calendar_id and e.day = s.local_ts::date)
        select d.id, d.occurred_at, d.company_id, d.actor_id, d.actor_name, d.ip, to_char(d.local_ts, 'YYYY-MM-DD') as local_day,
               to_char(d.local_ts, 'YYYY-MM-DD HH24:MI') as local_time, d.calendar_code,
               case when not d.working_day then (case when d.exception_kind = 'holiday' then 'holiday' else 'day_off' end)
                    else 'outside_shifts' end as reason
        from d
        where not d.working_day or (
          exists (select 1 from calendar_shift x where x.calendar_id = d.calendar_id)
          and not exists (
            select 1 from calendar_shift x,
              lateral (select (extract(epoch from x.start_time) / 60)::int as sm, (extract(epoch from x.end_time) / 60)::int as em) t
            where x.calendar_id = d.calendar_id and (
              case when t.sm < t.em then d.m between t.sm - d.grace and t.em + d.grace
                   else d.m >= t.sm - d.grace or d.m <= t.em + d.grace end)))
        order by d.id`,
  );
  return hits.map((h) => ({
    companyId: h.company_id,
    rule: "off_hours_login" as const,
    severity: "low" as Severity,
    subjectKey: `user:${h.actor_id}`,
    subjectUserId: h.actor_id,
    subjectName: h.actor_name,
    ip: h.ip,
    facts: { localTime: h.local_time, day: h.local_day, reason: h.reason, calendar: h.calendar_code },
    windowStart: h.occurred_at,
    windowEnd: h.occurred_at,
    auditIds: [h.id],
    // One event per person and local day, however many times they signed in that night.
    dedupKey: `off_hours_login:user:${h.actor_id}:${h.local_day}`,
  }));
}

/**
 * A successful sign-in from an address this person has not used in the look-back period, when they did
 * sign in during it (someone's first sign-in ever has nothing to compare with).
 */
async function newAddress(tx: Executor, fromId: number, toId: number): Promise<Finding[]> {
  const hits = await rows<{ id: number; occurred_at: string; company_id: number | null; actor_id: number; actor_name: string; ip: string; days: number }>(
    tx,
    sql`select a.id, a.occurred_at, a.company_id, a.actor_id, a.actor_name, a.ip, coalesce(rs.new_address_days, 90) as days
        from audit_log a left join security_rule_settings rs on rs.company_id = a.company_id
        where a.id > ${fromId} and a.id <= ${toId} and a.action = 'auth.login' and a.outcome = 'success' and a.actor_type = 'user'
          and a.ip is not null and coalesce(rs.new_address_enabled, true)
          and exists (select 1 from audit_log p where p.actor_id = a.actor_id and p.actor_type = 'user' and p.action = 'auth.login'
                        and p.outcome = 'success' and p.id < a.id
                        and p.occurred_at >= a.occurred_at - make_interval(days => coalesce(rs.new_address_days, 90)))
          and not exists (select 1 from audit_log p where p.actor_id = a.actor_id and p.actor_type = 'user' and p.ip = a.ip
                        and p.id < a.id and p.occurred_at >= a.occurred_at - make_interval(days => coalesce(rs.new_address_days, 90)))
        order by a.id`,
  );
  return hits.map((h) => ({
    companyId: h.company_id,
    rule: "new_address" as const,
    severity: "medium" as Severity,
    subjectKey: `user:${h.actor_id}`,
    subjectUserId: h.actor_id,
    subjectName: h.actor_name,
    ip: h.ip,
    facts: { ip: h.ip, days: h.days },
    windowStart: h.occurred_at,
    windowEnd: h.occurred_at,
    auditIds: [h.id],
    dedupKey: `new_address:${h.id}`,
  }));
}

const DELETION = sql`action ~ '\\.(delete|remove|purge)$'`;

/** Many exports (or many exported rows), or many deletions, by one actor in a short time. */
async function massActivity(
  tx: Executor,
  settings: Map<number | null, RuleSettings>,
  fromId: number,
  toId: number,
  rule: "mass_export" | "mass_deletion",
): Promise<Finding[]> {
  const isExport = rule === "mass_export";
  const windowOf = (s: RuleSettings) => (isExport ? s.massExportWindowMinutes : s.massDeletionWindowMinutes);
  const maxWindow = Math.max(...[...settings.values()].map(windowOf));
  const start = await contextStart(tx, fromId, maxWindow);
  const where = isExport ? sql`outcome = 'success' and (action = ${EXPORT_ACTION} or action like '%.export')` : sql`outcome = 'success' and ${DELETION}`;
  const hits = (await records(tx, where, start, toId)).map(toHit);
  const findings: Finding[] = [];
  for (const [key, list] of groupBy(hits, (h) => `actor:${h.actorType}:${h.actorId ?? h.actorName}`)) {
    const s = settingsFor(settings, list[0].companyId);
    if (isExport ? !s.massExportEnabled : !s.massDeletionEnabled) continue;
    const hot = isExport
      ? (w: Hit[]) => w.length >= s.massExportCount || w.reduce((n, h) => n + (h.rows ?? 0), 0) >= s.massExportRows
      : (w: Hit[]) => w.length >= s.massDeletionCount;
    for (const b of bursts(list, windowOf(s) * 60_000, hot, fromId)) {
      const rowsTotal = b.reduce((n, h) => n + (h.rows ?? 0), 0);
      findings.push({
        companyId: commonCompany(b),
        rule,
        severity: "high",
        subjectKey: key,
        subjectUserId: b[0].actorType === "user" ? b[0].actorId : null,
        subjectName: b[0].actorName,
        ip: b[b.length - 1].ip,
        facts: isExport
          ? { count: b.length, rows: rowsTotal, minutes: windowOf(s), actorType: b[0].actorType }
          : { count: b.length, minutes: windowOf(s), actorType: b[0].actorType },
        windowStart: iso(b[0].at),
        windowEnd: iso(b[b.length - 1].at),
        auditIds: b.map((h) => h.id),
        dedupKey: `${rule}:${key}:${b[0].id}`,
        mergeWithinMinutes: windowOf(s),
      });
    }
  }
  return findings;
}

/**
 * Rights escalation: administrative roles given (by anyone but the installation), role permissions
 * changed, attempts to grant oneself rights or to hand out rights one does not hold, and privilege
 * changes refused for lack of permission. Each record is its own finding.
 */
async function rightsEscalation(tx: Executor, fromId: number, toId: number): Promise<Finding[]> {
  const adminRoles = (await rows<{ code: string }>(tx, ADMIN_ROLE_CODES)).map((r) => r.code);
  const superRoles = (await rows<{ code: string }>(tx, sql`select code from role where '*' = any(permissions)`)).map((r) => r.code);
  const hits = await rows<{
    id: number;
    occurred_at: string;
    company_id: number | null;
    actor_type: string;
    actor_id: number | null;
    actor_name: string;
    ip: string | null;
    action: string;
    outcome: string;
    error_code: string | null;
    entity: string | null;
    entity_id: string | null;
    roles: string[] | null;
    target_user: number | null;
  }>(
    tx,
    sql`select a.id, a.occurred_at, a.company_id, a.actor_type, a.actor_id, a.actor_name, a.ip, a.action, a.outcome, a.error_code,
          a.entity, a.entity_id,
          array(select distinct v #>> '{}' from jsonb_path_query(coalesce(a.changes, 'null'::jsonb), 'lax $.**.role') v
                where jsonb_typeof(v) = 'string' and v #>> '{}' = any(${textArray(adminRoles)})) as roles,
          coalesce(case when a.changes->'after'->>'userId' ~ '^[0-9]{1,18}$' then (a.changes->'after'->>'userId')::int8 end,
                   case when a.entity = 'app_user' and a.entity_id ~ '^[0-9]{1,18}$' then a.entity_id::int8 end) as target_user
        from audit_log a
        left join security_rule_settings rs on rs.company_id = a.company_id
        where a.id > ${fromId} and a.id <= ${toId} and coalesce(rs.rights_escalation_enabled, true)
          and not (a.actor_type = 'system' and a.actor_name = 'setup')
          and (a.error_code in ('self_grant', 'exceeds_own_rights')
               or (a.outcome = 'denied' and (a.action like 'access.%' or a.action like 'identity.user.%') and a.action not like '%.read')
               or (a.outcome = 'success' and a.action like 'access.role.%')
               or (a.outcome = 'success' and a.changes is not null and jsonb_path_exists(a.changes, 'lax $.**.role')))
        order by a.id`,
  );
  const targets = await userNames(tx, hits.map((h) => h.target_user).filter((x): x is number => x !== null));
  const findings: Finding[] = [];
  for (const h of hits) {
    let kind: string;
    let severity: Severity;
    const facts: Record<string, unknown> = { action: h.action, by: h.actor_name };
    if (h.error_code === "self_grant") [kind, severity] = ["self_grant", "high"];
    else if (h.error_code === "exceeds_own_rights") [kind, severity] = ["exceeds_own_rights", "high"];
    else if (h.outcome === "denied") [kind, severity] = ["denied", "high"];
    else if (h.action.startsWith("access.role.")) [kind, severity] = ["permission_change", "medium"];
    else if (h.roles && h.roles.length > 0) {
      kind = "admin_role";
      severity = h.roles.some((r) => superRoles.includes(r)) ? "critical" : "high";
      facts.role = h.roles.join(", ");
    } else continue; // a role that does not administer
    facts.kind = kind;
    const target = kind === "admin_role" ? h.target_user : h.actor_id;
    const subjectName = kind === "admin_role" ? (target ? (targets.get(target) ?? `#${target}`) : "?") : h.actor_name;
    findings.push({
      companyId: h.company_id,
      rule: "rights_escalation",
      severity,
      subjectKey: target ? `user:${target}` : `actor:${h.actor_type}:${h.actor_id ?? h.actor_name}`,
      subjectUserId: kind === "admin_role" ? target : h.actor_type === "user" ? h.actor_id : null,
      subjectName,
      ip: h.ip,
      facts,
      windowStart: h.occurred_at,
      windowEnd: h.occurred_at,
      auditIds: [h.id],
      dedupKey: `rights_escalation:${h.id}`,
    });
  }
  return findings;
}

async function userNames(tx: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const r = await rows<{ id: number; display_name: string }>(
    tx,
    sql`select id, display_name from app_user where id in (select x::int8 from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) x)`,
  );
  return new Map(r.map((u) => [u.id, u.display_name]));
}

const distinct = <T>(xs: T[]): T[] => [...new Set(xs.filter((x) => x !== null && x !== undefined))];
