-- Inventory ledger: lots/serials, the append-only stock move ledger, balances derived from it,
-- valuation states of the costing engine and their entries.
--
-- Stock locations (internal, receiving, quality_hold, transit) hold stock and have balances;
-- the other kinds (supplier, customer, adjustment, production, scrap) are counterparts: every move
-- goes from one location to another, so stock is never created or destroyed without a trace.

create function stock_location_kind(kind text) returns boolean language sql immutable parallel safe as $$
  select kind in ('internal', 'receiving', 'quality_hold', 'transit')
$$;

-- A lot or a serial number of one item (for serial-tracked items a "lot" of one).
create table stock_lot (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  lot_no text not null check (lot_no ~ '^[A-Za-z0-9][A-Za-z0-9_./#:-]{0,63}$'),
  expiry_date date,
  production_date date,
  supplier_lot text check (supplier_lot is null or length(supplier_lot) between 1 and 64),
  -- the supplier the lot was first received from
  supplier_id bigint references partner(id),
  created_at timestamptz not null default now(),
  created_by bigint,
  unique (item_id, lot_no),
  check (expiry_date is null or production_date is null or expiry_date >= production_date)
);
create index stock_lot_company_no on stock_lot (company_id, lot_no);
create index stock_lot_supplier_lot on stock_lot (company_id, supplier_lot) where supplier_lot is not null;

-- THE stock ledger. Append-only: a correction is a new move with reversal_of pointing at the original.
create table stock_move (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  lot_id bigint references stock_lot(id),
  -- in the item's base unit, always positive: the direction is from → to
  quantity numeric(18, 6) not null check (quantity > 0),
  from_location_id bigint not null references location(id),
  to_location_id bigint not null references location(id),
  move_type text not null check (move_type in ('receipt', 'issue', 'transfer', 'adjustment', 'scrap',
                                               'production_consumption', 'production_output')),
  doc_type text not null check (doc_type in ('receipt', 'issue', 'transfer', 'count')),
  doc_id bigint not null,
  doc_line int not null,
  -- production order (or other production reference) linking consumption to output, for lot trace
  production_ref text check (production_ref is null or length(production_ref) between 1 and 64),
  -- cost per base unit and amount of the goods moved, from the costing engine
  unit_cost numeric(18, 6) not null,
  value numeric(18, 2) not null,
  reversal_of bigint references stock_move(id),
  -- a return to the supplier (of a receipt) or from a customer (of an issue), valued at the original's cost
  return_of bigint references stock_move(id),
  posting_date date not null,
  posted_at timestamptz not null default now(),
  posted_by bigint,
  check (from_location_id <> to_location_id),
  check (return_of is null or reversal_of is null),
  check (move_type not in ('production_consumption', 'production_output') or production_ref is not null)
);
create index stock_move_item on stock_move (item_id, id);
create index stock_move_from on stock_move (from_location_id, id);
create index stock_move_to on stock_move (to_location_id, id);
create index stock_move_lot on stock_move (lot_id) where lot_id is not null;
create index stock_move_doc on stock_move (doc_type, doc_id);
create index stock_move_date on stock_move (company_id, posting_date);
create index stock_move_production on stock_move (company_id, production_ref) where production_ref is not null;
-- A move is reversed at most once.
create unique index stock_move_reversed_once on stock_move (reversal_of) where reversal_of is not null;
create index stock_move_returns on stock_move (return_of) where return_of is not null;

create trigger stock_move_append_only before update or delete on stock_move
  for each row execute function kaiwu_refuse_change();
create trigger stock_move_no_truncate before truncate on stock_move
  for each statement execute function kaiwu_refuse_change();

-- A reversal is the exact mirror of its original: same item, lot and quantity, the other way round.
create function stock_move_check_reversal() returns trigger language plpgsql as $$
declare o stock_move;
begin
  select * into o from stock_move where id = new.reversal_of;
  if o.reversal_of is not null or o.company_id <> new.company_id or o.item_id <> new.item_id
     or o.lot_id is distinct from new.lot_id or o.quantity <> new.quantity
     or o.from_location_id <> new.to_location_id or o.to_location_id <> new.from_location_id then
    raise exception 'stock move % must mirror the move % it reverses', new.id, new.reversal_of
      using errcode = '23514', constraint = 'stock_move_reversal_mirrors';
  end if;
  return new;
end $$;
create trigger stock_move_reversal_mirrors before insert on stock_move
  for each row when (new.reversal_of is not null) execute function stock_move_check_reversal();

