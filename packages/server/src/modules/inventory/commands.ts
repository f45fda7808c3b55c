import type { SQL } from "drizzle-orm";
import { can } from "../../platform/actor.ts";
import { type Executor, one, rows, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { type Command, type CommandContext, defineCommand } from "../../platform/pipeline.ts";
import { type Static, StrictObject, Type } from "../../platform/validation.ts";
import {
  type ItemRow,
  type LocationRow,
  actorRef,
  dec,
  fmt,
  MasterData,
  numberSql,
  requireCompany,
} from "./common.ts";
import { warehouseFilter } from "../../platform/scope.ts";
import { P } from "./permissions.ts";
import { type MoveSpec, type PostedMove, loadLots, postMoves } from "./posting.ts";
import { assertDocumentInScope } from "./queries.ts";
import type { DocType, MoveType } from "./schema.ts";

export const Id = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
export const Version = Type.Integer({ minimum: 1 });
/** A positive quantity or cost as a decimal string: up to 12 digits and 6 decimals (numeric(18, 6)). */
export const Quantity = Type.String({ pattern: "^\\d{1,12}(\\.\\d{1,6})?$", description: "decimal number as a string, e.g. \"12.5\"", examples: ["12.5"] });
export const Cost = Type.String({ pattern: "^\\d{1,12}(\\.\\d{1,6})?$", description: "cost per base unit as a decimal string", examples: ["3.25"] });
export const LotNo = Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_./#:-]{0,63}$", description: "letters, digits and _ . / # : -" });
export const Day = Type.String({ format: "date" });
const Ref = Type.String({ minLength: 1, maxLength: 64 });
export const RefType = Type.String({ pattern: "^[a-z][a-z0-9_]{1,31}$", description: "kind of order, e.g. sales_order, work_order" });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));

export const LineInput = StrictObject({
  itemId: Id,
  quantity: Quantity,
  fromLocationId: nullable(Id),
  toLocationId: nullable(Id),
  /** Issues and transfers of tracked items: the lot taken. */
  lotId: nullable(Id),
  /** Receipts of tracked items: the lot (or serial number) received; created at posting if new. */
  lotNo: nullable(LotNo),
  expiryDate: nullable(Day),
  supplierLot: nullable(Type.String({ minLength: 1, maxLength: 64 })),
  /** Receipts: cost per base unit (needs inventory.value.read); empty = the item's current cost. */
  unitCost: nullable(Cost),
  productionRef: nullable(Ref),
  /** Returns: the receipt move (issue back to the supplier) or issue move (receipt from a customer) returned. */
  returnOfMoveId: nullable(Id),
  note: nullable(Type.String({ maxLength: 500 })),
});
export type LineInput = Static<typeof LineInput>;

const HeaderFields = {
  postingDate: Type.Optional(Day),
  partnerId: nullable(Id),
  reference: nullable(Type.String({ minLength: 1, maxLength: 100 })),
  orderRefType: nullable(RefType),
  orderRefId: nullable(Ref),
  productionRef: nullable(Ref),
  fromLocationId: nullable(Id),
  toLocationId: nullable(Id),
  note: nullable(Type.String({ maxLength: 2000 })),
};
const Lines = Type.Array(LineInput, { minItems: 1, maxItems: 1000 });

type Header = { [K in keyof typeof HeaderFields]?: Static<(typeof HeaderFields)[K]> };

/** Which kinds of location each side of each document may be (the other kinds are refused). */
const KINDS: Record<DocType, { from: string[]; to: string[]; defaultFrom?: string; defaultTo?: string }> = {
  receipt: { from: ["supplier", "production", "adjustment", "customer"], to: ["internal", "receiving", "quality_hold", "transit"], defaultFrom: "supplier" },
  issue: { from: ["internal", "receiving", "quality_hold", "transit"], to: ["customer", "production", "scrap", "adjustment", "supplier"], defaultTo: "customer" },
  transfer: { from: ["internal", "receiving", "quality_hold", "transit"], to: ["internal", "receiving", "quality_hold", "transit"] },
};

const PERMS: Record<DocType, { edit: string; post: string }> = {
  receipt: { edit: P.receiptEdit, post: P.receiptPost },
  issue: { edit: P.issueEdit, post: P.issuePost },
  transfer: { edit: P.transferEdit, post: P.transferPost },
};

function moveTypeOf(docType: DocType, from: LocationRow, to: LocationRow): MoveType {
  if (docType === "transfer") return "transfer";
  if (docType === "receipt") return from.kind === "production" ? "production_output" : from.kind === "adjustment" ? "adjustment" : "receipt";
  if (to.kind === "production") return "production_consumption";
  if (to.kind === "scrap") return "scrap";
  if (to.kind === "adjustment") return "adjustment";
  return "issue";
}

