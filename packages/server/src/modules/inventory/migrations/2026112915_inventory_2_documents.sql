-- Inventory documents (goods receipt, goods issue, transfer) with a state machine
-- draft → posted (→ reversed) | draft → cancelled; physical inventory counts; reservations.

create table stock_document (
  id bigserial primary key,
  company_id bigint not null references company(id),
  doc_type text not null check (doc_type in ('receipt', 'issue', 'transfer')),
  number text not null,
  state text not null default 'draft' check (state in ('draft', 'posted', 'reversed', 'cancelled')),
  -- a draft without one is posted on the day it is posted
  posting_date date,
  -- supplier (receipts) or customer (issues)
  partner_id bigint references partner(id),
  -- delivery note, purchase order, sales order… as the user knows it
  reference text check (reference is null or length(reference) between 1 and 100),
  -- the order whose reservations an issue consumes
  order_ref_type text check (order_ref_type is null or order_ref_type ~ '^[a-z][a-z0-9_]{1,31}$'),
  order_ref_id text check (order_ref_id is null or length(order_ref_id) between 1 and 64),
  production_ref text check (production_ref is null or length(production_ref) between 1 and 64),
  -- defaults for the lines
  from_location_id bigint references location(id),
  to_location_id bigint references location(id),
  note text check (note is null or length(note) <= 2000),
  reversal_of bigint references stock_document(id),
  reversed_by bigint references stock_document(id),
  reversal_reason text check (reversal_reason is null or length(reversal_reason) between 1 and 500),
  created_by bigint,
  created_by_name text not null,
  created_at timestamptz not null default now(),
  posted_by bigint,
  posted_by_name text,
  posted_at timestamptz,
  version int not null default 1,
  updated_at timestamptz not null default now(),
  unique (company_id, number),
  check ((state in ('posted', 'reversed')) = (posted_at is not null)),
  check (state not in ('posted', 'reversed') or posting_date is not null),
  check ((state = 'reversed') = (reversed_by is not null)),
  check ((order_ref_type is null) = (order_ref_id is null)),
  check (reversal_of is null or reversal_reason is not null)
);
create index stock_document_list on stock_document (company_id, doc_type, id desc);
create unique index stock_document_reversed_once on stock_document (reversal_of) where reversal_of is not null;

