-- Organisation: companies, departments as a tree, working calendars with shifts and holidays.

create table company (
  id bigserial primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  base_currency char(3) not null default 'CNY',
  timezone text not null default 'Asia/Shanghai',
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table department (
  id bigserial primary key,
  company_id bigint not null references company(id),
  parent_id bigint references department(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  manager_user_id bigint,
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code),
  check (parent_id is null or parent_id <> id)
);
create index department_parent on department (parent_id);

-- A department may not become its own ancestor: checked by the database, whoever writes.
create function department_refuse_cycle() returns trigger language plpgsql as $$
begin
  if new.parent_id is not null and exists (
    with recursive up(id, parent_id) as (
      select id, parent_id from department where id = new.parent_id
      union all
      select d.id, d.parent_id from department d join up on d.id = up.parent_id
    ) select 1 from up where id = new.id
  ) then
    raise exception 'department % cannot be moved under its own descendant %', new.code, new.parent_id
      using errcode = '23514', constraint = 'department_no_cycle';
  end if;
  return new;
end $$;
create trigger department_no_cycle before insert or update of parent_id on department
  for each row execute function department_refuse_cycle();

create table work_calendar (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null,
  name_en text not null,
  -- ISO weekdays that are working days (1 = Monday … 7 = Sunday)
  working_weekdays int[] not null default '{1,2,3,4,5}' check (working_weekdays <@ '{1,2,3,4,5,6,7}'),
  is_default boolean not null default false,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code)
);
create unique index work_calendar_one_default on work_calendar (company_id) where is_default;

create table calendar_shift (
  id bigserial primary key,
  calendar_id bigint not null references work_calendar(id) on delete cascade,
  code text not null,
  name_zh text not null,
  name_en text not null,
  start_time time not null,
  end_time time not null,
  break_minutes int not null default 0 check (break_minutes >= 0),
  unique (calendar_id, code)
);

create table calendar_exception (
  id bigserial primary key,
  calendar_id bigint not null references work_calendar(id) on delete cascade,
  day date not null,
  kind text not null check (kind in ('holiday', 'workday')),
  name_zh text not null,
  name_en text not null,
  unique (calendar_id, day)
);
