-- Catalog rules on the core units and items (2026112905): what the core table left open is made an
-- invariant here, so every writer (commands, imports, a later module, psql) is held to it.

-- Units -------------------------------------------------------------------------------------------

alter table uom_category add column active boolean not null default true;
alter table uom_category add column version int not null default 1;
alter table uom_category add constraint uom_category_names check (length(name_zh) between 1 and 100 and length(name_en) between 1 and 100);

alter table uom add constraint uom_names check (length(name_zh) between 1 and 100 and length(name_en) between 1 and 100);
-- The reference unit is what the ratios count in: its own ratio is 1 by definition.
alter table uom add constraint uom_reference_ratio check (not is_reference or ratio = 1);
-- Stored quantities have 6 decimals (numeric(18, 6)); a finer rounding could not be kept.
alter table uom add constraint uom_rounding_range check (rounding >= 0.000001 and rounding <= 1000000);

-- A unit belongs to a category of its own company.
create function uom_check_category() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from uom_category c where c.id = new.category_id and c.company_id = new.company_id) then
    raise exception 'unit % refers to a category of another company', new.code
      using errcode = '23514', constraint = 'uom_category_company';
  end if;
  return new;
end $$;
create trigger uom_category_company before insert or update of category_id, company_id on uom
  for each row execute function uom_check_category();

-- Items -------------------------------------------------------------------------------------------

-- 规格型号 and a free description; EOQ needs its two cost parameters (the core file had none).
alter table item add column spec text check (spec is null or length(spec) <= 200);
alter table item add column description text check (description is null or length(description) <= 2000);
alter table item add column lot_size_setup_cost numeric(18, 6) check (lot_size_setup_cost is null or lot_size_setup_cost > 0);
alter table item add column lot_size_holding_cost numeric(18, 6) check (lot_size_holding_cost is null or lot_size_holding_cost > 0);
-- Default units on purchase and sales documents (the base unit when null).
alter table item add column purchase_uom_id bigint references uom(id);
alter table item add column sales_uom_id bigint references uom(id);

alter table item add constraint item_barcode_format check (barcode is null or barcode ~ '^[0-9A-Za-z._-]{4,64}$');
alter table item add constraint item_lead_time_range check (lead_time_days <= 3650);
alter table item add constraint item_shelf_life_needs_lots check (shelf_life_days is null or tracking <> 'none');
alter table item add constraint item_service_untracked check (item_type <> 'service' or tracking = 'none');

-- Each lot-size rule takes exactly its own parameters (the MRP engine's contract, docs/mrp-engine.md).
alter table item add constraint item_lot_size_params check (
  case lot_size_rule
    when 'lot-for-lot' then num_nonnulls(lot_size_qty, lot_size_min, lot_size_max, lot_size_multiple, lot_size_periods,
                                         lot_size_setup_cost, lot_size_holding_cost) = 0
    when 'fixed' then lot_size_qty > 0
      and num_nonnulls(lot_size_min, lot_size_max, lot_size_multiple, lot_size_periods, lot_size_setup_cost, lot_size_holding_cost) = 0
    when 'multiple' then lot_size_multiple > 0
      and num_nonnulls(lot_size_qty, lot_size_min, lot_size_max, lot_size_periods, lot_size_setup_cost, lot_size_holding_cost) = 0
    when 'min-max-multiple' then num_nonnulls(lot_size_min, lot_size_max, lot_size_multiple) > 0
      and coalesce(lot_size_min >= 0, true) and coalesce(lot_size_max > 0, true) and coalesce(lot_size_multiple > 0, true)
      and coalesce(lot_size_max >= lot_size_min, true)
      and num_nonnulls(lot_size_qty, lot_size_periods, lot_size_setup_cost, lot_size_holding_cost) = 0
    when 'periods-of-supply' then lot_size_periods between 1 and 366
      and num_nonnulls(lot_size_qty, lot_size_min, lot_size_max, lot_size_multiple, lot_size_setup_cost, lot_size_holding_cost) = 0
    when 'eoq' then lot_size_setup_cost > 0 and lot_size_holding_cost > 0
      and num_nonnulls(lot_size_qty, lot_size_min, lot_size_max, lot_size_multiple, lot_size_periods) = 0
    else false
  end
);

-- Units of an item: its base unit of its own company; purchase/sales units are the base unit or one of
-- its alternative units. Deferred, because an item and its alternative units are written in one go.
create function item_check_units() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from uom u where u.id = new.base_uom_id and u.company_id = new.company_id) then
    raise exception 'item % has a base unit of another company', new.code using errcode = '23514', constraint = 'item_units';
  end if;
  if (new.purchase_uom_id is not null and new.purchase_uom_id <> new.base_uom_id
        and not exists (select 1 from item_uom iu where iu.item_id = new.id and iu.uom_id = new.purchase_uom_id))
     or (new.sales_uom_id is not null and new.sales_uom_id <> new.base_uom_id
        and not exists (select 1 from item_uom iu where iu.item_id = new.id and iu.uom_id = new.sales_uom_id)) then
    raise exception 'item % uses a purchase or sales unit that is not one of its units', new.code
      using errcode = '23514', constraint = 'item_document_units';
  end if;
  return null;
