-- Delegated administration (IAM-9) and segregation of duties.

-- Roles a department administrator may hand out within their department (set by a system administrator).
alter table role add column delegable boolean not null default false;

-- Pairs of permission sets one person must not hold together (create supplier / approve payment…).
create table sod_rule (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null,
  name_en text not null,
  -- a person holding any key of side A together with any key of side B is in conflict
  side_a text[] not null check (cardinality(side_a) > 0),
  side_b text[] not null check (cardinality(side_b) > 0),
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code)
);

-- An approved, recorded exception lets one person hold a conflicting set (until it expires).
create table sod_exception (
  id bigserial primary key,
  company_id bigint not null references company(id),
  rule_id bigint not null references sod_rule(id),
  user_id bigint not null references app_user(id),
  reason text not null check (length(reason) between 5 and 1000),
  requested_by bigint not null references app_user(id),
  requested_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'revoked')),
  decided_by bigint references app_user(id),
  decided_at timestamptz,
  decision_note text,
  valid_until timestamptz,
  -- maker ≠ checker, held by the database too
  check (decided_by is null or decided_by <> requested_by)
);
create index sod_exception_user on sod_exception (user_id, rule_id) where status = 'approved';
