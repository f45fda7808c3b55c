-- Audit module: the chain writer's head lookup, indexes for the audit screen and the anomaly rules,
-- the history of chain verifications, security events with their handling (SEC-3) and the
-- administrators' thresholds of the anomaly rules (AUD-3).

-- The writer's one round trip: take the chain lock first, then read the head. In a volatile function
-- each statement takes a new snapshot, so the head read after waiting for the lock sees the record the
-- previous holder committed (a single SELECT would read with the snapshot taken before the wait).
create function kaiwu_audit_next(out id bigint, out prev_hash text) language plpgsql volatile as $$
begin
  perform pg_advisory_xact_lock(7240002);
  id := nextval('audit_log_id_seq');
  select a.hash into prev_hash from audit_log a order by a.id desc limit 1;
  prev_hash := coalesce(prev_hash, repeat('0', 64));
end $$;

-- The audit screen filters by action and pages by id; the rules read one action over an id range.
create index audit_log_action on audit_log (action, id);
create index audit_log_company on audit_log (company_id, id);

-- Every verification of the chain, whoever ran it (screen, daily job, `kaiwu audit verify`).
create table audit_verification (
  id bigserial primary key,
  started_at timestamptz not null,
  finished_at timestamptz not null default now(),
  trigger text not null check (trigger in ('manual', 'scheduled', 'cli')),
  requested_by bigint references app_user(id),
  requested_by_name text not null,
  chain_ok boolean not null,
  checked bigint not null check (checked >= 0),
  first_bad_id bigint,
  problem text check (problem in ('hash_mismatch', 'broken_link')),
  head_id bigint,
  head_hash text,
  -- the anchor kept outside the database: none yet, ok, or the log now ends before it / lost it
  anchor_status text not null check (anchor_status in ('none', 'ok', 'truncated', 'missing', 'mismatch')),
  anchor_id bigint,
  anchor_hash text,
  duration_ms int not null check (duration_ms >= 0),
  check (chain_ok = (first_bad_id is null)),
  check ((first_bad_id is null) = (problem is null))
);
create index audit_verification_started on audit_verification (started_at desc);
create trigger audit_verification_append_only before update or delete on audit_verification
  for each row execute function kaiwu_refuse_change();

-- Anomaly thresholds per company; a company without a row uses the defaults below.
create table security_rule_settings (
  company_id bigint primary key references company(id),
  repeated_failures_enabled boolean not null default true,
  failed_login_threshold int not null default 5 check (failed_login_threshold between 2 and 1000),
  failed_login_window_minutes int not null default 15 check (failed_login_window_minutes between 1 and 1440),
  off_hours_enabled boolean not null default true,
  off_hours_grace_minutes int not null default 60 check (off_hours_grace_minutes between 0 and 720),
  new_address_enabled boolean not null default true,
  new_address_days int not null default 90 check (new_address_days between 1 and 730),
  mass_export_enabled boolean not null default true,
  mass_export_count int not null default 20 check (mass_export_count between 1 and 100000),
  mass_export_rows int not null default 50000 check (mass_export_rows between 1 and 100000000),
  mass_export_window_minutes int not null default 60 check (mass_export_window_minutes between 1 and 1440),
  mass_deletion_enabled boolean not null default true,
  mass_deletion_count int not null default 50 check (mass_deletion_count between 1 and 100000),
  mass_deletion_window_minutes int not null default 10 check (mass_deletion_window_minutes between 1 and 1440),
  rights_escalation_enabled boolean not null default true,
  disabled_account_enabled boolean not null default true,
  version int not null default 1,
  updated_at timestamptz not null default now(),
  updated_by bigint references app_user(id)
);

-- How far the rules have read the log: each run looks at the records after this id (with the context
-- of its windows before it), so a run every ten minutes reads ten minutes of log.
create table security_scan_state (
  id int primary key check (id = 1),
  last_audit_id bigint not null default 0,
  last_run_at timestamptz
);
insert into security_scan_state (id) values (1);

