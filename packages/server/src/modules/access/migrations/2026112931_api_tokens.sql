-- API tokens for external systems (INT-1): a named set of permission keys, optionally limited to a
-- department subtree, with a required expiry. Only the SHA-256 of the token is stored.

create table api_token (
  id bigserial primary key,
  company_id bigint not null references company(id),
  name text not null check (length(name) between 1 and 100),
  description text check (description is null or length(description) <= 500),
  -- "kw_" and the first characters of the secret: enough to recognise a token in logs and lists
  prefix text not null check (prefix ~ '^kw_[A-Za-z0-9_-]{6}$'),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  permissions text[] not null check (cardinality(permissions) between 1 and 200 and not ('*' = any(permissions))),
  department_id bigint references department(id),
  created_by bigint references app_user(id),
  created_by_name text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by bigint references app_user(id),
  revoked_by_name text,
  revoke_reason text check (revoke_reason is null or length(revoke_reason) <= 500),
  last_used_at timestamptz,
  last_used_ip text,
  version int not null default 1,
  constraint api_token_expiry check (expires_at > created_at and expires_at <= created_at + interval '366 days'),
  check ((revoked_at is null) = (revoked_by_name is null))
);
create index api_token_company on api_token (company_id, created_at desc);

-- What a token may do is fixed when it is made: only revocation and the usage stamp change afterwards.
create function api_token_refuse_change() returns trigger language plpgsql as $$
begin
  if new.permissions <> old.permissions or new.department_id is distinct from old.department_id
     or new.expires_at <> old.expires_at or new.token_hash <> old.token_hash or new.company_id <> old.company_id
     or new.created_by is distinct from old.created_by or new.created_at <> old.created_at then
    raise exception 'the rights, scope, expiry and secret of API token % cannot be changed; make a new token', old.id
      using errcode = '23514', constraint = 'api_token_immutable';
  end if;
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'API token % is revoked for good', old.id using errcode = '23514', constraint = 'api_token_revoked';
  end if;
  return new;
end $$;
create trigger api_token_immutable before update on api_token
  for each row execute function api_token_refuse_change();
create trigger api_token_no_delete before delete on api_token
  for each row execute function kaiwu_refuse_change();
