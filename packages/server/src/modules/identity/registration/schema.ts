import { bigint, bigserial, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of identity/migrations/2026112921_registration.sql.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

export const registrationApplication = pgTable("registration_application", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  companyId: bigint("company_id", { mode: "number" }).notNull(),
  number: text("number").notNull(),
  userId: bigint("user_id", { mode: "number" }).notNull(),
  fullName: text("full_name").notNull(),
  username: text("username").notNull(),
  email: text("email").notNull(),
  departmentId: bigint("department_id", { mode: "number" }).notNull(),
  jobTitle: text("job_title").notNull(),
  status: text("status").$type<"pending" | "approved" | "rejected">().notNull().default("pending"),
  decisionReason: text("decision_reason"),
  decidedAt: ts("decided_at"),
  ip: text("ip"),
  createdAt: ts("created_at").notNull().defaultNow(),
  version: integer("version").notNull().default(1),
});
