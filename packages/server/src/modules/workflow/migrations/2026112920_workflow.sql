-- Approvals (WF-2): chains defined per document type and department subtree, with amount thresholds;
-- requests walked level by level (never skipping one), maker ≠ checker, delegation, escalation, and a
-- full history. The rules that must hold whoever writes are triggers and checks here.

create table approval_chain (
  id bigserial primary key,
  company_id bigint not null references company(id),
  doc_type text not null check (doc_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' and length(doc_type) <= 64),
  -- null: the whole company; else this department and everything below it (the nearest one wins)
  department_id bigint references department(id),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  -- one person approves at most one level of a request (in person or represented by a delegate)
  distinct_approvers boolean not null default true,
  active boolean not null default true,
  -- grows with every change of the levels; a request keeps the revision it was submitted under
  revision int not null default 1 check (revision >= 1),
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index approval_chain_scope on approval_chain (company_id, doc_type, coalesce(department_id, 0)) where active;

create table approval_chain_level (
  id bigserial primary key,
  chain_id bigint not null references approval_chain(id) on delete cascade,
  level int not null check (level between 1 and 10),
  name_zh text not null check (length(name_zh) between 1 and 100),
  name_en text not null check (length(name_en) between 1 and 100),
  -- the level applies when the document's amount is at least this (null: always)
  min_amount numeric(20, 6) check (min_amount is null or min_amount >= 0),
  approver_kind text not null check (approver_kind in ('role', 'department_manager', 'superior', 'user')),
  role_id bigint references role(id),
  department_id bigint references department(id),
  user_id bigint references app_user(id),
  escalate_after_hours int check (escalate_after_hours between 1 and 720),
  unique (chain_id, level),
  check ((approver_kind = 'role') = (role_id is not null)),
  check ((approver_kind = 'user') = (user_id is not null)),
  check (department_id is null or approver_kind = 'department_manager')
);

-- Every definition a chain ever had, as it was: what a past request was routed by.
create table approval_chain_revision (
  id bigserial primary key,
  chain_id bigint not null references approval_chain(id),
  revision int not null,
  definition jsonb not null,
  note text,
  changed_by bigint references app_user(id),
  changed_by_name text not null,
  changed_at timestamptz not null default now(),
  unique (chain_id, revision)
);
create trigger approval_chain_revision_append_only before update or delete on approval_chain_revision
  for each row execute function kaiwu_refuse_change();

create sequence approval_request_number_seq;

create table approval_request (
  id bigserial primary key,
  company_id bigint not null references company(id),
  number text not null unique default ('AP-' || lpad(nextval('approval_request_number_seq')::text, 6, '0')),
  doc_type text not null,
  doc_id text not null check (length(doc_id) between 1 and 64),
  chain_id bigint not null references approval_chain(id),
  chain_revision int not null,
  distinct_approvers boolean not null,
  department_id bigint references department(id),
  amount numeric(20, 6),
  summary_zh text not null check (length(summary_zh) between 1 and 500),
  summary_en text not null check (length(summary_en) between 1 and 500),
  -- null only when the system itself submitted
  maker_user_id bigint references app_user(id),
  maker_name text not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'withdrawn')),
  -- the step (seq) waiting for a decision; null once the request is closed
  current_level int,
  submitted_at timestamptz not null default now(),
  closed_at timestamptz,
  check ((status = 'pending') = (current_level is not null)),
  check ((status = 'pending') = (closed_at is null))
);
-- One open request per document; a rejected or withdrawn one may be followed by a new submission.
create unique index approval_request_open on approval_request (company_id, doc_type, doc_id) where status = 'pending';
create index approval_request_doc on approval_request (doc_type, doc_id, id desc);
create index approval_request_pending on approval_request (company_id, submitted_at) where status = 'pending';
create index approval_request_maker on approval_request (maker_user_id, submitted_at desc);

