import { type Executor, rows, sql } from "../../platform/db/database.ts";

export interface InventoryCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * The balances derived from the ledgers agree with them: on hand = Σ moves in − Σ moves out per item,
 * stock location and lot; reserved = Σ open reservations; each valuation state = Σ of its entries and
 * its quantity = the on hand of its warehouse. Names the first few rows that disagree.
 */
export async function inventoryChecks(db: Executor): Promise<InventoryCheck[]> {
  const balance = await rows<{ itemId: number; locationId: number; lotId: number | null; onHand: string; ledger: string }>(
    db,
    sql`with ledger as (
          select item_id, location_id, lot_id, sum(q) as q from (
            select m.item_id, m.to_location_id as location_id, m.lot_id, m.quantity as q from stock_move m
            union all
            select m.item_id, m.from_location_id, m.lot_id, -m.quantity from stock_move m
          ) x join location l on l.id = x.location_id
          where stock_location_kind(l.kind)
          group by item_id, location_id, lot_id)
        select coalesce(b.item_id, g.item_id) as "itemId", coalesce(b.location_id, g.location_id) as "locationId",
          coalesce(b.lot_id, g.lot_id) as "lotId", coalesce(b.on_hand, 0)::text as "onHand", coalesce(g.q, 0)::text as ledger
        from stock_balance b
        full join ledger g on g.item_id = b.item_id and g.location_id = b.location_id and g.lot_id is not distinct from b.lot_id
        where coalesce(b.on_hand, 0) <> coalesce(g.q, 0)
        order by 1, 2, 3 limit 5`,
  );
  const total = await rows<{ n: number }>(db, sql`select count(*)::int8 as n from stock_balance`);
  const reserved = await rows<{ itemId: number; locationId: number; lotId: number | null; reserved: string; open: string }>(
    db,
    sql`with open as (select item_id, location_id, lot_id, sum(quantity) as q from stock_reservation where state = 'open' group by 1, 2, 3)
        select coalesce(b.item_id, o.item_id) as "itemId", coalesce(b.location_id, o.location_id) as "locationId",
          coalesce(b.lot_id, o.lot_id) as "lotId", coalesce(b.reserved, 0)::text as reserved, coalesce(o.q, 0)::text as open
        from stock_balance b full join open o on o.item_id = b.item_id and o.location_id = b.location_id and o.lot_id is not distinct from b.lot_id
        where coalesce(b.reserved, 0) <> coalesce(o.q, 0)
        order by 1, 2, 3 limit 5`,
  );
  const valuation = await rows<{ key: string; problem: string }>(
    db,
    sql`with e as (select valuation_id, sum(quantity) as q, sum(value) as v from stock_valuation_entry group by 1),
        b as (select b.item_id, l.warehouse_id, sum(b.on_hand) as q from stock_balance b join location l on l.id = b.location_id
              where stock_location_kind(l.kind) group by 1, 2)
        select v.valuation_key as key,
          case when v.quantity <> coalesce(e.q, 0) or v.value <> coalesce(e.v, 0) then 'state ' || v.quantity || ' / ' || v.value || ' but entries ' || coalesce(e.q, 0) || ' / ' || coalesce(e.v, 0)
               when (v.state->>'qty')::numeric <> v.quantity or (v.state->>'value')::numeric <> v.value then 'stored state differs from its columns'
               else 'quantity ' || v.quantity || ' but on hand in the warehouse ' || coalesce(b.q, 0) end as problem
        from stock_valuation v left join e on e.valuation_id = v.id
        left join b on b.item_id = v.item_id and b.warehouse_id is not distinct from v.warehouse_id
        where v.quantity <> coalesce(e.q, 0) or v.value <> coalesce(e.v, 0)
           or (v.state->>'qty')::numeric <> v.quantity or (v.state->>'value')::numeric <> v.value
           or v.quantity <> coalesce(b.q, 0)
        order by v.id limit 5`,
  );
  const show = (r: { itemId: number; locationId: number; lotId: number | null }) => `item ${r.itemId} location ${r.locationId}${r.lotId ? ` lot ${r.lotId}` : ""}`;
  return [
    {
      name: "stock balances = Σ stock moves",
      ok: balance.length === 0,
      detail:
        balance.length === 0
          ? `${total[0]?.n ?? 0} balances agree with the ledger`
          : balance.map((r) => `${show(r)}: balance ${r.onHand}, ledger ${r.ledger}`).join("; "),
    },
    {
      name: "reserved stock = Σ open reservations",
      ok: reserved.length === 0,
      detail: reserved.length === 0 ? "reservations agree" : reserved.map((r) => `${show(r)}: reserved ${r.reserved}, open reservations ${r.open}`).join("; "),
    },
    {
      name: "stock valuation = Σ valuation entries",
      ok: valuation.length === 0,
      detail: valuation.length === 0 ? "valuation states agree with their entries and the balances" : valuation.map((r) => `${r.key}: ${r.problem}`).join("; "),
    },
  ];
}
