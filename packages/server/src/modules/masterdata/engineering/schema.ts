import { bigint, bigserial, boolean, date, integer, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Typed mirror of migrations/20261129{10,11,12}_engineering_*.sql (the SQL is the source of truth; schema.test checks they agree).
const id = () => bigserial("id", { mode: "number" }).primaryKey();
const ref = (name: string) => bigint(name, { mode: "number" });
const stamps = {
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
};
const names = {
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
};

export type ReleaseStatus = "draft" | "active" | "obsolete";

export const skill = pgTable("skill", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  ...names,
  active: boolean("active").notNull().default(true),
  ...stamps,
});

export const workshop = pgTable("workshop", {
  id: id(),
  companyId: ref("company_id").notNull(),
  code: text("code").notNull(),
  ...names,
  departmentId: ref("department_id"),
  calendarId: ref("calendar_id"),
  active: boolean("active").notNull().default(true),
  ...stamps,
});

export const productionLine = pgTable("production_line", {
  id: id(),
  companyId: ref("company_id").notNull(),
  workshopId: ref("workshop_id").notNull(),
  code: text("code").notNull(),
  ...names,
  calendarId: ref("calendar_id"),
  active: boolean("active").notNull().default(true),
  ...stamps,
});

export const workCentre = pgTable("work_centre", {
  id: id(),
  companyId: ref("company_id").notNull(),
  workshopId: ref("workshop_id").notNull(),
  lineId: ref("line_id"),
  code: text("code").notNull(),
  ...names,
  calendarId: ref("calendar_id"),
  machineCount: integer("machine_count").notNull().default(1),
  efficiencyPct: numeric("efficiency_pct", { precision: 6, scale: 2 }).notNull().default("100"),
  peopleCount: integer("people_count").notNull().default(0),
  labourRate: numeric("labour_rate", { precision: 18, scale: 6 }).notNull().default("0"),
  machineRate: numeric("machine_rate", { precision: 18, scale: 6 }).notNull().default("0"),
  overheadRate: numeric("overhead_rate", { precision: 18, scale: 6 }).notNull().default("0"),
  active: boolean("active").notNull().default(true),
  ...stamps,
});

export const workCentreSkill = pgTable("work_centre_skill", {
  workCentreId: ref("work_centre_id").notNull(),
  skillId: ref("skill_id").notNull(),
  peopleCount: integer("people_count").notNull(),
});

const release = {
  status: text("status").$type<ReleaseStatus>().notNull().default("draft"),
  effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
  effectiveTo: date("effective_to", { mode: "string" }),
  activatedAt: timestamp("activated_at", { withTimezone: true, mode: "string" }),
  activatedBy: ref("activated_by"),
  obsoletedAt: timestamp("obsoleted_at", { withTimezone: true, mode: "string" }),
  obsoletedBy: ref("obsoleted_by"),
};

export const bom = pgTable("bom", {
  id: id(),
  companyId: ref("company_id").notNull(),
  itemId: ref("item_id").notNull(),
  versionCode: text("version_code").notNull(),
  description: text("description"),
  baseQty: numeric("base_qty", { precision: 18, scale: 6 }).notNull().default("1"),
  notes: text("notes"),
  ...release,
  ...stamps,
});

export const bomLine = pgTable("bom_line", {
  id: id(),
  bomId: ref("bom_id").notNull(),
  position: integer("position").notNull(),
  componentItemId: ref("component_item_id").notNull(),
  qty: numeric("qty", { precision: 18, scale: 6 }).notNull(),
  uomId: ref("uom_id").notNull(),
  scrapPct: numeric("scrap_pct", { precision: 7, scale: 3 }).notNull().default("0"),
  phantom: boolean("phantom").notNull().default(false),
  byProduct: boolean("by_product").notNull().default(false),
  effectiveFrom: date("effective_from", { mode: "string" }),
  effectiveTo: date("effective_to", { mode: "string" }),
  notes: text("notes"),
});

export const routing = pgTable("routing", {
  id: id(),
  companyId: ref("company_id").notNull(),
  itemId: ref("item_id").notNull(),
  versionCode: text("version_code").notNull(),
  description: text("description"),
  lotSize: numeric("lot_size", { precision: 18, scale: 6 }).notNull().default("1"),
  notes: text("notes"),
  ...release,
  ...stamps,
});

export const routingOperation = pgTable("routing_operation", {
  id: id(),
  routingId: ref("routing_id").notNull(),
  seq: integer("seq").notNull(),
  ...names,
  workCentreId: ref("work_centre_id").notNull(),
  setupMinutes: numeric("setup_minutes", { precision: 12, scale: 3 }).notNull().default("0"),
  runMinutes: numeric("run_minutes", { precision: 14, scale: 6 }).notNull().default("0"),
  queueMinutes: numeric("queue_minutes", { precision: 12, scale: 3 }).notNull().default("0"),
  moveMinutes: numeric("move_minutes", { precision: 12, scale: 3 }).notNull().default("0"),
  crewSize: integer("crew_size").notNull().default(1),
  requiredSkillId: ref("required_skill_id"),
  notes: text("notes"),
});

export const routingOperationAlternative = pgTable("routing_operation_alternative", {
  operationId: ref("operation_id").notNull(),
  workCentreId: ref("work_centre_id").notNull(),
  priority: integer("priority").notNull(),
});
