-- Registration with approval (IAM-6): an applicant's own account waits as `pending` (it cannot log in)
-- until the department approves; the proof documents are stored files of entity 'identity.registration'.

create table registration_application (
  id bigserial primary key,
  company_id bigint not null references company(id),
  -- what the applicant quotes on the status page, together with their e-mail address (not guessable)
  number text not null unique check (number ~ '^REG-[0-9A-Z]{8}$'),
  user_id bigint not null unique references app_user(id),
  full_name text not null check (length(full_name) between 1 and 100),
  username text not null,
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 200),
  department_id bigint not null references department(id),
  job_title text not null check (length(job_title) between 1 and 100),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  decision_reason text check (decision_reason is null or length(decision_reason) <= 1000),
  decided_at timestamptz,
  ip text,
  created_at timestamptz not null default now(),
  version int not null default 1,
  check ((status = 'pending') = (decided_at is null)),
  check (status <> 'rejected' or length(btrim(coalesce(decision_reason, ''))) > 0)
);
create index registration_application_status on registration_application (company_id, status, created_at desc);

-- An applicant's account becomes active only through the approval of the application, whoever writes.
create function registration_refuse_early_activation() returns trigger language plpgsql as $$
begin
  if new.status = 'active' and old.status <> 'active'
     and exists (select 1 from registration_application a where a.user_id = new.id and a.status <> 'approved') then
    raise exception 'user % has a registration that is not approved', new.username
      using errcode = '23514', constraint = 'registration_not_approved';
  end if;
  return new;
end $$;
create trigger app_user_registration_approved before update of status on app_user
  for each row execute function registration_refuse_early_activation();
