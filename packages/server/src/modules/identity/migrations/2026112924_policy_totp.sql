-- Password and login policy per company (IAM-2, SEC-1) and TOTP two-factor authentication.

create table security_policy (
  company_id bigint primary key references company(id),
  password_min_length int not null default 10 check (password_min_length between 8 and 128),
  password_min_classes int not null default 3 check (password_min_classes between 1 and 4),
  password_history int not null default 5 check (password_history between 0 and 24),
  -- 0 = passwords do not expire
  password_max_age_days int not null default 90 check (password_max_age_days between 0 and 3650),
  lockout_failures int not null default 5 check (lockout_failures between 3 and 20),
  lockout_window_minutes int not null default 15 check (lockout_window_minutes between 1 and 1440),
  lockout_minutes int not null default 15 check (lockout_minutes between 1 and 1440),
  -- failed logins from one address within 10 minutes before it is throttled
  ip_failures_per_10min int not null default 20 check (ip_failures_per_10min between 5 and 1000),
  -- holders of these roles must use two-factor authentication
  totp_required_roles text[] not null default '{}',
  version int not null default 1,
  updated_at timestamptz not null default now()
);

create table user_totp (
  user_id bigint primary key references app_user(id),
  -- AES-256-GCM with a key outside the database (secrets/totp.key); a database dump alone cannot produce codes
  secret_enc text not null,
  enabled boolean not null default false,
  enabled_at timestamptz,
  -- the last accepted time step: a code is accepted once
  last_step bigint
);

create table totp_recovery_code (
  id bigserial primary key,
  user_id bigint not null references app_user(id),
  code_hash text not null,
  used_at timestamptz
);
create index totp_recovery_code_user on totp_recovery_code (user_id) where used_at is null;
