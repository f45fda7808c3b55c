import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { type Command, type CommandContext, defineCommand } from "../../platform/pipeline.ts";
import { warehouseFilter } from "../../platform/scope.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { Day, Id, LotNo, Quantity, Version } from "./commands.ts";
import { actorRef, checkPostingDate, dec, defaultLocation, fmt, idList, isStockKind, loadItems, loadLocations, nextNumber, requireCompany } from "./common.ts";
import { P } from "./permissions.ts";
import { type MoveSpec, loadLots, postMoves } from "./posting.ts";

interface CountRow {
  id: number;
  number: string;
  state: "draft" | "counting" | "review" | "posted" | "cancelled";
  warehouseId: number;
  version: number;
  submittedBy: number | null;
  submittedByName: string | null;
}

/** The count, locked; 404 for another company's or one of a warehouse outside the actor's scope for `permission`. */
async function lockCount(ctx: CommandContext, companyId: number, id: number, permission: string, version?: number): Promise<CountRow> {
  const c = await one<CountRow>(
    ctx.tx,
    sql`select id, number, state, warehouse_id as "warehouseId", version, submitted_by as "submittedBy", submitted_by_name as "submittedByName"
        from stock_count where id = ${id} and company_id = ${companyId} for update`,
  );
  const warehouses = warehouseFilter(ctx.actor, permission);
  if (!c || (warehouses && !warehouses.includes(c.warehouseId))) throw errors.notFound("stock_count");
  if (version !== undefined && c.version !== version) throw errors.versionConflict(c.version);
  return c;
}

function requireState(c: CountRow, ...states: CountRow["state"][]) {
  if (!states.includes(c.state)) throw errors.rule("count_state", "inventory.error.count_state", { number: c.number, state: c.state });
}

async function scope(tx: Executor, countId: number): Promise<{ locations: number[]; items: number[] }> {
  const locations = await rows<{ id: number }>(tx, sql`select location_id as id from stock_count_location where count_id = ${countId}`);
  const items = await rows<{ id: number }>(tx, sql`select item_id as id from stock_count_item where count_id = ${countId}`);
  return { locations: locations.map((r) => r.id), items: items.map((r) => r.id) };
}

/** A physical inventory of some or all stock locations of a warehouse (optionally only some items). */
export const createCount = defineCommand({
  name: "inventory.count.create",
  permission: P.countEdit,
  entity: "stock_count",
  input: StrictObject({
    warehouseId: Id,
    locationIds: Type.Optional(Type.Array(Id, { maxItems: 500, uniqueItems: true, description: "default: every stock location of the warehouse" })),
    itemIds: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true, description: "default: every item" })),
    blind: Type.Optional(Type.Boolean({ description: "counters do not see the expected quantity (default true)" })),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const wh = await one(ctx.tx, sql`select id from warehouse where id = ${input.warehouseId} and company_id = ${companyId} and active`);
    const warehouses = warehouseFilter(ctx.actor, P.countEdit);
    if (!wh || (warehouses && !warehouses.includes(input.warehouseId))) throw errors.field("/warehouseId", "exists", "inventory.error.no_such_warehouse");
    let locationIds = input.locationIds ?? [];
    if (locationIds.length === 0) {
      const all = await rows<{ id: number }>(
        ctx.tx,
        sql`select id from location where company_id = ${companyId} and warehouse_id = ${input.warehouseId} and active and stock_location_kind(kind) order by code`,
      );
      locationIds = all.map((r) => r.id);
      if (locationIds.length === 0) throw errors.field("/warehouseId", "locations", "inventory.error.count_no_locations");
    } else {
      const locs = await loadLocations(ctx.tx, companyId, locationIds);
      locationIds.forEach((id, i) => {
        const l = locs.get(id);
        if (!l || l.warehouseId !== input.warehouseId || !isStockKind(l.kind)) throw errors.field(`/locationIds/${i}`, "exists", "inventory.error.no_such_location");
      });
    }
    if (input.itemIds?.length) {
      const items = await loadItems(ctx.tx, companyId, input.itemIds);
      input.itemIds.forEach((id, i) => {
        if (!items.has(id)) throw errors.field(`/itemIds/${i}`, "exists", "inventory.error.no_such_item");
      });
    }
    const who = actorRef(ctx.actor);
    const today = await checkPostingDate(ctx.tx, companyId, undefined);
    const number = await nextNumber(ctx.tx, "count", today);
    const c = await one<{ id: number }>(
      ctx.tx,
      sql`insert into stock_count (company_id, number, warehouse_id, blind, note, created_by, created_by_name)
          values (${companyId}, ${number}, ${input.warehouseId}, ${input.blind ?? true}, ${input.note ?? null}, ${who.id}, ${who.name}) returning id`,
    );
    await ctx.tx.execute(sql`insert into stock_count_location (count_id, location_id) select ${c!.id}, value::int8 from jsonb_array_elements_text(${JSON.stringify(locationIds)}::jsonb)`);
    if (input.itemIds?.length) {
      await ctx.tx.execute(sql`insert into stock_count_item (count_id, item_id) select ${c!.id}, value::int8 from jsonb_array_elements_text(${JSON.stringify(input.itemIds)}::jsonb)`);
    }
    ctx.audit.after = { number, warehouseId: input.warehouseId, locations: locationIds.length, items: input.itemIds?.length ?? "all" };
    return { id: c!.id, number, state: "draft", version: 1 };
  },
});

