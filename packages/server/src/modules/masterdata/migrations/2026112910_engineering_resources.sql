-- Engineering resources: skills, workshops (车间), production lines (生产线) and work centres (工作中心)
-- with their capacity (machines × efficiency, people and their skills), shift calendar and hourly rates.

create table skill (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code)
);

create table workshop (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  -- the organisational unit that runs it (org module), and its shift calendar (null: the company default)
  department_id bigint references department(id),
  calendar_id bigint references work_calendar(id),
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code)
);

create table production_line (
  id bigserial primary key,
  company_id bigint not null references company(id),
  workshop_id bigint not null references workshop(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  -- null: the workshop's calendar
  calendar_id bigint references work_calendar(id),
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code),
  -- target of work_centre's composite key: a work centre's line belongs to the work centre's workshop
  unique (id, workshop_id)
);
create index production_line_workshop on production_line (workshop_id);

create table work_centre (
  id bigserial primary key,
  company_id bigint not null references company(id),
  workshop_id bigint not null references workshop(id),
  line_id bigint,
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  -- null: the line's, else the workshop's, else the company's default calendar
  calendar_id bigint references work_calendar(id),
  machine_count int not null default 1 check (machine_count between 0 and 10000),
  efficiency_pct numeric(6, 2) not null default 100 check (efficiency_pct > 0 and efficiency_pct <= 200),
  people_count int not null default 0 check (people_count between 0 and 10000),
  -- per hour of operation, in the company's base currency (sensitive)
  labour_rate numeric(18, 6) not null default 0 check (labour_rate >= 0),
  machine_rate numeric(18, 6) not null default 0 check (machine_rate >= 0),
  overhead_rate numeric(18, 6) not null default 0 check (overhead_rate >= 0),
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code),
  foreign key (line_id, workshop_id) references production_line (id, workshop_id),
  constraint work_centre_has_capacity check (machine_count > 0 or people_count > 0)
);
create index work_centre_workshop on work_centre (workshop_id);
create index work_centre_line on work_centre (line_id);

-- The people of a work centre qualified for a skill (a crew member may hold several skills).
create table work_centre_skill (
  work_centre_id bigint not null references work_centre(id) on delete cascade,
  skill_id bigint not null references skill(id),
  people_count int not null check (people_count >= 1),
  primary key (work_centre_id, skill_id)
);
create index work_centre_skill_skill on work_centre_skill (skill_id);

-- Qualified people cannot outnumber the work centre's people, whichever side changes (checked at
-- commit, so a command may lower the head count and the skills in either order).
create function work_centre_skill_check(centre bigint) returns void language plpgsql as $$
begin
  if exists (
    select 1 from work_centre_skill s join work_centre w on w.id = s.work_centre_id
    where w.id = centre and s.people_count > w.people_count
  ) then
    raise exception 'more qualified people than the work centre has'
      using errcode = '23514', constraint = 'work_centre_skill_people';
  end if;
end $$;
create function work_centre_skill_people() returns trigger language plpgsql as $$
begin
  perform work_centre_skill_check(new.work_centre_id);
  return null;
end $$;
create function work_centre_people_skills() returns trigger language plpgsql as $$
begin
  perform work_centre_skill_check(new.id);
  return null;
end $$;
create constraint trigger work_centre_skill_people after insert or update on work_centre_skill
  deferrable initially deferred for each row execute function work_centre_skill_people();
create constraint trigger work_centre_people_skills after update of people_count on work_centre
  deferrable initially deferred for each row execute function work_centre_people_skills();
