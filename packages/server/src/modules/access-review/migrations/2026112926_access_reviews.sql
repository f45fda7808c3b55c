-- Periodic access reviews (IAM-8): each manager confirms or revokes each of their people's roles.

create table access_review_campaign (
  id bigserial primary key,
  company_id bigint not null references company(id),
  name_zh text not null,
  name_en text not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  started_at timestamptz not null default now(),
  due_at timestamptz not null,
  closed_at timestamptz,
  started_by bigint references app_user(id),
  trigger text not null default 'manual' check (trigger in ('manual', 'scheduled')),
  check (due_at > started_at)
);

create table access_review_item (
  id bigserial primary key,
  campaign_id bigint not null references access_review_campaign(id),
  user_role_id bigint not null references user_role(id),
  user_id bigint not null references app_user(id),
  role_id bigint not null references role(id),
  department_id bigint references department(id),
  -- null: nobody above the person in the department tree; the item goes to the review administrators
  reviewer_id bigint references app_user(id),
  original_reviewer_id bigint references app_user(id),
  escalation_level int not null default 0,
  escalated_at timestamptz,
  due_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'confirmed', 'revoked')),
  decided_by bigint references app_user(id),
  decided_at timestamptz,
  note text,
  unique (campaign_id, user_role_id),
  -- nobody reviews their own access
  check (reviewer_id is null or reviewer_id <> user_id),
  check (decided_by is null or decided_by <> user_id)
);
create index access_review_item_reviewer on access_review_item (reviewer_id) where status = 'pending';
