-- Master data core shared with inventory, planning and production: units of measure, items,
-- warehouses and their locations. (BOMs, routings, work centres and partners follow in later files.)

create table uom_category (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null,
  name_en text not null,
  unique (company_id, code)
);

create table uom (
  id bigserial primary key,
  company_id bigint not null references company(id),
  category_id bigint not null references uom_category(id),
  code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$'),
  name_zh text not null,
  name_en text not null,
  -- how many of the category's reference unit one of this unit is (reference unit: 1)
  ratio numeric(24, 12) not null check (ratio > 0),
  -- quantities in this unit are rounded to a multiple of this (e.g. 1 for pieces, 0.001 for kg)
  rounding numeric(24, 12) not null default 0.000001 check (rounding > 0),
  is_reference boolean not null default false,
  active boolean not null default true,
  version int not null default 1,
  unique (company_id, code)
);
create unique index uom_one_reference on uom (category_id) where is_reference;

create table item (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  item_type text not null check (item_type in ('raw', 'semi', 'finished', 'consumable', 'service')),
  base_uom_id bigint not null references uom(id),
  make_or_buy text not null check (make_or_buy in ('make', 'buy')),
  lead_time_days int not null default 0 check (lead_time_days >= 0),
  safety_stock numeric(18, 6) not null default 0 check (safety_stock >= 0),
  lot_size_rule text not null default 'lot-for-lot'
    check (lot_size_rule in ('lot-for-lot', 'fixed', 'multiple', 'min-max-multiple', 'periods-of-supply', 'eoq')),
  lot_size_qty numeric(18, 6),
  lot_size_min numeric(18, 6),
  lot_size_max numeric(18, 6),
  lot_size_multiple numeric(18, 6),
  lot_size_periods int,
  tracking text not null default 'none' check (tracking in ('none', 'lot', 'serial')),
  shelf_life_days int check (shelf_life_days is null or shelf_life_days > 0),
  valuation_method text not null default 'moving_average' check (valuation_method in ('moving_average', 'fifo', 'standard')),
  standard_cost numeric(18, 6) not null default 0 check (standard_cost >= 0),
  abc_class char(1) check (abc_class in ('A', 'B', 'C')),
  status text not null default 'active' check (status in ('active', 'blocked', 'obsolete')),
  barcode text,
  allow_negative_stock boolean not null default false,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code)
);
create unique index item_barcode on item (company_id, barcode) where barcode is not null;

-- Alternative units of one item (purchase in boxes of 12, sell in pieces…).
create table item_uom (
  item_id bigint not null references item(id) on delete cascade,
  uom_id bigint not null references uom(id),
  -- base units in one of this unit, for this item (overrides the category ratio when set)
  factor numeric(24, 12) not null check (factor > 0),
  primary key (item_id, uom_id)
);

create table warehouse (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null,
  name_en text not null,
  department_id bigint references department(id),
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code)
);

-- Locations form a tree per warehouse. Virtual kinds (supplier, customer, adjustment, production)
-- have no warehouse: every stock move goes from one location to another, so stock is never created
-- or destroyed without a counterpart.
create table location (
  id bigserial primary key,
  company_id bigint not null references company(id),
  warehouse_id bigint references warehouse(id),
  parent_id bigint references location(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_./-]{0,39}$'),
  name_zh text not null,
  name_en text not null,
  kind text not null check (kind in ('internal', 'receiving', 'quality_hold', 'production', 'scrap',
                                     'supplier', 'customer', 'adjustment', 'transit')),
  allow_negative_stock boolean not null default false,
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code),
  check ((warehouse_id is null) = (kind in ('supplier', 'customer', 'adjustment', 'transit')) or kind = 'production')
);
create index location_warehouse on location (warehouse_id);
