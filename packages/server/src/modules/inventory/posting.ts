import type { SQL } from "drizzle-orm";
import {
  CostingError,
  LayerConsumedError,
  NegativeStockError,
  NoKnownCostError,
  type StockMove,
  type ValuationEntry,
  type ValuationState,
  createValuationState,
  valueMove,
} from "@kaiwu/costing";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { AppError, type FieldError, errors } from "../../platform/errors.ts";
import type { CommandContext } from "../../platform/pipeline.ts";
import { D, type ItemRow, type LocationRow, MasterData, actorRef, dec, fmt, idList, isStockKind } from "./common.ts";
import type { MoveType } from "./schema.ts";

/** One move to post: goods of one item (and lot) from one location to another. */
export interface MoveSpec {
  itemId: number;
  lotId: number | null;
  /** Positive, in the item's base unit. */
  qty: string;
  fromLocationId: number;
  toLocationId: number;
  moveType: MoveType;
  docLine: number;
  productionRef: string | null;
  /** Inbound goods from outside (supplier, production, adjustment): cost per base unit; null = the current cost. */
  unitCost?: string | null;
  /** The move this one reverses; the spec must mirror it. */
  reversalOf?: number;
  /** Goods going back: to the supplier of this receipt move, or from the customer of this issue move. */
  returnOf?: number | null;
  /** Input field of the line, named in errors ("/lines/2"). */
  field?: string;
}

export interface PostContext {
  docType: "receipt" | "issue" | "transfer" | "count";
  docId: number;
  docNumber: string;
  postingDate: string;
  /** An issue for an order consumes that order's reservations first. */
  reservationsOf?: { refType: string; refId: string } | null;
  /** A count posting its own adjustments is not blocked by its own freeze. */
  ownCountId?: number;
  /**
   * Count adjustments record what is physically there: they may take reserved stock, and the
   * reservations that no longer fit are trimmed, newest first.
   */
  takesReserved?: boolean;
  /**
   * The posting document's own change (its state becoming posted), written in the same statement as the
   * moves: one round trip less per posting. Must be a single data-modifying statement without RETURNING.
   */
  documentUpdate?: SQL;
}

export interface PostedMove {
  id: number;
  itemId: number;
  lotId: number | null;
  quantity: string;
  fromLocationId: number;
  toLocationId: number;
  moveType: MoveType;
  docLine: number;
  unitCost: string;
  value: string;
  reversalOf: number | null;
  returnOf: number | null;
}

interface Area {
  key: string;
  itemId: number;
  warehouseId: number | null;
}

interface ValuationRow {
  id: number;
  itemId: number;
  warehouseId: number | null;
  valuationKey: string;
  method: string;
  state: ValuationState;
  changed: boolean;
}

interface EntryRow {
  valuationId: number;
  itemId: number;
  warehouseId: number | null;
  moveId: number | null;
  entry: ValuationEntry;
}

const areaKey = (itemId: number, warehouseId: number | null) => `${itemId}:${warehouseId ?? "T"}`;

/**
 * Posts stock moves: checks them, values them with the costing engine under the valuation rows' locks,
 * appends them to the ledger with their valuation entries, updates the balances (one statement per
 * batch) and emits `inventory.move.valued` per valued move — all in the caller's transaction.
 * Any failure throws and the command's transaction leaves nothing behind.
 */
