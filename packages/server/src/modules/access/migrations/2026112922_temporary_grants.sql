-- Temporary permissions (IAM-7): a role asked for a limited time, approved by the superior, held as a
-- user_role row with valid_from/valid_until so it starts and ends by itself.

-- Roles people may ask for temporarily, and for how long at most.
create table grantable_role (
  company_id bigint not null references company(id),
  role_id bigint not null references role(id),
  max_days int not null default 30 check (max_days between 1 and 90),
  created_by bigint references app_user(id),
  created_at timestamptz not null default now(),
  primary key (company_id, role_id)
);

create table temporary_grant (
  id bigserial primary key,
  company_id bigint not null references company(id),
  user_id bigint not null references app_user(id),
  role_id bigint not null references role(id),
  -- data scope of the role: this department and below; null = the whole company
  department_id bigint references department(id),
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  reason text not null check (length(btrim(reason)) between 1 and 500),
  status text not null default 'pending'
    check (status in ('pending', 'approved', 'rejected', 'withdrawn', 'revoked', 'expired', 'ended')),
  -- the role row while it exists (a departure deletes a grant that had not started yet)
  user_role_id bigint references user_role(id) on delete set null,
  approval_request_id bigint references approval_request(id),
  requested_by bigint not null references app_user(id),
  decided_at timestamptz,
  ended_at timestamptz,
  end_reason text check (end_reason is null or length(end_reason) <= 500),
  ended_by bigint references app_user(id),
  created_at timestamptz not null default now(),
  version int not null default 1,
  check (valid_until > valid_from),
  check (valid_until <= valid_from + interval '90 days'),
  check ((status = 'pending') = (decided_at is null)),
  check ((status in ('revoked', 'expired', 'ended')) = (ended_at is not null)),
  check (status <> 'revoked' or length(btrim(coalesce(end_reason, ''))) > 0)
);
create index temporary_grant_user on temporary_grant (user_id, created_at desc);
create index temporary_grant_open on temporary_grant (company_id, valid_until) where status = 'approved';