create table security_event (
  id bigserial primary key,
  -- null: not tied to one company (attempts on accounts that do not exist, the audit chain itself)
  company_id bigint references company(id),
  rule text not null check (rule in ('repeated_failures', 'off_hours_login', 'new_address', 'mass_export', 'mass_deletion',
                                     'rights_escalation', 'disabled_account', 'chain_integrity', 'manual')),
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  status text not null default 'open' check (status in ('open', 'investigating', 'resolved')),
  -- one event per finding: a rule that sees the same finding again extends it instead (null for manual reports)
  dedup_key text unique,
  subject_key text,
  subject_user_id bigint references app_user(id),
  subject_name text,
  ip text,
  facts jsonb not null default '{}'::jsonb,
  title text check (title is null or length(title) between 1 and 200),
  description text check (description is null or length(description) <= 4000),
  window_start timestamptz not null,
  window_end timestamptz not null,
  occurrences int not null default 1 check (occurrences >= 1),
  assignee_id bigint references app_user(id),
  resolution text check (resolution in ('confirmed_incident', 'false_positive', 'accepted_risk', 'mitigated')),
  resolved_at timestamptz,
  resolved_by bigint references app_user(id),
  reported_by bigint references app_user(id),
  detected_at timestamptz not null default now(),
  last_detected_at timestamptz not null default now(),
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (window_end >= window_start),
  check ((rule = 'manual') = (dedup_key is null)),
  check ((rule = 'manual') = (title is not null)),
  constraint security_event_resolution check ((status = 'resolved') = (resolution is not null and resolved_at is not null))
);
create index security_event_status on security_event (company_id, status, detected_at desc);
create index security_event_subject on security_event (rule, subject_key, window_end desc);

-- Only the handling process moves an event: open → investigating → resolved, and a resolved event may
-- be reopened for investigation. Checked here so no writer can skip or invent a step.
create function security_event_check_transition() returns trigger language plpgsql as $$
begin
  if new.status <> old.status and not (
       (old.status = 'open' and new.status in ('investigating', 'resolved'))
    or (old.status = 'investigating' and new.status = 'resolved')
    or (old.status = 'resolved' and new.status = 'investigating')) then
    raise exception 'security event % cannot go from % to %', old.id, old.status, new.status
      using errcode = '23514', constraint = 'security_event_transition';
  end if;
  if new.rule <> old.rule or new.detected_at <> old.detected_at or new.company_id is distinct from old.company_id then
    raise exception 'the rule, company and detection time of security event % are fixed', old.id
      using errcode = '23514', constraint = 'security_event_fixed';
  end if;
  return new;
end $$;
create trigger security_event_transition before update on security_event
  for each row execute function security_event_check_transition();

-- The audit records behind an event. The log is append-only, so these links stay valid (no foreign key
-- to audit_log: its own triggers are what refuse a removal, and they should be the ones to say so).
create table security_event_record (
  event_id bigint not null references security_event(id),
  audit_id bigint not null,
  primary key (event_id, audit_id)
);
create index security_event_record_audit on security_event_record (audit_id);

-- The event's timeline: detection, every step, assignment and comment, with who wrote it. Append-only.
create table security_event_note (
  id bigserial primary key,
  event_id bigint not null references security_event(id),
  at timestamptz not null default now(),
  author_id bigint references app_user(id),
  author_name text not null,
  kind text not null check (kind in ('detected', 'reported', 'comment', 'status', 'assigned', 'recurred')),
  from_status text,
  to_status text,
  assignee_id bigint references app_user(id),
  resolution text,
  note text check (note is null or length(note) <= 4000),
  check ((kind = 'status') = (to_status is not null))
);
create index security_event_note_event on security_event_note (event_id, id);
create trigger security_event_note_append_only before update or delete on security_event_note
  for each row execute function kaiwu_refuse_change();
