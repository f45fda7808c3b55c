-- Business partners (customers and suppliers; one partner may be both), their contacts, addresses,
-- bank accounts and payment terms, and what each supplier sells us at what price (supplier items).

create table payment_term (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  -- invoice: due days_net after the invoice date; end_of_month: days_net after the end of the
  -- invoice's month (月结); prepayment: paid before delivery (款到发货), no days.
  basis text not null default 'invoice' check (basis in ('invoice', 'end_of_month', 'prepayment')),
  days_net int not null default 0 check (days_net between 0 and 365),
  -- cash discount: discount_percent off when paid within discount_days
  discount_days int,
  discount_percent numeric(5, 2),
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code),
  constraint payment_term_prepayment check (basis <> 'prepayment' or (days_net = 0 and discount_days is null)),
  constraint payment_term_discount check (
    (discount_days is null) = (discount_percent is null)
    and (discount_days is null or (discount_days >= 0 and discount_days < days_net))
    and (discount_percent is null or (discount_percent > 0 and discount_percent < 100)))
);

create table partner (
  id bigserial primary key,
  company_id bigint not null references company(id),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name_zh text not null check (length(name_zh) between 1 and 200),
  name_en text not null check (length(name_en) between 1 and 200),
  short_name text check (short_name is null or length(short_name) between 1 and 50),
  is_customer boolean not null default false,
  is_supplier boolean not null default false,
  -- 统一社会信用代码 (18 characters) or a foreign tax number
  tax_id text check (tax_id is null or tax_id ~ '^[0-9A-Z-]{6,30}$'),
  phone text check (phone is null or length(phone) <= 50),
  email text check (email is null or (length(email) <= 200 and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')),
  website text check (website is null or length(website) <= 200),
  currency char(3) not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
  payment_term_id bigint references payment_term(id),
  credit_limit numeric(18, 2) check (credit_limit is null or credit_limit >= 0),
  notes text check (notes is null or length(notes) <= 2000),
  -- blocked: kept for history, refused on new documents
  status text not null default 'active' check (status in ('active', 'blocked')),
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (company_id, code),
  constraint partner_has_role check (is_customer or is_supplier)
);
create index partner_company on partner (company_id, status);

create table partner_contact (
  id bigserial primary key,
  partner_id bigint not null references partner(id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  title text check (title is null or length(title) <= 100),
  phone text check (phone is null or length(phone) <= 50),
  mobile text check (mobile is null or length(mobile) <= 50),
  email text check (email is null or (length(email) <= 200 and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')),
  is_primary boolean not null default false,
  sort int not null default 0
);
create index partner_contact_partner on partner_contact (partner_id);
create unique index partner_contact_one_primary on partner_contact (partner_id) where is_primary;

create table partner_address (
  id bigserial primary key,
  partner_id bigint not null references partner(id) on delete cascade,
  kind text not null check (kind in ('billing', 'shipping', 'office', 'other')),
  country char(2) not null default 'CN' check (country ~ '^[A-Z]{2}$'),
  province text check (province is null or length(province) <= 100),
  city text check (city is null or length(city) <= 100),
  district text check (district is null or length(district) <= 100),
  street text not null check (length(street) between 1 and 300),
  postcode text check (postcode is null or postcode ~ '^[0-9A-Za-z -]{3,12}$'),
  contact_name text check (contact_name is null or length(contact_name) <= 100),
  contact_phone text check (contact_phone is null or length(contact_phone) <= 50),
  is_default boolean not null default false,
  sort int not null default 0
);
create index partner_address_partner on partner_address (partner_id);
create unique index partner_address_one_default on partner_address (partner_id, kind) where is_default;

-- Sensitive (masterdata.partner.bank.read): where money goes.
create table partner_bank (
  id bigserial primary key,
  partner_id bigint not null references partner(id) on delete cascade,
  bank_name text not null check (length(bank_name) between 1 and 200),
  branch text check (branch is null or length(branch) <= 200),
  account_name text not null check (length(account_name) between 1 and 200),
  account_no text not null check (account_no ~ '^[0-9A-Z][0-9A-Z -]{3,39}$'),
  swift text check (swift is null or swift ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  currency char(3) not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
  is_default boolean not null default false,
  sort int not null default 0
);
create index partner_bank_partner on partner_bank (partner_id);
create unique index partner_bank_one_default on partner_bank (partner_id) where is_default;

-- Children belong to a partner of the same company: payment term checked here.
create function partner_check_refs() returns trigger language plpgsql as $$
begin
  if new.payment_term_id is not null
     and not exists (select 1 from payment_term t where t.id = new.payment_term_id and t.company_id = new.company_id) then
    raise exception 'partner % refers to a payment term of another company', new.code
      using errcode = '23514', constraint = 'partner_payment_term_company';
  end if;
  -- a supplier with price lists cannot stop being a supplier (block it instead)
  if tg_op = 'UPDATE' and old.is_supplier and not new.is_supplier
     and exists (select 1 from supplier_item s where s.partner_id = new.id and s.active) then
    raise exception 'partner % still has active supplier items', new.code
      using errcode = '23514', constraint = 'partner_supplier_items_active';
  end if;
  return new;
end $$;

create table supplier_item (
  id bigserial primary key,
  company_id bigint not null references company(id),
  partner_id bigint not null references partner(id),
  item_id bigint not null references item(id),
  supplier_item_code text check (supplier_item_code is null or length(supplier_item_code) between 1 and 64),
  supplier_item_name text check (supplier_item_name is null or length(supplier_item_name) between 1 and 200),
  -- the unit the price and the minimum quantity count in: the item's base unit or one of its alternatives
  uom_id bigint not null references uom(id),
  -- sensitive (masterdata.supplier_item.price.read)
  price numeric(18, 6) not null check (price >= 0),
  currency char(3) not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
  min_qty numeric(18, 6) not null default 0 check (min_qty >= 0),
  lead_time_days int not null default 0 check (lead_time_days between 0 and 3650),
  valid_from date,
  valid_to date,
  preferred boolean not null default false,
  active boolean not null default true,
  notes text check (notes is null or length(notes) <= 1000),
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint supplier_item_validity check (valid_to is null or valid_from is null or valid_to >= valid_from),
  constraint supplier_item_preferred_active check (not preferred or active)
);
create index supplier_item_item on supplier_item (company_id, item_id);
create index supplier_item_partner on supplier_item (partner_id);
-- One preferred source per item: what purchasing and MRP propose first.
create unique index supplier_item_one_preferred on supplier_item (item_id) where preferred;

create trigger partner_refs before insert or update on partner
  for each row execute function partner_check_refs();

-- A supplier item: of a supplier and an item of its own company, in one of the item's units, and no
-- two active prices of one supplier for the same item, unit, currency and quantity break overlap in time.
create function supplier_item_check() returns trigger language plpgsql as $$
declare it record;
begin
  if not exists (select 1 from partner p where p.id = new.partner_id and p.company_id = new.company_id and p.is_supplier) then
    raise exception 'partner % is not a supplier of this company', new.partner_id
      using errcode = '23514', constraint = 'supplier_item_partner_supplier';
  end if;
  select i.company_id, i.base_uom_id into it from item i where i.id = new.item_id;
  if it.company_id is distinct from new.company_id then
    raise exception 'item % belongs to another company', new.item_id using errcode = '23514', constraint = 'supplier_item_item_company';
  end if;
  if new.uom_id <> it.base_uom_id and not exists (select 1 from item_uom iu where iu.item_id = new.item_id and iu.uom_id = new.uom_id) then
    raise exception 'unit % is not a unit of item %', new.uom_id, new.item_id
      using errcode = '23514', constraint = 'supplier_item_uom';
  end if;
  if new.active and exists (
    select 1 from supplier_item s
    where s.partner_id = new.partner_id and s.item_id = new.item_id and s.uom_id = new.uom_id
      and s.currency = new.currency and s.min_qty = new.min_qty and s.active and s.id <> new.id
      and daterange(s.valid_from, s.valid_to, '[]') && daterange(new.valid_from, new.valid_to, '[]')
  ) then
    raise exception 'supplier item overlaps another price of the same supplier, item, unit and quantity break'
      using errcode = '23514', constraint = 'supplier_item_no_overlap';
  end if;
  return new;
end $$;
create trigger supplier_item_check before insert or update on supplier_item
  for each row execute function supplier_item_check();

-- The unit a supplier price counts in cannot disappear from the item's units.
create function item_uom_supplier_guard() returns trigger language plpgsql as $$
begin
  if exists (select 1 from supplier_item s where s.item_id = old.item_id and s.uom_id = old.uom_id) then
    raise exception 'unit % is used by supplier prices of item %', old.uom_id, old.item_id
      using errcode = '23514', constraint = 'item_uom_in_use';
  end if;
  return old;
end $$;
create trigger item_uom_supplier_guard before delete on item_uom
  for each row execute function item_uom_supplier_guard();
