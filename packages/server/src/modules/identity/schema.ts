import { bigint, bigserial, boolean, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations/*.sql (the SQL is the source of truth; schema.test checks they agree).
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

export const appUser = pgTable("app_user", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  companyId: bigint("company_id", { mode: "number" }).notNull(),
  departmentId: bigint("department_id", { mode: "number" }),
  username: text("username").notNull(),
  displayName: text("display_name").notNull(),
  email: text("email"),
  jobTitle: text("job_title"),
  locale: text("locale").$type<"zh-CN" | "en-US">().notNull().default("zh-CN"),
  status: text("status").$type<"pending" | "active" | "disabled">().notNull().default("active"),
  passwordHash: text("password_hash"),
  mustChangePassword: boolean("must_change_password").notNull().default(true),
  passwordChangedAt: ts("password_changed_at"),
  failedLoginCount: integer("failed_login_count").notNull().default(0),
  firstFailedAt: ts("first_failed_at"),
  lockedUntil: ts("locked_until"),
  lastLoginAt: ts("last_login_at"),
  lastLoginIp: text("last_login_ip"),
  version: integer("version").notNull().default(1),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** The fields of a user that may leave the server (never the hash or lockout internals). */
export const publicUserColumns = {
  id: appUser.id,
  companyId: appUser.companyId,
  departmentId: appUser.departmentId,
  username: appUser.username,
  displayName: appUser.displayName,
  email: appUser.email,
  jobTitle: appUser.jobTitle,
  locale: appUser.locale,
  status: appUser.status,
  mustChangePassword: appUser.mustChangePassword,
  lastLoginAt: appUser.lastLoginAt,
  version: appUser.version,
};
