import type { SQL } from "drizzle-orm";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type ListParams, likePattern, listPage } from "../../platform/listing.ts";
import { warehouseCondition } from "../../platform/scope.ts";
import { D, type ValueSight, dec, fmt, idList, stripValues } from "./common.ts";

// Every read is scoped to the caller's company; costs and values only go to callers with
// inventory.value.read (`showValue`), the routes decide.

const itemCols = sql`i.code as "itemCode", i.name_zh as "itemNameZh", i.name_en as "itemNameEn", u.code as "uom"`;

export type StockGroup = "item" | "warehouse" | "location" | "lot";

export interface StockFilter extends ListParams {
  group?: StockGroup;
  itemId?: number;
  warehouseId?: number;
  locationId?: number;
  lotId?: number;
  showZero?: boolean;
  /** The reader's warehouse scope (platform/scope.ts warehouseFilter): null/absent = every warehouse. */
  scopeWarehouses?: readonly number[] | null;
}

/**
 * Stock overview: on hand, reserved, available and incoming (draft receipts, and transfers into the
 * place) per item, item × warehouse, item × location or item × location × lot.
 */
export async function stockOverview(db: Executor, companyId: number, f: StockFilter, sight: ValueSight) {
  const showValue = sight !== false;
  const group = f.group ?? "location";
  const where: SQL[] = [sql`true`];
  if (f.itemId) where.push(sql`f.item_id = ${f.itemId}`);
  if (f.locationId) where.push(sql`f.location_id = ${f.locationId}`);
  if (f.lotId) where.push(sql`f.lot_id = ${f.lotId}`);
  if (f.warehouseId) where.push(sql`loc.warehouse_id = ${f.warehouseId}`);
  if (f.scopeWarehouses) where.push(warehouseCondition(f.scopeWarehouses, sql`loc.warehouse_id`));
  if (f.q) {
    const p = likePattern(f.q);
    where.push(sql`(i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p} or i.barcode = ${f.q} or f.lot_no ilike ${p} or loc.code ilike ${p})`);
  }
  // Transfers do not bring stock into the company (item level) nor into a warehouse they stay in.
  if (group === "item") where.push(sql`f.src <> 'transfer'`);
  if (group === "warehouse") where.push(sql`not (f.src = 'transfer' and f.src_wh is not distinct from loc.warehouse_id)`);
  const keys: Record<StockGroup, SQL> = {
    item: sql`f.item_id`,
    warehouse: sql`f.item_id, loc.warehouse_id`,
    location: sql`f.item_id, loc.warehouse_id, f.location_id`,
    lot: sql`f.item_id, loc.warehouse_id, f.location_id, f.lot_id, f.lot_no`,
  };
  const extra: Record<StockGroup, SQL> = {
    item: sql`null::int8 as "warehouseId", null::text as "warehouseCode", null::int8 as "locationId", null::text as "locationCode",
      null::text as "locationNameZh", null::text as "locationNameEn", null::int8 as "lotId", null::text as "lotNo", null::text as "expiryDate"`,
    warehouse: sql`loc.warehouse_id as "warehouseId", min(w.code) as "warehouseCode", null::int8 as "locationId", null::text as "locationCode",
      null::text as "locationNameZh", null::text as "locationNameEn", null::int8 as "lotId", null::text as "lotNo", null::text as "expiryDate"`,
    location: sql`loc.warehouse_id as "warehouseId", min(w.code) as "warehouseCode", f.location_id as "locationId", min(loc.code) as "locationCode",
      min(loc.name_zh) as "locationNameZh", min(loc.name_en) as "locationNameEn", null::int8 as "lotId", null::text as "lotNo", null::text as "expiryDate"`,
    lot: sql`loc.warehouse_id as "warehouseId", min(w.code) as "warehouseCode", f.location_id as "locationId", min(loc.code) as "locationCode",
      min(loc.name_zh) as "locationNameZh", min(loc.name_en) as "locationNameEn", f.lot_id as "lotId", f.lot_no as "lotNo",
      min(to_char(lot.expiry_date, 'YYYY-MM-DD')) as "expiryDate"`,
  };
  // Value: exact per valuation area (warehouse); below it, on hand at the area's unit cost. An item's
  // value sums only the areas of the reader's warehouses whose values it may see; a row of another
  // warehouse shows its quantities without value.
  const areasInScope = sql`${warehouseCondition(f.scopeWarehouses, sql`v.warehouse_id`)} and ${seesValue(sight, sql`v.warehouse_id`)}`;
  const rowSeen = (x: SQL) => sql`case when ${seesValue(sight, sql`loc.warehouse_id`)} then ${x} end`;
  const value: Record<StockGroup, SQL> = {
    item: sql`(select sum(v.value) from stock_valuation v where v.item_id = f.item_id and ${areasInScope})`,
    warehouse: rowSeen(sql`min(v.value)`),
    location: rowSeen(sql`round(sum(f.on_hand) * min(v.unit_cost), 2)`),
    lot: rowSeen(sql`round(sum(f.on_hand) * min(v.unit_cost), 2)`),
  };
  const unitCost: Record<StockGroup, SQL> = {
    item: sql`(select case when sum(v.quantity) <> 0 then round(sum(v.value) / sum(v.quantity), 6) end from stock_valuation v
      where v.item_id = f.item_id and ${areasInScope})`,
    warehouse: rowSeen(sql`min(v.unit_cost)`),
    location: rowSeen(sql`min(v.unit_cost)`),
    lot: rowSeen(sql`min(v.unit_cost)`),
  };
  const inner = sql`(
    with facts as (
      select b.item_id, b.location_id, b.lot_id, lot.lot_no, b.on_hand, b.reserved, 0::numeric as incoming, null::int8 as src_wh, 'balance' as src
      from stock_balance b left join stock_lot lot on lot.id = b.lot_id
      where b.company_id = ${companyId} ${f.itemId ? sql`and b.item_id = ${f.itemId}` : sql``}
      union all
      select l.item_id, l.to_location_id, coalesce(l.lot_id, nl.id), coalesce(ll.lot_no, l.lot_no), 0, 0, l.quantity, fl.warehouse_id, d.doc_type
      from stock_document_line l join stock_document d on d.id = l.document_id
      join location fl on fl.id = l.from_location_id
      left join stock_lot ll on ll.id = l.lot_id
      left join stock_lot nl on l.lot_id is null and nl.item_id = l.item_id and nl.lot_no = l.lot_no
      where d.company_id = ${companyId} and d.state = 'draft' and d.doc_type in ('receipt', 'transfer')
        ${f.itemId ? sql`and l.item_id = ${f.itemId}` : sql``}
    )
    select f.item_id as "itemId", min(i.code) as "itemCode", min(i.name_zh) as "itemNameZh", min(i.name_en) as "itemNameEn", min(u.code) as uom,
      min(i.tracking) as tracking, ${extra[group]},
      sum(f.on_hand) as "onHand", sum(f.reserved) as reserved, sum(f.on_hand - f.reserved) as available, sum(f.incoming) as incoming,
      ${showValue ? sql`${unitCost[group]} as "unitCost", ${value[group]} as value` : sql`null as "unitCost", null as value`}
    from facts f
    join item i on i.id = f.item_id
    join uom u on u.id = i.base_uom_id
    join location loc on loc.id = f.location_id and stock_location_kind(loc.kind)
    left join warehouse w on w.id = loc.warehouse_id
    left join stock_lot lot on lot.id = f.lot_id
    left join stock_valuation v on v.item_id = f.item_id and v.warehouse_id is not distinct from loc.warehouse_id
    where ${sql.join(where, sql` and `)}
    group by ${keys[group]}
    ${f.showZero ? sql`` : sql`having sum(f.on_hand) <> 0 or sum(f.reserved) <> 0 or sum(f.incoming) <> 0`}
  ) s`;
  const page = await listPage<Record<string, unknown>>(db, {
    columns: sql`s.*`,
    from: inner,
    sortable: {
      itemCode: sql`s."itemCode"`,
      warehouseCode: sql`s."warehouseCode"`,
      locationCode: sql`s."locationCode"`,
      lotNo: sql`s."lotNo"`,
      expiryDate: sql`s."expiryDate"`,
      onHand: sql`s."onHand"`,
      available: sql`s.available`,
      reserved: sql`s.reserved`,
      incoming: sql`s.incoming`,
      ...(showValue ? { value: sql`s.value` } : {}),
    },
    defaultSort: group === "item" ? "itemCode" : group === "lot" ? "itemCode,locationCode,expiryDate" : "itemCode,warehouseCode,locationCode",
    params: f,
  });
  return { ...page, group, items: page.items.map((r) => stripValues(numbersAsText(r), showValue)) };
}