-- The levels that apply to one request, copied from its chain at submission (a later edit of the
-- chain does not change a running request).
create table approval_step (
  id bigserial primary key,
  request_id bigint not null references approval_request(id),
  seq int not null check (seq >= 1),
  chain_level int not null,
  name_zh text not null,
  name_en text not null,
  min_amount numeric(20, 6),
  approver_kind text not null check (approver_kind in ('role', 'department_manager', 'superior', 'user')),
  role_id bigint references role(id),
  department_id bigint references department(id),
  user_id bigint references app_user(id),
  escalate_after_hours int,
  status text not null check (status in ('waiting', 'pending', 'approved', 'rejected', 'cancelled')),
  activated_at timestamptz,
  -- the escalation clock: since activation or the last escalation
  waiting_since timestamptz,
  escalation_exhausted boolean not null default false,
  decided_at timestamptz,
  decided_by bigint references app_user(id),
  on_behalf_of bigint references app_user(id),
  comment text,
  unique (request_id, seq),
  check ((status in ('approved', 'rejected')) = (decided_at is not null and decided_by is not null)),
  check (status = 'waiting' or activated_at is not null),
  check (on_behalf_of is null or on_behalf_of <> decided_by)
);
create index approval_step_waiting on approval_step (waiting_since) where status = 'pending';
create index approval_step_decided_by on approval_step (decided_by) where decided_by is not null;

-- What happened, in order: submitted, approved, rejected, escalated, withdrawn… Never changed.
create table approval_action (
  id bigserial primary key,
  request_id bigint not null references approval_request(id),
  step_id bigint references approval_step(id),
  seq int,
  action text not null check (action in ('submitted', 'approved', 'rejected', 'escalated', 'escalation_failed', 'withdrawn', 'auto_approved', 'cancelled')),
  actor_user_id bigint references app_user(id),
  actor_name text not null,
  on_behalf_of_user_id bigint references app_user(id),
  on_behalf_of_name text,
  to_user_id bigint references app_user(id),
  to_user_name text,
  reason text,
  at timestamptz not null default now(),
  check (action <> 'rejected' or length(btrim(coalesce(reason, ''))) > 0),
  check (action <> 'escalated' or to_user_id is not null)
);
create index approval_action_request on approval_action (request_id, id);
create index approval_action_escalation on approval_action (step_id) where action = 'escalated';
create trigger approval_action_append_only before update or delete on approval_action
  for each row execute function kaiwu_refuse_change();
create trigger approval_action_no_truncate before truncate on approval_action
  for each statement execute function kaiwu_refuse_change();