/**
 * Freezes the count's locations (moves touching them are refused until the count ends) and takes the
 * expected quantities. Takes the valuation locks of the warehouse first, like every poster, so a move
 * in flight either commits before the snapshot or is refused after it.
 */
export const startCount = defineCommand({
  name: "inventory.count.start",
  permission: P.countEdit,
  entity: "stock_count",
  input: StrictObject({ id: Id, version: Version }),
  async run(ctx, { id, version }) {
    const companyId = requireCompany(ctx.actor);
    const c = await lockCount(ctx, companyId, id, P.countEdit, version);
    requireState(c, "draft");
    const s = await scope(ctx.tx, id);
    const overlap = await one<{ number: string; code: string }>(
      ctx.tx,
      sql`select o.number, l.code from stock_count o
          join stock_count_location ol on ol.count_id = o.id and ol.location_id in ${idList(s.locations)}
          join location l on l.id = ol.location_id
          where o.company_id = ${companyId} and o.state in ('counting', 'review') and o.id <> ${id}
            and (${s.items.length === 0} or not exists (select 1 from stock_count_item oi where oi.count_id = o.id)
                 or exists (select 1 from stock_count_item oi where oi.count_id = o.id and oi.item_id in ${idList(s.items.length ? s.items : [0])}))
          limit 1`,
    );
    if (overlap) throw errors.rule("count_overlap", "inventory.error.count_overlap", { location: overlap.code, count: overlap.number });
    await ctx.tx.execute(sql`select id from stock_valuation where company_id = ${companyId} and warehouse_id = ${c.warehouseId}
        ${s.items.length ? sql`and item_id in ${idList(s.items)}` : sql``} order by id for update`);
    await ctx.tx.execute(sql`
      insert into stock_count_line (count_id, item_id, location_id, lot_id, system_qty)
      select ${id}, b.item_id, b.location_id, b.lot_id, b.on_hand from stock_balance b
      where b.location_id in ${idList(s.locations)} and b.on_hand <> 0
        ${s.items.length ? sql`and b.item_id in ${idList(s.items)}` : sql``}`);
    await ctx.tx.execute(sql`update stock_count set state = 'counting', frozen_at = now(), version = version + 1, updated_at = now() where id = ${id}`);
    const n = await one<{ n: number }>(ctx.tx, sql`select count(*)::int8 as n from stock_count_line where count_id = ${id}`);
    ctx.audit.before = { state: "draft" };
    ctx.audit.after = { number: c.number, state: "counting", expectedLines: n!.n };
    return { id, number: c.number, state: "counting", version: version + 1, lines: n!.n };
  },
});