interface ResolvedLine extends LineInput {
  lineNo: number;
  fromLocationId: number;
  toLocationId: number;
}

/**
 * Checks a draft's header and lines (items, locations of the right kinds, lots, partner) and resolves each
 * line's locations from the line, the header or the company's default location of the kind.
 */
async function resolveDraft(
  ctx: CommandContext,
  master: MasterData,
  docType: DocType,
  header: Header,
  lines: LineInput[],
  /** Costs already stored on the draft, kept for someone who may not see them. */
  storedCosts = false,
): Promise<ResolvedLine[]> {
  const tx = ctx.tx;
  const companyId = master.companyId;
  const k = KINDS[docType];
  const scope = warehouseFilter(ctx.actor, PERMS[docType].edit);
  // Everything the lines may refer to, in one round trip.
  await master.load({
    today: true,
    items: lines.map((l) => l.itemId),
    locations: [header.fromLocationId, header.toLocationId, ...lines.flatMap((l) => [l.fromLocationId, l.toLocationId])].filter((x): x is number => !!x),
    defaultKinds: [k.defaultFrom, k.defaultTo, "production"].filter((x): x is string => !!x),
  });
  if (header.partnerId) {
    const p = await one<{ isSupplier: boolean; isCustomer: boolean }>(
      tx,
      sql`select is_supplier as "isSupplier", is_customer as "isCustomer" from partner where id = ${header.partnerId} and company_id = ${companyId} and status = 'active'`,
    );
    if (!p) throw errors.field("/partnerId", "exists", "inventory.error.no_such_partner");
    if (docType === "receipt" && !p.isSupplier && !p.isCustomer) throw errors.field("/partnerId", "role", "inventory.error.partner_not_supplier");
    if (docType === "issue" && !p.isCustomer && !p.isSupplier) throw errors.field("/partnerId", "role", "inventory.error.partner_not_customer");
  }
  if ((header.orderRefType || header.orderRefId) && docType !== "issue") throw errors.field("/orderRefType", "forbidden", "inventory.error.order_ref_issue_only");
  if (Boolean(header.orderRefType) !== Boolean(header.orderRefId)) {
    throw errors.field(header.orderRefType ? "/orderRefId" : "/orderRefType", "required", "validation.required");
  }
  const canSeeCost = can(ctx.actor, P.valueRead);
  const defaultOf = (kind: string, warehouseId: number | null) => master.defaultLocation(kind, warehouseId);
  const resolved: ResolvedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const at = `/lines/${i}`;
    if (!dec(l.quantity).gt(0)) throw errors.field(`${at}/quantity`, "minimum", "inventory.error.quantity_positive");
    if (docType !== "receipt") {
      for (const f of ["lotNo", "expiryDate", "supplierLot"] as const) if (l[f]) throw errors.field(`${at}/${f}`, "forbidden", "inventory.error.lot_field_receipt_only");
      if (l.unitCost) throw errors.field(`${at}/unitCost`, "forbidden", "inventory.error.unit_cost_receipt_only");
    } else if (l.lotId) {
      throw errors.field(`${at}/lotId`, "forbidden", "inventory.error.lot_field_receipt_only");
    }
    if (l.unitCost && !canSeeCost && !storedCosts) throw errors.field(`${at}/unitCost`, "permission", "inventory.error.unit_cost_permission");
    const productionRef = l.productionRef ?? header.productionRef ?? null;
    let from = l.fromLocationId ?? header.fromLocationId ?? null;
    let to = l.toLocationId ?? header.toLocationId ?? null;
    // The counterpart defaults to the company's supplier / customer location, or with a production order to
    // the production location of the warehouse the goods come into or leave.
    const warehouseOf = (id: number | null) => (id ? (master.locations.get(id)?.warehouseId ?? null) : null);
    if (from === null && k.defaultFrom) from = (await defaultOf(productionRef && docType === "receipt" ? "production" : k.defaultFrom, warehouseOf(to)))?.id ?? null;
    if (to === null && k.defaultTo) to = (await defaultOf(productionRef && docType === "issue" ? "production" : k.defaultTo, warehouseOf(from)))?.id ?? null;
    if (from === null) {
      if (k.defaultFrom) throw errors.rule("no_default_location", "inventory.error.no_default_location", { kind: k.defaultFrom });
      throw errors.field(`${at}/fromLocationId`, "required", "inventory.error.location_required");
    }
    if (to === null) {
      if (k.defaultTo) throw errors.rule("no_default_location", "inventory.error.no_default_location", { kind: k.defaultTo });
      throw errors.field(`${at}/toLocationId`, "required", "inventory.error.location_required");
    }
    resolved.push({ ...l, lineNo: i + 1, fromLocationId: from, toLocationId: to, productionRef });
  }
  await master.load({ items: resolved.map((l) => l.itemId), locations: resolved.flatMap((l) => [l.fromLocationId, l.toLocationId]) });
  const { items, locations } = master;
  const lots = await loadLots(tx, companyId, resolved.map((l) => l.lotId).filter((x): x is number => !!x));
  for (let i = 0; i < resolved.length; i++) {
    const l = resolved[i];
    const at = `/lines/${i}`;
    const item = items.get(l.itemId);
    if (!item) throw errors.field(`${at}/itemId`, "exists", "inventory.error.no_such_item");
    if (item.itemType === "service") throw errors.field(`${at}/itemId`, "stockable", "inventory.error.item_not_stocked", { item: item.code });
    if (item.status === "blocked") throw errors.field(`${at}/itemId`, "status", "inventory.error.item_blocked", { item: item.code });
    if (item.status === "obsolete" && docType === "receipt") throw errors.field(`${at}/itemId`, "status", "inventory.error.item_obsolete", { item: item.code });
    for (const side of ["from", "to"] as const) {
      const field = side === "from" ? "fromLocationId" : "toLocationId";
      const loc = locations.get(l[field]);
      // A location in a warehouse outside the actor's scope is as unknown to them as a missing one (IAM-5).
      if (!loc || (scope && loc.warehouseId !== null && !scope.includes(loc.warehouseId))) {
        throw errors.field(`${at}/${field}`, "exists", "inventory.error.no_such_location");
      }
      if (!k[side].includes(loc.kind)) throw errors.field(`${at}/${field}`, "kind", "inventory.error.location_kind", { kinds: k[side].join(", ") });
      if (!loc.active) throw errors.field(`${at}/${field}`, "active", "inventory.error.location_inactive", { location: loc.code });
    }
    if (l.fromLocationId === l.toLocationId) throw errors.field(`${at}/toLocationId`, "different", "inventory.error.same_location");
    // A warehouse-limited actor moves stock in or out of their warehouses, never between two locations
    // outside every warehouse (supplier → transit, transit → customer): goods in transit are received by
    // the warehouse they go to.
    const inScope = (id: number) => {
      const warehouseId = locations.get(id)!.warehouseId;
      return warehouseId !== null && scope!.includes(warehouseId);
    };
    if (scope && !inScope(l.fromLocationId) && !inScope(l.toLocationId)) {
      const field = docType === "receipt" ? "toLocationId" : "fromLocationId";
      throw errors.field(`${at}/${field}`, "scope", "inventory.error.line_outside_warehouses");
    }
    if (l.returnOfMoveId) {
      const fromKind = locations.get(l.fromLocationId)!.kind;
      const toKind = locations.get(l.toLocationId)!.kind;
      if (!(docType === "issue" && toKind === "supplier") && !(docType === "receipt" && fromKind === "customer")) {
        throw errors.field(`${at}/returnOfMoveId`, "forbidden", "inventory.error.return_wrong_original");
      }
      const orig = await one(ctx.tx, sql`select 1 from stock_move where id = ${l.returnOfMoveId} and company_id = ${companyId} and item_id = ${l.itemId}`);
      if (!orig) throw errors.field(`${at}/returnOfMoveId`, "exists", "inventory.error.return_no_original", { item: item.code });
    }
    const touchesProduction = locations.get(l.fromLocationId)!.kind === "production" || locations.get(l.toLocationId)!.kind === "production";
    if (touchesProduction && !l.productionRef) throw errors.field(`${at}/productionRef`, "required", "inventory.error.production_ref_required");
    if (l.lotId) {
      const lot = lots.get(l.lotId);
      if (!lot || lot.itemId !== l.itemId) throw errors.field(`${at}/lotId`, "exists", "inventory.error.lot_not_of_item", { item: item.code });
    }
    if (item.tracking === "none" && (l.lotId || l.lotNo)) {
      throw errors.field(`${at}/${l.lotId ? "lotId" : "lotNo"}`, "forbidden", "inventory.error.lot_not_tracked", { item: item.code });
    }
    if (item.tracking === "serial" && !dec(l.quantity).eq(1)) throw errors.field(`${at}/quantity`, "serial", "inventory.error.serial_quantity", { item: item.code });
  }
  return resolved;
}