export async function postMoves(
  ctx: CommandContext,
  companyId: number,
  specs: MoveSpec[],
  pc: PostContext,
  master: MasterData = new MasterData(ctx.tx, companyId),
): Promise<PostedMove[]> {
  if (specs.length === 0) return [];
  const tx = ctx.tx;
  await master.load({ items: specs.map((s) => s.itemId), locations: specs.flatMap((s) => [s.fromLocationId, s.toLocationId]) });
  const { items, locations } = master;
  const lots = await loadLots(tx, companyId, specs.map((s) => s.lotId).filter((x): x is number => x !== null));
  const originals = await loadOriginals(tx, companyId, specs);

  // 1. Every move on its own: item, lot and locations fit together.
  for (const s of specs) checkSpec(s, items, locations, lots, originals);
  checkReturnQuantities(specs, originals, items);

  // 2. Valuation areas touched, locked in id order (one order for every writer: no deadlocks).
  const areas = new Map<string, Area>();
  for (const s of specs) {
    const from = locations.get(s.fromLocationId)!;
    const to = locations.get(s.toLocationId)!;
    for (const l of [from, to]) {
      if (isStockKind(l.kind)) areas.set(areaKey(s.itemId, l.warehouseId), { key: areaKey(s.itemId, l.warehouseId), itemId: s.itemId, warehouseId: l.warehouseId });
    }
  }
  const valuations = await lockValuations(tx, companyId, [...areas.values()], items);

  // 3. One round trip under the locks: the moves' ids (the engine's entries name their move), running
  //    counts that freeze a touched location, and the balances the moves take stock from.
  const need = outboundNeeds(specs, locations);
  const snap = await snapshot(tx, companyId, specs.length, stockSides(specs, locations), need, pc.ownCountId ?? 0);
  const ids = snap.ids;

  // 4. Nothing moves in or out of stock that a running count has frozen.
  checkFreeze(specs, snap.frozen, locations, items);

  // 5. Enough available stock at each source location (on hand − reserved, plus this order's reservations).
  const consumption = await checkAvailability(tx, companyId, need, snap.balances, items, locations, lots, pc.reservationsOf ?? null, pc.takesReserved === true);
  for (const [id, q] of consumption.trimmed) ctx.emit("inventory.reservation.trimmed", { companyId, reservationId: id, quantity: q.toFixed(), document: pc.docNumber });

  // 6. Value each move in order against its areas' states (a changed standard cost revalues first).
  const entries: EntryRow[] = syncStandardCosts(ctx, companyId, valuations.values(), items, pc.postingDate);
  const posted: PostedMove[] = [];
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i];
    const item = items.get(s.itemId)!;
    const from = locations.get(s.fromLocationId)!;
    const to = locations.get(s.toLocationId)!;
    const moveId = ids[i];
    const mine: EntryRow[] = [];
    let unitCost: string;
    let value: string;
    const val = (wh: number | null) => valuations.get(areaKey(s.itemId, wh))!;
    const allowNegative = item.allowNegativeStock && from.allowNegativeStock;
    try {
      if (s.returnOf) {
        // Valued at the original's cost: the receipt's share (supplier) or the issue's (customer).
        const orig = originals.get(s.returnOf)!;
        const supplier = isStockKind(from.kind);
        const v = val(supplier ? from.warehouseId : to.warehouseId);
        const oe = orig.entries.find((x) => x.valuationId === v.id);
        if (!oe) throw errors.field(`${s.field ?? ""}/returnOfMoveId`, "area", "inventory.error.return_other_warehouse");
        const e = apply(v, { kind: supplier ? "supplier_return" : "customer_return", id: String(moveId), date: pc.postingDate, qty: s.qty, originalMoveId: String(orig.id) }, allowNegative, oe.entry);
        mine.push(e);
        unitCost = e.entry.unitCost;
        value = supplier ? dec(e.entry.value).neg().toFixed(2) : e.entry.value;
      } else if (s.reversalOf !== undefined) {
        const orig = originals.get(s.reversalOf)!;
        for (const oe of orig.entries) {
          const v = [...valuations.values()].find((x) => x.id === oe.valuationId);
          if (!v) throw errors.rule("valuation_failed", "inventory.error.valuation_failed", { message: `valuation ${oe.valuationId} not locked` });
          mine.push(apply(v, { kind: "reversal", id: String(moveId), date: pc.postingDate, originalMoveId: String(orig.id) }, allowNegative, oe.entry));
        }
        unitCost = orig.unitCost;
        value = orig.value;
      } else if (!isStockKind(from.kind)) {
        // Into stock from outside: a receipt at the given cost, else at the item's current cost.
        const v = val(to.warehouseId);
        const cost = s.unitCost ?? v.state.unitCost ?? item.standardCost;
        const e = apply(v, { kind: "receipt", id: String(moveId), date: pc.postingDate, qty: s.qty, unitCost: cost }, allowNegative);
        mine.push(e);
        unitCost = e.entry.unitCost;
        value = e.entry.value;
      } else if (!isStockKind(to.kind)) {
        const v = val(from.warehouseId);
        const e = apply(v, { kind: "issue", id: String(moveId), date: pc.postingDate, qty: s.qty, fallbackUnitCost: item.standardCost }, allowNegative);
        mine.push(e);
        unitCost = e.entry.unitCost;
        value = dec(e.entry.value).neg().toFixed(2);
      } else if (from.warehouseId !== to.warehouseId) {
        // Between valuation areas: out of one at its cost, into the other at exactly that amount.
        const out = apply(val(from.warehouseId), { kind: "issue", id: String(moveId), date: pc.postingDate, qty: s.qty, fallbackUnitCost: item.standardCost }, allowNegative);
        const amount = dec(out.entry.value).neg();
        if (amount.isNegative()) {
          throw errors.rule("valuation_failed", "inventory.error.valuation_failed", { message: `negative stock value of ${item.code} in the source warehouse` });
        }
        const into = apply(val(to.warehouseId), { kind: "receipt", id: String(moveId), date: pc.postingDate, qty: s.qty, amount: amount.toFixed(2) }, false);
        mine.push(out, into);
        unitCost = out.entry.unitCost;
        value = amount.toFixed(2);
      } else {
        // Within one valuation area: no change of value; the move carries the current cost for the record.
        const cost = val(from.warehouseId).state.unitCost ?? "0";
        unitCost = cost;
        value = dec(cost).times(s.qty).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
      }
    } catch (e) {
      throw costingError(e, item, from, s);
    }
    for (const e of mine) e.moveId = moveId;
    entries.push(...mine);
    posted.push({
      id: moveId,
      itemId: s.itemId,
      lotId: s.lotId,
      quantity: fmt(s.qty),
      fromLocationId: s.fromLocationId,
      toLocationId: s.toLocationId,
      moveType: s.moveType,
      docLine: s.docLine,
      unitCost: dec(unitCost).toFixed(6),
      value: dec(value).toFixed(2),
      reversalOf: s.reversalOf ?? null,
      returnOf: s.returnOf ?? null,
    });
  }

  // 7. Append moves and entries, store the states, update balances and reservations: one statement.
  await writeAll(tx, companyId, posted, specs, entries, [...valuations.values()], locations, consumption, pc, actorRef(ctx.actor).id);

  // 8. Tell finance (and whoever listens) what each valued move did to the inventory value.
  for (const m of posted) {
    const mine = entries.filter((e) => e.moveId === m.id);
    if (mine.length === 0) continue;
    const from = locations.get(m.fromLocationId)!;
    const to = locations.get(m.toLocationId)!;
    const item = items.get(m.itemId)!;
    ctx.emit("inventory.move.valued", {
      moveId: m.id,
      companyId,
      itemId: m.itemId,
      itemCode: item.code,
      lotId: m.lotId,
      quantity: m.quantity,
      unitCost: m.unitCost,
      value: m.value,
      moveType: m.moveType,
      reversalOf: m.reversalOf,
      returnOf: m.returnOf,
      postingDate: pc.postingDate,
      from: { locationId: from.id, kind: from.kind, warehouseId: from.warehouseId },
      to: { locationId: to.id, kind: to.kind, warehouseId: to.warehouseId },
      document: { type: pc.docType, id: pc.docId, number: pc.docNumber, line: m.docLine },
      entries: mine.map((e) => ({
        warehouseId: e.warehouseId,
        kind: e.entry.kind,
        quantity: e.entry.qty,
        value: e.entry.value,
        adjustment: e.entry.adjustment,
        variance: e.entry.variance,
      })),
    });
  }
  return posted;
}

