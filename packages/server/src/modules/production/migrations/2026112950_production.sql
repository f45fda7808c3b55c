-- Production orders (生产订单): for now only drafts, created by hand or converted from MRP planned
-- orders. Later issues add release, material issue, reporting and closing.

create table production_order (
  id bigserial primary key,
  company_id bigint not null references company(id),
  order_no text not null check (order_no ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  item_id bigint not null references item(id),
  quantity numeric(18, 6) not null check (quantity > 0),
  start_date date,
  due_date date not null,
  bom_id bigint references bom(id),
  routing_id bigint references routing(id),
  state text not null default 'draft' check (state in ('draft', 'released', 'closed', 'cancelled')),
  -- where it came from: the plan version and planned order it was converted from
  source_plan_version_id bigint,
  source_planned_order text check (source_planned_order is null or length(source_planned_order) <= 100),
  -- the demand it serves: [{ "ref": "FC-12", "qty": "30", "label": … }] (pegging of the planned order)
  pegging jsonb not null default '[]'::jsonb check (jsonb_typeof(pegging) = 'array'),
  note text check (note is null or length(note) <= 2000),
  version int not null default 1,
  created_at timestamptz not null default now(),
  created_by bigint,
  updated_at timestamptz not null default now(),
  unique (company_id, order_no),
  check (start_date is null or start_date <= due_date)
);
create index production_order_item on production_order (company_id, item_id) where state in ('draft', 'released');
create index production_order_source on production_order (source_plan_version_id) where source_plan_version_id is not null;