end $$;
create constraint trigger item_units after insert or update on item deferrable initially deferred
  for each row execute function item_check_units();

-- An alternative unit is not the base unit itself, belongs to the item's company, and cannot be
-- removed while a document default (or, later, a supplier price) counts in it.
create function item_uom_check() returns trigger language plpgsql as $$
declare it record;
begin
  if tg_op = 'DELETE' then
    select i.* into it from item i where i.id = old.item_id;
    if found and (it.purchase_uom_id = old.uom_id or it.sales_uom_id = old.uom_id) then
      raise exception 'unit % is the purchase or sales unit of item %', old.uom_id, it.code
        using errcode = '23514', constraint = 'item_uom_in_use';
    end if;
    return old;
  end if;
  select i.* into it from item i where i.id = new.item_id;
  if it.base_uom_id = new.uom_id then
    raise exception 'the base unit of item % cannot also be an alternative unit', it.code
      using errcode = '23514', constraint = 'item_uom_not_base';
  end if;
  if not exists (select 1 from uom u where u.id = new.uom_id and u.company_id = it.company_id) then
    raise exception 'item % has an alternative unit of another company', it.code using errcode = '23514', constraint = 'item_units';
  end if;
  return new;
end $$;
create trigger item_uom_check before insert or update or delete on item_uom
  for each row execute function item_uom_check();

create index item_company_status on item (company_id, status);
create index item_base_uom on item (base_uom_id);
create index item_uom_uom on item_uom (uom_id);

-- Warehouses and locations --------------------------------------------------------------------------

alter table warehouse add column address text check (address is null or length(address) <= 500);
alter table warehouse add constraint warehouse_names check (length(name_zh) between 1 and 200 and length(name_en) between 1 and 200);
alter table location add constraint location_names check (length(name_zh) between 1 and 200 and length(name_en) between 1 and 200);

-- The location other modules get for a kind (receiving, scrap, the virtual supplier location…) when
-- they do not name one: at most one per warehouse and kind (per company for virtual ones), and active.
alter table location add column is_default boolean not null default false;
alter table location add constraint location_default_active check (not is_default or active);
create unique index location_one_default on location (company_id, coalesce(warehouse_id, 0), kind) where is_default;
create index location_parent on location (parent_id);

-- The tree: a child stays in its parent's warehouse and company, never under itself, and a location
-- never moves to another warehouse (its stock history is tied to it).
create function location_check_tree() returns trigger language plpgsql as $$
declare p record;
begin
  if tg_op = 'UPDATE' and new.warehouse_id is distinct from old.warehouse_id then
    raise exception 'location % cannot move to another warehouse', new.code
      using errcode = '23514', constraint = 'location_warehouse_fixed';
  end if;
  if new.warehouse_id is not null
     and not exists (select 1 from warehouse w where w.id = new.warehouse_id and w.company_id = new.company_id) then
    raise exception 'location % refers to a warehouse of another company', new.code
      using errcode = '23514', constraint = 'location_parent_same_warehouse';
  end if;
  if new.parent_id is not null then
    select l.company_id, l.warehouse_id into p from location l where l.id = new.parent_id;
    if p.company_id <> new.company_id or p.warehouse_id is distinct from new.warehouse_id then
      raise exception 'location % must be in the warehouse of its parent', new.code
        using errcode = '23514', constraint = 'location_parent_same_warehouse';
    end if;
    if new.parent_id = new.id or exists (
      with recursive up(id, parent_id) as (
        select id, parent_id from location where id = new.parent_id
        union all
        select l.id, l.parent_id from location l join up on l.id = up.parent_id
      ) select 1 from up where id = new.id
    ) then
      raise exception 'location % cannot be moved under its own descendant', new.code
        using errcode = '23514', constraint = 'location_no_cycle';
    end if;
  end if;
  return new;
end $$;
create trigger location_tree before insert or update on location
  for each row execute function location_check_tree();