function apply(v: ValuationRow, move: StockMove, allowNegativeStock: boolean, original?: ValuationEntry): EntryRow {
  const result = valueMove(v.state, move, { allowNegativeStock, lookup: (id) => (original && original.moveId === id ? original : undefined) });
  v.state = result.state;
  v.changed = true;
  return { valuationId: v.id, itemId: v.itemId, warehouseId: v.warehouseId, moveId: null, entry: result.entry };
}

function costingError(e: unknown, item: ItemRow, from: LocationRow, s: MoveSpec): unknown {
  if (!(e instanceof CostingError)) return e;
  const fields: FieldError[] = s.field ? [{ field: s.field, rule: "valuation", messageKey: "inventory.error.line_valuation" }] : [];
  if (e instanceof NegativeStockError) {
    return new AppError(
      422,
      "insufficient_stock",
      "inventory.error.insufficient_stock_area",
      { item: item.code, warehouse: from.warehouseCode ?? "-", available: e.onHand, requested: e.requested },
      fields,
    );
  }
  if (e instanceof LayerConsumedError) {
    return new AppError(422, "reversal_layer_consumed", "inventory.error.layer_consumed", { item: item.code, remaining: e.remainingQty, original: e.originalQty }, fields);
  }
  if (e instanceof NoKnownCostError) return new AppError(422, "no_known_cost", "inventory.error.no_known_cost", { item: item.code }, fields);
  return new AppError(422, "valuation_failed", "inventory.error.valuation_failed", { message: e.message }, fields);
}

// ---------------------------------------------------------------------------------------------------

interface LotRow {
  id: number;
  itemId: number;
  lotNo: string;
  expiryDate: string | null;
}

export async function loadLots(db: Executor, companyId: number, ids: number[]): Promise<Map<number, LotRow>> {
  if (ids.length === 0) return new Map();
  const r = await rows<LotRow>(
    db,
    sql`select id, item_id as "itemId", lot_no as "lotNo", to_char(expiry_date, 'YYYY-MM-DD') as "expiryDate"
        from stock_lot where company_id = ${companyId} and id in ${idList(ids)}`,
  );
  return new Map(r.map((x) => [x.id, x]));
}

interface OriginalMove {
  id: number;
  itemId: number;
  lotId: number | null;
  quantity: string;
  fromLocationId: number;
  toLocationId: number;
  unitCost: string;
  value: string;
  moveType: string;
  fromKind: string;
  toKind: string;
  reversalOf: number | null;
  returnOf: number | null;
  reversedBy: number | null;
  /** Quantity returned so far by returns that are not reversed. */
  returned: string;
  entries: { valuationId: number; entry: ValuationEntry }[];
}

