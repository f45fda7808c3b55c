-- Attachments (WF-5): files kept with any record (entity + id), stored once per content under
-- <data>/attachments/<sha256>. A row is evidence: it is never edited or deleted, only marked removed.

create table attachment (
  id bigserial primary key,
  company_id bigint not null references company(id),
  entity text not null check (entity ~ '^[a-z][a-z0-9_]{0,39}$'),
  entity_id bigint not null check (entity_id > 0),
  file_name text not null check (length(file_name) between 1 and 255 and file_name !~ '[/\\]'),
  mime text not null check (mime ~ '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$' and length(mime) <= 127),
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
  description text check (description is null or length(description) <= 500),
  uploaded_by bigint references app_user(id),
  uploaded_by_name text not null,
  uploaded_at timestamptz not null default now(),
  removed_at timestamptz,
  removed_by bigint references app_user(id),
  removed_by_name text,
  constraint attachment_removal check ((removed_at is null) = (removed_by_name is null))
);
create index attachment_entity on attachment (company_id, entity, entity_id);
create index attachment_sha256 on attachment (sha256);

create function attachment_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'attachments are never deleted, only marked removed' using errcode = 'P0001';
  end if;
  if old.removed_at is not null
     or (new.id, new.company_id, new.entity, new.entity_id, new.file_name, new.mime, new.size_bytes, new.sha256,
         new.description, new.uploaded_by, new.uploaded_by_name, new.uploaded_at)
        is distinct from
        (old.id, old.company_id, old.entity, old.entity_id, old.file_name, old.mime, old.size_bytes, old.sha256,
         old.description, old.uploaded_by, old.uploaded_by_name, old.uploaded_at) then
    raise exception 'an attachment can only be marked removed, once' using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger attachment_guard before update or delete on attachment
  for each row execute function attachment_guard();
create trigger attachment_no_truncate before truncate on attachment
  for each statement execute function kaiwu_refuse_change();
