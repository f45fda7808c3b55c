-- Bills of materials: versioned headers per parent item, lines with quantity per base quantity.
-- A draft is edited freely; activating releases it (then only its end date may change, when a newer
-- version takes over, or it is made obsolete); an obsolete version is final.

create table bom (
  id bigserial primary key,
  company_id bigint not null references company(id),
  item_id bigint not null references item(id),
  version_code text not null check (version_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$'),
  description text check (description is null or length(description) <= 500),
  status text not null default 'draft' check (status in ('draft', 'active', 'obsolete')),
  -- effective from (inclusive) to (exclusive, null = open-ended)
  effective_from date not null,
  effective_to date,
  -- line quantities are per this many base units of the parent item
  base_qty numeric(18, 6) not null default 1 check (base_qty > 0),
  notes text check (notes is null or length(notes) <= 2000),
  activated_at timestamptz,
  activated_by bigint,
  obsoleted_at timestamptz,
  obsoleted_by bigint,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, item_id, version_code),
  constraint bom_effective_range check (effective_to is null or effective_to > effective_from),
  -- one active version per item on any day (int8range makes the item comparable in a GiST index without btree_gist)
  constraint bom_one_active_version exclude using gist (
    int8range(item_id, item_id, '[]') with &&,
    daterange(effective_from, effective_to, '[)') with &&
  ) where (status = 'active')
);
create index bom_item on bom (item_id, status);

create table bom_line (
  id bigserial primary key,
  bom_id bigint not null references bom(id) on delete cascade,
  position int not null check (position between 1 and 99999),
  component_item_id bigint not null references item(id),
  -- per base_qty of the parent, in uom_id (a by-product: the quantity it yields)
  qty numeric(18, 6) not null check (qty > 0),
  uom_id bigint not null references uom(id),
  scrap_pct numeric(7, 3) not null default 0 check (scrap_pct >= 0 and scrap_pct < 100),
  phantom boolean not null default false,
  by_product boolean not null default false,
  effective_from date,
  effective_to date,
  notes text check (notes is null or length(notes) <= 500),
  unique (bom_id, position),
  constraint bom_line_effective_range check (effective_from is null or effective_to is null or effective_to > effective_from),
  constraint bom_line_phantom_by_product check (not (phantom and by_product)),
  constraint bom_line_by_product_scrap check (not by_product or scrap_pct = 0)
);
create index bom_line_bom on bom_line (bom_id);
create index bom_line_component on bom_line (component_item_id);

-- Released versions are what planning and costing run on: they change only by the allowed transitions.
create function bom_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'only a draft BOM can be deleted' using errcode = '23514', constraint = 'bom_released_unchanged';
    end if;
    return old;
  end if;
  if old.status = 'obsolete' then
    raise exception 'an obsolete BOM is final' using errcode = '23514', constraint = 'bom_obsolete_final';
  end if;
  if old.status = 'draft' and new.status not in ('draft', 'active') then
    raise exception 'a draft BOM is activated or deleted' using errcode = '23514', constraint = 'bom_status_transition';
  end if;
  if old.status = 'active' then
    if new.status not in ('active', 'obsolete') then
      raise exception 'an active BOM cannot go back to draft' using errcode = '23514', constraint = 'bom_status_transition';
    end if;
    if new.item_id <> old.item_id or new.version_code <> old.version_code or new.base_qty <> old.base_qty
       or new.effective_from <> old.effective_from or new.description is distinct from old.description
       or new.notes is distinct from old.notes then
      raise exception 'a released BOM only changes its end date or status' using errcode = '23514', constraint = 'bom_released_unchanged';
    end if;
  end if;
  return new;
end $$;
create trigger bom_guard before update or delete on bom for each row execute function bom_guard();

create function bom_line_guard() returns trigger language plpgsql as $$
declare
  header record;
begin
  select status, item_id into header from bom where id = (case when tg_op = 'DELETE' then old.bom_id else new.bom_id end);
  -- not found: the header is being deleted (a draft) and its lines go with it
  if found and header.status <> 'draft' then
    raise exception 'the lines of a released BOM cannot change' using errcode = '23514', constraint = 'bom_released_unchanged';
  end if;
  if tg_op = 'UPDATE' and new.bom_id <> old.bom_id then
    raise exception 'a line cannot move to another BOM' using errcode = '23514', constraint = 'bom_released_unchanged';
  end if;
  if tg_op <> 'DELETE' and new.component_item_id = header.item_id then
    raise exception 'a BOM cannot contain its own item' using errcode = '23514', constraint = 'bom_line_not_self';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger bom_line_guard before insert or update or delete on bom_line for each row execute function bom_line_guard();