type LineToStore = Partial<LineInput> & { lineNo: number; itemId: number; quantity: string; fromLocationId: number; toLocationId: number };

/** The INSERT of a draft's lines; `documentId` is an id or, inside the document's own INSERT, `d.id` of its CTE. */
function insertLines(documentId: number | SQL, lines: LineToStore[], from: SQL = sql``): SQL {
  return sql`
    insert into stock_document_line (document_id, line_no, item_id, quantity, from_location_id, to_location_id, lot_id, lot_no,
      expiry_date, supplier_lot, unit_cost, production_ref, return_of_move_id, note)
    select ${documentId}, r.line_no, r.item_id, r.quantity, r.from_location_id, r.to_location_id, r.lot_id, r.lot_no,
      r.expiry_date, r.supplier_lot, r.unit_cost, r.production_ref, r.return_of_move_id, r.note
    from jsonb_to_recordset(${JSON.stringify(
      lines.map((l) => ({
        line_no: l.lineNo,
        item_id: l.itemId,
        quantity: l.quantity,
        from_location_id: l.fromLocationId,
        to_location_id: l.toLocationId,
        lot_id: l.lotId ?? null,
        lot_no: l.lotNo ?? null,
        expiry_date: l.expiryDate ?? null,
        supplier_lot: l.supplierLot ?? null,
        unit_cost: l.unitCost ?? null,
        production_ref: l.productionRef ?? null,
        return_of_move_id: l.returnOfMoveId ?? null,
        note: l.note ?? null,
      })),
    )}::jsonb) as r(line_no int, item_id int8, quantity numeric, from_location_id int8, to_location_id int8, lot_id int8, lot_no text,
      expiry_date date, supplier_lot text, unit_cost numeric, production_ref text, return_of_move_id int8, note text)${from}`;
}

