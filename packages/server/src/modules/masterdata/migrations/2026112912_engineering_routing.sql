-- Routings (工艺路线): versioned per item like BOMs, operations on work centres with their times,
-- alternative work centres and the skill the operation needs.

create table routing (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  version_code text not null check (version_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$'),
  description text check (description is null or length(description) <= 500),
  status text not null default 'draft' check (status in ('draft', 'active', 'obsolete')),
  effective_from date not null,
  effective_to date,
  -- the standard lot over which setup time is spread in the cost roll-up
  lot_size numeric(18, 6) not null default 1 check (lot_size > 0),
  notes text check (notes is null or length(notes) <= 2000),
  activated_at timestamptz,
  activated_by bigint,
  obsoleted_at timestamptz,
  obsoleted_by bigint,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, item_id, version_code),
  constraint routing_effective_range check (effective_to is null or effective_to > effective_from),
  constraint routing_one_active_version exclude using gist (
    int8range(item_id, item_id, '[]') with &&,
    daterange(effective_from, effective_to, '[)') with &&
  ) where (status = 'active')
);
create index routing_item on routing (item_id, status);

create table routing_operation (
  id bigserial primary key,
  routing_id bigint not null references routing(id) on delete cascade,
  seq int not null check (seq between 1 and 9999),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  work_centre_id bigint not null references work_centre(id),
  -- minutes; run time is per base unit of the routed item
  setup_minutes numeric(12, 3) not null default 0 check (setup_minutes >= 0),
  run_minutes numeric(14, 6) not null default 0 check (run_minutes >= 0),
  queue_minutes numeric(12, 3) not null default 0 check (queue_minutes >= 0),
  move_minutes numeric(12, 3) not null default 0 check (move_minutes >= 0),
  -- people the operation occupies while it runs (0: an unattended machine)
  crew_size int not null default 1 check (crew_size between 0 and 1000),
  required_skill_id bigint references skill(id),
  notes text check (notes is null or length(notes) <= 500),
  unique (routing_id, seq),
  constraint routing_operation_has_time check (setup_minutes > 0 or run_minutes > 0)
);
create index routing_operation_routing on routing_operation (routing_id);
create index routing_operation_work_centre on routing_operation (work_centre_id);

-- Where the operation may also run when its work centre is full, in order of preference.
create table routing_operation_alternative (
  operation_id bigint not null references routing_operation(id) on delete cascade,
  work_centre_id bigint not null references work_centre(id),
  priority int not null check (priority between 1 and 99),
  primary key (operation_id, work_centre_id),
  unique (operation_id, priority)
);
create index routing_operation_alternative_wc on routing_operation_alternative (work_centre_id);

create function routing_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'only a draft routing can be deleted' using errcode = '23514', constraint = 'routing_released_unchanged';
    end if;
    return old;
  end if;
  if old.status = 'obsolete' then
    raise exception 'an obsolete routing is final' using errcode = '23514', constraint = 'routing_obsolete_final';
  end if;
  if old.status = 'draft' and new.status not in ('draft', 'active') then
    raise exception 'a draft routing is activated or deleted' using errcode = '23514', constraint = 'routing_status_transition';
  end if;
  if old.status = 'active' then
    if new.status not in ('active', 'obsolete') then
      raise exception 'an active routing cannot go back to draft' using errcode = '23514', constraint = 'routing_status_transition';
    end if;
    if new.item_id <> old.item_id or new.version_code <> old.version_code or new.lot_size <> old.lot_size
       or new.effective_from <> old.effective_from or new.description is distinct from old.description
       or new.notes is distinct from old.notes then
      raise exception 'a released routing only changes its end date or status' using errcode = '23514', constraint = 'routing_released_unchanged';
    end if;
  end if;
  return new;
end $$;
create trigger routing_guard before update or delete on routing for each row execute function routing_guard();

-- Operations and their alternatives change only while the routing is a draft.
create function routing_operation_guard() returns trigger language plpgsql as $$
declare
  routing_status text;
begin
  if tg_table_name = 'routing_operation' then
    select status into routing_status from routing
      where id = (case when tg_op = 'DELETE' then old.routing_id else new.routing_id end);
  else
    select r.status into routing_status from routing r join routing_operation o on o.routing_id = r.id
      where o.id = (case when tg_op = 'DELETE' then old.operation_id else new.operation_id end);
  end if;
  if found and routing_status <> 'draft' then
    raise exception 'the operations of a released routing cannot change' using errcode = '23514', constraint = 'routing_released_unchanged';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger routing_operation_guard before insert or update or delete on routing_operation
  for each row execute function routing_operation_guard();
create trigger routing_operation_alternative_guard before insert or update or delete on routing_operation_alternative
  for each row execute function routing_operation_guard();
