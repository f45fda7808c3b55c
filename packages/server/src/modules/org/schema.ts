import { bigint, bigserial, boolean, char, date, integer, pgTable, text, time, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations/*.sql (the SQL is the source of truth; schema.test checks they agree).
const id = () => bigserial("id", { mode: "number" }).primaryKey();
const ref = (name: string) => bigint(name, { mode: "number" });
const stamps = {
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
};

export const company = pgTable("company", {
  id: id(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  baseCurrency: char("base_currency", { length: 3 }).notNull(),
  timezone: text("timezone").notNull(),
  ...stamps,
});

export const department = pgTable("department", {
  id: id(),
  companyId: ref("company_id").notNull(),
  parentId: ref("parent_id"),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  managerUserId: ref("manager_user_id"),
  active: boolean("active").notNull().default(true),
  ...stamps,
});

export const workCalendar = pgTable("work_calendar", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  workingWeekdays: integer("working_weekdays").array().notNull(),
  isDefault: boolean("is_default").notNull().default(false),
  ...stamps,
});

export const calendarShift = pgTable("calendar_shift", {
  id: id(),
  calendarId: ref("calendar_id").notNull(),
  code: text("code").notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  startTime: time("start_time").notNull(),
  endTime: time("end_time").notNull(),
  breakMinutes: integer("break_minutes").notNull().default(0),
});

export const calendarException = pgTable("calendar_exception", {
  id: id(),
  calendarId: ref("calendar_id").notNull(),
  day: date("day", { mode: "string" }).notNull(),
  kind: text("kind").$type<"holiday" | "workday">().notNull(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
});