interface DocRow {
  id: number;
  companyId: number;
  docType: DocType;
  number: string;
  state: string;
  postingDate: string | null;
  partnerId: number | null;
  reference: string | null;
  orderRefType: string | null;
  orderRefId: string | null;
  productionRef: string | null;
  fromLocationId: number | null;
  toLocationId: number | null;
  note: string | null;
  reversalOf: number | null;
  version: number;
}

const DOC_COLUMNS = sql`id, company_id as "companyId", doc_type as "docType", number, state, to_char(posting_date, 'YYYY-MM-DD') as "postingDate",
  partner_id as "partnerId", reference, order_ref_type as "orderRefType", order_ref_id as "orderRefId", production_ref as "productionRef",
  from_location_id as "fromLocationId", to_location_id as "toLocationId", note, reversal_of as "reversalOf", version`;

/**
 * The document, locked for the rest of the transaction; 404 for another company's, another type's, or one
 * that touches none of the warehouses the actor's `permission` reaches (as the lists and details do).
 */
async function lockDocument(ctx: CommandContext, companyId: number, docType: DocType | null, id: number, permission: string): Promise<DocRow> {
  const d = await one<DocRow>(ctx.tx, sql`select ${DOC_COLUMNS} from stock_document where id = ${id} and company_id = ${companyId} for update`);
  if (!d || (docType !== null && d.docType !== docType)) throw errors.notFound("stock_document");
  await assertDocumentInScope(ctx.tx, id, warehouseFilter(ctx.actor, permission));
  return d;
}

function requireDraft(d: DocRow, version: number) {
  if (d.state !== "draft") throw errors.rule("document_not_draft", "inventory.error.not_draft", { number: d.number, state: d.state });
  if (d.version !== version) throw errors.versionConflict(d.version);
}

interface LineRow {
  lineNo: number;
  itemId: number;
  quantity: string;
  fromLocationId: number;
  toLocationId: number;
  lotId: number | null;
  lotNo: string | null;
  expiryDate: string | null;
  supplierLot: string | null;
  unitCost: string | null;
  productionRef: string | null;
  returnOfMoveId: number | null;
  note: string | null;
}

async function loadLines(tx: Executor, documentId: number): Promise<LineRow[]> {
  return rows<LineRow>(
    tx,
    sql`select line_no as "lineNo", item_id as "itemId", quantity::text as quantity, from_location_id as "fromLocationId",
          to_location_id as "toLocationId", lot_id as "lotId", lot_no as "lotNo", to_char(expiry_date, 'YYYY-MM-DD') as "expiryDate",
          supplier_lot as "supplierLot", unit_cost::text as "unitCost", production_ref as "productionRef",
          return_of_move_id as "returnOfMoveId", note
        from stock_document_line where document_id = ${documentId} order by line_no`,
  );
}

/**
 * Receipts: finds or creates each tracked line's lot (expiry from the item's shelf life when not given)
 * and records it on the line. Serial numbers may not be received while already in stock.
 */