async function loadOriginals(db: Executor, companyId: number, specs: MoveSpec[]): Promise<Map<number, OriginalMove>> {
  const ids = specs.flatMap((s) => [s.reversalOf, s.returnOf]).filter((x): x is number => typeof x === "number");
  if (ids.length === 0) return new Map();
  const moves = await rows<Omit<OriginalMove, "entries">>(
    db,
    sql`select m.id, m.item_id as "itemId", m.lot_id as "lotId", m.quantity::text as quantity, m.from_location_id as "fromLocationId",
          m.to_location_id as "toLocationId", m.unit_cost::text as "unitCost", m.value::text as value, m.move_type as "moveType",
          fl.kind as "fromKind", tl.kind as "toKind", m.reversal_of as "reversalOf", m.return_of as "returnOf",
          (select r.id from stock_move r where r.reversal_of = m.id) as "reversedBy",
          (select coalesce(sum(r.quantity), 0)::text from stock_move r
            where r.return_of = m.id and not exists (select 1 from stock_move x where x.reversal_of = r.id)) as returned
        from stock_move m join location fl on fl.id = m.from_location_id join location tl on tl.id = m.to_location_id
        where m.company_id = ${companyId} and m.id in ${idList(ids)}
        for update of m`,
  );
  const entries = await rows<{ moveId: number; valuationId: number; entry: ValuationEntry }>(
    db,
    sql`select move_id as "moveId", valuation_id as "valuationId", entry from stock_valuation_entry where move_id in ${idList(ids)} order by id`,
  );
  return new Map(
    moves.map((m) => [
      m.id,
      { ...m, entries: entries.filter((e) => e.moveId === m.id).map((e) => ({ valuationId: e.valuationId, entry: typeof e.entry === "string" ? JSON.parse(e.entry) : e.entry })) },
    ]),
  );
}

function checkSpec(s: MoveSpec, items: Map<number, ItemRow>, locations: Map<number, LocationRow>, lots: Map<number, LotRow>, originals: Map<number, OriginalMove>) {
  const at = s.field ?? "";
  const item = items.get(s.itemId);
  if (!item) throw errors.field(`${at}/itemId`, "exists", "inventory.error.no_such_item");
  const from = locations.get(s.fromLocationId);
  const to = locations.get(s.toLocationId);
  if (!from) throw errors.field(`${at}/fromLocationId`, "exists", "inventory.error.no_such_location");
  if (!to) throw errors.field(`${at}/toLocationId`, "exists", "inventory.error.no_such_location");
  if (!dec(s.qty).gt(0)) throw errors.field(`${at}/quantity`, "minimum", "inventory.error.quantity_positive");
  if (s.fromLocationId === s.toLocationId) throw errors.field(`${at}/toLocationId`, "different", "inventory.error.same_location");
  if (!isStockKind(from.kind) && !isStockKind(to.kind)) throw errors.field(`${at}/toLocationId`, "kind", "inventory.error.no_stock_location");
  if (s.lotId !== null) {
    const lot = lots.get(s.lotId);
    if (!lot || lot.itemId !== s.itemId) throw errors.field(`${at}/lotId`, "exists", "inventory.error.lot_not_of_item", { item: item.code });
  }
  if (s.reversalOf !== undefined) {
    const o = originals.get(s.reversalOf);
    if (!o) throw errors.notFound("stock_move");
    if (o.reversalOf !== null) throw errors.rule("cannot_reverse_reversal", "inventory.error.cannot_reverse_reversal");
    if (o.reversedBy !== null) throw errors.rule("already_reversed", "inventory.error.already_reversed");
    if (dec(o.returned).gt(0)) throw errors.rule("reversal_blocked_by_returns", "inventory.error.reversal_has_returns", { returned: fmt(o.returned) });
    if (o.itemId !== s.itemId || o.lotId !== s.lotId || !dec(o.quantity).eq(s.qty) || o.fromLocationId !== s.toLocationId || o.toLocationId !== s.fromLocationId) {
      throw errors.rule("valuation_failed", "inventory.error.valuation_failed", { message: `move must mirror ${o.id}` });
    }
    return; // a correction goes through whatever the item's status is now
  }
  if (s.returnOf) {
    const o = originals.get(s.returnOf);
    const f = `${at}/returnOfMoveId`;
    if (!o || o.itemId !== s.itemId) throw errors.field(f, "exists", "inventory.error.return_no_original", { item: item.code });
    const toSupplier = isStockKind(from.kind) && to.kind === "supplier";
    const fromCustomer = from.kind === "customer" && isStockKind(to.kind);
    const ok = (toSupplier && o.moveType === "receipt" && o.fromKind === "supplier") || (fromCustomer && o.moveType === "issue" && o.toKind === "customer");
    if (!ok || o.reversalOf !== null || o.reversedBy !== null) throw errors.field(f, "kind", "inventory.error.return_wrong_original");
    if (o.lotId !== s.lotId) throw errors.field(`${at}/lotId`, "lot", "inventory.error.return_other_lot");
  }
  if (item.itemType === "service") throw errors.field(`${at}/itemId`, "stockable", "inventory.error.item_not_stocked", { item: item.code });
  if (item.status === "blocked") throw errors.field(`${at}/itemId`, "status", "inventory.error.item_blocked", { item: item.code });
  const inbound = !isStockKind(from.kind);
  if (item.status === "obsolete" && inbound) throw errors.field(`${at}/itemId`, "status", "inventory.error.item_obsolete", { item: item.code });
  if (item.tracking !== "none" && s.lotId === null) throw errors.field(`${at}/lotId`, "required", "inventory.error.lot_required", { item: item.code });
  if (item.tracking === "none" && s.lotId !== null) throw errors.field(`${at}/lotId`, "forbidden", "inventory.error.lot_not_tracked", { item: item.code });
  if (item.tracking === "serial" && !dec(s.qty).eq(1)) throw errors.field(`${at}/quantity`, "serial", "inventory.error.serial_quantity", { item: item.code });
  for (const [l, f] of [
    [from, "fromLocationId"],
    [to, "toLocationId"],
  ] as const) {
    if (!l.active) throw errors.field(`${at}/${f}`, "active", "inventory.error.location_inactive", { location: l.code });
  }
}

