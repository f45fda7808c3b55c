import type { Actor } from "../../platform/actor.ts";
import { one, sql } from "../../platform/db/database.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { type Command, defineCommand } from "../../platform/pipeline.ts";
import { warehouseFilter } from "../../platform/scope.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { Id, Quantity, RefType, Version } from "./commands.ts";
import { actorRef, dec, fmt, isStockKind, loadItems, loadLocations, requireCompany } from "./common.ts";
import { P } from "./permissions.ts";
import { loadLots, lockValuations } from "./posting.ts";

/**
 * Stock the actor may not reserve or release: that of a location outside their warehouses for the
 * reservation permission (IAM-5). Like the stock overview, a location in no warehouse is outside a limited scope.
 */
function outsideScope(actor: Actor, warehouseId: number | null): boolean {
  const scope = warehouseFilter(actor, P.reservationEdit);
  return scope !== null && (warehouseId === null || !scope.includes(warehouseId));
}

/**
 * Sets stock aside for an order: it stays on hand but is no longer available to others. Takes the
 * valuation lock of the item's area first, like every writer of the balance, so the check holds.
 */
export const createReservation = defineCommand({
  name: "inventory.reservation.create",
  permission: P.reservationEdit,
  entity: "stock_reservation",
  input: StrictObject({
    itemId: Id,
    locationId: Id,
    lotId: Type.Optional(Type.Union([Id, Type.Null()])),
    quantity: Quantity,
    refType: RefType,
    refId: Type.String({ minLength: 1, maxLength: 64 }),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    const items = await loadItems(ctx.tx, companyId, [input.itemId]);
    const item = items.get(input.itemId);
    if (!item) throw errors.field("/itemId", "exists", "inventory.error.no_such_item");
    const loc = (await loadLocations(ctx.tx, companyId, [input.locationId])).get(input.locationId);
    if (!loc || !isStockKind(loc.kind) || outsideScope(ctx.actor, loc.warehouseId)) throw errors.field("/locationId", "exists", "inventory.error.no_such_location");
    if (!dec(input.quantity).gt(0)) throw errors.field("/quantity", "minimum", "inventory.error.quantity_positive");
    const lotId = input.lotId ?? null;
    if (item.tracking !== "none" && lotId === null) throw errors.field("/lotId", "required", "inventory.error.lot_required", { item: item.code });
    if (item.tracking === "none" && lotId !== null) throw errors.field("/lotId", "forbidden", "inventory.error.lot_not_tracked", { item: item.code });
    let lotNo: string | null = null;
    if (lotId !== null) {
      const lot = (await loadLots(ctx.tx, companyId, [lotId])).get(lotId);
      if (!lot || lot.itemId !== item.id) throw errors.field("/lotId", "exists", "inventory.error.lot_not_of_item", { item: item.code });
      lotNo = lot.lotNo;
    }
    await lockValuations(ctx.tx, companyId, [{ key: "", itemId: item.id, warehouseId: loc.warehouseId }], items);
    const b = await one<{ onHand: string; reserved: string }>(
      ctx.tx,
      sql`select on_hand::text as "onHand", reserved::text as reserved from stock_balance
          where item_id = ${item.id} and location_id = ${loc.id} and lot_id is not distinct from ${lotId}::int8`,
    );
    const available = dec(b?.onHand).minus(b?.reserved ?? 0);
    if (available.lt(input.quantity)) {
      throw new AppError(
        422,
        "insufficient_stock",
        lotNo ? "inventory.error.insufficient_stock_lot" : "inventory.error.insufficient_stock",
        { item: item.code, location: loc.code, lot: lotNo, available: fmt(available.gt(0) ? available : 0), onHand: fmt(dec(b?.onHand)), requested: fmt(input.quantity) },
        [{ field: "/quantity", rule: "available", messageKey: "inventory.error.line_insufficient", params: { available: fmt(available.gt(0) ? available : 0) } }],
      );
    }
    const who = actorRef(ctx.actor);
    const r = await one<{ id: number }>(
      ctx.tx,
      sql`insert into stock_reservation (company_id, item_id, location_id, lot_id, ref_type, ref_id, quantity, reserved_qty, note, created_by, created_by_name)
          values (${companyId}, ${item.id}, ${loc.id}, ${lotId}, ${input.refType}, ${input.refId}, ${input.quantity}, ${input.quantity},
            ${input.note ?? null}, ${who.id}, ${who.name}) returning id`,
    );
    await ctx.tx.execute(sql`update stock_balance set reserved = reserved + ${input.quantity}::numeric
        where item_id = ${item.id} and location_id = ${loc.id} and lot_id is not distinct from ${lotId}::int8`);
    ctx.audit.after = { ...input, item: item.code, location: loc.code, lot: lotNo };
    ctx.emit("inventory.reserved", { companyId, reservationId: r!.id, itemId: item.id, locationId: loc.id, lotId, quantity: fmt(input.quantity), refType: input.refType, refId: input.refId });
    return { id: r!.id, quantity: fmt(input.quantity), state: "open", version: 1 };
  },
});

/** Gives reserved stock back to everyone: all that is left, or part of it. */
export const releaseReservation = defineCommand({
  name: "inventory.reservation.release",
  permission: P.reservationEdit,
  entity: "stock_reservation",
  input: StrictObject({ id: Id, version: Version, quantity: Type.Optional(Quantity) }),
  async run(ctx, { id, version, quantity }) {
    const companyId = requireCompany(ctx.actor);
    const head = await one<{ itemId: number; locationId: number }>(
      ctx.tx,
      sql`select item_id as "itemId", location_id as "locationId" from stock_reservation where id = ${id} and company_id = ${companyId}`,
    );
    if (!head) throw errors.notFound("stock_reservation");
    const items = await loadItems(ctx.tx, companyId, [head.itemId]);
    const loc = (await loadLocations(ctx.tx, companyId, [head.locationId])).get(head.locationId)!;
    if (outsideScope(ctx.actor, loc.warehouseId)) throw errors.notFound("stock_reservation");
    await lockValuations(ctx.tx, companyId, [{ key: "", itemId: head.itemId, warehouseId: loc.warehouseId }], items);
    const r = await one<{ lotId: number | null; quantity: string; state: string; version: number; refType: string; refId: string }>(
      ctx.tx,
      sql`select lot_id as "lotId", quantity::text as quantity, state, version, ref_type as "refType", ref_id as "refId"
          from stock_reservation where id = ${id} for update`,
    );
    if (r!.version !== version) throw errors.versionConflict(r!.version);
    if (r!.state !== "open") throw errors.rule("reservation_closed", "inventory.error.reservation_state");
    const release = dec(quantity ?? r!.quantity);
    if (!release.gt(0)) throw errors.field("/quantity", "minimum", "inventory.error.quantity_positive");
    if (release.gt(r!.quantity)) throw errors.field("/quantity", "maximum", "inventory.error.release_exceeds", { remaining: fmt(r!.quantity) });
    const left = dec(r!.quantity).minus(release);
    await ctx.tx.execute(sql`update stock_reservation set quantity = ${left.toFixed()}::numeric, state = ${left.isZero() ? "closed" : "open"},
        version = version + 1, updated_at = now() where id = ${id}`);
    await ctx.tx.execute(sql`update stock_balance set reserved = reserved - ${release.toFixed()}::numeric
        where item_id = ${head.itemId} and location_id = ${head.locationId} and lot_id is not distinct from ${r!.lotId}::int8`);
    ctx.audit.before = { quantity: r!.quantity };
    ctx.audit.after = { quantity: left.toFixed(), released: release.toFixed(), refType: r!.refType, refId: r!.refId };
    ctx.emit("inventory.released", { companyId, reservationId: id, quantity: release.toFixed(), refType: r!.refType, refId: r!.refId });
    return { id, quantity: fmt(left), state: left.isZero() ? "closed" : "open", version: version + 1 };
  },
});

export const reservationCommandList = [createReservation, releaseReservation] as Command[];