-- On hand per item, stock location and lot: Σ moves in − Σ moves out, maintained in the moves'
-- transaction by one INSERT … ON CONFLICT DO UPDATE per batch. `allow_negative` is set by trigger from
-- the item AND the location; the constraint trigger below is the database's own refusal of negative
-- stock. It checks the row as it ends up (a CHECK would see the proposed insert row of the upsert, which
-- carries the delta, not the result); concurrent updates of a row serialise on its row lock and each
-- checks the latest value.
create table stock_balance (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  location_id bigint not null references location(id),
  lot_id bigint references stock_lot(id),
  on_hand numeric(18, 6) not null default 0,
  -- ≥ 0, checked with on hand below (the upsert's proposed row carries a negative delta)
  reserved numeric(18, 6) not null default 0,
  available numeric(18, 6) generated always as (on_hand - reserved) stored,
  allow_negative boolean not null default false,
  updated_at timestamptz not null default now(),
  constraint stock_balance_key unique nulls not distinct (item_id, location_id, lot_id)
);
create index stock_balance_location on stock_balance (location_id);
create index stock_balance_lot on stock_balance (lot_id) where lot_id is not null;
create index stock_balance_company on stock_balance (company_id, item_id);

create function stock_balance_set_flag() returns trigger language plpgsql as $$
begin
  new.allow_negative := coalesce((select i.allow_negative_stock from item i where i.id = new.item_id), false)
                    and coalesce((select l.allow_negative_stock from location l where l.id = new.location_id), false);
  new.updated_at := now();
  return new;
end $$;
create trigger stock_balance_flag before insert or update on stock_balance
  for each row execute function stock_balance_set_flag();

create function stock_balance_refuse_negative() returns trigger language plpgsql as $$
begin
  if new.reserved < 0 then
    raise exception 'reserved stock of item % at location % would become negative (%)', new.item_id, new.location_id, new.reserved
      using errcode = '23514', constraint = 'stock_balance_reserved';
  end if;
  raise exception 'stock of item % at location % would become negative (%)', new.item_id, new.location_id, new.on_hand
    using errcode = '23514', constraint = 'stock_balance_not_negative';
end $$;
create constraint trigger stock_balance_not_negative after insert or update on stock_balance
  for each row when (new.reserved < 0 or (new.on_hand < 0 and not new.allow_negative))
  execute function stock_balance_refuse_negative();

-- The costing engine's serialised state of one item in one valuation area (its warehouse; goods in
-- transit, which belong to no warehouse, form their own area). Updated under a row lock in the
-- transaction of the moves it values.
create table stock_valuation (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  warehouse_id bigint references warehouse(id),
  valuation_key text not null unique,
  method text not null check (method in ('moving_average', 'fifo', 'standard')),
  state jsonb not null,
  -- mirrors of state.qty / state.value / state.unitCost, for reports
  quantity numeric(24, 6) not null default 0,
  value numeric(18, 2) not null default 0,
  unit_cost numeric(18, 6),
  version int not null default 1,
  updated_at timestamptz not null default now(),
  constraint stock_valuation_area unique nulls not distinct (item_id, warehouse_id)
);

-- One engine entry per valued move and valuation area: inventory value = Σ value.
create table stock_valuation_entry (
  id bigserial primary key,
  company_id bigint not null references company(id),
  valuation_id bigint not null references stock_valuation(id),
  item_id bigint not null references item(id),
  warehouse_id bigint references warehouse(id),
  -- null for a revaluation (standard cost change) that moves no goods
  move_id bigint references stock_move(id),
  kind text not null check (kind in ('receipt', 'issue', 'supplier_return', 'customer_return', 'reversal', 'standard_cost_change')),
  posting_date date not null,
  posted_at timestamptz not null default now(),
  quantity numeric(24, 6) not null,
  value numeric(18, 2) not null,
  unit_cost numeric(18, 6) not null,
  adjustment numeric(18, 2) not null default 0,
  variance numeric(18, 2) not null default 0,
  -- the engine's entry as returned (FIFO layers, running balance): returns and reversals are valued from it
  entry jsonb not null,
  unique (move_id, valuation_id)
);
create index stock_valuation_entry_date on stock_valuation_entry (company_id, posting_date);
create index stock_valuation_entry_area on stock_valuation_entry (valuation_id, id);
create trigger stock_valuation_entry_append_only before update or delete on stock_valuation_entry
  for each row execute function kaiwu_refuse_change();
create trigger stock_valuation_entry_no_truncate before truncate on stock_valuation_entry
  for each statement execute function kaiwu_refuse_change();

-- Document numbers (GR-2026-000001 …). Sequences rather than a counter row: a counter row would be
-- locked by every new document until its commit and serialise all receipts of the plant.
create sequence stock_no_gr;
create sequence stock_no_gi;
create sequence stock_no_tr;
create sequence stock_no_pi;