async function resolveReceiptLots(tx: Executor, companyId: number, doc: DocRow, lines: LineRow[], items: Map<number, ItemRow>, actorId: number | null) {
  const serials = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const item = items.get(l.itemId)!;
    const at = `/lines/${i}`;
    if (item.tracking === "none") continue;
    if (!l.lotNo) throw errors.field(`${at}/lotNo`, "required", "inventory.error.lot_required", { item: item.code });
    // One serial number is one unit: it cannot come in twice with one document.
    if (item.tracking === "serial") {
      if (serials.has(`${l.itemId}:${l.lotNo}`)) throw errors.field(`${at}/lotNo`, "serial", "inventory.error.serial_in_stock", { lot: l.lotNo });
      serials.add(`${l.itemId}:${l.lotNo}`);
    }
    const expiry =
      l.expiryDate ??
      (item.shelfLifeDays ? new Date(Date.parse(`${doc.postingDate}T00:00:00Z`) + item.shelfLifeDays * 86_400_000).toISOString().slice(0, 10) : null);
    const lot = await one<{ id: number; expiryDate: string | null; created: boolean }>(
      tx,
      sql`insert into stock_lot (company_id, item_id, lot_no, expiry_date, supplier_lot, supplier_id, created_by)
          values (${companyId}, ${l.itemId}, ${l.lotNo}, ${expiry}, ${l.supplierLot}, ${doc.partnerId}, ${actorId})
          on conflict (item_id, lot_no) do update set lot_no = excluded.lot_no
          returning id, to_char(expiry_date, 'YYYY-MM-DD') as "expiryDate", (xmax = 0) as created`,
    );
    if (!lot!.created && l.expiryDate && lot!.expiryDate && lot!.expiryDate !== l.expiryDate) {
      throw errors.field(`${at}/expiryDate`, "lot", "inventory.error.lot_expiry_mismatch", { lot: l.lotNo, expiry: lot!.expiryDate });
    }
    if (item.tracking === "serial") {
      const inStock = await one(
        tx,
        sql`select 1 from stock_balance b join location loc on loc.id = b.location_id
            where b.lot_id = ${lot!.id} and b.on_hand <> 0 and stock_location_kind(loc.kind) limit 1`,
      );
      if (inStock) throw errors.field(`${at}/lotNo`, "serial", "inventory.error.serial_in_stock", { lot: l.lotNo });
    }
    await tx.execute(sql`update stock_document_line set lot_id = ${lot!.id} where document_id = ${doc.id} and line_no = ${l.lineNo}`);
    l.lotId = lot!.id;
  }
}

/** Posts a draft: lots, checks, moves with their valuation, balances; the document becomes immutable. */
async function postDocument(ctx: CommandContext, master: MasterData, doc: DocRow, given?: LineRow[]): Promise<PostedMove[]> {
  const tx = ctx.tx;
  const companyId = master.companyId;
  const lines = given ?? (await loadLines(tx, doc.id));
  await master.load({ today: true, items: lines.map((l) => l.itemId), locations: lines.flatMap((l) => [l.fromLocationId, l.toLocationId]) });
  const postingDate = await master.postingDate(doc.postingDate);
  doc.postingDate = postingDate;
  const { items, locations } = master;
  if (doc.docType === "receipt") await resolveReceiptLots(tx, companyId, doc, lines, items, actorRef(ctx.actor).id);
  else {
    const lots = await loadLots(tx, companyId, lines.map((l) => l.lotId).filter((x): x is number => x !== null));
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      const to = locations.get(l.toLocationId)!;
      const lot = l.lotId !== null ? lots.get(l.lotId) : undefined;
      // Expired goods may be moved, scrapped or sent back, but not sold or used.
      if (lot?.expiryDate && lot.expiryDate < postingDate && (to.kind === "customer" || to.kind === "production")) {
        throw errors.field(`/lines/${i}/lotId`, "expired", "inventory.error.lot_expired", { lot: lot.lotNo, expiry: lot.expiryDate });
      }
    }
  }
  const specs: MoveSpec[] = lines.map((l, i) => ({
    itemId: l.itemId,
    lotId: l.lotId,
    qty: l.quantity,
    fromLocationId: l.fromLocationId,
    toLocationId: l.toLocationId,
    moveType: moveTypeOf(doc.docType, locations.get(l.fromLocationId)!, locations.get(l.toLocationId)!),
    docLine: l.lineNo,
    productionRef: l.productionRef,
    unitCost: l.unitCost,
    returnOf: l.returnOfMoveId,
    field: `/lines/${i}`,
  }));
  const who = actorRef(ctx.actor);
  return postMoves(
    ctx,
    companyId,
    specs,
    {
      docType: doc.docType,
      docId: doc.id,
      docNumber: doc.number,
      postingDate,
      reservationsOf: doc.orderRefType && doc.orderRefId ? { refType: doc.orderRefType, refId: doc.orderRefId } : null,
      documentUpdate: sql`update stock_document set state = 'posted', posting_date = ${postingDate}, posted_by = ${who.id}, posted_by_name = ${who.name},
        posted_at = now(), version = version + 1, updated_at = now() where id = ${doc.id}`,
    },
    master,
  );
}

