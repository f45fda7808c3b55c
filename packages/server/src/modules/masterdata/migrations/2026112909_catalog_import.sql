-- Import runs (DAT-3): an uploaded file is checked first (every bad row listed, nothing imported), then
-- imported once, all rows or only the good ones. The run keeps the parsed rows and the result.

create table import_run (
  id bigserial primary key,
  company_id bigint not null references company(id),
  kind text not null check (kind in ('uom', 'item', 'partner', 'supplier_item')),
  file_name text not null check (length(file_name) between 1 and 255),
  format text not null check (format in ('csv', 'xlsx')),
  sha256 char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
  status text not null default 'checked' check (status in ('checked', 'imported')),
  row_count int not null check (row_count >= 0),
  error_row_count int not null check (error_row_count >= 0 and error_row_count <= row_count),
  -- [{line, values: {field: text}}] as read from the file
  rows jsonb not null,
  -- [{line, field, column, value, rule, message}] from the check (and from the import, when it ran)
  errors jsonb not null default '[]',
  mode text check (mode in ('all', 'good')),
  imported_count int check (imported_count >= 0),
  skipped_count int check (skipped_count >= 0),
  created_by bigint references app_user(id),
  created_by_name text not null,
  created_at timestamptz not null default now(),
  imported_by bigint references app_user(id),
  imported_by_name text,
  imported_at timestamptz,
  version int not null default 1,
  constraint import_run_result check (
    (status = 'checked' and mode is null and imported_count is null and imported_at is null)
    or (status = 'imported' and mode is not null and imported_count is not null and skipped_count is not null
        and imported_at is not null and imported_by_name is not null))
);
create index import_run_company on import_run (company_id, created_at desc);

-- An imported run is history: nothing about it changes afterwards.
create function import_run_guard() returns trigger language plpgsql as $$
begin
  if old.status = 'imported' then
    raise exception 'import run % was imported and cannot change', old.id using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger import_run_guard before update on import_run
  for each row execute function import_run_guard();