/**
 * Records counted quantities, one scan or many: `add` sums scans of the same item (a barcode scanner
 * sends one unit or one box at a time), `set` replaces the quantity.
 */
export const recordCount = defineCommand({
  name: "inventory.count.record",
  permission: P.countEdit,
  entity: "stock_count",
  input: StrictObject({
    id: Id,
    entries: Type.Array(
      StrictObject({
        itemId: Id,
        locationId: Id,
        lotId: Type.Optional(Type.Union([Id, Type.Null()])),
        /** A lot found that the system does not know yet: created. */
        lotNo: Type.Optional(Type.Union([LotNo, Type.Null()])),
        quantity: Quantity,
        mode: Type.Optional(Type.Union([Type.Literal("set"), Type.Literal("add")])),
      }),
      { minItems: 1, maxItems: 500 },
    ),
  }),
  async run(ctx, { id, entries }) {
    const companyId = requireCompany(ctx.actor);
    const c = await lockCount(ctx, companyId, id, P.countEdit);
    requireState(c, "counting");
    const s = await scope(ctx.tx, id);
    const items = await loadItems(ctx.tx, companyId, entries.map((e) => e.itemId));
    const lots = await loadLots(ctx.tx, companyId, entries.map((e) => e.lotId).filter((x): x is number => !!x));
    const who = actorRef(ctx.actor);
    const out: unknown[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const at = `/entries/${i}`;
      const item = items.get(e.itemId);
      if (!item) throw errors.field(`${at}/itemId`, "exists", "inventory.error.no_such_item");
      if (!s.locations.includes(e.locationId)) throw errors.field(`${at}/locationId`, "scope", "inventory.error.count_location_scope");
      if (s.items.length && !s.items.includes(e.itemId)) throw errors.field(`${at}/itemId`, "scope", "inventory.error.count_item_scope");
      let lotId = e.lotId ?? null;
      if (item.tracking === "none") {
        if (lotId || e.lotNo) throw errors.field(`${at}/lotId`, "forbidden", "inventory.error.lot_not_tracked", { item: item.code });
      } else if (lotId) {
        if (lots.get(lotId)?.itemId !== e.itemId) throw errors.field(`${at}/lotId`, "exists", "inventory.error.lot_not_of_item", { item: item.code });
      } else if (e.lotNo) {
        const lot = await one<{ id: number }>(
          ctx.tx,
          sql`insert into stock_lot (company_id, item_id, lot_no, created_by) values (${companyId}, ${e.itemId}, ${e.lotNo}, ${who.id})
              on conflict (item_id, lot_no) do update set lot_no = excluded.lot_no returning id`,
        );
        lotId = lot!.id;
      } else {
        throw errors.field(`${at}/lotId`, "required", "inventory.error.lot_required", { item: item.code });
      }
      const add = e.mode === "add";
      const line = await one(
        ctx.tx,
        sql`insert into stock_count_line (count_id, item_id, location_id, lot_id, system_qty, counted_qty, counted_by, counted_by_name, counted_at)
            values (${id}, ${e.itemId}, ${e.locationId}, ${lotId},
              coalesce((select on_hand from stock_balance where item_id = ${e.itemId} and location_id = ${e.locationId} and lot_id is not distinct from ${lotId}::int8), 0),
              ${e.quantity}, ${who.id}, ${who.name}, now())
            on conflict (count_id, item_id, location_id, lot_id) do update set
              counted_qty = case when ${add} then coalesce(stock_count_line.counted_qty, 0) + excluded.counted_qty else excluded.counted_qty end,
              counted_by = excluded.counted_by, counted_by_name = excluded.counted_by_name, counted_at = now()
            returning id, item_id as "itemId", location_id as "locationId", lot_id as "lotId", counted_qty::text as "countedQty"`,
      );
      out.push(line);
    }
    ctx.audit.entityId = id;
    ctx.audit.details = { number: c.number, entries };
    return { id, lines: out };
  },
});