/** Returns may not add up to more than the original moved (the engine sees one move at a time). */
function checkReturnQuantities(specs: MoveSpec[], originals: Map<number, OriginalMove>, items: Map<number, ItemRow>) {
  const total = new Map<number, ReturnType<typeof dec>>();
  for (const s of specs) {
    if (!s.returnOf) continue;
    const o = originals.get(s.returnOf)!;
    const sum = (total.get(o.id) ?? dec(o.returned)).plus(s.qty);
    total.set(o.id, sum);
    if (sum.gt(o.quantity)) {
      throw errors.field(`${s.field ?? ""}/quantity`, "maximum", "inventory.error.return_exceeds", {
        item: items.get(s.itemId)!.code,
        original: fmt(o.quantity),
        returned: fmt(o.returned),
      });
    }
  }
}

/** Creates missing valuation rows, then locks all the batch needs, in id order. */
export async function lockValuations(tx: Executor, companyId: number, areas: Area[], items: Map<number, ItemRow>): Promise<Map<string, ValuationRow>> {
  const out = new Map<string, ValuationRow>();
  if (areas.length === 0) return out;
  const fresh = areas.map((a) => {
    const item = items.get(a.itemId)!;
    const key = `${companyId}/${a.warehouseId ?? "T"}/${a.itemId}`;
    const state = createValuationState({
      key,
      method: item.valuationMethod,
      ...(item.valuationMethod === "standard" ? { standardCost: item.standardCost } : {}),
    });
    return { item_id: a.itemId, warehouse_id: a.warehouseId, key, method: item.valuationMethod, state, unit_cost: state.unitCost };
  });
  type Locked = { id: number; itemId: number; warehouseId: number | null; valuationKey: string; method: string; state: ValuationState | string };
  const lock = (want: typeof fresh) =>
    rows<Locked>(
      tx,
      sql`select v.id, v.item_id as "itemId", v.warehouse_id as "warehouseId", v.valuation_key as "valuationKey", v.method, v.state
          from stock_valuation v
          join jsonb_to_recordset(${JSON.stringify(want)}::jsonb) as r(item_id int8, warehouse_id int8) on v.item_id = r.item_id and v.warehouse_id is not distinct from r.warehouse_id
          where v.company_id = ${companyId}
          order by v.id for update of v`,
    );
  // Existing areas (the usual case) in one statement; areas seen for the first time are created, then locked.
  const locked = await lock(fresh);
  const have = new Set(locked.map((l) => areaKey(l.itemId, l.warehouseId)));
  const missing = fresh.filter((f) => !have.has(areaKey(f.item_id, f.warehouse_id)));
  if (missing.length > 0) {
    await tx.execute(sql`
      insert into stock_valuation (company_id, item_id, warehouse_id, valuation_key, method, state, unit_cost)
      select ${companyId}, r.item_id, r.warehouse_id, r.key, r.method, r.state, r.unit_cost
      from jsonb_to_recordset(${JSON.stringify(missing)}::jsonb) as r(item_id int8, warehouse_id int8, key text, method text, state jsonb, unit_cost numeric)
      order by r.item_id, r.warehouse_id
      on conflict do nothing`);
    locked.push(...(await lock(missing)));
  }
  for (const l of locked) {
    const item = items.get(l.itemId)!;
    const row: ValuationRow = { ...l, state: typeof l.state === "string" ? JSON.parse(l.state) : l.state, changed: false };
    if (row.state.method !== item.valuationMethod) {
      // The method of an item may change only while it has no stock or value in the area.
      if (!dec(row.state.qty).isZero() || !dec(row.state.value).isZero()) {
        throw errors.rule("valuation_method_changed", "inventory.error.valuation_method_changed", { item: item.code, method: row.state.method });
      }
      row.state = createValuationState({
        key: row.valuationKey,
        method: item.valuationMethod,
        ...(item.valuationMethod === "standard" ? { standardCost: item.standardCost } : {}),
      });
      row.method = item.valuationMethod;
      row.changed = true;
    }
    out.set(areaKey(l.itemId, l.warehouseId), row);
  }
  return out;
}

/**
 * Standard cost: when the item's standard changed since the last move, the stock on hand is revalued
 * first (an entry without a move), so every move is valued at the standard in force.
 */
function syncStandardCosts(ctx: CommandContext, companyId: number, valuations: Iterable<ValuationRow>, items: Map<number, ItemRow>, postingDate: string): EntryRow[] {
  const entries: EntryRow[] = [];
  for (const v of valuations) {
    const item = items.get(v.itemId)!;
    if (v.state.method !== "standard" || v.state.unitCost === null || dec(v.state.unitCost).eq(item.standardCost)) continue;
    const e = apply(v, { kind: "standard_cost_change", id: `std-${v.id}-${Date.now()}-${entries.length}`, date: postingDate, standardCost: item.standardCost }, true);
    entries.push(e);
    ctx.emit("inventory.revalued", {
      companyId,
      itemId: e.itemId,
      warehouseId: e.warehouseId,
      standardCost: e.entry.unitCost,
      quantity: e.entry.after.qty,
      value: e.entry.value,
      adjustment: e.entry.adjustment,
      postingDate,
    });
  }
  return entries;
}

