-- Roles as sets of permission keys, held by users within a data scope (IAM-4, IAM-5).

create table role (
  id bigserial primary key,
  company_id bigint references company(id),        -- null: a built-in role shared by all companies
  code text not null check (code ~ '^[a-z][a-z0-9_]{1,63}$'),
  name_zh text not null,
  name_en text not null,
  description_zh text,
  description_en text,
  builtin boolean not null default false,
  permissions text[] not null default '{}',
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index role_code on role (coalesce(company_id, 0), code);

create table user_role (
  id bigserial primary key,
  user_id bigint not null references app_user(id),
  role_id bigint not null references role(id),
  -- data scope: the whole company when null, else this department and everything below it
  department_id bigint references department(id),
  valid_from timestamptz not null default now(),
  valid_until timestamptz,
  granted_by bigint references app_user(id),
  created_at timestamptz not null default now(),
  check (valid_until is null or valid_until > valid_from)
);
create index user_role_user on user_role (user_id);