export const submitCount = defineCommand({
  name: "inventory.count.submit",
  permission: P.countEdit,
  entity: "stock_count",
  input: StrictObject({ id: Id, version: Version, zeroUncounted: Type.Optional(Type.Boolean({ description: "treat lines not counted as counted 0" })) }),
  async run(ctx, { id, version, zeroUncounted }) {
    const companyId = requireCompany(ctx.actor);
    const c = await lockCount(ctx, companyId, id, P.countEdit, version);
    requireState(c, "counting");
    const who = actorRef(ctx.actor);
    const open = await one<{ n: number }>(ctx.tx, sql`select count(*)::int8 as n from stock_count_line where count_id = ${id} and counted_qty is null`);
    if (open!.n > 0) {
      if (!zeroUncounted) throw errors.rule("count_incomplete", "inventory.error.count_incomplete", { count: open!.n });
      await ctx.tx.execute(sql`update stock_count_line set counted_qty = 0, counted_by = ${who.id}, counted_by_name = ${who.name}, counted_at = now()
          where count_id = ${id} and counted_qty is null`);
    }
    await ctx.tx.execute(sql`update stock_count set state = 'review', submitted_by = ${who.id}, submitted_by_name = ${who.name}, submitted_at = now(),
        version = version + 1, updated_at = now() where id = ${id}`);
    ctx.audit.before = { state: "counting" };
    ctx.audit.after = { number: c.number, state: "review", zeroed: zeroUncounted ? open!.n : 0 };
    return { id, number: c.number, state: "review", version: version + 1 };
  },
});

export const rejectCount = defineCommand({
  name: "inventory.count.reject",
  permission: P.countApprove,
  entity: "stock_count",
  input: StrictObject({ id: Id, version: Version, note: Type.String({ minLength: 1, maxLength: 2000 }) }),
  async run(ctx, { id, version, note }) {
    const companyId = requireCompany(ctx.actor);
    const c = await lockCount(ctx, companyId, id, P.countApprove, version);
    requireState(c, "review");
    await ctx.tx.execute(sql`update stock_count set state = 'counting', review_note = ${note}, submitted_by = null, submitted_by_name = null,
        submitted_at = null, version = version + 1, updated_at = now() where id = ${id}`);
    ctx.audit.before = { state: "review" };
    ctx.audit.after = { number: c.number, state: "counting", note };
    return { id, number: c.number, state: "counting", version: version + 1 };
  },
});

/**
 * Approves the variances and posts them: gains from the adjustment location into stock, losses out to it,
 * each against the quantity on hand now (frozen since the count started). The approver must be someone
 * other than whoever counted or submitted (also refused by the database).
 */