-- "I am away from … to …; my approvals go to …" (dates in the company's time zone, both inclusive).
create table approval_delegation (
  id bigserial primary key,
  company_id bigint not null references company(id),
  from_user_id bigint not null references app_user(id),
  to_user_id bigint not null references app_user(id),
  starts_on date not null,
  ends_on date not null,
  -- null: every document type
  doc_type text,
  reason text check (reason is null or length(reason) <= 500),
  created_by bigint references app_user(id),
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  cancelled_by bigint references app_user(id),
  version int not null default 1,
  check (from_user_id <> to_user_id),
  check (ends_on >= starts_on),
  check (ends_on - starts_on <= 366)
);
create index approval_delegation_to on approval_delegation (to_user_id) where cancelled_at is null;
create index approval_delegation_from on approval_delegation (from_user_id) where cancelled_at is null;

-- Two delegations of the same person may not overlap for the same documents: whose turn would it be?
create function approval_delegation_refuse_overlap() returns trigger language plpgsql as $$
begin
  if new.cancelled_at is not null then return new; end if;
  perform pg_advisory_xact_lock(7240110, new.from_user_id::int);
  if exists (select 1 from approval_delegation o
             where o.from_user_id = new.from_user_id and o.id <> new.id and o.cancelled_at is null
               and o.starts_on <= new.ends_on and new.starts_on <= o.ends_on
               and (o.doc_type is null or new.doc_type is null or o.doc_type = new.doc_type)) then
    raise exception 'delegation of user % overlaps another one', new.from_user_id
      using errcode = '23514', constraint = 'approval_delegation_overlap';
  end if;
  return new;
end $$;
create trigger approval_delegation_overlap before insert or update on approval_delegation
  for each row execute function approval_delegation_refuse_overlap();

-- A department and its ancestors, nearest first (depth 0 = the department itself).
create function approval_dept_ancestors(p_dept bigint) returns table(dept_id bigint, depth int) language sql stable as $$
  with recursive up(id, parent_id, depth) as (
    select d.id, d.parent_id, 0 from department d where d.id = p_dept
    union all
    select d.id, d.parent_id, up.depth + 1 from department d join up on d.id = up.parent_id where up.depth < 50
  ) select id, depth from up
$$;

-- Where a step's manager lookup starts: a fixed department, the maker's department, or the request's.
create function approval_step_start_dept(p_step bigint) returns bigint language sql stable as $$
  select case st.approver_kind
           when 'department_manager' then coalesce(st.department_id, rq.department_id)
           when 'superior' then coalesce((select u.department_id from app_user u where u.id = rq.maker_user_id), rq.department_id)
           else rq.department_id end
  from approval_step st join approval_request rq on rq.id = st.request_id where st.id = p_step
$$;

-- Who may decide a step, by the rule copied from the chain, resolved now (so a new manager or a new role
-- holder takes over running requests), plus whoever the step was escalated to. Never the maker.
create function approval_step_approvers(p_step bigint) returns table(approver_id bigint, via text)
language plpgsql stable as $$
declare
  s record;
  start_dept bigint;
begin
  select st.approver_kind, st.role_id, st.user_id as fixed_user, rq.maker_user_id, rq.department_id as req_dept, rq.company_id
    into s from approval_step st join approval_request rq on rq.id = st.request_id where st.id = p_step;
  if not found then return; end if;
  if s.approver_kind = 'user' then
    return query select u.id, 'user'::text from app_user u
      where u.id = s.fixed_user and u.status = 'active' and u.company_id = s.company_id and u.id is distinct from s.maker_user_id;
  elsif s.approver_kind = 'role' then
    return query select distinct ur.user_id, 'role'::text from user_role ur join app_user u on u.id = ur.user_id
      where ur.role_id = s.role_id and ur.valid_from <= now() and (ur.valid_until is null or ur.valid_until > now())
        and u.status = 'active' and u.company_id = s.company_id and u.id is distinct from s.maker_user_id
        and (ur.department_id is null or ur.department_id in (select a.dept_id from approval_dept_ancestors(s.req_dept) a));
  else
    start_dept := approval_step_start_dept(p_step);
    -- the nearest manager walking up the tree who is an active person other than the maker
    return query select x.manager_user_id, 'manager'::text from (
      select dd.manager_user_id from approval_dept_ancestors(start_dept) a
        join department dd on dd.id = a.dept_id join app_user u on u.id = dd.manager_user_id
       where u.status = 'active' and u.id is distinct from s.maker_user_id
       order by a.depth limit 1) x;
  end if;
  return query select distinct ac.to_user_id, 'escalation'::text from approval_action ac join app_user u on u.id = ac.to_user_id
    where ac.step_id = p_step and ac.action = 'escalated' and u.status = 'active' and u.id is distinct from s.maker_user_id;
end $$;

-- Whether a person may decide a step now: one row (on_behalf_of null) as themself, or one row per
-- absent approver they stand in for by a delegation valid today. No row: not eligible.
create function approval_eligibility(p_step bigint, p_user bigint) returns table(on_behalf_of bigint)
language plpgsql stable as $$
declare
  s record;
begin
  select st.request_id, st.seq, rq.maker_user_id, rq.doc_type, rq.company_id, rq.distinct_approvers, c.timezone
    into s from approval_step st join approval_request rq on rq.id = st.request_id join company c on c.id = rq.company_id
   where st.id = p_step;
  if not found or p_user is null or p_user is not distinct from s.maker_user_id then return; end if;
  if not exists (select 1 from app_user u where u.id = p_user and u.status = 'active' and u.company_id = s.company_id) then return; end if;
  if s.distinct_approvers and exists (select 1 from approval_step o where o.request_id = s.request_id and o.seq <> s.seq
        and (o.decided_by = p_user or o.on_behalf_of = p_user)) then return; end if;
  if exists (select 1 from approval_step_approvers(p_step) a where a.approver_id = p_user) then
    return query select null::bigint;
    return;
  end if;
  return query select distinct a.approver_id from approval_step_approvers(p_step) a
    join approval_delegation dl on dl.from_user_id = a.approver_id and dl.to_user_id = p_user
   where dl.company_id = s.company_id and dl.cancelled_at is null and (dl.doc_type is null or dl.doc_type = s.doc_type)
     and (now() at time zone s.timezone)::date between dl.starts_on and dl.ends_on
     and not (s.distinct_approvers and exists (select 1 from approval_step o where o.request_id = s.request_id and o.seq <> s.seq
              and (o.decided_by = a.approver_id or o.on_behalf_of = a.approver_id)));
end $$;

-- The next superior above everyone who may decide the step now: the manager of the nearest department
-- above theirs (walking up from where the step's lookup starts). Null at the top of the tree.
create function approval_escalation_target(p_step bigint) returns bigint language plpgsql stable as $$
declare
  s record;
  start_dept bigint;
  top int;
begin
  select st.request_id, st.seq, rq.maker_user_id, rq.distinct_approvers into s
    from approval_step st join approval_request rq on rq.id = st.request_id where st.id = p_step;
  if not found then return null; end if;
  start_dept := approval_step_start_dept(p_step);
  select max(a.depth) into top from approval_dept_ancestors(start_dept) a join department dd on dd.id = a.dept_id
   where dd.manager_user_id in (select x.approver_id from approval_step_approvers(p_step) x);
  return (select dd.manager_user_id from approval_dept_ancestors(start_dept) a
            join department dd on dd.id = a.dept_id join app_user u on u.id = dd.manager_user_id
           where a.depth > coalesce(top, -1) and u.status = 'active' and u.id is distinct from s.maker_user_id
             and u.id not in (select x.approver_id from approval_step_approvers(p_step) x)
             and not (s.distinct_approvers and exists (select 1 from approval_step o where o.request_id = s.request_id
                      and o.seq <> s.seq and (o.decided_by = u.id or o.on_behalf_of = u.id)))
           order by a.depth limit 1);
end $$;

-- Levels are decided in order and never by the maker; a decided step never changes.
create function approval_step_guard() returns trigger language plpgsql as $$
declare
  maker bigint;
begin
  if old.status in ('approved', 'rejected', 'cancelled') then
    raise exception 'approval step % is already %', old.id, old.status using errcode = '23514', constraint = 'approval_step_decided';
  end if;
  if new.status in ('approved', 'rejected') then
    if old.status <> 'pending' then
      raise exception 'approval step % is not waiting for a decision', old.id using errcode = '23514', constraint = 'approval_level_skipped';
    end if;
    if exists (select 1 from approval_step o where o.request_id = new.request_id and o.seq < new.seq and o.status <> 'approved') then
      raise exception 'approval step % decided before an earlier level', old.id using errcode = '23514', constraint = 'approval_level_skipped';
    end if;
    select maker_user_id into maker from approval_request where id = new.request_id;
    if new.decided_by is not distinct from maker or new.on_behalf_of is not distinct from maker then
      raise exception 'the maker of request % cannot decide it', new.request_id using errcode = '23514', constraint = 'approval_maker_is_checker';
    end if;
  end if;
  if new.status = 'pending' and old.status = 'waiting'
     and exists (select 1 from approval_step o where o.request_id = new.request_id and o.seq < new.seq and o.status <> 'approved') then
    raise exception 'approval step % opened before an earlier level was approved', old.id using errcode = '23514', constraint = 'approval_level_skipped';
  end if;
  return new;
end $$;
create trigger approval_step_guard before update on approval_step for each row execute function approval_step_guard();

-- A closed request stays as it was closed.
create function approval_request_guard() returns trigger language plpgsql as $$
begin
  if old.status <> 'pending' then
    raise exception 'approval request % is already %', old.number, old.status using errcode = '23514', constraint = 'approval_request_closed';
  end if;
  if new.status = 'approved' and exists (select 1 from approval_step s where s.request_id = new.id and s.status <> 'approved') then
    raise exception 'approval request % approved with a level still open', old.number using errcode = '23514', constraint = 'approval_level_skipped';
  end if;
  return new;
end $$;
create trigger approval_request_guard before update on approval_request for each row execute function approval_request_guard();

-- Files attached to records (proof documents of registrations…): kept in the database, so backups carry
-- them; evidence, so never altered.
create table stored_file (
  id bigserial primary key,
  company_id bigint not null references company(id),
  entity text not null,
  entity_id text not null,
  file_name text not null check (length(file_name) between 1 and 255),
  content_type text not null,
  size_bytes int not null check (size_bytes between 1 and 10485760),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null,
  uploaded_by bigint references app_user(id),
  created_at timestamptz not null default now(),
  check (octet_length(content) = size_bytes)
);
create index stored_file_entity on stored_file (entity, entity_id);
create trigger stored_file_immutable before update on stored_file for each row execute function kaiwu_refuse_change();