create table stock_document_line (
  id bigserial primary key,
  document_id bigint not null references stock_document(id),
  line_no int not null check (line_no >= 1),
  item_id bigint not null references item(id),
  quantity numeric(18, 6) not null check (quantity > 0),
  from_location_id bigint references location(id),
  to_location_id bigint references location(id),
  -- issues and transfers: the lot taken; receipts: set at posting to the lot received into
  lot_id bigint references stock_lot(id),
  -- receipts of tracked items: the lot (or serial number) to receive into, created at posting
  lot_no text check (lot_no is null or lot_no ~ '^[A-Za-z0-9][A-Za-z0-9_./#:-]{0,63}$'),
  expiry_date date,
  supplier_lot text check (supplier_lot is null or length(supplier_lot) between 1 and 64),
  -- receipts: cost per base unit (null = the item's current cost)
  unit_cost numeric(18, 6) check (unit_cost is null or unit_cost >= 0),
  production_ref text check (production_ref is null or length(production_ref) between 1 and 64),
  -- returns: the receipt (to the supplier) or issue (from a customer) move whose goods come back
  return_of_move_id bigint references stock_move(id),
  note text check (note is null or length(note) <= 500),
  unique (document_id, line_no)
);
create index stock_document_line_item on stock_document_line (item_id);

-- A posted document is immutable (WF-4): only the state change posted → reversed (with the reversing
-- document) is accepted. Drafts may be edited or cancelled; nothing is ever deleted once posted.
create function stock_document_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.state <> 'draft' then
      raise exception 'stock document % is %: it cannot be deleted', old.number, old.state
        using errcode = '23514', constraint = 'stock_document_immutable';
    end if;
    return old;
  end if;
  if old.state = 'draft' then
    if new.state = 'reversed' then
      raise exception 'stock document % is a draft: it cannot be reversed', old.number
        using errcode = '23514', constraint = 'stock_document_state';
    end if;
    return new;
  end if;
  if old.state = 'posted' and new.state = 'reversed'
     and (to_jsonb(new) - array['state', 'reversed_by', 'version', 'updated_at'])
       = (to_jsonb(old) - array['state', 'reversed_by', 'version', 'updated_at']) then
    return new;
  end if;
  raise exception 'stock document % is %: it cannot be changed', old.number, old.state
    using errcode = '23514', constraint = 'stock_document_immutable';
end $$;
create trigger stock_document_guard before update or delete on stock_document
  for each row execute function stock_document_guard();
create trigger stock_document_no_truncate before truncate on stock_document
  for each statement execute function kaiwu_refuse_change();

create function stock_document_line_guard() returns trigger language plpgsql as $$
declare s text;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select state into s from stock_document where id = old.document_id;
    if s <> 'draft' then
      raise exception 'the lines of a % stock document cannot be changed', s
        using errcode = '23514', constraint = 'stock_document_immutable';
    end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select state into s from stock_document where id = new.document_id;
    if s <> 'draft' then
      raise exception 'lines cannot be added to a % stock document', s
        using errcode = '23514', constraint = 'stock_document_immutable';
    end if;
    return new;
  end if;
  return old;
end $$;
create trigger stock_document_line_guard before insert or update or delete on stock_document_line
  for each row execute function stock_document_line_guard();
create trigger stock_document_line_no_truncate before truncate on stock_document_line
  for each statement execute function kaiwu_refuse_change();

-- Physical inventory: freeze a set of locations (and optionally items), count, review the variances,
-- approve by someone other than the counters (maker ≠ checker), post adjustment moves.
create table stock_count (
  id bigserial primary key,
  company_id bigint not null references company(id),
  number text not null,
  state text not null default 'draft' check (state in ('draft', 'counting', 'review', 'posted', 'cancelled')),
  warehouse_id bigint not null references warehouse(id),
  -- blind count: counters do not see the quantity the system expects
  blind boolean not null default true,
  note text check (note is null or length(note) <= 2000),
  posting_date date,
  created_by bigint,
  created_by_name text not null,
  created_at timestamptz not null default now(),
  frozen_at timestamptz,
  submitted_by bigint,
  submitted_by_name text,
  submitted_at timestamptz,
  approved_by bigint,
  approved_by_name text,
  approved_at timestamptz,
  review_note text check (review_note is null or length(review_note) <= 2000),
  version int not null default 1,
  updated_at timestamptz not null default now(),
  unique (company_id, number),
  check ((state in ('counting', 'review', 'posted')) <= (frozen_at is not null)),
  check ((state in ('review', 'posted')) <= (submitted_at is not null)),
  check ((state = 'posted') = (approved_at is not null))
);
create index stock_count_active on stock_count (company_id) where state in ('counting', 'review');

create table stock_count_location (
  count_id bigint not null references stock_count(id),
  location_id bigint not null references location(id),
  primary key (count_id, location_id)
);
create index stock_count_location_loc on stock_count_location (location_id);

-- Items in scope; none = every item in the counted locations.
create table stock_count_item (
  count_id bigint not null references stock_count(id),
  item_id bigint not null references item(id),
  primary key (count_id, item_id)
);

create table stock_count_line (
  id bigserial primary key,
  count_id bigint not null references stock_count(id),
  item_id bigint not null references item(id),
  location_id bigint not null references location(id),
  lot_id bigint references stock_lot(id),
  -- on hand when the count was frozen (0 for items found that the system did not expect)
  system_qty numeric(18, 6) not null default 0,
  counted_qty numeric(18, 6) check (counted_qty is null or counted_qty >= 0),
  counted_by bigint,
  counted_by_name text,
  counted_at timestamptz,
  adjustment_move_id bigint references stock_move(id),
  constraint stock_count_line_key unique nulls not distinct (count_id, item_id, location_id, lot_id),
  check ((counted_qty is null) = (counted_at is null))
);

-- Users are told apart by id; system actors (jobs, the demo seed) have none and go by name.
create function stock_same_actor(a_id bigint, a_name text, b_id bigint, b_name text) returns boolean
  language sql immutable as $$
  select case when a_id is not null or b_id is not null then a_id is not distinct from b_id
              else a_name is not distinct from b_name end
$$;

create function stock_count_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' or old.state in ('posted', 'cancelled') then
    raise exception 'stock count % is %: it cannot be changed', old.number, old.state
      using errcode = '23514', constraint = 'stock_count_immutable';
  end if;
  if new.state <> old.state and not (
       (old.state = 'draft' and new.state in ('counting', 'cancelled'))
       or (old.state = 'counting' and new.state in ('review', 'cancelled'))
       or (old.state = 'review' and new.state in ('counting', 'posted', 'cancelled'))) then
    raise exception 'stock count %: % → % is not allowed', old.number, old.state, new.state
      using errcode = '23514', constraint = 'stock_count_state';
  end if;
  -- Maker ≠ checker: whoever counted or submitted the count may not approve it.
  if new.state = 'posted' and (
       stock_same_actor(new.approved_by, new.approved_by_name, new.submitted_by, new.submitted_by_name)
       or exists (select 1 from stock_count_line l where l.count_id = new.id and l.counted_at is not null
                  and stock_same_actor(new.approved_by, new.approved_by_name, l.counted_by, l.counted_by_name))) then
    raise exception 'stock count %: the approver must not be the person who counted or submitted it', old.number
      using errcode = '23514', constraint = 'stock_count_maker_checker';
  end if;
  return new;
end $$;
create trigger stock_count_guard before update or delete on stock_count
  for each row execute function stock_count_guard();

create function stock_count_line_guard() returns trigger language plpgsql as $$
declare s text;
begin
  select state into s from stock_count where id = case when tg_op = 'DELETE' then old.count_id else new.count_id end;
  if s in ('draft', 'counting') then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  -- under review the counts are fixed; approval only records the adjustment move of each line
  if s = 'review' and tg_op = 'UPDATE' and (to_jsonb(new) - 'adjustment_move_id') = (to_jsonb(old) - 'adjustment_move_id') then
    return new;
  end if;
  raise exception 'the lines of a stock count under % cannot be changed', s
    using errcode = '23514', constraint = 'stock_count_immutable';
end $$;
create trigger stock_count_line_guard before insert or update or delete on stock_count_line
  for each row execute function stock_count_line_guard();

-- Stock set aside for an order (sales order, work order…): reduces available, not on hand.
create table stock_reservation (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  location_id bigint not null references location(id),
  lot_id bigint references stock_lot(id),
  ref_type text not null check (ref_type ~ '^[a-z][a-z0-9_]{1,31}$'),
  ref_id text not null check (length(ref_id) between 1 and 64),
  -- still reserved; reaches 0 when consumed by issues or released
  quantity numeric(18, 6) not null check (quantity >= 0),
  reserved_qty numeric(18, 6) not null check (reserved_qty > 0),
  state text not null default 'open' check (state in ('open', 'closed')),
  note text check (note is null or length(note) <= 500),
  created_by bigint,
  created_by_name text not null,
  created_at timestamptz not null default now(),
  version int not null default 1,
  updated_at timestamptz not null default now(),
  check (quantity <= reserved_qty),
  check ((state = 'open') = (quantity > 0))
);
create index stock_reservation_ref on stock_reservation (company_id, ref_type, ref_id) where state = 'open';
create index stock_reservation_stock on stock_reservation (item_id, location_id) where state = 'open';
