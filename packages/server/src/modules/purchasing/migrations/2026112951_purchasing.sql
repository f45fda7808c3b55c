-- Purchase requisitions (请购单): one per supplier, lines with the supplier item's price and lead time.
-- For now only drafts converted from MRP planned purchases (or entered by hand); later issues add
-- approval and purchase orders.

create table purchase_requisition (
  id bigserial primary key,
  company_id bigint not null references company(id),
  requisition_no text not null check (requisition_no ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  -- the proposed supplier (null: no supplier item known yet, purchasing chooses)
  supplier_id bigint references partner(id),
  currency char(3) not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
  state text not null default 'draft' check (state in ('draft', 'approved', 'ordered', 'cancelled')),
  source_plan_version_id bigint,
  note text check (note is null or length(note) <= 2000),
  version int not null default 1,
  created_at timestamptz not null default now(),
  created_by bigint,
  updated_at timestamptz not null default now(),
  unique (company_id, requisition_no)
);
create index purchase_requisition_supplier on purchase_requisition (company_id, supplier_id);

create table purchase_requisition_line (
  id bigserial primary key,
  requisition_id bigint not null references purchase_requisition(id) on delete cascade,
  line_no int not null check (line_no between 1 and 99999),
  item_id bigint not null references item(id),
  -- in the item's base unit
  quantity numeric(18, 6) not null check (quantity > 0),
  supplier_item_id bigint references supplier_item(id),
  -- price per base unit from the supplier item (sensitive), lead time in days
  unit_price numeric(18, 6) check (unit_price is null or unit_price >= 0),
  lead_time_days int check (lead_time_days is null or lead_time_days between 0 and 3650),
  -- when to order and when it must arrive
  release_date date,
  need_date date not null,
  source_planned_order text check (source_planned_order is null or length(source_planned_order) <= 100),
  pegging jsonb not null default '[]'::jsonb check (jsonb_typeof(pegging) = 'array'),
  unique (requisition_id, line_no)
);
create index purchase_requisition_line_item on purchase_requisition_line (item_id);