export const approveCount = defineCommand({
  name: "inventory.count.approve",
  permission: P.countApprove,
  entity: "stock_count",
  input: StrictObject({ id: Id, version: Version, postingDate: Type.Optional(Day), note: Type.Optional(Type.String({ maxLength: 2000 })) }),
  async run(ctx, { id, version, postingDate: requested, note }) {
    const companyId = requireCompany(ctx.actor);
    const c = await lockCount(ctx, companyId, id, P.countApprove, version);
    requireState(c, "review");
    const who = actorRef(ctx.actor);
    const same = (uid: number | null, uname: string | null) => (uid !== null || who.id !== null ? uid === who.id : uname === who.name);
    const counters = await rows<{ countedBy: number | null; countedByName: string | null }>(
      ctx.tx,
      sql`select distinct counted_by as "countedBy", counted_by_name as "countedByName" from stock_count_line where count_id = ${id} and counted_at is not null`,
    );
    if (same(c.submittedBy, c.submittedByName) || counters.some((x) => same(x.countedBy, x.countedByName))) {
      throw new AppError(422, "maker_checker_violation", "inventory.error.maker_checker");
    }
    const postingDate = await checkPostingDate(ctx.tx, companyId, requested);
    const adjustment = await defaultLocation(ctx.tx, companyId, "adjustment");
    if (!adjustment) throw errors.rule("no_default_location", "inventory.error.no_default_location", { kind: "adjustment" });
    const lines = await rows<{ id: number; itemId: number; locationId: number; lotId: number | null; countedQty: string }>(
      ctx.tx,
      sql`select id, item_id as "itemId", location_id as "locationId", lot_id as "lotId", counted_qty::text as "countedQty"
          from stock_count_line where count_id = ${id} order by item_id, location_id, lot_id nulls first`,
    );
    // Lock like a poster, then compare with what is on hand now.
    await ctx.tx.execute(sql`select id from stock_valuation where company_id = ${companyId} and warehouse_id = ${c.warehouseId}
        and item_id in ${idList(lines.map((l) => l.itemId).concat(0))} order by id for update`);
    const onHand = await rows<{ id: number; onHand: string }>(
      ctx.tx,
      sql`select l.id, coalesce(b.on_hand, 0)::text as "onHand" from stock_count_line l
          left join stock_balance b on b.item_id = l.item_id and b.location_id = l.location_id and b.lot_id is not distinct from l.lot_id
          where l.count_id = ${id}`,
    );
    const book = new Map(onHand.map((r) => [r.id, dec(r.onHand)]));
    const specs: MoveSpec[] = [];
    const lineOfSpec: number[] = [];
    let lineNo = 0;
    for (const l of lines) {
      const diff = dec(l.countedQty).minus(book.get(l.id) ?? 0);
      lineNo++;
      if (diff.isZero()) continue;
      specs.push({
        itemId: l.itemId,
        lotId: l.lotId,
        qty: diff.abs().toFixed(),
        fromLocationId: diff.gt(0) ? adjustment.id : l.locationId,
        toLocationId: diff.gt(0) ? l.locationId : adjustment.id,
        moveType: "adjustment",
        docLine: lineNo,
        productionRef: null,
      });
      lineOfSpec.push(l.id);
    }
    const moves = await postMoves(ctx, companyId, specs, { docType: "count", docId: id, docNumber: c.number, postingDate, ownCountId: id, takesReserved: true });
    if (moves.length > 0) {
      await ctx.tx.execute(sql`update stock_count_line l set adjustment_move_id = r.move_id
          from jsonb_to_recordset(${JSON.stringify(moves.map((m, i) => ({ id: lineOfSpec[i], move_id: m.id })))}::jsonb) as r(id int8, move_id int8)
          where l.id = r.id`);
    }
    await ctx.tx.execute(sql`update stock_count set state = 'posted', posting_date = ${postingDate}, approved_by = ${who.id}, approved_by_name = ${who.name},
        approved_at = now(), review_note = coalesce(${note ?? null}, review_note), version = version + 1, updated_at = now() where id = ${id}`);
    const gains = moves.filter((m) => m.toLocationId !== adjustment.id);
    ctx.audit.before = { state: "review" };
    ctx.audit.after = {
      number: c.number,
      state: "posted",
      adjustments: moves.length,
      gainQty: fmt(gains.reduce((s, m) => s.plus(m.quantity), dec(0))),
      lossQty: fmt(moves.filter((m) => m.toLocationId === adjustment.id).reduce((s, m) => s.plus(m.quantity), dec(0))),
      value: moves.reduce((s, m) => (m.toLocationId === adjustment.id ? s.minus(m.value) : s.plus(m.value)), dec(0)).toFixed(2),
    };
    return { id, number: c.number, state: "posted", version: version + 1, moves: moves.map((m) => m.id) };
  },
});

export const cancelCount = defineCommand({
  name: "inventory.count.cancel",
  permission: P.countEdit,
  entity: "stock_count",
  input: StrictObject({ id: Id, version: Version }),
  async run(ctx, { id, version }) {
    const companyId = requireCompany(ctx.actor);
    const c = await lockCount(ctx, companyId, id, P.countEdit, version);
    requireState(c, "draft", "counting", "review");
    await ctx.tx.execute(sql`update stock_count set state = 'cancelled', version = version + 1, updated_at = now() where id = ${id}`);
    ctx.audit.before = { state: c.state };
    ctx.audit.after = { number: c.number, state: "cancelled" };
    return { id, number: c.number, state: "cancelled", version: version + 1 };
  },
});

export const countCommandList = [createCount, startCount, recordCount, submitCount, rejectCount, approveCount, cancelCount] as Command[];
