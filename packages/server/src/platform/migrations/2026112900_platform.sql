-- Platform tables: audit log, idempotency keys, outbox, job queue.

create table audit_log (
  id bigint primary key,
  occurred_at timestamptz not null,
  company_id bigint,
  actor_type text not null check (actor_type in ('user', 'token', 'system', 'anonymous')),
  actor_id bigint,
  actor_name text not null,
  session_id text,
  ip text,
  user_agent text,
  request_id text,
  action text not null,
  entity text,
  entity_id text,
  outcome text not null check (outcome in ('success', 'denied', 'failed')),
  error_code text,
  changes jsonb,
  details jsonb,
  prev_hash text not null,
  hash text not null
);
create sequence audit_log_id_seq owned by audit_log.id;
create index audit_log_occurred_at on audit_log (occurred_at);
create index audit_log_actor on audit_log (actor_id, occurred_at);
create index audit_log_entity on audit_log (entity, entity_id);
create index audit_log_ip on audit_log (ip, occurred_at) where ip is not null;

-- The audit log is append-only: the database itself refuses to change or remove a record (AUD-2).
create function kaiwu_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'P0001', hint = 'Corrections are new records that point at the original.';
end $$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function kaiwu_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function kaiwu_refuse_change();

create table idempotency_key (
  actor_key text not null,
  key text not null,
  command text not null,
  request_hash text not null,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (actor_key, key)
);
create index idempotency_key_created on idempotency_key (created_at);

create table outbox_event (
  id bigserial primary key,
  occurred_at timestamptz not null default now(),
  company_id bigint,
  type text not null,
  payload jsonb not null,
  claimed_by text,
  claimed_at timestamptz,
  dispatched_at timestamptz
);
create index outbox_event_pending on outbox_event (id) where dispatched_at is null;

create table job (
  id bigserial primary key,
  name text not null,
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  run_at timestamptz not null default now(),
  attempts int not null default 0,
  max_attempts int not null default 3,
  progress jsonb,
  result jsonb,
  last_error text,
  locked_by text,
  locked_at timestamptz,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index job_ready on job (run_at, id) where status = 'queued';
create index job_name on job (name, created_at desc);

create table job_schedule (
  name text primary key,
  job_name text not null,
  cron text not null,
  payload jsonb not null default '{}'::jsonb,
  enabled boolean not null default true,
  next_run_at timestamptz not null,
  last_run_at timestamptz
);

-- Alerts administrators see in the UI (a failed backup, a broken audit chain, …).
create table system_alert (
  id bigserial primary key,
  raised_at timestamptz not null default now(),
  severity text not null check (severity in ('info', 'warning', 'critical')),
  source text not null,
  message_key text not null,
  params jsonb not null default '{}'::jsonb,
  acknowledged_at timestamptz,
  acknowledged_by bigint
);
