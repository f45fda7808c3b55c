import { bigint, bigserial, date, integer, jsonb, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations/*.sql (the SQL is the source of truth; schema.test checks they agree).
export const productionOrder = pgTable("production_order", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  companyId: bigint("company_id", { mode: "number" }).notNull(),
  orderNo: text("order_no").notNull(),
  itemId: bigint("item_id", { mode: "number" }).notNull(),
  quantity: numeric("quantity", { precision: 18, scale: 6 }).notNull(),
  startDate: date("start_date", { mode: "string" }),
  dueDate: date("due_date", { mode: "string" }).notNull(),
  bomId: bigint("bom_id", { mode: "number" }),
  routingId: bigint("routing_id", { mode: "number" }),
  state: text("state").$type<"draft" | "released" | "closed" | "cancelled">().notNull().default("draft"),
  sourcePlanVersionId: bigint("source_plan_version_id", { mode: "number" }),
  sourcePlannedOrder: text("source_planned_order"),
  pegging: jsonb("pegging").notNull(),
  note: text("note"),
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  createdBy: bigint("created_by", { mode: "number" }),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});