interface Consumption {
  /** Reservation id → quantity consumed (or trimmed). */
  byReservation: Map<number, D>;
  /** Reservation id → quantity trimmed because the stock is no longer there. */
  trimmed: Map<number, D>;
  /** Balance key → reserved quantity released. */
  byBalance: Map<string, D>;
}

const balanceKey = (itemId: number, locationId: number, lotId: number | null) => `${itemId}:${locationId}:${lotId ?? ""}`;

type Need = Map<string, { itemId: number; locationId: number; lotId: number | null; qty: D; field?: string }>;
interface BalanceRow {
  itemId: number;
  locationId: number;
  lotId: number | null;
  onHand: string;
  reserved: string;
}
interface FrozenRow {
  number: string;
  locationId: number;
  items: number[] | null;
}

/** What the batch takes out of each stock location (per item and lot). */
function outboundNeeds(specs: MoveSpec[], locations: Map<number, LocationRow>): Need {
  const need: Need = new Map();
  for (const s of specs) {
    if (!isStockKind(locations.get(s.fromLocationId)!.kind)) continue;
    const k = balanceKey(s.itemId, s.fromLocationId, s.lotId);
    const n = need.get(k) ?? { itemId: s.itemId, locationId: s.fromLocationId, lotId: s.lotId, qty: dec(0), field: s.field };
    n.qty = n.qty.plus(s.qty);
    need.set(k, n);
  }
  return need;
}

function stockSides(specs: MoveSpec[], locations: Map<number, LocationRow>): Set<number> {
  const out = new Set<number>();
  for (const s of specs) for (const l of [s.fromLocationId, s.toLocationId]) if (isStockKind(locations.get(l)!.kind)) out.add(l);
  return out;
}

