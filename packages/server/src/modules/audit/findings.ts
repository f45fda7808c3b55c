import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { type Lang, translate } from "../../platform/i18n.ts";
import { raiseAlert } from "../../platform/jobs.ts";
import { actionLabel } from "./actions.ts";

export type Rule =
  | "repeated_failures"
  | "off_hours_login"
  | "new_address"
  | "mass_export"
  | "mass_deletion"
  | "rights_escalation"
  | "disabled_account"
  | "chain_integrity"
  | "manual";
export type Severity = "low" | "medium" | "high" | "critical";
export const RULES: Rule[] = [
  "repeated_failures", "off_hours_login", "new_address", "mass_export", "mass_deletion", "rights_escalation", "disabled_account",
  "chain_integrity", "manual",
];
export const SEVERITIES: Severity[] = ["low", "medium", "high", "critical"];

/** What a rule saw: becomes a new security event, or extends the event of the same finding. */
export interface Finding {
  companyId: number | null;
  rule: Rule;
  severity: Severity;
  /** Whom or what the finding is about, e.g. "user:12", "ip:203.0.113.7", "actor:user:12". */
  subjectKey: string;
  subjectUserId?: number | null;
  subjectName?: string | null;
  ip?: string | null;
  facts: Record<string, unknown>;
  windowStart: string;
  windowEnd: string;
  auditIds: number[];
  /** Identifies the finding: seeing it again (a re-run, a rescan) extends the same event. */
  dedupKey: string;
  /**
   * For rules over windows: an unresolved event of the same subject whose window ends less than this
   * many minutes before the finding starts is the same burst, and is extended rather than duplicated.
   */
  mergeWithinMinutes?: number;
}

export interface UpsertResult {
  eventId: number;
  created: boolean;
  /** New audit records were linked to an existing event. */
  grew: boolean;
}

/**
 * Records a finding idempotently: the same finding (by dedup key, or the same burst of the same subject)
 * extends its event with the new records; otherwise a new event is opened with a "detected" note, and
 * a high or critical one raises an alert for the administrators.
 */
export async function upsertFinding(tx: Executor, f: Finding): Promise<UpsertResult> {
  let existing = await one<{ id: number; status: string }>(tx, sql`select id, status from security_event where dedup_key = ${f.dedupKey}`);
  if (!existing && f.mergeWithinMinutes !== undefined) {
    existing = await one<{ id: number; status: string }>(
      tx,
      sql`select id, status from security_event
          where rule = ${f.rule} and subject_key = ${f.subjectKey} and company_id is not distinct from ${f.companyId}
            and window_end >= ${f.windowStart}::timestamptz - make_interval(mins => ${f.mergeWithinMinutes})
            and (status <> 'resolved' or resolved_at >= ${f.windowEnd}::timestamptz)
          order by window_end desc limit 1`,
    );
  }
  if (existing) {
    const linked = await linkRecords(tx, existing.id, f.auditIds);
    if (linked > 0) {
      const n = await one<{ n: number }>(tx, sql`select count(*)::int8 as n from security_event_record where event_id = ${existing.id}`);
      const facts = await refreshFacts(tx, existing.id, f);
      await tx.execute(sql`update security_event set occurrences = greatest(${Number(n!.n)}, 1),
          window_start = least(window_start, ${f.windowStart}::timestamptz), window_end = greatest(window_end, ${f.windowEnd}::timestamptz),
          facts = facts || ${JSON.stringify(facts)}::jsonb, severity = ${f.severity},
          last_detected_at = now(), updated_at = now(), version = version + 1
        where id = ${existing.id}`);
      await tx.execute(sql`insert into security_event_note (event_id, author_name, kind, note)
          values (${existing.id}, 'anomaly-rules', 'recurred', ${`+${linked}`})`);
    }
    return { eventId: existing.id, created: false, grew: linked > 0 };
  }
  const row = await one<{ id: number }>(
    tx,
    sql`insert into security_event (company_id, rule, severity, dedup_key, subject_key, subject_user_id, subject_name, ip, facts,
          window_start, window_end, occurrences)
        values (${f.companyId}, ${f.rule}, ${f.severity}, ${f.dedupKey}, ${f.subjectKey}, ${f.subjectUserId ?? null},
          ${f.subjectName ?? null}, ${f.ip ?? null}, ${JSON.stringify(f.facts)}::jsonb, ${f.windowStart}, ${f.windowEnd},
          ${Math.max(1, f.auditIds.length)})
        returning id`,
  );
  const id = row!.id;
  await linkRecords(tx, id, f.auditIds);
  await tx.execute(sql`insert into security_event_note (event_id, author_name, kind) values (${id}, 'anomaly-rules', 'detected')`);
  if (f.severity === "high" || f.severity === "critical") {
    const title = (lang: Lang) =>
      eventTitle({ rule: f.rule, facts: f.facts, subject_name: f.subjectName ?? null, title: null }, lang);
    await raiseAlert(tx, f.severity === "critical" ? "critical" : "warning", "security", "alert.security_event", {
      id,
      rule: f.rule,
      severityLabelZh: translate(`security.severity.${f.severity}`, "zh-CN"),
      severityLabelEn: translate(`security.severity.${f.severity}`, "en-US"),
      titleZh: title("zh-CN"),
      titleEn: title("en-US"),
    });
  }
  return { eventId: id, created: true, grew: false };
}

async function linkRecords(tx: Executor, eventId: number, auditIds: number[]): Promise<number> {
  if (auditIds.length === 0) return 0;
  const inserted = await rows(
    tx,
    sql`insert into security_event_record (event_id, audit_id)
        select ${eventId}, x::int8 from jsonb_array_elements_text(${JSON.stringify(auditIds)}::jsonb) x
        on conflict do nothing returning audit_id`,
  );
  return inserted.length;
}

/** Counts in the facts follow the records linked so far (an extended burst counts all of its records). */
async function refreshFacts(tx: Executor, eventId: number, f: Finding): Promise<Record<string, unknown>> {
  const facts = { ...f.facts };
  const agg = await one<{ n: number; rows: number | null }>(
    tx,
    sql`select count(*)::int8 as n, sum(case when a.details->>'rows' ~ '^[0-9]{1,15}$' then (a.details->>'rows')::int8 end)::int8 as rows
        from security_event_record r join audit_log a on a.id = r.audit_id where r.event_id = ${eventId}`,
  );
  if ("count" in facts) facts.count = Number(agg!.n);
  if ("rows" in facts) facts.rows = Number(agg!.rows ?? 0);
  return facts;
}

/** An event's title in `lang`: a manual report's own title, or the rule's sentence filled with its facts. */
export function eventTitle(e: { rule: string; facts: Record<string, unknown>; subject_name: string | null; title: string | null }, lang: Lang): string {
  if (e.rule === "manual") return e.title ?? "";
  const facts = e.facts ?? {};
  const key = e.rule === "rights_escalation" ? `security.rule.rights_escalation.${facts.kind ?? "denied"}` : `security.rule.${e.rule}`;
  return translate(key, lang, {
    ...facts,
    subject: e.subject_name ?? facts.subject ?? "?",
    actionLabel: typeof facts.action === "string" ? actionLabel(facts.action, lang) : "",
    problemLabel: typeof facts.problem === "string" ? translate(`security.problem.${facts.problem}`, lang) : "",
  });
}
