import { eq } from "drizzle-orm";
import { one, sql } from "../../platform/db/database.ts";
import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { StrictObject, Type } from "../../platform/validation.ts";
import { diff, updateVersioned } from "../../platform/versioned.ts";
import { P } from "./permissions.ts";
import { calendarException, calendarShift, company, department, workCalendar } from "./schema.ts";

const Code = Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$", description: "upper-case letters, digits, _ or -" });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Id = Type.Integer({ minimum: 1 });
const Version = Type.Integer({ minimum: 1 });

function requireCompany(companyId: number | null): number {
  if (!companyId) throw errors.rule("no_company", "org.error.no_company");
  return companyId;
}

export const updateCompany = defineCommand({
  name: "org.company.update",
  permission: P.companyEdit,
  entity: "company",
  input: StrictObject({
    id: Id,
    version: Version,
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    baseCurrency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
  async run(ctx, { id, version, ...changes }) {
    if (id !== ctx.actor.companyId && !ctx.actor.permissions.has("*")) throw errors.notFound("company");
    const { before, after } = await updateVersioned(ctx.tx, company, "company", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

export const createDepartment = defineCommand({
  name: "org.department.create",
  permission: P.departmentEdit,
  entity: "department",
  input: StrictObject({
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    code: Code,
    nameZh: Name,
    nameEn: Name,
    managerUserId: Type.Optional(Type.Union([Id, Type.Null()])),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor.companyId);
    if (input.parentId) await requireDepartment(ctx.tx, companyId, input.parentId, "/parentId");
    const [row] = await ctx.tx
      .insert(department)
      .values({ companyId, parentId: input.parentId ?? null, code: input.code, nameZh: input.nameZh, nameEn: input.nameEn, managerUserId: input.managerUserId ?? null })
      .returning();
    ctx.audit.after = row;
    ctx.emit("org.department.created", { id: row.id, companyId, code: row.code });
    return row;
  },
});

export const updateDepartment = defineCommand({
  name: "org.department.update",
  permission: P.departmentEdit,
  entity: "department",
  input: StrictObject({
    id: Id,
    version: Version,
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    code: Type.Optional(Code),
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    managerUserId: Type.Optional(Type.Union([Id, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  }),
  async run(ctx, { id, version, ...changes }) {
    const companyId = requireCompany(ctx.actor.companyId);
    await requireDepartment(ctx.tx, companyId, id, "/id", true);
    if (changes.parentId) await requireDepartment(ctx.tx, companyId, changes.parentId, "/parentId");
    if (changes.active === false) {
      const child = await one(ctx.tx, sql`select 1 from department where parent_id = ${id} and active limit 1`);
      if (child) throw errors.rule("department_has_active_children", "org.error.active_children");
    }
    const { before, after } = await updateVersioned(ctx.tx, department, "department", id, version, changes);
    Object.assign(ctx.audit, diff(before, after));
    return after;
  },
});

async function requireDepartment(tx: Parameters<typeof one>[0], companyId: number, id: number, field: string, notFound = false) {
  const row = await one(tx, sql`select id from department where id = ${id} and company_id = ${companyId}`);
  if (!row) {
    if (notFound) throw errors.notFound("department");
    throw errors.field(field, "exists", "org.error.no_such_department");
  }
}

const ShiftInput = StrictObject({
  code: Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,15}$" }),
  nameZh: Name,
  nameEn: Name,
  startTime: Type.String({ pattern: "^([01]\\d|2[0-3]):[0-5]\\d$" }),
  endTime: Type.String({ pattern: "^([01]\\d|2[0-3]):[0-5]\\d$" }),
  breakMinutes: Type.Integer({ minimum: 0, maximum: 600 }),
});
const Weekdays = Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 0, maxItems: 7, uniqueItems: true });

export const createCalendar = defineCommand({
  name: "org.calendar.create",
  permission: P.calendarEdit,
  entity: "work_calendar",
  input: StrictObject({
    code: Code,
    nameZh: Name,
    nameEn: Name,
    workingWeekdays: Weekdays,
    isDefault: Type.Optional(Type.Boolean()),
    shifts: Type.Array(ShiftInput, { maxItems: 10 }),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor.companyId);
    if (input.isDefault) await ctx.tx.update(workCalendar).set({ isDefault: false }).where(eq(workCalendar.companyId, companyId));
    const [cal] = await ctx.tx
      .insert(workCalendar)
      .values({ companyId, code: input.code, nameZh: input.nameZh, nameEn: input.nameEn, workingWeekdays: [...input.workingWeekdays].sort(), isDefault: input.isDefault ?? false })
      .returning();
    if (input.shifts.length > 0) await ctx.tx.insert(calendarShift).values(input.shifts.map((s) => ({ ...s, calendarId: cal.id })));
    ctx.audit.after = { ...cal, shifts: input.shifts };
    return cal;
  },
});

export const updateCalendar = defineCommand({
  name: "org.calendar.update",
  permission: P.calendarEdit,
  entity: "work_calendar",
  input: StrictObject({
    id: Id,
    version: Version,
    nameZh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    workingWeekdays: Type.Optional(Weekdays),
    isDefault: Type.Optional(Type.Boolean()),
    /** When given, replaces the calendar's shifts. */
    shifts: Type.Optional(Type.Array(ShiftInput, { maxItems: 10 })),
  }),
  async run(ctx, { id, version, shifts, ...changes }) {
    const companyId = requireCompany(ctx.actor.companyId);
    const owned = await one(ctx.tx, sql`select id from work_calendar where id = ${id} and company_id = ${companyId}`);
    if (!owned) throw errors.notFound("work_calendar");
    if (changes.isDefault) await ctx.tx.update(workCalendar).set({ isDefault: false }).where(eq(workCalendar.companyId, companyId));
    if (changes.workingWeekdays) changes.workingWeekdays = [...changes.workingWeekdays].sort();
    const { before, after } = await updateVersioned(ctx.tx, workCalendar, "work_calendar", id, version, changes);
    const d = diff(before, after);
    if (shifts) {
      const old = await ctx.tx.select().from(calendarShift).where(eq(calendarShift.calendarId, id));
      await ctx.tx.delete(calendarShift).where(eq(calendarShift.calendarId, id));
      if (shifts.length > 0) await ctx.tx.insert(calendarShift).values(shifts.map((s) => ({ ...s, calendarId: id })));
      d.before.shifts = old.map(({ id: _, calendarId: __, ...s }) => s);
      d.after.shifts = shifts;
    }
    Object.assign(ctx.audit, d);
    return after;
  },
});

export const setCalendarException = defineCommand({
  name: "org.calendar.exception.set",
  permission: P.calendarEdit,
  entity: "calendar_exception",
  input: StrictObject({
    calendarId: Id,
    day: Type.String({ format: "date" }),
    kind: Type.Union([Type.Literal("holiday"), Type.Literal("workday")]),
    nameZh: Name,
    nameEn: Name,
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor.companyId);
    const owned = await one(ctx.tx, sql`select id from work_calendar where id = ${input.calendarId} and company_id = ${companyId}`);
    if (!owned) throw errors.field("/calendarId", "exists", "org.error.no_such_calendar");
    const [before] = await ctx.tx.select().from(calendarException).where(sql`calendar_id = ${input.calendarId} and day = ${input.day}`);
    const [row] = await ctx.tx
      .insert(calendarException)
      .values(input)
      .onConflictDoUpdate({ target: [calendarException.calendarId, calendarException.day], set: { kind: input.kind, nameZh: input.nameZh, nameEn: input.nameEn } })
      .returning();
    ctx.audit.before = before ?? null;
    ctx.audit.after = row;
    return row;
  },
});

export const removeCalendarException = defineCommand({
  name: "org.calendar.exception.remove",
  permission: P.calendarEdit,
  entity: "calendar_exception",
  input: StrictObject({ id: Id }),
  async run(ctx, { id }) {
    const companyId = requireCompany(ctx.actor.companyId);
    const row = await one(
      ctx.tx,
      sql`delete from calendar_exception e using work_calendar c
          where e.id = ${id} and c.id = e.calendar_id and c.company_id = ${companyId} returning e.*`,
    );
    if (!row) throw errors.notFound("calendar_exception");
    ctx.audit.before = row;
    return { id, removed: true };
  },
});

/** Creates a company: done by the system at installation (or by a super administrator). */
export const createCompany = defineCommand({
  name: "org.company.create",
  permission: P.companyCreate,
  entity: "company",
  input: StrictObject({
    code: Code,
    nameZh: Name,
    nameEn: Name,
    baseCurrency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
  async run(ctx, input) {
    const [row] = await ctx.tx
      .insert(company)
      .values({ code: input.code, nameZh: input.nameZh, nameEn: input.nameEn, baseCurrency: input.baseCurrency ?? "CNY", timezone: input.timezone ?? "Asia/Shanghai" })
      .returning();
    ctx.audit.after = row;
    return row;
  },
});
