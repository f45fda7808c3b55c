-- Own accounts (IAM-1), password history (IAM-2), server-side sessions with idle timeout (IAM-3).

create table app_user (
  id bigserial primary key,
  company_id bigint not null references company(id),
  department_id bigint references department(id),
  username text not null check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name text not null check (length(display_name) between 1 and 100),
  email text check (email is null or email ~ '^[^@\s]+@[^@\s]+$'),
  job_title text,
  locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en-US')),
  status text not null default 'active' check (status in ('pending', 'active', 'disabled')),
  password_hash text,
  must_change_password boolean not null default true,
  password_changed_at timestamptz,
  failed_login_count int not null default 0,
  first_failed_at timestamptz,
  locked_until timestamptz,
  last_login_at timestamptz,
  last_login_ip text,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index app_user_username on app_user (username);
create index app_user_department on app_user (department_id);

alter table department add constraint department_manager_fk foreign key (manager_user_id) references app_user(id);

create table password_history (
  id bigserial primary key,
  user_id bigint not null references app_user(id),
  password_hash text not null,
  created_at timestamptz not null default now()
);
create index password_history_user on password_history (user_id, created_at desc);

create table user_session (
  id text primary key,               -- SHA-256 of the cookie token; the token itself is never stored
  user_id bigint not null references app_user(id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,   -- absolute lifetime
  ip text,
  user_agent text,
  ended_at timestamptz,
  end_reason text
);
create index user_session_user on user_session (user_id) where ended_at is null;
