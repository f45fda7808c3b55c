-- Runs of the database maintenance job (VACUUM / ANALYZE where nothing else does them; maintenance.ts).
-- A scheduled run skipped because the server's autovacuum maintains the database is not recorded.
create table db_maintenance_run (
  id bigserial primary key,
  trigger text not null check (trigger in ('manual', 'scheduled')),
  status text not null default 'running' check (status in ('running', 'succeeded', 'skipped', 'failed')),
  forced boolean not null default false,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms int,
  tables_checked int,
  vacuumed jsonb not null default '[]'::jsonb,
  analysed jsonb not null default '[]'::jsonb,
  dead_tuples_before bigint,
  dead_tuples_after bigint,
  error text,
  requested_by bigint references app_user(id)
);
create index db_maintenance_run_started on db_maintenance_run (started_at desc);