/** Move ids, the counts freezing any touched stock location, and the balances the batch takes from. */
async function snapshot(tx: Executor, companyId: number, n: number, sides: Set<number>, need: Need, ownCountId: number) {
  const keys = JSON.stringify([...need.values()].map((x) => ({ item_id: x.itemId, location_id: x.locationId, lot_id: x.lotId })));
  const r = await one<{ ids: unknown; frozen: unknown; balances: unknown }>(
    tx,
    sql`select
        (select json_agg(nextval('stock_move_id_seq')) from generate_series(1, ${n})) as ids,
        ${
          sides.size
            ? sql`(select coalesce(json_agg(json_build_object('number', c.number, 'locationId', cl.location_id,
                  'items', (select json_agg(ci.item_id) from stock_count_item ci where ci.count_id = c.id))), '[]'::json)
                from stock_count c join stock_count_location cl on cl.count_id = c.id
                where c.company_id = ${companyId} and c.state in ('counting', 'review') and c.id <> ${ownCountId} and cl.location_id in ${idList(sides)})`
            : sql`'[]'::json`
        } as frozen,
        ${
          need.size
            ? sql`(select coalesce(json_agg(json_build_object('itemId', b.item_id, 'locationId', b.location_id, 'lotId', b.lot_id,
                  'onHand', b.on_hand::text, 'reserved', b.reserved::text)), '[]'::json)
                from stock_balance b join jsonb_to_recordset(${keys}::jsonb) as k(item_id int8, location_id int8, lot_id int8)
                  on b.item_id = k.item_id and b.location_id = k.location_id and b.lot_id is not distinct from k.lot_id)`
            : sql`'[]'::json`
        } as balances`,
  );
  const parse = <T>(v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as T;
  return {
    ids: parse<number[]>(r!.ids).map(Number).sort((a, b) => a - b),
    frozen: parse<FrozenRow[]>(r!.frozen),
    balances: parse<BalanceRow[]>(r!.balances),
  };
}

async function checkAvailability(
  tx: Executor,
  companyId: number,
  need: Need,
  balances: BalanceRow[],
  items: Map<number, ItemRow>,
  locations: Map<number, LocationRow>,
  lots: Map<number, LotRow>,
  reservationsOf: { refType: string; refId: string } | null,
  takesReserved = false,
): Promise<Consumption> {
  const consumption: Consumption = { byReservation: new Map(), byBalance: new Map(), trimmed: new Map() };
  if (need.size === 0) return consumption;
  const byKey = new Map(balances.map((b) => [balanceKey(b.itemId, b.locationId, b.lotId), b]));
  if (reservationsOf) {
    const keys = JSON.stringify([...need.values()].map((n) => ({ item_id: n.itemId, location_id: n.locationId, lot_id: n.lotId })));
    const open = await rows<{ id: number; itemId: number; locationId: number; lotId: number | null; quantity: string }>(
      tx,
      sql`select r.id, r.item_id as "itemId", r.location_id as "locationId", r.lot_id as "lotId", r.quantity::text as quantity
          from stock_reservation r join jsonb_to_recordset(${keys}::jsonb) as k(item_id int8, location_id int8, lot_id int8)
            on r.item_id = k.item_id and r.location_id = k.location_id and r.lot_id is not distinct from k.lot_id
          where r.company_id = ${companyId} and r.state = 'open' and r.ref_type = ${reservationsOf.refType} and r.ref_id = ${reservationsOf.refId}
          order by r.id for update of r`,
    );
    for (const r of open) {
      const k = balanceKey(r.itemId, r.locationId, r.lotId);
      const n = need.get(k)!;
      const already = consumption.byBalance.get(k) ?? dec(0);
      const take = D.min(r.quantity, n.qty.minus(already));
      if (take.lte(0)) continue;
      consumption.byReservation.set(r.id, take);
      consumption.byBalance.set(k, already.plus(take));
    }
  }
  const trim: { key: string; itemId: number; locationId: number; lotId: number | null; excess: D }[] = [];
  for (const [k, n] of need) {
    const item = items.get(n.itemId)!;
    const loc = locations.get(n.locationId)!;
    const b = byKey.get(k);
    if (takesReserved) {
      const left = dec(b?.onHand).minus(n.qty);
      const excess = dec(b?.reserved).minus(D.max(left, 0));
      if (excess.gt(0)) trim.push({ key: k, itemId: n.itemId, locationId: n.locationId, lotId: n.lotId, excess });
    }
    if (item.allowNegativeStock && loc.allowNegativeStock) continue;
    const available = takesReserved ? dec(b?.onHand) : dec(b?.onHand).minus(b?.reserved ?? 0).plus(consumption.byBalance.get(k) ?? 0);
    if (available.lt(n.qty)) {
      const lot = n.lotId !== null ? lots.get(n.lotId)?.lotNo : null;
      throw new AppError(
        422,
        "insufficient_stock",
        lot ? "inventory.error.insufficient_stock_lot" : "inventory.error.insufficient_stock",
        { item: item.code, location: loc.code, lot, available: fmt(D.max(available, 0)), onHand: fmt(dec(b?.onHand)), requested: fmt(n.qty) },
        n.field ? [{ field: `${n.field}/quantity`, rule: "available", messageKey: "inventory.error.line_insufficient", params: { available: fmt(D.max(available, 0)) } }] : [],
      );
    }
  }
  for (const t of trim) {
    const open = await rows<{ id: number; quantity: string }>(
      tx,
      sql`select id, quantity::text as quantity from stock_reservation
          where item_id = ${t.itemId} and location_id = ${t.locationId} and lot_id is not distinct from ${t.lotId}::int8 and state = 'open'
          order by id desc for update`,
    );
    let excess = t.excess;
    for (const r of open) {
      if (excess.lte(0)) break;
      const take = D.min(r.quantity, excess);
      consumption.byReservation.set(r.id, take);
      consumption.trimmed.set(r.id, take);
      consumption.byBalance.set(t.key, (consumption.byBalance.get(t.key) ?? dec(0)).plus(take));
      excess = excess.minus(take);
    }
  }
  return consumption;
}

/** Moves, valuation entries, valuation states, balances and consumed reservations in one statement. */
async function writeAll(
  tx: Executor,
  companyId: number,
  posted: PostedMove[],
  specs: MoveSpec[],
  entries: EntryRow[],
  valuations: ValuationRow[],
  locations: Map<number, LocationRow>,
  consumption: Consumption,
  pc: PostContext,
  by: number | null,
) {
  const moves = posted.map((m, i) => ({
    id: m.id,
    item_id: m.itemId,
    lot_id: m.lotId,
    quantity: m.quantity,
    from_location_id: m.fromLocationId,
    to_location_id: m.toLocationId,
    move_type: m.moveType,
    doc_line: m.docLine,
    production_ref: specs[i].productionRef,
    unit_cost: m.unitCost,
    value: m.value,
    reversal_of: m.reversalOf,
    return_of: m.returnOf,
  }));
  const entryRows = entries.map((e) => ({
    valuation_id: e.valuationId,
    item_id: e.itemId,
    warehouse_id: e.warehouseId,
    move_id: e.moveId,
    kind: e.entry.kind,
    quantity: e.entry.qty,
    value: e.entry.value,
    unit_cost: e.entry.unitCost,
    adjustment: e.entry.adjustment,
    variance: e.entry.variance,
    entry: e.entry,
  }));
  const states = valuations
    .filter((v) => v.changed)
    .map((v) => ({ id: v.id, state: v.state, method: v.state.method, quantity: v.state.qty, value: v.state.value, unit_cost: v.state.unitCost }));
  // Balance deltas per item, stock location and lot (only stock locations have balances).
  const delta = new Map<string, { item_id: number; location_id: number; lot_id: number | null; on_hand: D; reserved: D }>();
  const add = (itemId: number, locationId: number, lotId: number | null, q: D, r: D) => {
    if (!isStockKind(locations.get(locationId)!.kind)) return;
    const k = balanceKey(itemId, locationId, lotId);
    const d = delta.get(k) ?? { item_id: itemId, location_id: locationId, lot_id: lotId, on_hand: dec(0), reserved: dec(0) };
    d.on_hand = d.on_hand.plus(q);
    d.reserved = d.reserved.plus(r);
    delta.set(k, d);
  };
  for (const m of posted) {
    add(m.itemId, m.toLocationId, m.lotId, dec(m.quantity), dec(0));
    add(m.itemId, m.fromLocationId, m.lotId, dec(m.quantity).neg(), dec(0));
  }
  for (const [k, q] of consumption.byBalance) {
    const [itemId, locationId, lot] = k.split(":");
    add(Number(itemId), Number(locationId), lot === "" ? null : Number(lot), dec(0), q.neg());
  }
  // Sorted: concurrent batches lock the balance rows they share in the same order.
  const balances = [...delta.values()]
    .sort((a, b) => a.item_id - b.item_id || a.location_id - b.location_id || (a.lot_id ?? 0) - (b.lot_id ?? 0))
    .map((d) => ({ ...d, on_hand: d.on_hand.toFixed(), reserved: d.reserved.toFixed() }));
  const reservations = [...consumption.byReservation].map(([id, q]) => ({ id, qty: q.toFixed() }));
  try {
    await tx.execute(sql`
      with m as (
        insert into stock_move (id, company_id, item_id, lot_id, quantity, from_location_id, to_location_id, move_type,
          doc_type, doc_id, doc_line, production_ref, unit_cost, value, reversal_of, return_of, posting_date, posted_by)
        select r.id, ${companyId}, r.item_id, r.lot_id, r.quantity, r.from_location_id, r.to_location_id, r.move_type,
          ${pc.docType}, ${pc.docId}, r.doc_line, r.production_ref, r.unit_cost, r.value, r.reversal_of, r.return_of, ${pc.postingDate}::date, ${by}
        from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as r(id int8, item_id int8, lot_id int8, quantity numeric, from_location_id int8,
          to_location_id int8, move_type text, doc_line int, production_ref text, unit_cost numeric, value numeric, reversal_of int8, return_of int8)
        order by r.id
        returning 1),
      e as (
        insert into stock_valuation_entry (company_id, valuation_id, item_id, warehouse_id, move_id, kind, posting_date,
          quantity, value, unit_cost, adjustment, variance, entry)
        select ${companyId}, r.valuation_id, r.item_id, r.warehouse_id, r.move_id, r.kind, ${pc.postingDate}::date,
          r.quantity, r.value, r.unit_cost, r.adjustment, r.variance, r.entry
        from jsonb_to_recordset(${JSON.stringify(entryRows)}::jsonb) as r(valuation_id int8, item_id int8, warehouse_id int8, move_id int8, kind text,
          quantity numeric, value numeric, unit_cost numeric, adjustment numeric, variance numeric, entry jsonb)
        returning 1),
      v as (
        update stock_valuation v set state = r.state, method = r.method, quantity = r.quantity, value = r.value, unit_cost = r.unit_cost,
          version = v.version + 1, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(states)}::jsonb) as r(id int8, state jsonb, method text, quantity numeric, value numeric, unit_cost numeric)
        where v.id = r.id
        returning 1),
      b as (
        insert into stock_balance (company_id, item_id, location_id, lot_id, on_hand, reserved)
        select ${companyId}, r.item_id, r.location_id, r.lot_id, r.on_hand, r.reserved
        from jsonb_to_recordset(${JSON.stringify(balances)}::jsonb) as r(item_id int8, location_id int8, lot_id int8, on_hand numeric, reserved numeric)
        order by r.item_id, r.location_id, r.lot_id
        on conflict (item_id, location_id, lot_id) do update
          set on_hand = stock_balance.on_hand + excluded.on_hand, reserved = stock_balance.reserved + excluded.reserved
        returning 1),
      ${pc.documentUpdate ? sql`d as (${pc.documentUpdate} returning 1),` : sql``}
      s as (
        update stock_reservation s set quantity = s.quantity - r.qty,
          state = case when s.quantity - r.qty = 0 then 'closed' else 'open' end, version = s.version + 1, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(reservations)}::jsonb) as r(id int8, qty numeric)
        where s.id = r.id
        returning 1)
      select (select count(*) from m) + (select count(*) from e) + (select count(*) from v) + (select count(*) from b) + (select count(*) from s) as n`);
  } catch (e) {
    const inner = (e as { cause?: { constraint?: string }; constraint?: string }).cause ?? (e as { constraint?: string });
    if (inner?.constraint === "stock_balance_not_negative") throw errors.rule("insufficient_stock", "inventory.error.insufficient_stock_db");
    throw e;
  }
}

function checkFreeze(specs: MoveSpec[], frozen: FrozenRow[], locations: Map<number, LocationRow>, items: Map<number, ItemRow>) {
  if (frozen.length === 0) return;
  for (const s of specs) {
    for (const l of [s.fromLocationId, s.toLocationId]) {
      const f = frozen.find((x) => Number(x.locationId) === l && (x.items === null || x.items.map(Number).includes(s.itemId)));
      if (f) {
        throw errors.rule("stock_frozen", "inventory.error.stock_frozen", { item: items.get(s.itemId)!.code, location: locations.get(l)!.code, count: f.number });
      }
    }
  }
}
