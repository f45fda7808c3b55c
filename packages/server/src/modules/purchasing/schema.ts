import { bigint, bigserial, char, date, integer, jsonb, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations/*.sql (the SQL is the source of truth; schema.test checks they agree).
export const purchaseRequisition = pgTable("purchase_requisition", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  companyId: bigint("company_id", { mode: "number" }).notNull(),
  requisitionNo: text("requisition_no").notNull(),
  supplierId: bigint("supplier_id", { mode: "number" }),
  currency: char("currency", { length: 3 }).notNull().default("CNY"),
  state: text("state").$type<"draft" | "approved" | "ordered" | "cancelled">().notNull().default("draft"),
  sourcePlanVersionId: bigint("source_plan_version_id", { mode: "number" }),
  note: text("note"),
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  createdBy: bigint("created_by", { mode: "number" }),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

export const purchaseRequisitionLine = pgTable("purchase_requisition_line", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  requisitionId: bigint("requisition_id", { mode: "number" }).notNull(),
  lineNo: integer("line_no").notNull(),
  itemId: bigint("item_id", { mode: "number" }).notNull(),
  quantity: numeric("quantity", { precision: 18, scale: 6 }).notNull(),
  supplierItemId: bigint("supplier_item_id", { mode: "number" }),
  unitPrice: numeric("unit_price", { precision: 18, scale: 6 }),
  leadTimeDays: integer("lead_time_days"),
  releaseDate: date("release_date", { mode: "string" }),
  needDate: date("need_date", { mode: "string" }).notNull(),
  sourcePlannedOrder: text("source_planned_order"),
  pegging: jsonb("pegging").notNull(),
});