/** Numeric columns as decimal strings without trailing zeros, the same on both drivers. */
function numbersAsText<T extends Record<string, unknown>>(r: T): T {
  const out: Record<string, unknown> = { ...r };
  for (const k of ["onHand", "reserved", "available", "incoming", "quantity", "systemQty", "countedQty", "bookQty", "variance", "remaining", "reservedQty", "totalQty"]) {
    if (out[k] !== undefined && out[k] !== null) out[k] = fmt(String(out[k]));
  }
  for (const k of ["value", "totalValue", "varianceValue", "valueIn", "valueOut"]) {
    if (out[k] !== undefined && out[k] !== null) out[k] = dec(String(out[k])).toFixed(2);
  }
  if (out.unitCost !== undefined && out.unitCost !== null) out.unitCost = dec(String(out.unitCost)).toFixed(6);
  return out as T;
}

/**
 * The lines of `itemStock` as the database sends them: one array per field, in the lines' order. `lot` is
 * [lotId, lotNo, expiryDate] for a line with a lot, `reserved` is [reserved, available] for a line with
 * reserved stock (otherwise 0 reserved and available = on hand); `warehouses` maps ids to codes.
 */
interface ItemStockColumns {
  locationId: number[] | null;
  locationCode: string[];
  locationNameZh: string[];
  locationNameEn: string[];
  warehouseId: (number | null)[];
  onHand: string[];
  lot: ([number, string | null, string | null] | null)[];
  reserved: ([string, string] | null)[];
  warehouses: Record<string, string> | null;
}

/**
 * All stock of one item: each stock location and lot with its quantities, and (with the value permission)
 * its valuation per warehouse. One statement (one round trip, one connection): an index range of the balance
 * table, however long the ledger.
 *
 * With an item in a thousand locations, turning the lines into text is most of the work on both sides: a JSON
 * object per line (json_build_object looks up the output function of every argument on every call, and the
 * client then parses a thousand objects key by key) took three times as long as the index range itself. So the
 * lines come as one array per field (json_agg looks its type up once), zipped into objects here; a lot and
 * reserved stock, which most lines lack, come as one mostly-null array each, and warehouse codes as a map of
 * the company's warehouses instead of a join. All arrays are built in one aggregate pass over the sorted
 * subquery, so they share its order (nothing else happens at that query level that could reorder its rows).
 */