function summary(moves: PostedMove[]) {
  return {
    moves: moves.map((m) => m.id),
    quantity: fmt(moves.reduce((s, m) => s.plus(m.quantity), dec(0))),
    value: moves.reduce((s, m) => s.plus(m.value), dec(0)).toFixed(2),
  };
}

const TYPE_ENTITY = "stock_document";

/** Create / update / post / cancel commands of one document type (receipt, issue, transfer). */
function documentCommands(docType: DocType) {
  const perm = PERMS[docType];
  const name = `inventory.${docType}`;

  const create = defineCommand({
    name: `${name}.create`,
    permission: perm.edit,
    entity: TYPE_ENTITY,
    input: StrictObject({ ...HeaderFields, lines: Lines, post: Type.Optional(Type.Boolean({ description: `post at once (needs ${perm.post})` })) }),
    async run(ctx, input) {
      const companyId = requireCompany(ctx.actor);
      if (input.post && !can(ctx.actor, perm.post)) throw errors.forbidden(perm.post);
      const master = new MasterData(ctx.tx, companyId);
      const lines = await resolveDraft(ctx, master, docType, input, input.lines);
      const today = await master.postingDate(input.postingDate);
      const postingDate = input.postingDate ?? null;
      const who = actorRef(ctx.actor);
      // The document and its lines in one statement (the lines' guard finds no posted document to protect).
      const doc = await one<DocRow>(
        ctx.tx,
        sql`with d as (
              insert into stock_document (company_id, doc_type, number, posting_date, partner_id, reference, order_ref_type, order_ref_id,
                production_ref, from_location_id, to_location_id, note, created_by, created_by_name)
              values (${companyId}, ${docType}, ${numberSql(docType, postingDate ?? today)}, ${postingDate}, ${input.partnerId ?? null}, ${input.reference ?? null},
                ${input.orderRefType ?? null}, ${input.orderRefId ?? null}, ${input.productionRef ?? null}, ${input.fromLocationId ?? null},
                ${input.toLocationId ?? null}, ${input.note ?? null}, ${who.id}, ${who.name})
              returning *),
            l as (${insertLines(sql`d.id`, lines, sql`, d`)})
            select ${DOC_COLUMNS} from d`,
      );
      const number = doc!.number;
      ctx.audit.entityId = doc!.id;
      ctx.audit.after = { number, docType, state: "draft", lines: lines.length };
      let result: Record<string, unknown> = { id: doc!.id, number, state: "draft", version: 1 };
      if (input.post) {
        const given: LineRow[] = lines.map((l) => ({
          lineNo: l.lineNo,
          itemId: l.itemId,
          quantity: l.quantity,
          fromLocationId: l.fromLocationId,
          toLocationId: l.toLocationId,
          lotId: l.lotId ?? null,
          lotNo: l.lotNo ?? null,
          expiryDate: l.expiryDate ?? null,
          supplierLot: l.supplierLot ?? null,
          unitCost: l.unitCost ?? null,
          productionRef: l.productionRef ?? null,
          returnOfMoveId: l.returnOfMoveId ?? null,
          note: l.note ?? null,
        }));
        const moves = await postDocument(ctx, master, doc!, given);
        ctx.audit.after = { number, docType, state: "posted", lines: lines.length, ...summary(moves) };
        result = { id: doc!.id, number, state: "posted", version: 2, moves: moves.map((m) => m.id) };
      }
      return result;
    },
  });

  const update = defineCommand({
    name: `${name}.update`,
    permission: perm.edit,
    entity: TYPE_ENTITY,
    input: StrictObject({ id: Id, version: Version, ...HeaderFields, lines: Type.Optional(Lines) }),
    async run(ctx, { id, version, lines, ...header }) {
      const companyId = requireCompany(ctx.actor);
      const doc = await lockDocument(ctx, companyId, docType, id, perm.edit);
      requireDraft(doc, version);
      const merged: Header = {
        postingDate: header.postingDate ?? doc.postingDate ?? undefined,
        partnerId: header.partnerId === undefined ? doc.partnerId : header.partnerId,
        reference: header.reference === undefined ? doc.reference : header.reference,
        orderRefType: header.orderRefType === undefined ? doc.orderRefType : header.orderRefType,
        orderRefId: header.orderRefId === undefined ? doc.orderRefId : header.orderRefId,
        productionRef: header.productionRef === undefined ? doc.productionRef : header.productionRef,
        fromLocationId: header.fromLocationId === undefined ? doc.fromLocationId : header.fromLocationId,
        toLocationId: header.toLocationId === undefined ? doc.toLocationId : header.toLocationId,
        note: header.note === undefined ? doc.note : header.note,
      };
      const master = new MasterData(ctx.tx, companyId);
      if (header.postingDate) await master.postingDate(header.postingDate);
      const current = await loadLines(ctx.tx, id);
      // Someone who may not see costs does not erase them either: a line keeps its stored cost while it
      // keeps its place and item.
      const keepCosts = !can(ctx.actor, P.valueRead);
      const withCosts = (given: LineInput[]) =>
        keepCosts
          ? given.map((l, i) => {
              if (l.unitCost) throw errors.field(`/lines/${i}/unitCost`, "permission", "inventory.error.unit_cost_permission");
              const old = current[i];
              return old && old.itemId === l.itemId && old.unitCost ? { ...l, unitCost: old.unitCost } : l;
            })
          : given;
      const newLines = lines
        ? await resolveDraft(ctx, master, docType, merged, withCosts(lines), keepCosts)
        : await resolveDraft(
            ctx,
            master,
            docType,
            merged,
            current.map((l) => ({
              itemId: l.itemId,
              quantity: l.quantity,
              fromLocationId: l.fromLocationId,
              toLocationId: l.toLocationId,
              lotId: l.lotId,
              lotNo: l.lotNo,
              expiryDate: l.expiryDate,
              supplierLot: l.supplierLot,
              unitCost: l.unitCost,
              productionRef: l.productionRef,
              returnOfMoveId: l.returnOfMoveId,
              note: l.note,
            })),
            true,
          );
      await ctx.tx.execute(sql`update stock_document set posting_date = ${merged.postingDate ?? null}, partner_id = ${merged.partnerId ?? null},
          reference = ${merged.reference ?? null}, order_ref_type = ${merged.orderRefType ?? null}, order_ref_id = ${merged.orderRefId ?? null},
          production_ref = ${merged.productionRef ?? null}, from_location_id = ${merged.fromLocationId ?? null},
          to_location_id = ${merged.toLocationId ?? null}, note = ${merged.note ?? null}, version = version + 1, updated_at = now()
          where id = ${id}`);
      await ctx.tx.execute(sql`delete from stock_document_line where document_id = ${id}`);
      await ctx.tx.execute(insertLines(id, newLines));
      ctx.audit.before = { ...doc, lines: current.length };
      ctx.audit.after = { ...merged, lines: newLines.length };
      return { id, number: doc.number, state: "draft", version: version + 1 };
    },
  });

  const post = defineCommand({
    name: `${name}.post`,
    permission: perm.post,
    entity: TYPE_ENTITY,
    input: StrictObject({ id: Id, version: Version }),
    async run(ctx, { id, version }) {
      const companyId = requireCompany(ctx.actor);
      const doc = await lockDocument(ctx, companyId, docType, id, perm.post);
      requireDraft(doc, version);
      const moves = await postDocument(ctx, new MasterData(ctx.tx, companyId), doc);
      ctx.audit.before = { state: "draft" };
      ctx.audit.after = { number: doc.number, state: "posted", postingDate: doc.postingDate, ...summary(moves) };
      return { id, number: doc.number, state: "posted", version: version + 1, moves: moves.map((m) => m.id) };
    },
  });

  const cancel = defineCommand({
    name: `${name}.cancel`,
    permission: perm.edit,
    entity: TYPE_ENTITY,
    input: StrictObject({ id: Id, version: Version }),
    async run(ctx, { id, version }) {
      const companyId = requireCompany(ctx.actor);
      const doc = await lockDocument(ctx, companyId, docType, id, perm.edit);
      requireDraft(doc, version);
      await ctx.tx.execute(sql`update stock_document set state = 'cancelled', version = version + 1, updated_at = now() where id = ${id}`);
      ctx.audit.before = { state: "draft" };
      ctx.audit.after = { number: doc.number, state: "cancelled" };
      return { id, number: doc.number, state: "cancelled", version: version + 1 };
    },
  });

  return { create, update, post, cancel };
}

