import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations/*.sql (the SQL is the source of truth; schema.test checks they agree).
// Quantities and money stay decimal strings (mode "string"), never JS numbers.
const id = () => bigserial("id", { mode: "number" }).primaryKey();
const ref = (name: string) => bigint(name, { mode: "number" });
const qty = (name: string) => numeric(name, { precision: 18, scale: 6 });
const money = (name: string) => numeric(name, { precision: 18, scale: 2 });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
const day = (name: string) => date(name, { mode: "string" });

export type MoveType = "receipt" | "issue" | "transfer" | "adjustment" | "scrap" | "production_consumption" | "production_output";
export type DocType = "receipt" | "issue" | "transfer";
export type DocState = "draft" | "posted" | "reversed" | "cancelled";
export type CountState = "draft" | "counting" | "review" | "posted" | "cancelled";

export const stockLot = pgTable("stock_lot", {
  id: id(),
  companyId: ref("company_id").notNull(),
  itemId: ref("item_id").notNull(),
  lotNo: text("lot_no").notNull(),
  expiryDate: day("expiry_date"),
  productionDate: day("production_date"),
  supplierLot: text("supplier_lot"),
  supplierId: ref("supplier_id"),
  createdAt: ts("created_at").notNull().defaultNow(),
  createdBy: ref("created_by"),
});

export const stockMove = pgTable("stock_move", {
  id: id(),
  companyId: ref("company_id").notNull(),
  itemId: ref("item_id").notNull(),
  lotId: ref("lot_id"),
  quantity: qty("quantity").notNull(),
  fromLocationId: ref("from_location_id").notNull(),
  toLocationId: ref("to_location_id").notNull(),
  moveType: text("move_type").$type<MoveType>().notNull(),
  docType: text("doc_type").$type<DocType | "count">().notNull(),
  docId: ref("doc_id").notNull(),
  docLine: integer("doc_line").notNull(),
  productionRef: text("production_ref"),
  unitCost: numeric("unit_cost", { precision: 18, scale: 6 }).notNull(),
  value: money("value").notNull(),
  reversalOf: ref("reversal_of"),
  returnOf: ref("return_of"),
  postingDate: day("posting_date").notNull(),
  postedAt: ts("posted_at").notNull().defaultNow(),
  postedBy: ref("posted_by"),
});

export const stockBalance = pgTable("stock_balance", {
  id: id(),
  companyId: ref("company_id").notNull(),
  itemId: ref("item_id").notNull(),
  locationId: ref("location_id").notNull(),
  lotId: ref("lot_id"),
  onHand: qty("on_hand").notNull().default("0"),
  reserved: qty("reserved").notNull().default("0"),
  available: qty("available").generatedAlwaysAs(sql`on_hand - reserved`),
  allowNegative: boolean("allow_negative").notNull().default(false),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const stockValuation = pgTable("stock_valuation", {
  id: id(),
  companyId: ref("company_id").notNull(),
  itemId: ref("item_id").notNull(),
  warehouseId: ref("warehouse_id"),
  valuationKey: text("valuation_key").notNull(),
  method: text("method").$type<"moving_average" | "fifo" | "standard">().notNull(),
  state: jsonb("state").notNull(),
  quantity: numeric("quantity", { precision: 24, scale: 6 }).notNull().default("0"),
  value: money("value").notNull().default("0"),
  unitCost: numeric("unit_cost", { precision: 18, scale: 6 }),
  version: integer("version").notNull().default(1),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const stockValuationEntry = pgTable("stock_valuation_entry", {
  id: id(),
  companyId: ref("company_id").notNull(),
  valuationId: ref("valuation_id").notNull(),
  itemId: ref("item_id").notNull(),
  warehouseId: ref("warehouse_id"),
  moveId: ref("move_id"),
  kind: text("kind").notNull(),
  postingDate: day("posting_date").notNull(),
  postedAt: ts("posted_at").notNull().defaultNow(),
  quantity: numeric("quantity", { precision: 24, scale: 6 }).notNull(),
  value: money("value").notNull(),
  unitCost: numeric("unit_cost", { precision: 18, scale: 6 }).notNull(),
  adjustment: money("adjustment").notNull().default("0"),
  variance: money("variance").notNull().default("0"),
  entry: jsonb("entry").notNull(),
});

export const stockDocument = pgTable("stock_document", {
  id: id(),
  companyId: ref("company_id").notNull(),
  docType: text("doc_type").$type<DocType>().notNull(),
  number: text("number").notNull(),
  state: text("state").$type<DocState>().notNull().default("draft"),
  postingDate: day("posting_date"),
  partnerId: ref("partner_id"),
  reference: text("reference"),
  orderRefType: text("order_ref_type"),
  orderRefId: text("order_ref_id"),
  productionRef: text("production_ref"),
  fromLocationId: ref("from_location_id"),
  toLocationId: ref("to_location_id"),
  note: text("note"),
  reversalOf: ref("reversal_of"),
  reversedBy: ref("reversed_by"),
  reversalReason: text("reversal_reason"),
  createdBy: ref("created_by"),
  createdByName: text("created_by_name").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  postedBy: ref("posted_by"),
  postedByName: text("posted_by_name"),
  postedAt: ts("posted_at"),
  version: integer("version").notNull().default(1),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const stockDocumentLine = pgTable("stock_document_line", {
  id: id(),
  documentId: ref("document_id").notNull(),
  lineNo: integer("line_no").notNull(),
  itemId: ref("item_id").notNull(),
  quantity: qty("quantity").notNull(),
  fromLocationId: ref("from_location_id"),
  toLocationId: ref("to_location_id"),
  lotId: ref("lot_id"),
  lotNo: text("lot_no"),
  expiryDate: day("expiry_date"),
  supplierLot: text("supplier_lot"),
  unitCost: numeric("unit_cost", { precision: 18, scale: 6 }),
  productionRef: text("production_ref"),
  returnOfMoveId: ref("return_of_move_id"),
  note: text("note"),
});

export const stockCount = pgTable("stock_count", {
  id: id(),
  companyId: ref("company_id").notNull(),
  number: text("number").notNull(),
  state: text("state").$type<CountState>().notNull().default("draft"),
  warehouseId: ref("warehouse_id").notNull(),
  blind: boolean("blind").notNull().default(true),
  note: text("note"),
  postingDate: day("posting_date"),
  createdBy: ref("created_by"),
  createdByName: text("created_by_name").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  frozenAt: ts("frozen_at"),
  submittedBy: ref("submitted_by"),
  submittedByName: text("submitted_by_name"),
  submittedAt: ts("submitted_at"),
  approvedBy: ref("approved_by"),
  approvedByName: text("approved_by_name"),
  approvedAt: ts("approved_at"),
  reviewNote: text("review_note"),
  version: integer("version").notNull().default(1),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const stockCountLocation = pgTable(
  "stock_count_location",
  { countId: ref("count_id").notNull(), locationId: ref("location_id").notNull() },
  (t) => [primaryKey({ columns: [t.countId, t.locationId] })],
);

export const stockCountItem = pgTable(
  "stock_count_item",
  { countId: ref("count_id").notNull(), itemId: ref("item_id").notNull() },
  (t) => [primaryKey({ columns: [t.countId, t.itemId] })],
);

export const stockCountLine = pgTable("stock_count_line", {
  id: id(),
  countId: ref("count_id").notNull(),
  itemId: ref("item_id").notNull(),
  locationId: ref("location_id").notNull(),
  lotId: ref("lot_id"),
  systemQty: qty("system_qty").notNull().default("0"),
  countedQty: qty("counted_qty"),
  countedBy: ref("counted_by"),
  countedByName: text("counted_by_name"),
  countedAt: ts("counted_at"),
  adjustmentMoveId: ref("adjustment_move_id"),
});

export const stockReservation = pgTable("stock_reservation", {
  id: id(),
  companyId: ref("company_id").notNull(),
  itemId: ref("item_id").notNull(),
  locationId: ref("location_id").notNull(),
  lotId: ref("lot_id"),
  refType: text("ref_type").notNull(),
  refId: text("ref_id").notNull(),
  quantity: qty("quantity").notNull(),
  reservedQty: qty("reserved_qty").notNull(),
  state: text("state").$type<"open" | "closed">().notNull().default("open"),
  note: text("note"),
  createdBy: ref("created_by"),
  createdByName: text("created_by_name").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  version: integer("version").notNull().default(1),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