export async function itemStock(
  db: Executor,
  companyId: number,
  itemId: number,
  sight: ValueSight,
  /** The reader's warehouse scope (null = every warehouse): lines and valuations of the others are left out. */
  scopeWarehouses: readonly number[] | null = null,
) {
  const r = await one<{ item: unknown; valuations: unknown; lines: unknown }>(
    db,
    sql`select json_build_object('id', i.id, 'itemCode', i.code, 'itemNameZh', i.name_zh, 'itemNameEn', i.name_en, 'uom', u.code,
          'tracking', i.tracking, 'valuationMethod', i.valuation_method) as item,
        ${
          sight !== false
            ? sql`(select coalesce(json_agg(json_build_object('warehouseId', v.warehouse_id, 'warehouseCode', w.code, 'method', v.method,
                  'quantity', trim_scale(v.quantity)::text, 'value', v.value::text, 'unitCost', v.unit_cost::text) order by w.code), '[]'::json)
                from stock_valuation v left join warehouse w on w.id = v.warehouse_id
                where v.item_id = i.id and ${warehouseCondition(scopeWarehouses, sql`v.warehouse_id`)} and ${seesValue(sight, sql`v.warehouse_id`)})`
            : sql`'[]'::json`
        } as valuations,
        (select json_build_object('locationId', json_agg(s.location_id), 'locationCode', json_agg(s.code), 'locationNameZh', json_agg(s.name_zh),
            'locationNameEn', json_agg(s.name_en), 'warehouseId', json_agg(s.warehouse_id), 'onHand', json_agg(trim_scale(s.on_hand)::text),
            'lot', json_agg(case when s.lot_id is not null then json_build_array(s.lot_id, s.lot_no, to_char(s.expiry_date, 'YYYY-MM-DD')) end),
            'reserved', json_agg(case when s.reserved <> 0 then json_build_array(trim_scale(s.reserved)::text, trim_scale(s.available)::text) end),
            'warehouses', (select json_object_agg(w.id, w.code) from warehouse w where w.company_id = ${companyId}))
          from (select b.location_id, l.code, l.name_zh, l.name_en, l.warehouse_id, b.lot_id, lot.lot_no, lot.expiry_date, b.on_hand, b.reserved, b.available
            from stock_balance b join location l on l.id = b.location_id left join stock_lot lot on lot.id = b.lot_id
            where b.item_id = ${itemId} and b.company_id = ${companyId} and b.on_hand <> 0
              and ${warehouseCondition(scopeWarehouses, sql`l.warehouse_id`)}
            order by l.code, lot.expiry_date nulls last, lot.lot_no) s) as lines
      from item i join uom u on u.id = i.base_uom_id
      where i.id = ${itemId} and i.company_id = ${companyId}`,
  );
  if (!r) throw errors.notFound("item");
  const parse = <T>(v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as T;
  const c = parse<ItemStockColumns>(r.lines);
  const count = c.locationId?.length ?? 0;
  const warehouses = c.warehouses ?? {};
  const lines = new Array<Record<string, unknown>>(count);
  for (let k = 0; k < count; k++) {
    const warehouseId = c.warehouseId[k];
    const lot = c.lot[k];
    const reserved = c.reserved[k];
    lines[k] = {
      locationId: c.locationId![k],
      locationCode: c.locationCode[k],
      locationNameZh: c.locationNameZh[k],
      locationNameEn: c.locationNameEn[k],
      warehouseId,
      warehouseCode: warehouseId === null ? null : (warehouses[warehouseId] ?? null),
      lotId: lot ? lot[0] : null,
      lotNo: lot ? lot[1] : null,
      expiryDate: lot ? lot[2] : null,
      onHand: c.onHand[k],
      reserved: reserved ? reserved[0] : "0",
      available: reserved ? reserved[1] : c.onHand[k],
    };
  }
  return { item: parse<Record<string, unknown>>(r.item), lines, valuations: parse<Record<string, unknown>[]>(r.valuations) };
}

export interface MoveFilter extends ListParams {
  scopeWarehouses?: readonly number[] | null;
  itemId?: number;
  locationId?: number;
  warehouseId?: number;
  lotId?: number;
  docType?: string;
  moveType?: string;
  from?: string;
  to?: string;
}

/** The stock ledger, newest first by default. */
export async function listMoves(db: Executor, companyId: number, f: MoveFilter, sight: ValueSight) {
  const showValue = sight !== false;
  const valueSeen = sight === false ? sql`false` : moveInWarehouses(sight, sql`fl.warehouse_id`, sql`tl.warehouse_id`);
  const where: SQL[] = [sql`m.company_id = ${companyId}`];
  if (f.itemId) where.push(sql`m.item_id = ${f.itemId}`);
  if (f.locationId) where.push(sql`(m.from_location_id = ${f.locationId} or m.to_location_id = ${f.locationId})`);
  if (f.warehouseId) where.push(sql`(fl.warehouse_id = ${f.warehouseId} or tl.warehouse_id = ${f.warehouseId})`);
  if (f.scopeWarehouses) where.push(moveInWarehouses(f.scopeWarehouses, sql`fl.warehouse_id`, sql`tl.warehouse_id`));
  if (f.lotId) where.push(sql`m.lot_id = ${f.lotId}`);
  if (f.docType) where.push(sql`m.doc_type = ${f.docType}`);
  if (f.moveType) where.push(sql`m.move_type = ${f.moveType}`);
  if (f.from) where.push(sql`m.posting_date >= ${f.from}::date`);
  if (f.to) where.push(sql`m.posting_date <= ${f.to}::date`);
  if (f.q) {
    const p = likePattern(f.q);
    where.push(sql`(i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p} or lot.lot_no ilike ${p} or coalesce(d.number, c.number) ilike ${p}
      or m.production_ref ilike ${p})`);
  }
  const page = await listPage<Record<string, unknown>>(db, {
    columns: sql`m.id, m.item_id as "itemId", ${itemCols}, m.lot_id as "lotId", lot.lot_no as "lotNo", m.quantity::text as quantity,
      m.from_location_id as "fromLocationId", fl.code as "fromLocationCode", fl.kind as "fromKind",
      m.to_location_id as "toLocationId", tl.code as "toLocationCode", tl.kind as "toKind",
      m.move_type as "moveType", m.doc_type as "docType", m.doc_id as "docId", m.doc_line as "docLine",
      coalesce(d.number, c.number) as "docNumber", m.production_ref as "productionRef",
      m.unit_cost::text as "unitCost", m.value::text as value, m.reversal_of as "reversalOf", m.return_of as "returnOf",
      (select r.id from stock_move r where r.reversal_of = m.id) as "reversedBy",
      to_char(m.posting_date, 'YYYY-MM-DD') as "postingDate", m.posted_at as "postedAt",
      coalesce(pu.display_name, d.posted_by_name, c.approved_by_name) as "postedByName", ${valueSeen} as "valueSeen"`,
    from: sql`stock_move m join item i on i.id = m.item_id join uom u on u.id = i.base_uom_id
      join location fl on fl.id = m.from_location_id join location tl on tl.id = m.to_location_id
      left join stock_lot lot on lot.id = m.lot_id
      left join stock_document d on m.doc_type <> 'count' and d.id = m.doc_id
      left join stock_count c on m.doc_type = 'count' and c.id = m.doc_id
      left join app_user pu on pu.id = m.posted_by`,
    where: sql.join(where, sql` and `),
    // by the values the reader sees: hidden ones sort as empty, not by what they hide
    sortable: { id: sql`m.id`, postingDate: sql`m.posting_date`, itemCode: sql`i.code`, quantity: sql`m.quantity`, ...(showValue ? { value: sql`case when ${valueSeen} then m.value end` } : {}) },
    defaultSort: "-id",
    params: f,
  });
  return { ...page, items: page.items.map(valueRowsSeen) };
}

export interface DocFilter extends ListParams {
  scopeWarehouses?: readonly number[] | null;
  type?: "receipt" | "issue" | "transfer";
  state?: string;
  itemId?: number;
}

export async function listDocuments(db: Executor, companyId: number, f: DocFilter, sight: ValueSight) {
  const where: SQL[] = [sql`d.company_id = ${companyId}`];
  if (f.scopeWarehouses) where.push(documentInWarehouses(f.scopeWarehouses));
  if (f.type) where.push(sql`d.doc_type = ${f.type}`);
  if (f.state) where.push(sql`d.state = ${f.state}`);
  if (f.itemId) where.push(sql`exists (select 1 from stock_document_line x where x.document_id = d.id and x.item_id = ${f.itemId})`);
  if (f.q) {
    const p = likePattern(f.q);
    where.push(sql`(d.number ilike ${p} or d.reference ilike ${p} or p.name_zh ilike ${p} or p.name_en ilike ${p} or p.code ilike ${p}
      or exists (select 1 from stock_document_line x join item xi on xi.id = x.item_id where x.document_id = d.id and (xi.code ilike ${p} or xi.name_zh ilike ${p} or xi.name_en ilike ${p})))`);
  }
  const page = await listPage<Record<string, unknown>>(db, {
    columns: sql`d.id, d.doc_type as "docType", d.number, d.state, to_char(d.posting_date, 'YYYY-MM-DD') as "postingDate",
      d.partner_id as "partnerId", p.code as "partnerCode", p.name_zh as "partnerNameZh", p.name_en as "partnerNameEn", d.reference,
      d.production_ref as "productionRef", d.reversal_of as "reversalOf", d.reversed_by as "reversedBy",
      exists (select 1 from stock_document_line x where x.document_id = d.id and x.return_of_move_id is not null) as "hasReturns",
      (select count(*)::int8 from stock_document_line x where x.document_id = d.id) as "lineCount",
      (select sum(x.quantity)::text from stock_document_line x where x.document_id = d.id) as "totalQty",
      (select sum(m.value)::text from stock_move m where m.doc_type = d.doc_type and m.doc_id = d.id) as "totalValue",
      d.created_by_name as "createdByName", d.created_at as "createdAt", d.posted_by_name as "postedByName", d.posted_at as "postedAt", d.version,
      ${documentValueSeen(sight)} as "valueSeen"`,
    from: sql`stock_document d left join partner p on p.id = d.partner_id`,
    where: sql.join(where, sql` and `),
    sortable: { id: sql`d.id`, number: sql`d.number`, postingDate: sql`d.posting_date`, state: sql`d.state`, createdAt: sql`d.created_at` },
    defaultSort: "-id",
    params: f,
  });
  return { ...page, items: page.items.map(valueRowsSeen) };
}

/** A row with a `valueSeen` column: its values kept or stripped by it, the column dropped. */
function valueRowsSeen(r: Record<string, unknown>): Record<string, unknown> {
  const { valueSeen, ...rest } = r;
  return stripValues(numbersAsText(rest), valueSeen === true);
}

/** A document (alias `d`) whose values the reader may see: one of its places is in a warehouse of the sight. */
function documentValueSeen(sight: ValueSight): SQL {
  return sight === false ? sql`false` : sight === null ? sql`true` : documentInWarehouses(sight);
}

export async function getDocument(db: Executor, companyId: number, id: number, sight: ValueSight) {
  const d = await one<Record<string, unknown>>(
    db,
    sql`select d.id, d.doc_type as "docType", d.number, d.state, to_char(d.posting_date, 'YYYY-MM-DD') as "postingDate",
          d.partner_id as "partnerId", p.code as "partnerCode", p.name_zh as "partnerNameZh", p.name_en as "partnerNameEn",
          d.reference, d.order_ref_type as "orderRefType", d.order_ref_id as "orderRefId", d.production_ref as "productionRef",
          d.from_location_id as "fromLocationId", fl.code as "fromLocationCode", d.to_location_id as "toLocationId", tl.code as "toLocationCode",
          d.note, d.reversal_of as "reversalOf", ro.number as "reversalOfNumber", d.reversed_by as "reversedBy", rb.number as "reversedByNumber",
          d.reversal_reason as "reversalReason", d.created_by_name as "createdByName", d.created_at as "createdAt",
          d.posted_by_name as "postedByName", d.posted_at as "postedAt", d.version, d.updated_at as "updatedAt",
          ${documentValueSeen(sight)} as "valueSeen"
        from stock_document d left join partner p on p.id = d.partner_id
        left join location fl on fl.id = d.from_location_id left join location tl on tl.id = d.to_location_id
        left join stock_document ro on ro.id = d.reversal_of left join stock_document rb on rb.id = d.reversed_by
        where d.id = ${id} and d.company_id = ${companyId}`,
  );
  if (!d) throw errors.notFound("stock_document");
  const showValue = d.valueSeen === true;
  delete d.valueSeen;
  const lines = await rows<Record<string, unknown>>(
    db,
    sql`select l.id, l.line_no as "lineNo", l.item_id as "itemId", ${itemCols}, i.tracking, l.quantity::text as quantity,
          l.from_location_id as "fromLocationId", fl.code as "fromLocationCode", fl.kind as "fromKind",
          l.to_location_id as "toLocationId", tl.code as "toLocationCode", tl.kind as "toKind",
          l.lot_id as "lotId", coalesce(lot.lot_no, l.lot_no) as "lotNo", coalesce(to_char(l.expiry_date, 'YYYY-MM-DD'), to_char(lot.expiry_date, 'YYYY-MM-DD')) as "expiryDate",
          l.supplier_lot as "supplierLot", l.unit_cost::text as "unitCost", l.production_ref as "productionRef", l.note,
          l.return_of_move_id as "returnOfMoveId",
          m.id as "moveId", m.unit_cost::text as "moveUnitCost", m.value::text as "moveValue"
        from stock_document_line l join item i on i.id = l.item_id join uom u on u.id = i.base_uom_id
        join location fl on fl.id = l.from_location_id join location tl on tl.id = l.to_location_id
        left join stock_lot lot on lot.id = l.lot_id
        left join stock_move m on m.doc_type = ${d.docType as string} and m.doc_id = l.document_id and m.doc_line = l.line_no
        where l.document_id = ${id} order by l.line_no`,
  );
  const shown = lines.map((l) => {
    const r: Record<string, unknown> = numbersAsText({ ...l, value: l.moveValue ?? null });
    if (l.moveUnitCost !== null && l.moveUnitCost !== undefined) r.unitCost = dec(String(l.moveUnitCost)).toFixed(6);
    delete r.moveUnitCost;
    delete r.moveValue;
    return stripValues(r, showValue);
  });
  const total = showValue ? lines.reduce((s, l) => s.plus(l.moveValue ? String(l.moveValue) : 0), dec(0)).toFixed(2) : undefined;
  return { ...d, totalValue: total, lines: shown };
}

export interface CountFilter extends ListParams {
  scopeWarehouses?: readonly number[] | null;
  state?: string;
  warehouseId?: number;
}

export async function listCounts(db: Executor, companyId: number, f: CountFilter) {
  const where: SQL[] = [sql`c.company_id = ${companyId}`];
  if (f.state) where.push(sql`c.state = ${f.state}`);
  if (f.warehouseId) where.push(sql`c.warehouse_id = ${f.warehouseId}`);
  if (f.scopeWarehouses) where.push(warehouseCondition(f.scopeWarehouses, sql`c.warehouse_id`));
  if (f.q) where.push(sql`(c.number ilike ${likePattern(f.q)} or c.note ilike ${likePattern(f.q)})`);
  const page = await listPage<Record<string, unknown>>(db, {
    columns: sql`c.id, c.number, c.state, c.warehouse_id as "warehouseId", w.code as "warehouseCode", w.name_zh as "warehouseNameZh", w.name_en as "warehouseNameEn",
      c.blind, c.note, to_char(c.posting_date, 'YYYY-MM-DD') as "postingDate",
      (select count(*)::int8 from stock_count_location x where x.count_id = c.id) as "locationCount",
      (select count(*)::int8 from stock_count_line x where x.count_id = c.id) as "lineCount",
      (select count(*)::int8 from stock_count_line x where x.count_id = c.id and x.counted_qty is not null) as "countedCount",
      c.created_by_name as "createdByName", c.created_at as "createdAt", c.frozen_at as "frozenAt", c.submitted_by_name as "submittedByName",
      c.approved_by_name as "approvedByName", c.approved_at as "approvedAt", c.version`,
    from: sql`stock_count c join warehouse w on w.id = c.warehouse_id`,
    where: sql.join(where, sql` and `),
    sortable: { id: sql`c.id`, number: sql`c.number`, state: sql`c.state`, createdAt: sql`c.created_at` },
    defaultSort: "-id",
    params: f,
  });
  return page;
}

/**
 * A count with its lines. The expected quantity is hidden from counters of a blind count while counting
 * (who may approve sees it); `bookQty` is on hand now, what the adjustment will be computed against.
 */
export async function getCount(db: Executor, companyId: number, id: number, opts: { sight: ValueSight; canApprove: boolean }) {
  const c = await one<Record<string, unknown>>(
    db,
    sql`select c.id, c.number, c.state, c.warehouse_id as "warehouseId", w.code as "warehouseCode", w.name_zh as "warehouseNameZh", w.name_en as "warehouseNameEn",
          c.blind, c.note, c.review_note as "reviewNote", to_char(c.posting_date, 'YYYY-MM-DD') as "postingDate",
          c.created_by as "createdBy", c.created_by_name as "createdByName", c.created_at as "createdAt", c.frozen_at as "frozenAt",
          c.submitted_by as "submittedBy", c.submitted_by_name as "submittedByName", c.submitted_at as "submittedAt",
          c.approved_by as "approvedBy", c.approved_by_name as "approvedByName", c.approved_at as "approvedAt", c.version
        from stock_count c join warehouse w on w.id = c.warehouse_id where c.id = ${id} and c.company_id = ${companyId}`,
  );
  if (!c) throw errors.notFound("stock_count");
  const showValue = opts.sight === null || (opts.sight !== false && opts.sight.includes(Number(c.warehouseId)));
  const locations = await rows(
    db,
    sql`select l.id, l.code, l.name_zh as "nameZh", l.name_en as "nameEn", l.kind from stock_count_location x join location l on l.id = x.location_id
        where x.count_id = ${id} order by l.code`,
  );
  const items = await rows(
    db,
    sql`select i.id, ${itemCols} from stock_count_item x join item i on i.id = x.item_id join uom u on u.id = i.base_uom_id where x.count_id = ${id} order by i.code`,
  );
  const hideExpected = c.blind === true && c.state === "counting" && !opts.canApprove;
  const lines = await rows<Record<string, unknown>>(
    db,
    sql`select x.id, x.item_id as "itemId", ${itemCols}, i.tracking, i.barcode, x.location_id as "locationId", l.code as "locationCode",
          x.lot_id as "lotId", lot.lot_no as "lotNo", to_char(lot.expiry_date, 'YYYY-MM-DD') as "expiryDate",
          x.system_qty::text as "systemQty", x.counted_qty::text as "countedQty", x.counted_by_name as "countedByName", x.counted_at as "countedAt",
          (select m.quantity * case when m.to_location_id = x.location_id then 1 else -1 end from stock_move m where m.id = x.adjustment_move_id) as "postedVariance",
          (select m.value * case when m.to_location_id = x.location_id then 1 else -1 end from stock_move m where m.id = x.adjustment_move_id) as "postedValue",
          coalesce(b.on_hand, 0)::text as "bookQty", v.unit_cost::text as "unitCost", x.adjustment_move_id as "adjustmentMoveId"
        from stock_count_line x join item i on i.id = x.item_id join uom u on u.id = i.base_uom_id join location l on l.id = x.location_id
        left join stock_lot lot on lot.id = x.lot_id
        left join stock_balance b on b.item_id = x.item_id and b.location_id = x.location_id and b.lot_id is not distinct from x.lot_id
        left join stock_valuation v on v.item_id = x.item_id and v.warehouse_id = l.warehouse_id
        where x.count_id = ${id} order by l.code, i.code, lot.lot_no nulls first`,
  );
  let varianceValue = dec(0);
  const shown = lines.map((l) => {
    // After posting, stock has moved on: the variance and its value are what was posted, and the book
    // quantity is the one the adjustment was computed against.
    const posted = c.state === "posted";
    const variance = posted
      ? dec(l.postedVariance ? String(l.postedVariance) : 0)
      : l.countedQty === null
        ? null
        : dec(String(l.countedQty)).minus(String(l.bookQty));
    const vv = posted
      ? dec(l.postedValue ? String(l.postedValue) : 0)
      : variance !== null && l.unitCost
        ? variance.times(String(l.unitCost)).toDecimalPlaces(2, D.ROUND_HALF_UP)
        : null;
    if (vv) varianceValue = varianceValue.plus(vv);
    const bookQty = posted && variance !== null ? dec(String(l.countedQty ?? 0)).minus(variance).toFixed() : l.bookQty;
    const r: Record<string, unknown> = numbersAsText({ ...l, bookQty, variance: variance?.toFixed() ?? null, varianceValue: vv?.toFixed(2) ?? null });
    delete r.postedVariance;
    delete r.postedValue;
    if (hideExpected) {
      r.systemQty = null;
      r.bookQty = null;
      r.variance = null;
      r.varianceValue = null;
    }
    return stripValues(r, showValue);
  });
  return {
    ...c,
    expectedHidden: hideExpected,
    locations,
    items,
    lines: shown,
    ...(showValue && !hideExpected ? { varianceValue: varianceValue.toFixed(2) } : {}),
  };
}

export interface ReservationFilter extends ListParams {
  scopeWarehouses?: readonly number[] | null;
  state?: "open" | "closed";
  itemId?: number;
  refType?: string;
  refId?: string;
}

export async function listReservations(db: Executor, companyId: number, f: ReservationFilter) {
  const where: SQL[] = [sql`r.company_id = ${companyId}`];
  // Reserved stock is stock: shown where the stock overview shows it (not in transit, for a limited scope).
  if (f.scopeWarehouses) where.push(warehouseCondition(f.scopeWarehouses, sql`l.warehouse_id`));
  if (f.state) where.push(sql`r.state = ${f.state}`);
  if (f.itemId) where.push(sql`r.item_id = ${f.itemId}`);
  if (f.refType) where.push(sql`r.ref_type = ${f.refType}`);
  if (f.refId) where.push(sql`r.ref_id = ${f.refId}`);
  if (f.q) {
    const p = likePattern(f.q);
    where.push(sql`(i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p} or r.ref_id ilike ${p} or l.code ilike ${p})`);
  }
  const page = await listPage<Record<string, unknown>>(db, {
    columns: sql`r.id, r.item_id as "itemId", ${itemCols}, r.location_id as "locationId", l.code as "locationCode", r.lot_id as "lotId", lot.lot_no as "lotNo",
      r.ref_type as "refType", r.ref_id as "refId", r.quantity::text as quantity, r.reserved_qty::text as "reservedQty", r.state, r.note,
      r.created_by_name as "createdByName", r.created_at as "createdAt", r.version`,
    from: sql`stock_reservation r join item i on i.id = r.item_id join uom u on u.id = i.base_uom_id join location l on l.id = r.location_id
      left join stock_lot lot on lot.id = r.lot_id`,
    where: sql.join(where, sql` and `),
    sortable: { id: sql`r.id`, itemCode: sql`i.code`, refId: sql`r.ref_id`, createdAt: sql`r.created_at`, quantity: sql`r.quantity` },
    defaultSort: "-id",
    params: f,
  });
  return { ...page, items: page.items.map((r) => numbersAsText(r)) };
}

export async function listLots(db: Executor, companyId: number, f: ListParams & { itemId?: number; scopeWarehouses?: readonly number[] | null }) {
  const where: SQL[] = [sql`lot.company_id = ${companyId}`];
  // A lot shows to whoever's warehouses it passed through; its stock column counts only theirs.
  if (f.scopeWarehouses) where.push(lotInWarehouses(f.scopeWarehouses));
  if (f.itemId) where.push(sql`lot.item_id = ${f.itemId}`);
  if (f.q) {
    const p = likePattern(f.q);
    where.push(sql`(lot.lot_no ilike ${p} or lot.supplier_lot ilike ${p} or i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p})`);
  }
  const page = await listPage<Record<string, unknown>>(db, {
    columns: sql`lot.id, lot.lot_no as "lotNo", lot.item_id as "itemId", ${itemCols}, to_char(lot.expiry_date, 'YYYY-MM-DD') as "expiryDate",
      lot.supplier_lot as "supplierLot", p.code as "supplierCode", p.name_zh as "supplierNameZh", p.name_en as "supplierNameEn", lot.created_at as "createdAt",
      (select coalesce(sum(b.on_hand), 0)::text from stock_balance b join location bl on bl.id = b.location_id
        where b.lot_id = lot.id and stock_location_kind(bl.kind) and ${warehouseCondition(f.scopeWarehouses, sql`bl.warehouse_id`)}) as "onHand"`,
    from: sql`stock_lot lot join item i on i.id = lot.item_id join uom u on u.id = i.base_uom_id left join partner p on p.id = lot.supplier_id`,
    where: sql.join(where, sql` and `),
    sortable: { lotNo: sql`lot.lot_no`, itemCode: sql`i.code`, expiryDate: sql`lot.expiry_date`, createdAt: sql`lot.created_at` },
    defaultSort: "-createdAt",
    params: f,
  });
  return { ...page, items: page.items.map((r) => numbersAsText(r)) };
}

/**
 * Lots to take for an issue, FEFO: earliest expiry first (lots without expiry last), then the oldest
 * receipt; expired lots are listed apart and not proposed. Available = on hand − reserved.
 */
export async function suggestLots(
  db: Executor,
  companyId: number,
  q: { itemId: number; quantity?: string; locationId?: number; warehouseId?: number },
  /** The reader's warehouse scope (null = every warehouse). */
  scopeWarehouses: readonly number[] | null = null,
) {
  const candidates = await rows<{ lotId: number | null; lotNo: string | null; expiryDate: string | null; receivedAt: string | null; locationId: number; locationCode: string; available: string; expired: boolean }>(
    db,
    sql`select b.lot_id as "lotId", lot.lot_no as "lotNo", to_char(lot.expiry_date, 'YYYY-MM-DD') as "expiryDate",
          (select min(m.posted_at) from stock_move m where m.lot_id = b.lot_id and m.reversal_of is null) as "receivedAt",
          b.location_id as "locationId", l.code as "locationCode", b.available::text as available,
          coalesce(lot.expiry_date < (now() at time zone coalesce(co.timezone, 'Asia/Shanghai'))::date, false) as expired
        from stock_balance b join location l on l.id = b.location_id join company co on co.id = b.company_id
        left join stock_lot lot on lot.id = b.lot_id
        where b.company_id = ${companyId} and b.item_id = ${q.itemId} and b.available > 0 and l.active and l.kind in ('internal', 'receiving')
          ${q.locationId ? sql`and b.location_id = ${q.locationId}` : sql``}
          ${q.warehouseId ? sql`and l.warehouse_id = ${q.warehouseId}` : sql``}
          and ${warehouseCondition(scopeWarehouses, sql`l.warehouse_id`)}
        order by lot.expiry_date asc nulls last, "receivedAt" asc nulls last, lot.id, l.code`,
  );
  let need = q.quantity ? dec(q.quantity) : null;
  const suggestions: Record<string, unknown>[] = [];
  const expired: Record<string, unknown>[] = [];
  for (const c of candidates) {
    const available = dec(c.available);
    if (c.expired) {
      expired.push({ ...c, available: fmt(available) });
      continue;
    }
    const take = need === null ? available : D.min(available, need);
    if (take.lte(0)) continue;
    suggestions.push({ ...c, available: fmt(available), take: fmt(take) });
    if (need !== null) need = need.minus(take);
  }
  return { itemId: q.itemId, requested: q.quantity ?? null, shortfall: need?.gt(0) ? fmt(need) : "0", suggestions, expired };
}

interface TraceMove {
  id: number;
  moveType: string;
  quantity: string;
  fromLocationCode: string;
  fromKind: string;
  toLocationCode: string;
  toKind: string;
  docType: string;
  docId: number;
  docNumber: string | null;
  postingDate: string;
  productionRef: string | null;
  reversalOf: number | null;
  reversedBy: number | null;
}

export interface TraceNode {
  lotId: number;
  lotNo: string;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  expiryDate: string | null;
  supplierLot: string | null;
  supplierName: string | null;
  onHand: { locationCode: string; quantity: string }[];
  moves: TraceMove[];
  /** Forward: what this lot went into; backward: what it was made from. Grouped by production reference. */
  links: { productionRef: string; lots: TraceNode[] }[];
  /** Already shown higher up in the tree (a cycle or a shared lot). */
  repeated?: boolean;
}

/**
 * Lot trace (both ways). Forward: the lot's moves and locations, and for each production reference it
 * was consumed by, the lots produced under it, recursively. Backward: for each production reference the
 * lot was produced under, the lots consumed by it, recursively, down to supplier receipts.
 * With a warehouse scope, moves and stock elsewhere are left out, so the trace stops where the lot leaves
 * the reader's warehouses; a lot that never was in them is unknown (404).
 */
export async function traceLot(
  db: Executor,
  companyId: number,
  lotId: number,
  direction: "forward" | "backward",
  maxDepth = 8,
  scopeWarehouses: readonly number[] | null = null,
): Promise<TraceNode> {
  // Breadth first, one level at a time: three queries per level whatever the number of lots in it.
  type Loaded = Omit<TraceNode, "links"> & { linkIds: { productionRef: string; lots: number[] }[] };
  const loaded = new Map<number, Loaded>();
  const type = direction === "forward" ? "production_consumption" : "production_output";
  const other = direction === "forward" ? "production_output" : "production_consumption";
  let level = [lotId];
  for (let depth = 0; depth <= maxDepth && level.length > 0 && loaded.size < 2000; depth++) {
    const ids = idList(level);
    const lots = await rows<Omit<TraceNode, "moves" | "links" | "onHand">>(
      db,
      sql`select lot.id as "lotId", lot.lot_no as "lotNo", lot.item_id as "itemId", ${itemCols}, to_char(lot.expiry_date, 'YYYY-MM-DD') as "expiryDate",
            lot.supplier_lot as "supplierLot", p.name_zh || ' / ' || p.name_en as "supplierName"
          from stock_lot lot join item i on i.id = lot.item_id join uom u on u.id = i.base_uom_id left join partner p on p.id = lot.supplier_id
          where lot.id in ${ids} and lot.company_id = ${companyId} ${scopeWarehouses ? sql`and ${lotInWarehouses(scopeWarehouses)}` : sql``}`,
    );
    if (depth === 0 && lots.length === 0) throw errors.notFound("stock_lot");
    const moves = await rows<TraceMove & { lotId: number }>(
      db,
      sql`select m.lot_id as "lotId", m.id, m.move_type as "moveType", m.quantity::text as quantity, fl.code as "fromLocationCode", fl.kind as "fromKind",
            tl.code as "toLocationCode", tl.kind as "toKind", m.doc_type as "docType", m.doc_id as "docId", coalesce(d.number, c.number) as "docNumber",
            to_char(m.posting_date, 'YYYY-MM-DD') as "postingDate", m.production_ref as "productionRef", m.reversal_of as "reversalOf",
            (select r.id from stock_move r where r.reversal_of = m.id) as "reversedBy"
          from stock_move m join location fl on fl.id = m.from_location_id join location tl on tl.id = m.to_location_id
          left join stock_document d on m.doc_type <> 'count' and d.id = m.doc_id
          left join stock_count c on m.doc_type = 'count' and c.id = m.doc_id
          where m.lot_id in ${ids} and ${moveInWarehouses(scopeWarehouses, sql`fl.warehouse_id`, sql`tl.warehouse_id`)} order by m.id`,
    );
    const onHand = await rows<{ lotId: number; locationCode: string; quantity: string }>(
      db,
      sql`select b.lot_id as "lotId", l.code as "locationCode", b.on_hand::text as quantity from stock_balance b join location l on l.id = b.location_id
          where b.lot_id in ${ids} and b.on_hand <> 0 and stock_location_kind(l.kind) and ${warehouseCondition(scopeWarehouses, sql`l.warehouse_id`)}
          order by l.code`,
    );
    // Production references the lots went into (forward) or came out of (backward); reversed moves do not count.
    const refsOf = new Map<number, string[]>();
    for (const m of moves) {
      if (m.moveType !== type || m.reversalOf !== null || m.reversedBy !== null || !m.productionRef) continue;
      const list = refsOf.get(m.lotId) ?? [];
      if (!list.includes(m.productionRef)) list.push(m.productionRef);
      refsOf.set(m.lotId, list);
    }
    const refs = [...new Set([...refsOf.values()].flat())];
    const related = refs.length
      ? await rows<{ productionRef: string; lotId: number }>(
          db,
          sql`select distinct m.production_ref as "productionRef", m.lot_id as "lotId" from stock_move m
              join location fl on fl.id = m.from_location_id join location tl on tl.id = m.to_location_id
              where m.company_id = ${companyId} and m.production_ref in (select jsonb_array_elements_text(${JSON.stringify(refs)}::jsonb))
                and m.move_type = ${other} and m.lot_id is not null and ${moveInWarehouses(scopeWarehouses, sql`fl.warehouse_id`, sql`tl.warehouse_id`)}
                and m.reversal_of is null and not exists (select 1 from stock_move r where r.reversal_of = m.id)
              order by 1, 2`,
        )
      : [];
    const next = new Set<number>();
    for (const lot of lots) {
      const linkIds = (refsOf.get(lot.lotId) ?? []).map((ref) => ({ productionRef: ref, lots: related.filter((r) => r.productionRef === ref).map((r) => r.lotId) }));
      loaded.set(lot.lotId, {
        ...lot,
        moves: moves.filter((m) => m.lotId === lot.lotId).map(({ lotId: _, ...m }) => ({ ...m, quantity: fmt(m.quantity) })),
        onHand: onHand.filter((o) => o.lotId === lot.lotId).map((o) => ({ locationCode: o.locationCode, quantity: fmt(o.quantity) })),
        linkIds,
      });
      for (const l of linkIds) for (const id of l.lots) if (!loaded.has(id)) next.add(id);
    }
    level = [...next];
  }
  // A lot reached twice (shared by two orders, or a cycle) is shown in full once and marked after that.
  const shown = new Set<number>();
  const build = (id: number): TraceNode => {
    const n = loaded.get(id)!;
    const { linkIds, ...rest } = n;
    if (shown.has(id)) return { ...rest, moves: [], onHand: [], links: [], repeated: true };
    shown.add(id);
    return { ...rest, links: linkIds.map((l) => ({ productionRef: l.productionRef, lots: l.lots.filter((x) => loaded.has(x)).map(build) })) };
  };
  return build(lotId);
}

export interface ValuationFilter extends ListParams {
  scopeWarehouses?: readonly number[] | null;
  asOf: string;
  group?: "item" | "warehouse" | "item_warehouse";
  warehouseId?: number;
}

/** Inventory value as of the end of a day: Σ valuation entries posted up to it, per item and/or warehouse. */
export async function valuationAsOf(db: Executor, companyId: number, f: ValuationFilter) {
  const group = f.group ?? "item_warehouse";
  const where: SQL[] = [sql`e.company_id = ${companyId}`, sql`e.posting_date <= ${f.asOf}::date`];
  if (f.warehouseId) where.push(sql`e.warehouse_id = ${f.warehouseId}`);
  if (f.scopeWarehouses) where.push(warehouseCondition(f.scopeWarehouses, sql`e.warehouse_id`));
  if (f.q) {
    const p = likePattern(f.q);
    where.push(sql`(i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p})`);
  }
  const keys = { item: sql`e.item_id`, warehouse: sql`e.warehouse_id`, item_warehouse: sql`e.item_id, e.warehouse_id` }[group];
  const itemPart = group === "warehouse" ? sql`null::int8 as "itemId", null::text as "itemCode", null::text as "itemNameZh", null::text as "itemNameEn", null::text as uom` : sql`e.item_id as "itemId", min(i.code) as "itemCode", min(i.name_zh) as "itemNameZh", min(i.name_en) as "itemNameEn", min(u.code) as uom`;
  const whPart = group === "item" ? sql`null::int8 as "warehouseId", null::text as "warehouseCode", null::text as "warehouseNameZh", null::text as "warehouseNameEn"` : sql`e.warehouse_id as "warehouseId", min(w.code) as "warehouseCode", min(w.name_zh) as "warehouseNameZh", min(w.name_en) as "warehouseNameEn"`;
  const inner = sql`(select ${itemPart}, ${whPart}, sum(e.quantity) as quantity, sum(e.value) as value,
      case when sum(e.quantity) <> 0 then round(sum(e.value) / sum(e.quantity), 6) end as "unitCost"
    from stock_valuation_entry e join item i on i.id = e.item_id join uom u on u.id = i.base_uom_id left join warehouse w on w.id = e.warehouse_id
    where ${sql.join(where, sql` and `)}
    group by ${keys}
    having sum(e.quantity) <> 0 or sum(e.value) <> 0) s`;
  const page = await listPage<Record<string, unknown>>(db, {
    columns: sql`s.*`,
    from: inner,
    sortable: { itemCode: sql`s."itemCode"`, warehouseCode: sql`s."warehouseCode"`, quantity: sql`s.quantity`, value: sql`s.value` },
    defaultSort: group === "warehouse" ? "warehouseCode" : "itemCode,warehouseCode",
    params: f,
  });
  const total = await one<{ value: string | null }>(
    db,
    sql`select sum(e.value)::text as value from stock_valuation_entry e join item i on i.id = e.item_id where ${sql.join(where, sql` and `)}`,
  );
  return { ...page, asOf: f.asOf, group, totalValue: dec(total?.value ?? 0).toFixed(2), items: page.items.map((r) => numbersAsText(r)) };
}

// Pickers of the inventory screens (master data is maintained in the catalog; these only read it).

export async function lookupItems(db: Executor, companyId: number, q: string | undefined, limit = 20) {
  const p = q ? likePattern(q) : null;
  return rows(
    db,
    sql`select i.id, ${itemCols}, i.tracking, i.barcode, i.status, i.item_type as "itemType", i.shelf_life_days as "shelfLifeDays"
        from item i join uom u on u.id = i.base_uom_id
        where i.company_id = ${companyId} and i.item_type <> 'service' and i.status <> 'blocked'
          ${p ? sql`and (i.code ilike ${p} or i.name_zh ilike ${p} or i.name_en ilike ${p} or i.barcode = ${q})` : sql``}
        order by (i.barcode = ${q ?? ""} or i.code = ${q ?? ""}) desc, i.code limit ${limit}`,
  );
}

/** Locations to pick: those outside any warehouse (suppliers, customers…) and those of the reader's warehouses. */
export async function lookupLocations(db: Executor, companyId: number, q: { kinds?: string[]; warehouseId?: number; q?: string; scopeWarehouses?: readonly number[] | null }) {
  const p = q.q ? likePattern(q.q) : null;
  return rows(
    db,
    sql`select l.id, l.code, l.name_zh as "nameZh", l.name_en as "nameEn", l.kind, l.warehouse_id as "warehouseId", w.code as "warehouseCode",
          w.name_zh as "warehouseNameZh", w.name_en as "warehouseNameEn", l.is_default as "isDefault"
        from location l left join warehouse w on w.id = l.warehouse_id
        where l.company_id = ${companyId} and l.active
          ${q.kinds?.length ? sql`and l.kind in (select jsonb_array_elements_text(${JSON.stringify(q.kinds)}::jsonb))` : sql``}
          ${q.warehouseId ? sql`and l.warehouse_id = ${q.warehouseId}` : sql``}
          ${q.scopeWarehouses ? sql`and (l.warehouse_id is null or ${warehouseCondition(q.scopeWarehouses, sql`l.warehouse_id`)})` : sql``}
          ${p ? sql`and (l.code ilike ${p} or l.name_zh ilike ${p} or l.name_en ilike ${p})` : sql``}
        order by w.code nulls first, l.code limit 500`,
  );
}

export async function lookupWarehouses(db: Executor, companyId: number, scopeWarehouses: readonly number[] | null = null) {
  return rows(
    db,
    sql`select id, code, name_zh as "nameZh", name_en as "nameEn" from warehouse
        where company_id = ${companyId} and active and ${warehouseCondition(scopeWarehouses, sql`id`)} order by code`,
  );
}

export async function lookupPartners(db: Executor, companyId: number, role: "supplier" | "customer" | undefined, q: string | undefined) {
  const p = q ? likePattern(q) : null;
  return rows(
    db,
    sql`select id, code, name_zh as "nameZh", name_en as "nameEn", is_supplier as "isSupplier", is_customer as "isCustomer"
        from partner where company_id = ${companyId} and status = 'active'
          ${role === "supplier" ? sql`and is_supplier` : role === "customer" ? sql`and is_customer` : sql``}
          ${p ? sql`and (code ilike ${p} or name_zh ilike ${p} or name_en ilike ${p} or short_name ilike ${p})` : sql``}
        order by code limit 50`,
  );
}

/** What a scanned code is: an item (by barcode or code) or a lot (by lot number), for count entry and issues. */
export async function scan(db: Executor, companyId: number, code: string) {
  const items = await rows<Record<string, unknown>>(
    db,
    sql`select i.id as "itemId", ${itemCols}, i.tracking from item i join uom u on u.id = i.base_uom_id
        where i.company_id = ${companyId} and (i.barcode = ${code} or i.code = ${code}) order by (i.barcode = ${code}) desc limit 1`,
  );
  if (items.length) return { kind: "item", ...items[0], lotId: null, lotNo: null };
  const lots = await rows<Record<string, unknown>>(
    db,
    sql`select lot.item_id as "itemId", ${itemCols}, i.tracking, lot.id as "lotId", lot.lot_no as "lotNo"
        from stock_lot lot join item i on i.id = lot.item_id join uom u on u.id = i.base_uom_id
        where lot.company_id = ${companyId} and lot.lot_no = ${code} order by lot.id limit 2`,
  );
  if (lots.length === 1) return { kind: "lot", ...lots[0] };
  if (lots.length > 1) throw errors.field("/querystring/code", "ambiguous", "inventory.error.scan_ambiguous", { code });
  throw errors.field("/querystring/code", "exists", "inventory.error.scan_unknown", { code });
}

/** A move touches one of `warehouses` at either end (a transfer shows to both); null = every warehouse. */
/** A warehouse column's value shows to a reader with this sight (SQL `true` where it sees every warehouse). */
function seesValue(sight: ValueSight, warehouse: SQL): SQL {
  return sight === false ? sql`false` : warehouseCondition(sight, warehouse);
}

function moveInWarehouses(warehouses: readonly number[] | null, fromWarehouse: SQL, toWarehouse: SQL): SQL {
  return sql`(${warehouseCondition(warehouses, fromWarehouse)} or ${warehouseCondition(warehouses, toWarehouse)})`;
}

/**
 * A lot (alias `lot`) has moved into or out of one of `warehouses`. Its stock there can only have come by
 * such a move, so this also covers stock; a lot that has left keeps showing to those who handled it.
 */
function lotInWarehouses(warehouses: readonly number[]): SQL {
  return sql`exists (select 1 from stock_move lm join location lf on lf.id = lm.from_location_id join location lt on lt.id = lm.to_location_id
    where lm.lot_id = lot.id and ${moveInWarehouses(warehouses, sql`lf.warehouse_id`, sql`lt.warehouse_id`)})`;
}

/**
 * A stock document (alias `d`) touches one of `warehouses`: its header's or any line's source or
 * destination location lies there (a transfer shows to both ends).
 */
export function documentInWarehouses(warehouses: readonly number[]): SQL {
  const inScope = warehouseCondition(warehouses, sql`sl.warehouse_id`);
  return sql`(exists (select 1 from location sl where sl.id in (d.from_location_id, d.to_location_id) and ${inScope})
    or exists (select 1 from stock_document_line sx join location sl on sl.id in (sx.from_location_id, sx.to_location_id)
               where sx.document_id = d.id and ${inScope}))`;
}

/** 404 for a document outside the reader's warehouses (null = every warehouse: nothing to check). */
export async function assertDocumentInScope(db: Executor, id: number, warehouses: readonly number[] | null): Promise<void> {
  if (!warehouses) return;
  if (!(await one(db, sql`select 1 from stock_document d where d.id = ${id} and ${documentInWarehouses(warehouses)}`))) throw errors.notFound("stock_document");
}

/** 404 for a count of a warehouse outside the reader's warehouses. */
export async function assertCountInScope(db: Executor, id: number, warehouses: readonly number[] | null): Promise<void> {
  if (!warehouses) return;
  if (!(await one(db, sql`select 1 from stock_count c where c.id = ${id} and ${warehouseCondition(warehouses, sql`c.warehouse_id`)}`))) {
    throw errors.notFound("stock_count");
  }
}