export const receipt = documentCommands("receipt");
export const issue = documentCommands("issue");
export const transfer = documentCommands("transfer");

/**
 * Corrects a posted document (WF-4): a new document of the same kind, pointing at the original, posts the
 * exact opposite of each of its moves (FIFO layers restored by the costing engine); the original is marked
 * reversed. Nothing of the original is changed or deleted.
 */
export const reverseDocument = defineCommand({
  name: "inventory.document.reverse",
  permission: P.documentReverse,
  entity: TYPE_ENTITY,
  input: StrictObject({ id: Id, version: Version, reason: Type.String({ minLength: 1, maxLength: 500 }), postingDate: Type.Optional(Day) }),
  async run(ctx, { id, version, reason, postingDate: requestedDate }) {
    const companyId = requireCompany(ctx.actor);
    const orig = await lockDocument(ctx, companyId, null, id, P.documentReverse);
    if (orig.version !== version) throw errors.versionConflict(orig.version);
    if (orig.reversalOf !== null) throw errors.rule("cannot_reverse_reversal", "inventory.error.cannot_reverse_reversal");
    if (orig.state === "reversed") throw errors.rule("already_reversed", "inventory.error.already_reversed");
    if (orig.state !== "posted") throw errors.rule("document_not_posted", "inventory.error.not_posted", { number: orig.number, state: orig.state });
    const master = new MasterData(ctx.tx, companyId);
    const postingDate = await master.postingDate(requestedDate);
    const moves = await rows<{ id: number; docLine: number; itemId: number; lotId: number | null; quantity: string; fromLocationId: number; toLocationId: number; moveType: MoveType; productionRef: string | null }>(
      ctx.tx,
      sql`select id, doc_line as "docLine", item_id as "itemId", lot_id as "lotId", quantity::text as quantity, from_location_id as "fromLocationId",
            to_location_id as "toLocationId", move_type as "moveType", production_ref as "productionRef"
          from stock_move where doc_type = ${orig.docType} and doc_id = ${orig.id} and reversal_of is null order by doc_line`,
    );
    const who = actorRef(ctx.actor);
    const rev = await one<DocRow>(
      ctx.tx,
      sql`insert into stock_document (company_id, doc_type, number, posting_date, partner_id, reference, order_ref_type, order_ref_id,
            production_ref, from_location_id, to_location_id, note, reversal_of, reversal_reason, created_by, created_by_name)
          values (${companyId}, ${orig.docType}, ${numberSql(orig.docType, postingDate)}, ${postingDate}, ${orig.partnerId}, ${orig.reference}, null, null,
            ${orig.productionRef}, ${orig.toLocationId}, ${orig.fromLocationId}, ${orig.note}, ${orig.id}, ${reason}, ${who.id}, ${who.name})
          returning ${DOC_COLUMNS}`,
    );
    await ctx.tx.execute(
      insertLines(
        rev!.id,
        moves.map((m) => ({ lineNo: m.docLine, itemId: m.itemId, quantity: m.quantity, fromLocationId: m.toLocationId, toLocationId: m.fromLocationId, lotId: m.lotId, productionRef: m.productionRef })),
      ),
    );
    const posted = await postMoves(
      ctx,
      companyId,
      moves.map((m) => ({
        itemId: m.itemId,
        lotId: m.lotId,
        qty: m.quantity,
        fromLocationId: m.toLocationId,
        toLocationId: m.fromLocationId,
        moveType: m.moveType,
        docLine: m.docLine,
        productionRef: m.productionRef,
        reversalOf: m.id,
        field: `/lines/${m.docLine - 1}`,
      })),
      { docType: orig.docType, docId: rev!.id, docNumber: rev!.number, postingDate },
      master,
    );
    const number = rev!.number;
    await ctx.tx.execute(sql`update stock_document set state = 'posted', posted_by = ${who.id}, posted_by_name = ${who.name}, posted_at = now(),
        version = version + 1, updated_at = now() where id = ${rev!.id}`);
    await ctx.tx.execute(sql`update stock_document set state = 'reversed', reversed_by = ${rev!.id}, version = version + 1, updated_at = now() where id = ${orig.id}`);
    ctx.audit.entityId = orig.id;
    ctx.audit.before = { number: orig.number, state: "posted" };
    ctx.audit.after = { number: orig.number, state: "reversed", reversedBy: number, reason, ...summary(posted) };
    return { id: rev!.id, number, state: "posted", reversalOf: orig.id, version: 2, moves: posted.map((m) => m.id) };
  },
});

export const documentCommandList: Command[] = [
  ...Object.values(receipt),
  ...Object.values(issue),
  ...Object.values(transfer),
  reverseDocument,
] as Command[];
