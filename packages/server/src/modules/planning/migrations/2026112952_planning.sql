-- Planning (MPS/MRP): forecasts, planner assignments, and plan versions — each MRP run kept with its
-- inputs (a snapshot of the engine input), its time-phased records, planned orders and exceptions.

-- Who plans an item and in which planning group it is reported (filters of the MRP screens).
create table planning_item (
  item_id bigint primary key references item(id),
  company_id bigint not null references company(id),
  planner_user_id bigint references app_user(id),
  item_group text check (item_group is null or item_group ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'),
  version int not null default 1,
  updated_at timestamptz not null default now()
);
create index planning_item_planner on planning_item (company_id, planner_user_id);

-- Independent demand forecast per item and bucket start date (a day, or the Monday of a week).
create table forecast (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  period_start date not null,
  quantity numeric(18, 6) not null check (quantity > 0),
  note text check (note is null or length(note) <= 500),
  version int not null default 1,
  created_at timestamptz not null default now(),
  created_by bigint,
  updated_at timestamptz not null default now(),
  unique (company_id, item_id, period_start)
);
create index forecast_period on forecast (company_id, period_start);

create table plan_version (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('regenerative', 'what_if')),
  -- a what-if starts as a copy of this version's inputs
  base_version_id bigint references plan_version(id),
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  job_id bigint,
  bucket text not null check (bucket in ('day', 'week')),
  periods int not null check (periods between 1 and 1000),
  start_date date not null,
  calendar_id bigint references work_calendar(id),
  -- what-if changes: { "demand": [...], "items": [...] }
  params jsonb not null default '{}'::jsonb,
  -- [{ period, label, start, end, workingDays }]
  buckets jsonb,
  -- when the inputs (stock, orders, forecasts, BOMs) were read
  inputs_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms int,
  item_count int,
  bom_line_count int,
  demand_count int,
  receipt_count int,
  order_count int,
  exception_count int,
  error text,
  -- the engine input exactly as run (gzip JSON): pegging is resolved from it, what-ifs copy it
  input_gz bytea,
  version int not null default 1,
  created_at timestamptz not null default now(),
  created_by bigint,
  unique (company_id, code)
);
create index plan_version_company on plan_version (company_id, id desc);

-- The demand lines a version ran on (forecasts after consumption, customer orders…).
create table plan_demand (
  version_id bigint not null references plan_version(id) on delete cascade,
  seq int not null,
  item_id bigint not null,
  period int not null,
  due_date date not null,
  quantity numeric(18, 6) not null,
  ref text not null,
  source text not null,
  label text,
  primary key (version_id, seq)
);
create index plan_demand_ref on plan_demand (version_id, ref);

-- The textbook MRP record of one item: one array element per bucket.
create table plan_item (
  version_id bigint not null references plan_version(id) on delete cascade,
  item_id bigint not null,
  low_level_code int not null,
  make_or_buy text not null,
  lead_time int not null,
  lead_time_days int not null,
  on_hand numeric(18, 6) not null,
  allocated numeric(18, 6) not null,
  safety_stock numeric(18, 6) not null,
  planner_user_id bigint,
  item_group text,
  exception_count int not null default 0,
  -- 0 none, 1 low, 2 medium, 3 high
  max_severity int not null default 0,
  gross numeric[] not null,
  scheduled numeric[] not null,
  projected numeric[] not null,
  net numeric[] not null,
  planned_receipts numeric[] not null,
  planned_releases numeric[] not null,
  primary key (version_id, item_id)
);

create table plan_order (
  version_id bigint not null references plan_version(id) on delete cascade,
  seq int not null,
  order_key text not null,
  item_id bigint not null,
  kind text not null check (kind in ('make', 'buy')),
  release_period int not null,
  receipt_period int not null,
  release_date date not null,
  due_date date not null,
  quantity numeric(18, 6) not null,
  release_quantity numeric(18, 6) not null,
  status text not null default 'planned' check (status in ('planned', 'firm', 'converted')),
  converted_type text check (converted_type in ('production_order', 'purchase_requisition')),
  converted_id bigint,
  primary key (version_id, seq),
  unique (version_id, order_key)
);
create index plan_order_item on plan_order (version_id, item_id);

create table plan_exception (
  version_id bigint not null references plan_version(id) on delete cascade,
  seq int not null,
  item_id bigint not null,
  type text not null,
  severity int not null,
  period int not null,
  quantity numeric(18, 6) not null,
  reschedule_to int,
  release_period int,
  primary key (version_id, seq)
);
create index plan_exception_item on plan_exception (version_id, item_id);
