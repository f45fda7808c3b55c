-- Every backup run, its archive and its latest verification (DAT-1).
create table backup_run (
  id bigserial primary key,
  trigger text not null check (trigger in ('manual', 'scheduled', 'cli')),
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed', 'deleted')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  file_name text,
  size_bytes bigint,
  table_count int,
  row_count bigint,
  sha256 text,
  schema_version text,
  verified_at timestamptz,
  verify_status text check (verify_status in ('ok', 'damaged', 'missing')),
  verify_detail text,
  error text,
  requested_by bigint references app_user(id)
);
create index backup_run_started on backup_run (started_at desc);
