import { bigint, bigserial, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of access/migrations/2026112922_temporary_grants.sql.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
const ref = (name: string) => bigint(name, { mode: "number" });

export type GrantStatus = "pending" | "approved" | "rejected" | "withdrawn" | "revoked" | "expired" | "ended";

export const grantableRole = pgTable(
  "grantable_role",
  {
    companyId: ref("company_id").notNull(),
    roleId: ref("role_id").notNull(),
    maxDays: integer("max_days").notNull().default(30),
    createdBy: ref("created_by"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.roleId] })],
);

export const temporaryGrant = pgTable("temporary_grant", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  companyId: ref("company_id").notNull(),
  userId: ref("user_id").notNull(),
  roleId: ref("role_id").notNull(),
  departmentId: ref("department_id"),
  validFrom: ts("valid_from").notNull(),
  validUntil: ts("valid_until").notNull(),
  reason: text("reason").notNull(),
  status: text("status").$type<GrantStatus>().notNull().default("pending"),
  userRoleId: ref("user_role_id"),
  approvalRequestId: ref("approval_request_id"),
  requestedBy: ref("requested_by").notNull(),
  decidedAt: ts("decided_at"),
  endedAt: ts("ended_at"),
  endReason: text("end_reason"),
  endedBy: ref("ended_by"),
  createdAt: ts("created_at").notNull().defaultNow(),
  version: integer("version").notNull().default(1),
});
